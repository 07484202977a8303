/**
 * Dropbox as a Provider, on the official `dropbox` SDK (RPC and upload calls) plus streamed raw
 * downloads (download.ts).
 *
 * Dropbox facts that shape this class (../../../../../shared/reference/cloud-apis.md):
 * - items are addressed by path, but also carry stable ids (`id:...`) that every read accepts: ids
 *   are Skyfold's ids; the root (path `""`, no id) is `dropboxRootId` (see wire.ts). A parent's id
 *   is resolved to its path before anything is created in it;
 * - metadata names the parent by path only: `stat` and the change feed resolve it (parent-ids.ts);
 * - names are unique per folder, case-insensitively: conflicts are Dropbox's own (`add` mode with
 *   `strict_conflict`, or `autorename`, which numbers a taken name "name (2).ext"); nothing is
 *   overwritten except by a write with `replace` (`overwrite` mode);
 * - trash = `delete_v2`: Dropbox keeps deleted items restorable (30+ days).
 *
 * Authentication is injected (`AccessTokenSource`); every request goes through the account's pacer
 * (api.ts).
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { SkyfoldError } from '../../../../common/errors';
import { checkedRange } from '../byte-range';
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
import { DropboxApi, expectObject } from './api';
import { DropboxChangeFeed, readPage } from './change-feed';
import { openDownload } from './download';
import { dropboxNameProblem } from './names';
import { ParentIds } from './parent-ids';
import { uploadFile } from './upload';
import {
  childPath,
  clientModified,
  dropboxRootId,
  entryPath,
  isSameOrInside,
  parentPath,
  readEntry,
  rootItem,
  toProviderItem,
  wirePath,
  type DropboxEntry,
} from './wire';

export interface DropboxOptions {
  /** null = the real Dropbox hosts; an emulator's origin in tests and demos (reached through dropboxFetch). */
  apiBaseUrl: string | null;
  tokens: AccessTokenSource;
  /** Every request goes through it (retries of rate limits and transient errors); default: no retries. */
  pacer?: Pacer;
  fetch?: typeof fetch;
  /** Upload-session chunk (a multiple of 4 MiB in production, at most 150 MiB); default 16 MiB. */
  uploadChunkSize?: number;
  /** Files up to this size go in one files/upload (at most 150 MiB); larger or unknown sizes use a session. Default 8 MiB. */
  singleUploadLimit?: number;
}

const MiB = 1024 * 1024;
const defaultChunkSize = 16 * MiB;
const defaultSingleUploadLimit = 8 * MiB;
/** Dropbox's `list_folder` limit bounds. */
const maxPageSize = 2000;
const defaultPageSize = 1000;

export class DropboxProvider implements Provider {
  readonly kind = 'dropbox';
  readonly rootId = dropboxRootId;
  readonly features: ProviderFeatures = {
    serverSideCopy: true,
    serverSideMove: true,
    changeFeed: true,
    resumableUpload: true,
    hashTypes: ['dropbox'],
    caseInsensitive: true,
    duplicateNamesAllowed: false,
    // Upload sessions take files up to 2^41 - 2^22 bytes (the SDK's route documentation; ~2 TB).
    maxFileSize: 2 ** 41 - 2 ** 22,
    thumbnails: true,
  };
  readonly changeFeed: DropboxChangeFeed;

  private constructor(
    private readonly api: DropboxApi,
    private readonly uploadChunkSize: number,
    private readonly singleUploadLimit: number,
  ) {
    this.changeFeed = new DropboxChangeFeed(api, (path) => this.metadata(path, 'a folder'));
  }

  /** Builds the provider. Does no I/O: sign-in problems surface on the first call (e.g. `about`). */
  static async connect(options: DropboxOptions): Promise<DropboxProvider> {
    const pacer =
      options.pacer ?? new Pacer({ maxConcurrency: 4, maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 });
    const api = new DropboxApi({
      apiBaseUrl: options.apiBaseUrl,
      tokens: options.tokens,
      pacer,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    return new DropboxProvider(
      api,
      options.uploadChunkSize ?? defaultChunkSize,
      options.singleUploadLimit ?? defaultSingleUploadLimit,
    );
  }

  nameProblem(name: string): string | null {
    return dropboxNameProblem(name);
  }

  async about(): Promise<AboutInfo> {
    const [account, usage] = await Promise.all([
      this.api.rpc('account', (client) => client.usersGetCurrentAccount()),
      this.api.rpc('space usage', (client) => client.usersGetSpaceUsage()),
    ]);
    const { email, name } = expectObject(account, 'the account');
    const { used, allocation } = expectObject(usage, 'space usage');
    const displayName = (name as { display_name?: unknown } | undefined)?.display_name;
    return {
      displayName:
        typeof email === 'string' && email
          ? email
          : typeof displayName === 'string'
            ? displayName
            : 'Dropbox',
      usedBytes: typeof used === 'number' ? used : null,
      totalBytes: allocatedBytes(allocation),
    };
  }

  async *list(folderId: string, options: { pageSize?: number } = {}): AsyncIterable<ProviderItem[]> {
    const pageSize = Math.min(maxPageSize, Math.max(1, options.pageSize ?? defaultPageSize));
    const what = `listing ${folderId}`;
    let page = readPage(
      await this.api.rpc(what, (client) =>
        client.filesListFolder({ path: wirePath(folderId), limit: pageSize, include_deleted: false }),
      ),
    );
    // Dropbox's limit is approximate: pages are re-cut so none is larger than asked.
    let pending: ProviderItem[] = [];
    for (;;) {
      for (const entry of page.entries) {
        if (entry['.tag'] !== 'deleted') pending.push(toProviderItem(entry, folderId));
      }
      while (pending.length >= pageSize || (!page.hasMore && pending.length > 0)) {
        yield pending.slice(0, pageSize);
        pending = pending.slice(pageSize);
      }
      if (!page.hasMore) return;
      const cursor = page.next;
      page = readPage(await this.api.rpc(what, (client) => client.filesListFolderContinue({ cursor })));
      if (page.hasMore && page.next === cursor) {
        throw new SkyfoldError('permanent', 'Dropbox repeated a listing cursor (listing would never end)');
      }
    }
  }

  async stat(id: string): Promise<ProviderItem> {
    if (id === this.rootId) return rootItem();
    const entry = await this.metadata(wirePath(id), id);
    return toProviderItem(entry, await this.parents().idOf(parentPath(entryPath(entry))));
  }

  async read(id: string, range?: ByteRange): Promise<Readable> {
    if (id === this.rootId) throw new SkyfoldError('invalid_argument', 'the root folder is not a file');
    const path = wirePath(id);
    if (!range) return openDownload(this.api, path, undefined, `reading ${id}`);
    const entry = await this.metadata(path, id);
    if (entry['.tag'] !== 'file') throw new SkyfoldError('invalid_argument', `"${entry.name}" is not a file`);
    const bytes = checkedRange(range, entry.size, `"${entry.name}"`);
    if (!bytes) return Readable.from([]);
    return openDownload(this.api, path, bytes, `reading "${entry.name}"`);
  }

  async write(
    parentId: string,
    name: string,
    source: Readable,
    options: WriteOptions,
  ): Promise<ProviderItem> {
    this.checkName(name);
    const path = childPath(await this.folderPath(parentId), name);
    const metadata = await uploadFile(
      this.api,
      source,
      {
        path,
        mode: options.conflict === 'replace' ? 'overwrite' : 'add',
        autorename: options.conflict === 'rename',
        ...(options.modifiedAt === undefined ? {} : { clientModified: clientModified(options.modifiedAt) }),
      },
      {
        chunkSize: this.uploadChunkSize,
        singleUploadLimit: this.singleUploadLimit,
        ...(options.size === undefined ? {} : { size: options.size }),
        ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
        ...(options.conflict === 'fail' ? { beforeSession: () => this.refuseTaken(path) } : {}),
      },
    );
    return toProviderItem(metadata, parentId);
  }

  async mkdir(
    parentId: string,
    name: string,
    options: { conflict: 'fail' | 'rename' },
  ): Promise<ProviderItem> {
    this.checkName(name);
    const path = childPath(await this.folderPath(parentId), name);
    const result = await this.api.rpc(`creating "${name}"`, (client) =>
      client.filesCreateFolderV2({ path, autorename: options.conflict === 'rename' }),
    );
    const metadata = expectObject(expectObject(result, 'a new folder').metadata, 'a new folder');
    return toProviderItem(readEntry({ '.tag': 'folder', ...metadata }, 'a new folder'), parentId);
  }

  move(id: string, target: MoveTarget): Promise<ProviderItem> {
    return this.relocate('move', id, target);
  }

  copy(id: string, target: MoveTarget): Promise<ProviderItem> {
    return this.relocate('copy', id, target);
  }

  async trash(id: string): Promise<void> {
    if (id === this.rootId) throw new SkyfoldError('invalid_argument', 'the root folder cannot be trashed');
    await this.api.rpc(`trashing ${id}`, (client) => client.filesDeleteV2({ path: wirePath(id) }));
  }

  async hash(id: string, type: HashType): Promise<string> {
    if (type !== 'dropbox') throw new SkyfoldError('invalid_argument', `Dropbox has no ${type} hashes`);
    if (id === this.rootId) throw new SkyfoldError('invalid_argument', 'the root folder has no hash');
    const entry = await this.metadata(wirePath(id), id);
    if (entry['.tag'] !== 'file' || typeof entry.content_hash !== 'string') {
      throw new SkyfoldError('invalid_argument', `Dropbox has no content hash for "${entry.name}"`);
    }
    return entry.content_hash;
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Server-side move (`move_v2`) or copy (`copy_v2`, folders recursively). `rename` lets Dropbox
   * number a taken name; moving an item onto its own place returns it unchanged.
   */
  private async relocate(verb: 'move' | 'copy', id: string, target: MoveTarget): Promise<ProviderItem> {
    if (id === this.rootId) throw new SkyfoldError('invalid_argument', `the root folder cannot be ${verb}d`);
    const source = await this.metadata(wirePath(id), id);
    const sourcePath = entryPath(source);
    const currentFolder = parentPath(sourcePath);
    const folder = target.parentId === undefined ? currentFolder : await this.folderPath(target.parentId);
    const name = target.name ?? source.name;
    this.checkName(name);
    if (source['.tag'] === 'folder' && isSameOrInside(folder, sourcePath)) {
      throw new SkyfoldError('invalid_argument', `cannot ${verb} a folder into itself`);
    }
    const parentId = target.parentId ?? (await this.parents().idOf(currentFolder));
    const sameFolder = folder.toLowerCase() === currentFolder.toLowerCase();
    if (verb === 'move' && sameFolder && name === source.name) return toProviderItem(source, parentId);
    if (verb === 'move' && sameFolder && name.toLowerCase() === source.name.toLowerCase()) {
      return toProviderItem(await this.renameCaseOnly(id, folder, source.name, name), parentId);
    }
    const moved = await this.relocateOnce(verb, id, childPath(folder, name), target.conflict === 'rename');
    return toProviderItem(moved, parentId);
  }

  /** One `move_v2`/`copy_v2` call; the item at its new place. */
  private async relocateOnce(
    verb: 'move' | 'copy',
    from: string,
    to: string,
    autorename: boolean,
  ): Promise<DropboxEntry> {
    const arg = { from_path: from, to_path: to, autorename, allow_ownership_transfer: false };
    const result = await this.api.rpc(
      `${verb === 'move' ? 'moving' : 'copying'} "${from}" to "${to}"`,
      (client) => (verb === 'move' ? client.filesMoveV2(arg) : client.filesCopyV2(arg)),
    );
    return readEntry(expectObject(result, verb).metadata, `the ${verb}d item`);
  }

  /**
   * `a.txt` -> `A.txt`. Dropbox does not rename in case only (move_v2 answers success and changes
   * nothing), so the item goes through a temporary name in the same folder, as rclone does. If the
   * second step fails the item is put back under its old name (best effort) and the error thrown.
   */
  private async renameCaseOnly(id: string, folder: string, from: string, to: string): Promise<DropboxEntry> {
    const temporary = `.skyfold-rename-${randomBytes(6).toString('hex')}`;
    await this.relocateOnce('move', id, childPath(folder, temporary), false);
    try {
      return await this.relocateOnce('move', id, childPath(folder, to), false);
    } catch (error) {
      await this.relocateOnce('move', id, childPath(folder, from), false).catch(() => undefined);
      throw error;
    }
  }

  /** The metadata at a path or id (never the root). Throws not_found (deleted items included). */
  private async metadata(path: string, what: string): Promise<DropboxEntry> {
    const result = await this.api.rpc(`item ${what}`, (client) =>
      client.filesGetMetadata({ path, include_deleted: false }),
    );
    return readEntry(result, what);
  }

  /** The path of the folder `id` (`""` for the root). Throws not_found, invalid_argument (not a folder). */
  private async folderPath(id: string): Promise<string> {
    if (id === this.rootId) return '';
    const entry = await this.metadata(wirePath(id), id);
    if (entry['.tag'] !== 'folder')
      throw new SkyfoldError('invalid_argument', `"${entry.name}" is not a folder`);
    return entryPath(entry);
  }

  /** Throws conflict when something exists at `path`. */
  private async refuseTaken(path: string): Promise<void> {
    try {
      await this.metadata(path, path);
    } catch (error) {
      if (error instanceof SkyfoldError && error.code === 'not_found') return;
      throw error;
    }
    throw new SkyfoldError('conflict', `"${path}" already exists`);
  }

  private parents(): ParentIds {
    return new ParentIds((path) => this.metadata(path, 'a folder'));
  }

  private checkName(name: string): void {
    const problem = this.nameProblem(name);
    if (problem) throw new SkyfoldError('invalid_argument', `cannot use "${name}": ${problem}`);
  }
}

/** Bytes the user may store: an individual allocation, or the user's share of a team's (else the team's). */
function allocatedBytes(allocation: unknown): number | null {
  const record = allocation as Record<string, unknown> | null | undefined;
  if (!record || typeof record !== 'object') return null;
  if (record['.tag'] === 'individual' && typeof record.allocated === 'number') return record.allocated;
  if (record['.tag'] === 'team') {
    const ownShare = record.user_within_team_space_allocated;
    if (typeof ownShare === 'number' && ownShare > 0) return ownShare;
    if (typeof record.allocated === 'number') return record.allocated;
  }
  return null;
}
