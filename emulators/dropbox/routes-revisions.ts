/**
 * File revisions: files/list_revisions (ListRevisionsArg -> ListRevisionsResult, ListRevisionsError)
 * and files/restore (RestoreArg -> FileMetadata, RestoreError), per files.stone.
 *
 * list_revisions finds "the latest file entry at the given file path or id": the live file there, else
 * (deleted, or moved away) the newest kept revision at that path, or of that id. `path` mode lists the
 * kept revisions that were at that path (of any file, newest first), `id` mode those of that file
 * across moves. `is_deleted`: no live file at the path (`path`) or the id is deleted (`id`);
 * `server_deleted`: when it was deleted (absent after a move (?)). Entries are FileMetadata (no `.tag`)
 * as each revision was (its own path); `is_restorable: true` with `include_restorable_info` (every kept
 * revision can be restored). `before_rev` (path mode only, else `before_rev_not_supported`) must be
 * one of the listed revisions, else `invalid_before_rev` (?).
 *
 * restore writes the revision's content to `path` as a NEW revision (a change for the feed): over the
 * file there (same id), or as a new file when the path is free (missing folders are created), taking
 * back the revision's file id when no live item has it (a deleted file comes back as itself) (?).
 * `client_modified` is the revision's (?). Like uploads, a file there with the same content is not
 * written (its metadata comes back) (?). Errors: `invalid_revision` (unknown or forgotten rev),
 * `path_write/...` (WriteError: a folder there, `malformed_path`, `disallowed_name`, `file_ancestor`,
 * `insufficient_space`); `path_lookup` and `in_progress` are never answered (a restore completes at
 * once) (?).
 */
import type { Router } from '../shared/http';
import { bool, optional, required, string, struct, uint, voidUnion, withDefault } from './args';
import { contentSize } from './content';
import { RouteError, lookupFailed, tag } from './errors';
import { dropboxTime, fileMetadata } from './metadata';
import { checkSpace, materialize, occupant, occupiedError, writeTarget } from './operations';
import { PATTERNS, fold, parsePath } from './paths';
import { registerRoute, type RpcDeps } from './rpc';
import type { DropboxStore, FileEntry, FileVersion } from './store';

const listRevisionsArg = struct({
  path: required(string({ pattern: PATTERNS.pathOrId })),
  mode: withDefault(voidUnion(['path', 'id'] as const), 'path'),
  limit: withDefault(uint(1, 100), 10),
  before_rev: optional(string({ min: 9, pattern: PATTERNS.rev })),
  include_restorable_info: withDefault(bool, false),
});

const restoreArg = struct({
  path: required(string({ pattern: PATTERNS.writePath })),
  rev: required(string({ min: 9, pattern: PATTERNS.rev })),
});

/** The latest file entry at a path or id: the live file, or the newest kept revision there. */
interface LatestFile {
  version: FileVersion;
  live: FileEntry | undefined;
}

export function registerRevisionRoutes(router: Router, deps: RpcDeps): void {
  registerRoute(router, deps, {
    name: 'files/list_revisions',
    style: 'rpc',
    scope: 'files.metadata.read',
    arg: listRevisionsArg,
    handle: ({ store, arg }) => {
      const latest = latestFile(store, arg.path);
      if (arg.mode === 'id' && arg.before_rev !== undefined)
        throw new RouteError(tag('before_rev_not_supported'));
      const pathLower = fold(latest.version.pathDisplay);
      let versions = withLive(
        store,
        arg.mode === 'id' ? store.history.ofFile(latest.version.id) : store.history.atPath(pathLower),
        latest.live,
      );
      if (arg.before_rev !== undefined) {
        const index = versions.findIndex((v) => v.rev === arg.before_rev);
        if (index < 0) throw new RouteError(tag('invalid_before_rev'));
        versions = versions.slice(index + 1);
      }
      const deleted = latest.live === undefined;
      const serverDeleted = !deleted
        ? undefined
        : arg.mode === 'id'
          ? store.history.deletionTime(latest.version.id)
          : store.tombstone(pathLower)?.serverDeleted;
      const entries = versions.slice(0, arg.limit).map((version) => {
        const entry = fileMetadata(store, version, { tagged: false });
        if (arg.include_restorable_info) entry.is_restorable = true;
        return entry;
      });
      return {
        is_deleted: deleted,
        ...(serverDeleted === undefined ? {} : { server_deleted: dropboxTime(serverDeleted) }),
        entries,
        has_more: versions.length > arg.limit,
      };
    },
  });

  registerRoute(router, deps, {
    name: 'files/restore',
    style: 'rpc',
    scope: 'files.content.write',
    write: true,
    spaceError: true,
    arg: restoreArg,
    handle: ({ store, arg, overQuota }) => {
      const target = writeTarget(store, arg.path, 'path_write');
      const version = store.fileByRev(arg.rev);
      if (!version) throw new RouteError(tag('invalid_revision'));
      const existing = occupant(store, target);
      if (existing?.kind === 'folder') throw occupiedError(existing, 'path_write');
      const size = contentSize(version.content);
      if (existing) {
        if (store.contentHash(existing) === store.contentHash(version))
          return fileMetadata(store, existing, { tagged: false });
        checkSpace(store, size - contentSize(existing.content), 'path_write', overQuota);
        store.overwrite(existing, version.content, version.clientModified);
        return fileMetadata(store, existing, { tagged: false });
      }
      checkSpace(store, size, 'path_write', overQuota);
      const parent = materialize(store, target);
      const file = store.createFile(
        parent,
        target.name,
        version.content,
        { clientModified: version.clientModified, serverModified: store.now() },
        { id: store.entryById(version.id) ? undefined : version.id },
      );
      return fileMetadata(store, file, { tagged: false });
    },
  });
}

/** Resolves list_revisions' path (PathOrId); LookupErrors under `path`. */
function latestFile(store: DropboxStore, text: string): LatestFile {
  const parsed = parsePath(text, store.account.namespaceId);
  if (parsed.kind === 'malformed') throw lookupFailed('path', 'malformed_path');
  if (parsed.kind === 'root') throw lookupFailed('path', 'not_file');
  if (parsed.kind !== 'path' && parsed.kind !== 'id') throw lookupFailed('path', 'not_found');
  const base = parsed.kind === 'path' ? store.root : store.entryById(parsed.id);
  const rest = parsed.kind === 'path' ? parsed.components : parsed.rest;
  const entry = base && store.walk(base, rest);
  if (entry?.kind === 'folder') throw lookupFailed('path', 'not_file');
  if (entry) return { version: store.version(entry), live: entry };
  // Nothing live there: the newest kept revision at that path, or of that (deleted) file id.
  const newest =
    parsed.kind === 'path'
      ? store.history.atPath(fold(`/${rest.join('/')}`))[0]
      : rest.length === 0
        ? store.history.ofFile(parsed.id)[0]
        : undefined;
  if (!newest) throw lookupFailed('path', 'not_found');
  return { version: newest, live: undefined };
}

/** The kept revisions plus the live file's current one when it has not entered the history (a seeded file). */
function withLive(store: DropboxStore, versions: FileVersion[], live: FileEntry | undefined): FileVersion[] {
  if (!live || versions.some((v) => v.rev === live.rev)) return versions;
  return [store.version(live), ...versions];
}
