/**
 * OneDrive (Microsoft Graph v1.0) as a Provider, on the official `@microsoft/microsoft-graph-client`
 * (api.ts: a custom middleware chain, so the same code reaches https://graph.microsoft.com and a
 * plain-http emulator) plus plain fetch for the pre-authenticated URLs Graph hands out.
 *
 * OneDrive facts that shape this class (../../../../../shared/reference/cloud-apis.md):
 * - items are addressed by Graph's ids, stable across renames and moves; the root's id is looked up
 *   once at connect (`/me/drive/root`) and used as `rootId` throughout;
 * - names are unique per folder, case-insensitively, and OneDrive refuses some (names.ts). Creates
 *   look at their target first (places.ts): a taken name is a conflict, or with `rename` numbered
 *   "name (2).ext" by the provider itself, never by OneDrive's own `rename` behaviour, so that every
 *   create names a target it found free (OneDrive's `fail` behaviour still catches a race); nothing is
 *   overwritten except by a write with `replace`;
 * - a rename in case only (`a.txt` -> `A.txt`) is a plain PATCH of the name: OneDrive keeps the case
 *   given and finds the item itself under the new spelling (not a conflict);
 * - copies are asynchronous: `POST .../copy` answers 202 with a monitor URL, polled (without our token)
 *   until the job completes with the copy's id;
 * - trash = `DELETE`: the item goes to the recycle bin (restorable for 30 days, `restore`);
 * - writes (uploads, create, rename/move, copy, delete) are not repeated blindly when their answer is
 *   lost (api.ts `idempotent: false`): the provider first checks whether the write took effect (the file
 *   with the bytes sent at its target, the folder at its name, the item at its new place, the id gone),
 *   and repeats it only when it did not.
 *
 * Authentication is injected (`AccessTokenSource`); every request goes through the account's pacer.
 */
import { setTimeout as sleepMs } from 'node:timers/promises';
import type { Readable } from 'node:stream';
import { SkyfoldError } from '../../../../common/errors';
import { Pacer } from '../pacer';
import type {
  AboutInfo,
  AccessTokenSource,
  ByteRange,
  HashType,
  MoveTarget,
  Provider,
  ProviderFeatures,
  ProviderItem,
  WriteOptions,
} from '../types';
import { settle, UnconfirmedError } from '../unconfirmed';
import { OnedriveApi, readJson } from './api';
import { OnedriveChangeFeed, defaultMaxChangePages } from './change-feed';
import { openDownload } from './download';
import type { Thumbnail } from '../thumbnail-image';
import { fetchThumbnail } from './thumbnails';
import { graphErrorCodes } from './errors';
import { itemPath } from './links';
import { onedriveNameProblem } from './names';
import { childNamed, createAtFreeName, itemById, itemOrNull, sameId, trashById } from './places';
import { fragmentGranularity, maxFragmentSize, uploadFile } from './upload';
import {
  expectObject,
  isFolder,
  itemFields,
  parentIdOf,
  quickXorOf,
  readItem,
  toProviderItem,
  type DriveItem,
} from './wire';

export interface OnedriveOptions {
  /** null = https://graph.microsoft.com; else another origin serving `/v1.0` (an emulator, a national cloud). */
  apiBaseUrl: string | null;
  tokens: AccessTokenSource;
  /** Every request goes through it (retries of rate limits and transient errors); default: no retries. */
  pacer?: Pacer;
  fetch?: typeof fetch;
  /** Bytes per upload-session fragment: a multiple of 320 KiB, under 60 MiB. Default 10 MiB. */
  uploadFragmentSize?: number;
  /** Files up to this size go in one simple PUT, larger ones through an upload session. Default 4 MiB. */
  simpleUploadLimit?: number;
  /** Waits between polls of a copy's monitor (tests shorten them). Default 100 ms, doubling, at most 5 s. */
  copyPollDelayMs?: { first: number; max: number };
  /** Items per page of `changeFeed.listAll` (delta's `$top`, 1..1000); default: Graph's own page size. */
  listAllPageSize?: number;
}

const MiB = 1024 * 1024;
const defaultFragmentSize = 10 * MiB;
const defaultSimpleUploadLimit = 4 * MiB;
/** Graph's simple upload takes up to 250 MB. */
const maxSimpleUploadLimit = 250 * 1000 * 1000;
/** Graph's `$top` bound for children (rclone uses 1000 too). */
const maxPageSize = 1000;
/** Folders walked up from a move's target before giving up on finding the root. */
const maxDepth = 10_000;
/** How long a copy may take before the provider stops waiting for it. */
const copyTimeoutMs = 30 * 60 * 1000;

export class OnedriveProvider implements Provider {
  readonly kind = 'onedrive';
  readonly features: ProviderFeatures = {
    serverSideCopy: true,
    serverSideMove: true,
    changeFeed: true,
    resumableUpload: true,
    hashTypes: ['quickxor'],
    caseInsensitive: true,
    duplicateNamesAllowed: false,
    // OneDrive's file size limit: 250 GB.
    maxFileSize: 250 * 1000 ** 3,
    thumbnails: true,
    // DELETE sends items to the recycle bin (permanentDelete is not relied on for personal accounts).
    permanentDelete: false,
    // "The entire decoded file path, including the file name, can't contain more than 400 characters."
    maxPathLength: 400,
  };
  readonly changeFeed: OnedriveChangeFeed;

  private constructor(
    private readonly api: OnedriveApi,
    readonly rootId: string,
    readonly pacer: Pacer,
    private readonly settings: {
      fragmentSize: number;
      simpleUploadLimit: number;
      copyPollDelayMs: { first: number; max: number };
      listAllPageSize: number | null;
    },
  ) {
    this.changeFeed = new OnedriveChangeFeed(api, rootId, defaultMaxChangePages, settings.listAllPageSize);
  }

  /**
   * Builds the provider and looks up the root folder's id (sign-in problems surface here). Throws
   * invalid_argument for an `uploadFragmentSize` that is not a multiple of 320 KiB under 60 MiB, or a
   * `simpleUploadLimit` outside 0..250 MB; mapped Graph errors.
   */
  static async connect(options: OnedriveOptions): Promise<OnedriveProvider> {
    const fragmentSize = options.uploadFragmentSize ?? defaultFragmentSize;
    if (
      !Number.isSafeInteger(fragmentSize) ||
      fragmentSize < fragmentGranularity ||
      fragmentSize > maxFragmentSize ||
      fragmentSize % fragmentGranularity !== 0
    ) {
      throw new SkyfoldError(
        'invalid_argument',
        `uploadFragmentSize must be a multiple of ${fragmentGranularity} bytes up to ${maxFragmentSize}, not ${fragmentSize}`,
      );
    }
    const simpleUploadLimit = options.simpleUploadLimit ?? defaultSimpleUploadLimit;
    if (
      !Number.isSafeInteger(simpleUploadLimit) ||
      simpleUploadLimit < 0 ||
      simpleUploadLimit > maxSimpleUploadLimit
    ) {
      throw new SkyfoldError(
        'invalid_argument',
        `simpleUploadLimit must be a whole number of bytes up to ${maxSimpleUploadLimit}, not ${simpleUploadLimit}`,
      );
    }
    const pacer =
      options.pacer ?? new Pacer({ maxConcurrency: 4, maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 });
    const api = new OnedriveApi({
      apiBaseUrl: options.apiBaseUrl,
      tokens: options.tokens,
      pacer,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    const root = expectObject(
      await api.json('the root folder', { method: 'GET', path: '/me/drive/root?$select=id' }),
      'the root folder',
    );
    if (typeof root.id !== 'string' || root.id.length === 0) {
      throw new SkyfoldError('permanent', 'OneDrive did not return the root folder id');
    }
    return new OnedriveProvider(api, root.id, pacer, {
      fragmentSize,
      simpleUploadLimit,
      copyPollDelayMs: options.copyPollDelayMs ?? { first: 100, max: 5000 },
      listAllPageSize:
        options.listAllPageSize === undefined
          ? null
          : Math.min(maxPageSize, Math.max(1, Math.floor(options.listAllPageSize))),
    });
  }

  nameProblem(name: string): string | null {
    return onedriveNameProblem(name);
  }

  async about(): Promise<AboutInfo> {
    const [me, drive] = await Promise.all([
      this.api.json('the account', { method: 'GET', path: '/me?$select=displayName,userPrincipalName,mail' }),
      this.api.json('the drive', { method: 'GET', path: '/me/drive?$select=id,quota,owner' }),
    ]);
    const user = expectObject(me, 'the account');
    const quota = expectObject(drive, 'the drive').quota as Record<string, unknown> | undefined;
    const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : null);
    const bytes = (value: unknown) =>
      Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : null;
    return {
      displayName: text(user.userPrincipalName) ?? text(user.mail) ?? text(user.displayName) ?? 'OneDrive',
      usedBytes: bytes(quota?.used),
      totalBytes: bytes(quota?.total),
    };
  }

  async *list(folderId: string, options: { pageSize?: number } = {}): AsyncIterable<ProviderItem[]> {
    const pageSize = Math.min(maxPageSize, Math.max(1, Math.floor(options.pageSize ?? maxPageSize)));
    const what = `listing ${folderId}`;
    let path = `${itemPath(folderId, { segment: '/children' })}?$top=${pageSize}&$select=${itemFields}`;
    let pending: ProviderItem[] = [];
    for (let first = true; ; first = false) {
      const page = readListPage(await this.api.json(what, { method: 'GET', path }));
      // Graph lists a file's children as nothing: an empty first page is checked to be a folder.
      if (first && page.items.length === 0 && page.nextLink === undefined) await this.folder(folderId);
      for (const item of page.items) {
        if (!item.deleted) pending.push(toProviderItem(item, this.rootId, folderId));
      }
      // Pages are re-cut so none is larger than asked.
      while (pending.length >= pageSize || (page.nextLink === undefined && pending.length > 0)) {
        yield pending.slice(0, pageSize);
        pending = pending.slice(pageSize);
      }
      if (page.nextLink === undefined) return;
      const next = this.api.relative(page.nextLink, 'a listing link');
      if (next === path) {
        throw new SkyfoldError('permanent', 'OneDrive repeated a listing link (listing would never end)');
      }
      path = next;
    }
  }

  async stat(id: string): Promise<ProviderItem> {
    return toProviderItem(await itemById(this.api, id), this.rootId);
  }

  /**
   * One `GET items/PARENT:/name:` (places.childNamed): OneDrive matches the name case-insensitively
   * and answers with the stored spelling. A missing parent is not found too.
   */
  async findChildren(parentId: string, name: string): Promise<ProviderItem[]> {
    this.checkName(name);
    const item = await childNamed(this.api, parentId, name);
    return item === null ? [] : [toProviderItem(item, this.rootId)];
  }

  async read(id: string, range?: ByteRange): Promise<Readable> {
    const item = await itemById(this.api, id);
    if (isFolder(item)) throw new SkyfoldError('invalid_argument', `"${item.name ?? id}" is a folder`);
    return openDownload(this.api, item.id, item.size ?? 0, range, `reading "${item.name}"`);
  }

  /** OneDrive's own thumbnail (thumbnails.ts): two requests; a folder gets its cover, if any. */
  thumbnail(id: string, size: number): Promise<Thumbnail | null> {
    return fetchThumbnail(this.api, id, size, `the thumbnail of ${id}`);
  }

  async write(
    parentId: string,
    name: string,
    source: Readable,
    options: WriteOptions,
  ): Promise<ProviderItem> {
    try {
      this.checkName(name);
      await this.folder(parentId);
    } catch (error) {
      source.destroy();
      throw error;
    }
    // uploadFile closes the source, whatever happens.
    const item = await uploadFile(
      this.api,
      source,
      {
        parentId,
        name,
        conflict: options.conflict,
        ...(options.modifiedAt === undefined ? {} : { modifiedAt: options.modifiedAt }),
      },
      {
        fragmentSize: this.settings.fragmentSize,
        simpleUploadLimit: this.settings.simpleUploadLimit,
        ...(options.size === undefined ? {} : { size: options.size }),
        ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
      },
    );
    return toProviderItem(item, this.rootId, parentId);
  }

  async mkdir(
    parentId: string,
    name: string,
    options: { conflict: 'fail' | 'rename' },
  ): Promise<ProviderItem> {
    this.checkName(name);
    await this.folder(parentId);
    const created = await createAtFreeName(
      this.api,
      parentId,
      name,
      { rename: options.conflict === 'rename', isFolder: true },
      (free) =>
        settle(
          async () =>
            readItem(
              await this.api.json(
                `creating "${free}"`,
                {
                  method: 'POST',
                  path: itemPath(parentId, { segment: '/children' }),
                  json: { name: free, folder: {}, '@microsoft.graph.conflictBehavior': 'fail' },
                },
                { idempotent: false },
              ),
              'a new folder',
            ),
          // A lost answer: the folder at the name (free just before) is the one created.
          async () => {
            const there = await childNamed(this.api, parentId, free);
            return there && isFolder(there) ? there : null;
          },
        ),
    );
    return toProviderItem(created, this.rootId, parentId);
  }

  /**
   * Renames and/or moves (one PATCH of `name` and `parentReference`). Moving an item onto its own
   * place returns it unchanged; a case-only rename is a plain rename.
   */
  async move(id: string, target: MoveTarget): Promise<ProviderItem> {
    const { source, parentId, name, sameFolder } = await this.relocation('move', id, target);
    if (sameFolder && name === source.name) return toProviderItem(source, this.rootId);
    const moved = await createAtFreeName(
      this.api,
      parentId,
      name,
      { rename: target.conflict === 'rename', isFolder: isFolder(source), self: source.id },
      (free) => this.patchOnce(source.id, parentId, free, sameFolder),
    );
    return toProviderItem(moved, this.rootId, parentId);
  }

  /** Server-side copy (folders recursively), at a name checked free (places.ts). */
  async copy(id: string, target: MoveTarget): Promise<ProviderItem> {
    const { source, parentId, name } = await this.relocation('copy', id, target);
    const copied = await createAtFreeName(
      this.api,
      parentId,
      name,
      { rename: target.conflict === 'rename', isFolder: isFolder(source) },
      (free) => this.copyOnce(source, parentId, free),
    );
    return toProviderItem(copied, this.rootId, parentId);
  }

  async trash(id: string): Promise<void> {
    if (sameId(id, this.rootId)) {
      throw new SkyfoldError('invalid_argument', 'the root folder cannot be trashed');
    }
    await trashById(this.api, id, `trashing ${id}`);
  }

  /**
   * `POST items/{id}/restore` (OneDrive Personal): the item comes back from the recycle bin with its
   * content and ids, where it was and under its name. OneDrive answers 409 when the name is taken
   * (conflict) and 404 for an item not in the recycle bin (not_found), e.g. one inside a deleted
   * folder. A live item is returned as it is; a lost answer is checked by the id.
   */
  async restore(id: string): Promise<ProviderItem> {
    const live = await itemOrNull(this.api, id);
    if (live) return toProviderItem(live, this.rootId);
    const restored = await settle(
      async () =>
        readItem(
          await this.api.json(
            `restoring ${id}`,
            { method: 'POST', path: itemPath(id, { segment: '/restore' }), json: {} },
            { idempotent: false },
          ),
          'the restored item',
        ),
      () => itemOrNull(this.api, id),
    );
    return toProviderItem(restored, this.rootId);
  }

  async hash(id: string, type: HashType): Promise<string> {
    if (type !== 'quickxor') throw new SkyfoldError('invalid_argument', `OneDrive has no ${type} hashes`);
    const item = await itemById(this.api, id);
    const hash = quickXorOf(item);
    if (isFolder(item) || hash === undefined) {
      throw new SkyfoldError('invalid_argument', `OneDrive has no QuickXorHash for "${item.name ?? id}"`);
    }
    return hash;
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * What a move or copy of `id` to `target` means: the source, the target folder and name (checked),
   * whether it stays in its folder. Refuses the root, hostile names, and a folder into itself.
   */
  private async relocation(
    verb: 'move' | 'copy',
    id: string,
    target: MoveTarget,
  ): Promise<{ source: DriveItem; parentId: string; name: string; sameFolder: boolean }> {
    if (sameId(id, this.rootId)) {
      throw new SkyfoldError(
        'invalid_argument',
        `the root folder cannot be ${verb === 'move' ? 'moved' : 'copied'}`,
      );
    }
    const [source, folder] = await Promise.all([
      itemById(this.api, id),
      target.parentId === undefined ? null : this.folder(target.parentId),
    ]);
    const currentParent = parentIdOf(source);
    if (source.root || currentParent === undefined) {
      throw new SkyfoldError(
        'invalid_argument',
        `the root folder cannot be ${verb === 'move' ? 'moved' : 'copied'}`,
      );
    }
    const parentId = target.parentId ?? currentParent;
    const name = target.name ?? source.name!;
    this.checkName(name);
    const sameFolder = sameId(parentId, currentParent);
    if (isFolder(source) && !sameFolder) await this.refuseInside(source, parentId, folder, verb);
    return { source, parentId, name, sameFolder };
  }

  /** Throws invalid_argument when the folder `parentId` is `source` or lies inside it (walking up by parentReference). */
  private async refuseInside(
    source: DriveItem,
    parentId: string,
    folder: DriveItem | null,
    verb: 'move' | 'copy',
  ): Promise<void> {
    let current: DriveItem | null = folder;
    let currentId: string | undefined = parentId;
    for (let depth = 0; currentId !== undefined && depth < maxDepth; depth++) {
      if (sameId(currentId, source.id)) {
        throw new SkyfoldError('invalid_argument', `cannot ${verb} a folder into itself`);
      }
      if (sameId(currentId, this.rootId)) return;
      current ??= await itemById(this.api, currentId);
      currentId = parentIdOf(current);
      current = null;
    }
  }

  /**
   * One PATCH moving/renaming `id` to `name` in `parentId` (conflict behaviour `fail`). A lost answer is
   * checked by the id: the item with that name in that folder was moved.
   */
  private patchOnce(id: string, parentId: string, name: string, sameFolder: boolean): Promise<DriveItem> {
    const json = sameFolder ? { name } : { name, parentReference: { id: parentId } };
    return settle(
      async () =>
        readItem(
          await this.api.json(
            `moving ${id} to "${name}"`,
            { method: 'PATCH', path: `${itemPath(id)}?@microsoft.graph.conflictBehavior=fail`, json },
            { idempotent: false },
          ),
          'the moved item',
        ),
      async () => {
        const now = await itemOrNull(this.api, id);
        return now && now.name === name && sameId(parentIdOf(now) ?? '', parentId) ? now : null;
      },
    );
  }

  /**
   * One copy of `source` to `name` in `parentId`: `POST .../copy` (conflict behaviour `fail`), then the
   * monitor until the job ends; the copy's driveItem. A lost answer is checked at the target (an item
   * of the source's kind, a file with its hash); a job that then finds the name taken (its twin, whose
   * answer was lost, got there first) also settles on an equal item found there.
   */
  private async copyOnce(source: DriveItem, parentId: string, name: string): Promise<DriveItem> {
    let unconfirmed = false;
    const copyThere = async (): Promise<DriveItem | null> => {
      const there = await childNamed(this.api, parentId, name);
      if (!there || isFolder(there) !== isFolder(source)) return null;
      return isFolder(there) || quickXorOf(there) === quickXorOf(source) ? there : null;
    };
    const started = await settle<{ monitor: string } | { item: DriveItem }>(
      () =>
        this.api
          .request(
            `copying "${source.name}" to "${name}"`,
            {
              method: 'POST',
              path: `${itemPath(source.id, { segment: '/copy' })}?@microsoft.graph.conflictBehavior=fail`,
              json: { parentReference: { ...driveOf(source), id: parentId }, name },
            },
            async (response) => {
              const location = response.headers.get('location');
              await response.body?.cancel();
              if (!location) {
                throw new SkyfoldError(
                  'permanent',
                  `OneDrive started a copy of "${source.name}" without a monitor URL`,
                );
              }
              return { monitor: new URL(location, this.api.origin).href };
            },
            { idempotent: false },
          )
          .catch((error: unknown) => {
            if (error instanceof UnconfirmedError) unconfirmed = true;
            throw error;
          }),
      async () => {
        const item = await copyThere();
        return item ? { item } : null;
      },
    );
    if ('item' in started) return started.item;
    try {
      return await this.awaitCopy(started.monitor, `copying "${source.name}" to "${name}"`);
    } catch (error) {
      if (unconfirmed && error instanceof SkyfoldError && error.code === 'conflict') {
        const item = await copyThere();
        if (item) return item;
      }
      throw error;
    }
  }

  /**
   * Polls a copy's monitor URL (no token: it is pre-authenticated) with growing waits until the job
   * ends; the new item. A failed job throws the mapped error of its `errorCode`/`error.code`.
   */
  private async awaitCopy(monitor: string, what: string): Promise<DriveItem> {
    const { first, max } = this.settings.copyPollDelayMs;
    const deadline = Date.now() + copyTimeoutMs;
    for (let delay = first; ; delay = Math.min(max, delay * 2)) {
      const status = await this.api.preauthenticated(
        what,
        monitor,
        { method: 'GET' },
        async (response) => {
          if (response.status === 303) {
            await response.body?.cancel();
            return { status: 'completed', location: response.headers.get('location') } as Record<
              string,
              unknown
            >;
          }
          return expectObject(await readJson(response, what), 'a copy status');
        },
        { accept: (status) => status === 303 },
      );
      if (status.status === 'completed') {
        const resourceId =
          typeof status.resourceId === 'string' ? status.resourceId : resourceIdOf(status.location);
        if (!resourceId)
          throw new SkyfoldError('permanent', `OneDrive, ${what}: the copy finished without its id`);
        return itemById(this.api, resourceId, 'the copy');
      }
      if (status.status === 'failed' || status.status === 'deleteFailed' || status.status === 'cancelled') {
        throw copyFailure(status, what);
      }
      if (Date.now() >= deadline) {
        throw new SkyfoldError(
          'transient',
          `OneDrive, ${what}: the copy did not finish within ${copyTimeoutMs / 60_000} minutes`,
        );
      }
      await sleepMs(delay);
    }
  }

  /** The folder `id` (root included). Throws not_found, invalid_argument (not a folder). */
  private async folder(id: string): Promise<DriveItem> {
    const item = await itemById(this.api, id);
    if (!isFolder(item)) throw new SkyfoldError('invalid_argument', `"${item.name ?? id}" is not a folder`);
    return item;
  }

  private checkName(name: string): void {
    const problem = this.nameProblem(name);
    if (problem) throw new SkyfoldError('invalid_argument', `cannot use "${name}": ${problem}`);
  }
}

/** A children page, checked. Throws permanent when malformed. */
function readListPage(value: unknown): { items: DriveItem[]; nextLink?: string } {
  const page = expectObject(value, 'a listing');
  const nextLink = page['@odata.nextLink'];
  if (!Array.isArray(page.value) || (nextLink !== undefined && typeof nextLink !== 'string')) {
    throw new SkyfoldError('permanent', 'OneDrive sent a malformed listing page');
  }
  return {
    items: page.value.map((item) => readItem(item, 'a listed item')),
    ...(typeof nextLink === 'string' ? { nextLink } : {}),
  };
}

/** `{driveId}` of the item's drive when Graph said (the copy docs name the target drive with the folder). */
function driveOf(item: DriveItem): { driveId?: string } {
  const driveId = item.parentReference?.driveId;
  return typeof driveId === 'string' && driveId.length > 0 ? { driveId } : {};
}

/** The item id at the end of a `.../items/{id}` URL (a 303 of a finished copy), else undefined. */
function resourceIdOf(location: unknown): string | undefined {
  if (typeof location !== 'string') return undefined;
  const match = /\/items\/([^/?#]+)/.exec(location);
  return match ? decodeURIComponent(match[1]!) : undefined;
}

/** The error of a failed copy job (`errorCode`, or `error.code` and `error.message`). */
function copyFailure(status: Record<string, unknown>, what: string): SkyfoldError {
  const codes = [
    ...(typeof status.errorCode === 'string' ? [status.errorCode] : []),
    ...graphErrorCodes({ error: status.error }),
  ];
  const message = (status.error as { message?: unknown } | undefined)?.message;
  const text = `OneDrive, ${what}: the copy failed${typeof message === 'string' ? `: ${message}` : ''}${
    codes.length > 0 ? ` (${codes.join('/')})` : ''
  }`;
  const has = (code: string) =>
    codes.some((candidate) => candidate === code || candidate.startsWith(`${code}_`));
  if (has('nameAlreadyExists')) return new SkyfoldError('conflict', text);
  if (has('itemNotFound')) return new SkyfoldError('not_found', text);
  if (has('quotaLimitReached') || has('insufficientStorage')) return new SkyfoldError('quota_exceeded', text);
  return new SkyfoldError('permanent', text);
}
