/**
 * Dropbox as a Provider, on the official `dropbox` SDK (RPC and upload calls) plus streamed raw
 * downloads (download.ts).
 *
 * Dropbox facts that shape this class (../../../../../shared/reference/cloud-apis.md):
 * - items are addressed by path, but also carry stable ids (`id:...`) that every read accepts: ids
 *   are Skyfold's ids; the root (path `""`, no id) is `dropboxRootId` (see wire.ts). A parent's id
 *   is resolved to its path before anything is created in it;
 * - metadata names the parent by path only: `stat` and the change feed resolve it (parent-ids.ts);
 * - names are unique per folder, case-insensitively (Dropbox's own folding: paths are compared as
 *   its `path_lower`). Creates look at their target first (places.ts): a taken name is a conflict,
 *   or with `rename` numbered "name (2).ext" by the provider itself, never by Dropbox's autorename,
 *   so that every create names a target it found free (Dropbox's own conflict, `add` mode with
 *   `strict_conflict`, still catches a race); nothing is overwritten except by a write with
 *   `replace` (`overwrite` mode);
 * - trash = `delete_v2`: Dropbox keeps deleted items restorable (30+ days); its API restores files
 *   only (`restore`), by path and revision;
 * - writes (upload, create, copy, move, delete) are not repeated blindly when their answer is lost
 *   (api.ts `idempotent: false`): the provider first checks whether the write took effect (the file
 *   with the bytes sent at its target, the folder at its path, the item at its new place, the id
 *   gone), and repeats it only when it did not.
 *
 * Authentication is injected (`AccessTokenSource`); every request goes through the account's pacer
 * (api.ts).
 */
import { randomBytes } from 'node:crypto';
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
import { settle } from '../unconfirmed';
import { DropboxApi, expectObject } from './api';
import { DropboxChangeFeed, defaultMaxChangePages, readPage } from './change-feed';
import { openDownload } from './download';
import type { Thumbnail } from '../thumbnail-image';
import { fetchThumbnail } from './thumbnails';
import { dropboxNameProblem } from './names';
import { ParentIds } from './parent-ids';
import { createAtFreeName, metadataAt, metadataOf, trashById } from './places';
import { TrashedPaths } from './trashed-paths';
import { uploadFile } from './upload';
import {
  childPath,
  clientModified,
  dropboxRootId,
  entryPath,
  isSameOrInside,
  lowerPath,
  parentPath,
  readEntry,
  readFileMetadata,
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
  /**
   * Bytes per upload request: a file up to this size (known or not) goes in one files/upload, a
   * larger one through an upload session in chunks of this size. A whole number of bytes from 1 to
   * 150 MiB (Dropbox's limit per request); multiples of 4 MiB are recommended (Dropbox's block size:
   * each byte is then hashed once). Default 16 MiB.
   */
  uploadChunkSize?: number;
  /** Entries per page of `changeFeed.listAll` (Dropbox's `limit`, 1..2000); default 2000. */
  listAllPageSize?: number;
}

const MiB = 1024 * 1024;
const defaultChunkSize = 16 * MiB;
/** Dropbox's limit on the bytes of one upload request. */
const maxChunkSize = 150 * MiB;
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
    // delete_v2 keeps items restorable; permanently_delete is for team accounts only.
    permanentDelete: false,
    maxPathLength: null,
  };
  readonly changeFeed: DropboxChangeFeed;
  /** Where the items this provider trashed were: what `restore` needs (see TrashedPaths). */
  private readonly trashed = new TrashedPaths();

  private constructor(
    private readonly api: DropboxApi,
    private readonly uploadChunkSize: number,
    listAllPageSize: number,
    readonly pacer: Pacer,
  ) {
    this.changeFeed = new DropboxChangeFeed(
      api,
      (path) => this.metadata(path, 'a folder'),
      defaultMaxChangePages,
      listAllPageSize,
    );
  }

  /**
   * Builds the provider. Does no I/O: sign-in problems surface on the first call (e.g. `about`).
   * Throws invalid_argument for an `uploadChunkSize` outside 1 byte..150 MiB or not whole.
   */
  static async connect(options: DropboxOptions): Promise<DropboxProvider> {
    const chunkSize = options.uploadChunkSize ?? defaultChunkSize;
    if (!Number.isSafeInteger(chunkSize) || chunkSize < 1 || chunkSize > maxChunkSize) {
      throw new SkyfoldError(
        'invalid_argument',
        `uploadChunkSize must be a whole number of bytes from 1 to ${maxChunkSize}, not ${chunkSize}`,
      );
    }
    const pacer =
      options.pacer ?? new Pacer({ maxConcurrency: 4, maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 });
    const api = new DropboxApi({
      apiBaseUrl: options.apiBaseUrl,
      tokens: options.tokens,
      pacer,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    const listAllPageSize = Math.min(
      maxPageSize,
      Math.max(1, Math.floor(options.listAllPageSize ?? maxPageSize)),
    );
    return new DropboxProvider(api, chunkSize, listAllPageSize, pacer);
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
    return this.itemOf(await this.metadata(wirePath(id), id));
  }

  /**
   * One get_metadata of the id-relative path `id:PARENT/name` (`/name` in the root): Dropbox matches
   * it case-insensitively and answers with the stored spelling. A missing parent is not found too.
   */
  async findChildren(parentId: string, name: string): Promise<ProviderItem[]> {
    this.checkName(name);
    let parent: string;
    try {
      parent = wirePath(parentId);
    } catch {
      return []; // not a Dropbox id: no such folder
    }
    const entry = await metadataAt(this.api, childPath(parent, name));
    return entry === null ? [] : [toProviderItem(entry, parentId)];
  }

  /** One download; a range is checked against the size the answer reports (download.ts), not looked up first. */
  async read(id: string, range?: ByteRange): Promise<Readable> {
    if (id === this.rootId) throw new SkyfoldError('invalid_argument', 'the root folder is not a file');
    return openDownload(this.api, wirePath(id), range, `reading ${id}`);
  }

  /** Dropbox's own thumbnail (files/get_thumbnail_v2, thumbnails.ts): one request. */
  async thumbnail(id: string, size: number): Promise<Thumbnail | null> {
    if (id === this.rootId) throw new SkyfoldError('invalid_argument', 'the root folder is not a file');
    return fetchThumbnail(this.api, wirePath(id), size, `the thumbnail of ${id}`);
  }

  async write(
    parentId: string,
    name: string,
    source: Readable,
    options: WriteOptions,
  ): Promise<ProviderItem> {
    let folder: string;
    try {
      this.checkName(name);
      folder = await this.folderPath(parentId);
    } catch (error) {
      source.destroy();
      throw error;
    }
    const path = childPath(folder, name);
    // uploadFile closes the source, whatever happens.
    const metadata = await uploadFile(
      this.api,
      source,
      {
        folder,
        name,
        mode: options.conflict === 'replace' ? 'overwrite' : 'add',
        rename: options.conflict === 'rename',
        ...(options.modifiedAt === undefined ? {} : { clientModified: clientModified(options.modifiedAt) }),
      },
      {
        chunkSize: this.uploadChunkSize,
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
    const folder = await this.folderPath(parentId);
    const created = await createAtFreeName(
      this.api,
      folder,
      name,
      { rename: options.conflict === 'rename', isFolder: true },
      (path) =>
        settle(
          async () => {
            const result = await this.api.rpc(
              `creating "${path}"`,
              (client) => client.filesCreateFolderV2({ path, autorename: false }),
              { idempotent: false },
            );
            const metadata = expectObject(expectObject(result, 'a new folder').metadata, 'a new folder');
            return readEntry({ '.tag': 'folder', ...metadata }, 'a new folder');
          },
          // A lost answer: the folder at the path is the one created.
          async () => {
            const there = await metadataAt(this.api, path);
            return there?.['.tag'] === 'folder' ? there : null;
          },
        ),
    );
    return toProviderItem(created, parentId);
  }

  move(id: string, target: MoveTarget): Promise<ProviderItem> {
    return this.relocate('move', id, target);
  }

  copy(id: string, target: MoveTarget): Promise<ProviderItem> {
    return this.relocate('copy', id, target);
  }

  async trash(id: string): Promise<void> {
    if (id === this.rootId) throw new SkyfoldError('invalid_argument', 'the root folder cannot be trashed');
    const deleted = await trashById(this.api, wirePath(id), `trashing ${id}`);
    if (deleted) this.trashed.remember(id, deleted);
  }

  /**
   * Files only: Dropbox's trash is addressed by path, and its API restores files (`files/restore` of
   * a revision), never folders. The file's last revision comes from `list_revisions` (mode `id`) at
   * the path it was trashed from (remembered by `trash` in this process, see TrashedPaths), else at
   * its id; it is restored there unless something has that name now (conflict: Dropbox's restore
   * would overwrite it; a race with another client remains). Throws permanent for a folder trashed
   * here, not_found when Dropbox has no deleted file for the id (a folder trashed by another process
   * reads so too: the message points to dropbox.com). A live item is returned as it is; a lost
   * answer is checked by the id.
   */
  async restore(id: string): Promise<ProviderItem> {
    const live = await metadataAt(this.api, wirePath(id));
    if (live) return this.itemOf(live);
    const trashed = this.trashed.get(id);
    if (trashed?.folder) {
      throw new SkyfoldError(
        'permanent',
        `Dropbox cannot restore folders through its API: ${restoreAtDropbox(`"${trashed.path}"`)}`,
      );
    }
    // A taken path is refused first: listed there, its revisions would be the newcomer's.
    if (trashed) await this.refuseRestoreOnto(trashed.path);
    const revision = await this.lastRevision(id, trashed?.path ?? id);
    const path = trashed?.path ?? revision.path;
    if (!trashed) await this.refuseRestoreOnto(path);
    const restored = await settle(
      async () =>
        readFileMetadata(
          await this.api.rpc(
            `restoring "${path}"`,
            (client) => client.filesRestore({ path, rev: revision.rev }),
            { idempotent: false },
          ),
          'the restored file',
        ),
      () => metadataAt(this.api, id),
    );
    this.trashed.forget(id);
    return this.itemOf(restored);
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
   * Server-side move (`move_v2`) or copy (`copy_v2`, folders recursively). `rename`: a move lets
   * Dropbox number a taken name (the moved item is found by its id if the answer is lost); a copy
   * goes to a name checked free (places.ts). Moving an item onto its own place returns it unchanged.
   */
  private async relocate(verb: 'move' | 'copy', id: string, target: MoveTarget): Promise<ProviderItem> {
    if (id === this.rootId) throw new SkyfoldError('invalid_argument', `the root folder cannot be ${verb}d`);
    const [source, targetFolder] = await Promise.all([
      this.metadata(wirePath(id), id),
      target.parentId === undefined ? null : this.folder(target.parentId),
    ]);
    const sourceLower = lowerPath(source);
    const currentLower = parentPath(sourceLower);
    const folder = targetFolder ?? { path: parentPath(entryPath(source)), lower: currentLower };
    const name = target.name ?? source.name;
    this.checkName(name);
    if (source['.tag'] === 'folder' && isSameOrInside(folder.lower, sourceLower)) {
      throw new SkyfoldError('invalid_argument', `cannot ${verb} a folder into itself`);
    }
    const parentId = target.parentId ?? (await this.parents().idOf(currentLower));
    const sameFolder = folder.lower === currentLower;
    if (verb === 'copy') {
      const copied = await this.copyOnce(id, source, folder.path, name, target.conflict === 'rename');
      return toProviderItem(copied, parentId);
    }
    if (sameFolder && name === source.name) return toProviderItem(source, parentId);
    if (sameFolder && name.toLowerCase() === source.name.toLowerCase()) {
      return toProviderItem(await this.renameCaseOnly(id, source, folder.path, name), parentId);
    }
    let moved = await this.moveOnce(
      id,
      sourceLower,
      childPath(folder.path, name),
      target.conflict === 'rename',
    );
    // Dropbox folds case its own way: a move it took as case-only leaves the item where it was.
    if (sameFolder && lowerPath(moved) === sourceLower && moved.name !== name) {
      moved = await this.renameCaseOnly(id, moved, folder.path, name);
    }
    return toProviderItem(moved, parentId);
  }

  /**
   * One `move_v2` of the item `id`, now at `fromLower` (its path_lower); the item at its new place.
   * A lost answer is checked by the id: an item no longer at `fromLower` was moved.
   */
  private moveOnce(id: string, fromLower: string, to: string, autorename: boolean): Promise<DropboxEntry> {
    const arg = { from_path: id, to_path: to, autorename, allow_ownership_transfer: false };
    return settle(
      async () => {
        const result = await this.api.rpc(`moving ${id} to "${to}"`, (client) => client.filesMoveV2(arg), {
          idempotent: false,
        });
        return readEntry(expectObject(result, 'move').metadata, 'the moved item');
      },
      async () => {
        const now = await metadataAt(this.api, id);
        return now && lowerPath(now) !== fromLower ? now : null;
      },
    );
  }

  /**
   * `copy_v2` of `source` (the item `id`) to `name` in the folder at `folder`, or beside it with
   * `rename`. A lost answer is checked at the target: a file with the source's content_hash, or a
   * folder, is the copy.
   */
  private copyOnce(
    id: string,
    source: DropboxEntry,
    folder: string,
    name: string,
    rename: boolean,
  ): Promise<DropboxEntry> {
    const isFolder = source['.tag'] === 'folder';
    return createAtFreeName(this.api, folder, name, { rename, isFolder }, (to) =>
      settle(
        async () => {
          const arg = { from_path: id, to_path: to, autorename: false, allow_ownership_transfer: false };
          const result = await this.api.rpc(`copying ${id} to "${to}"`, (client) => client.filesCopyV2(arg), {
            idempotent: false,
          });
          return readEntry(expectObject(result, 'copy').metadata, 'the copied item');
        },
        async () => {
          const there = await metadataAt(this.api, to);
          if (!there || there['.tag'] !== source['.tag']) return null;
          if (there['.tag'] === 'file' && source['.tag'] === 'file') {
            return there.content_hash === source.content_hash ? there : null;
          }
          return there;
        },
      ),
    );
  }

  /**
   * `a.txt` -> `A.txt`. Dropbox does not rename in case only (move_v2 answers success and changes
   * nothing), so the item goes through a temporary name in the same folder, as rclone does. If the
   * second step fails the item is put back under its old name and the error thrown; if that fails
   * too, the error names the temporary path where the item is.
   */
  private async renameCaseOnly(
    id: string,
    source: DropboxEntry,
    folder: string,
    to: string,
  ): Promise<DropboxEntry> {
    const temporary = childPath(folder, `.skyfold-rename-${randomBytes(6).toString('hex')}`);
    const atTemporary = await this.moveOnce(id, lowerPath(source), temporary, false);
    const temporaryLower = lowerPath(atTemporary);
    try {
      return await this.moveOnce(id, temporaryLower, childPath(folder, to), false);
    } catch (error) {
      try {
        await this.moveOnce(id, temporaryLower, childPath(folder, source.name), false);
      } catch (restoreError) {
        const code = error instanceof SkyfoldError ? error.code : 'permanent';
        throw new SkyfoldError(
          code,
          `renaming "${source.name}" to "${to}" failed (${(error as Error).message}) and putting it back ` +
            `failed too (${(restoreError as Error).message}): the item is now at "${entryPath(atTemporary)}"`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  /**
   * The newest revision of the deleted file `id`, listed at `at` (its path or id), and the path it
   * had. Throws not_found (no deleted file there), permanent (a folder); both say where to look.
   */
  private async lastRevision(id: string, at: string): Promise<{ rev: string; path: string }> {
    const hint = restoreAtDropbox('it');
    let listed: unknown;
    try {
      listed = await this.api.rpc(`the revisions of ${id}`, (client) =>
        client.filesListRevisions({ path: at, mode: { '.tag': 'id' }, limit: 1 }),
      );
    } catch (error) {
      if (error instanceof SkyfoldError && error.code === 'invalid_argument') {
        throw new SkyfoldError('permanent', `Dropbox cannot restore folders through its API: ${hint}`);
      }
      if (error instanceof SkyfoldError && error.code === 'not_found') {
        throw new SkyfoldError('not_found', `Dropbox has no deleted file ${id} to restore: ${hint}`);
      }
      throw error;
    }
    const { is_deleted: deleted, entries } = expectObject(listed, 'the revisions');
    const newest = Array.isArray(entries) ? readFileMetadata(entries[0] ?? null, 'a revision') : null;
    if (!deleted || !newest || newest.id !== id) {
      throw new SkyfoldError('not_found', `Dropbox has no deleted file ${id} to restore: ${hint}`);
    }
    return { rev: newest.rev, path: entryPath(newest) };
  }

  /** Throws conflict when something is at `path` (Dropbox's restore would overwrite it). */
  private async refuseRestoreOnto(path: string): Promise<void> {
    if ((await metadataAt(this.api, path)) !== null) {
      throw new SkyfoldError('conflict', `"${path}" exists again: rename it to restore the trashed file`);
    }
  }

  /** A file or folder entry as an item, its parent's id resolved from its path. */
  private async itemOf(entry: DropboxEntry): Promise<ProviderItem> {
    return toProviderItem(entry, await this.parents().idOf(parentPath(lowerPath(entry))));
  }

  /** The metadata at a path or id (never the root). Throws not_found (deleted items included). */
  private metadata(path: string, what: string): Promise<DropboxEntry> {
    return metadataOf(this.api, path, what);
  }

  /** The path of the folder `id` (`""` for the root). Throws not_found, invalid_argument (not a folder). */
  private async folderPath(id: string): Promise<string> {
    return (await this.folder(id)).path;
  }

  /** The folder `id`'s path and path_lower (`""` for the root). Throws not_found, invalid_argument (not a folder). */
  private async folder(id: string): Promise<{ path: string; lower: string }> {
    if (id === this.rootId) return { path: '', lower: '' };
    const entry = await this.metadata(wirePath(id), id);
    if (entry['.tag'] !== 'folder')
      throw new SkyfoldError('invalid_argument', `"${entry.name}" is not a folder`);
    return { path: entryPath(entry), lower: lowerPath(entry) };
  }

  /** Throws conflict when something exists at `path`. */
  private async refuseTaken(path: string): Promise<void> {
    if ((await metadataAt(this.api, path)) !== null) {
      throw new SkyfoldError('conflict', `"${path}" already exists`);
    }
  }

  private parents(): ParentIds {
    return new ParentIds((path) => this.metadata(path, 'a folder'));
  }

  private checkName(name: string): void {
    const problem = this.nameProblem(name);
    if (problem) throw new SkyfoldError('invalid_argument', `cannot use "${name}": ${problem}`);
  }
}

/** Where a user restores what the API cannot: `what` ("it", or a quoted path). */
function restoreAtDropbox(what: string): string {
  return `restore ${what} at dropbox.com (Deleted files)`;
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
