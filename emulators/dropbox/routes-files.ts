/**
 * Metadata RPC routes on the api host: files/list_folder, list_folder/continue,
 * list_folder/get_latest_cursor, get_metadata, create_folder_v2, delete_v2, copy_v2, move_v2.
 * Arguments and errors follow files.stone (ListFolderArg, GetMetadataArg, CreateFolderArg, DeleteArg,
 * RelocationArg; ListFolderError, GetMetadataError, CreateFolderError, DeleteError, RelocationError).
 */
import type { Router } from '../shared/http';
import { bool, list, optional, string, struct, uint, union, withDefault, required } from './args';
import {
  DEFAULT_LIMIT,
  decodeCursor,
  encodeCursor,
  latestState,
  listPage,
  type CursorState,
} from './changes';
import { BadRequestError, RouteError, lookupFailed, nested, tag } from './errors';
import { deletedMetadata, fileMetadata, folderMetadata, metadata } from './metadata';
import {
  checkSpace,
  freeName,
  hasRoom,
  materialize,
  occupant,
  occupiedError,
  resolveEntry,
  resolveFile,
  samePath,
  writeTarget,
} from './operations';
import { PATTERNS, fold, parsePath } from './paths';
import { registerRoute, type RpcDeps } from './rpc';
import type { DropboxStore } from './store';

const READ = 'files.metadata.read';
const WRITE = 'files.content.write';
/**
 * Copies, moves and deletes touching more entries fail with `too_many_files` (RelocationError,
 * DeleteError; rclone: "There are too many files involved in this operation" past 10,000 files).
 */
const ENTRY_LIMIT = 10_000;

const listFolderArg = struct({
  path: required(string({ pattern: PATTERNS.pathROrId })),
  recursive: withDefault(bool, false),
  include_media_info: withDefault(bool, false),
  include_deleted: withDefault(bool, false),
  include_has_explicit_shared_members: withDefault(bool, false),
  include_mounted_folders: withDefault(bool, true),
  limit: optional(uint(1, 2000)),
  shared_link: optional(struct({ url: required(string()), password: optional(string()) })),
  include_property_groups: optional(union({ filter_some: list(string()) })),
  include_non_downloadable_files: withDefault(bool, true),
  include_restorable_info: withDefault(bool, false),
});

type ListFolderArg = ReturnType<typeof listFolderArg.decode>;

/** The cursor state of a new listing, after checking the folder. */
function listingState(store: DropboxStore, arg: ListFolderArg): Omit<CursorState, 'since' | 'phase'> {
  if (arg.path === '/')
    throw new BadRequestError(
      'request body: path: Specify the root folder as an empty string rather than as "/".',
    );
  if (arg.shared_link) throw lookupFailed('path', 'not_found');
  const folder = resolveEntry(store, arg.path, 'path');
  if (folder.kind !== 'folder') throw lookupFailed('path', 'not_folder');
  const byId = parsePath(arg.path, store.account.namespaceId).kind === 'id';
  return {
    ns: store.account.namespaceId,
    epoch: store.epoch,
    folder: fold(store.pathDisplay(folder)),
    folderId: byId ? folder.id : undefined,
    recursive: arg.recursive,
    includeDeleted: arg.include_deleted,
    sharedMembers: arg.include_has_explicit_shared_members,
    limit: arg.limit ?? DEFAULT_LIMIT,
  };
}

const relocationArg = struct({
  from_path: required(string({ pattern: PATTERNS.writePathOrId })),
  to_path: required(string({ pattern: PATTERNS.writePathOrId })),
  allow_shared_folder: withDefault(bool, false),
  autorename: withDefault(bool, false),
  allow_ownership_transfer: withDefault(bool, false),
});

export function registerFileRoutes(router: Router, deps: RpcDeps): void {
  registerRoute(router, deps, {
    name: 'files/list_folder',
    style: 'rpc',
    scope: READ,
    arg: listFolderArg,
    handle: ({ store, arg }) =>
      listPage(store, { ...listingState(store, arg), since: store.position, phase: 'l' }),
  });

  registerRoute(router, deps, {
    name: 'files/list_folder/continue',
    style: 'rpc',
    scope: READ,
    arg: struct({ cursor: required(string({ min: 1 })) }),
    handle: ({ store, arg }) => listPage(store, decodeCursor(arg.cursor, store)),
  });

  registerRoute(router, deps, {
    name: 'files/list_folder/get_latest_cursor',
    style: 'rpc',
    scope: READ,
    arg: listFolderArg,
    handle: ({ store, arg }) => ({ cursor: encodeCursor(latestState(store, listingState(store, arg))) }),
  });

  registerRoute(router, deps, {
    name: 'files/get_metadata',
    style: 'rpc',
    scope: READ,
    arg: struct({
      path: required(string({ pattern: PATTERNS.readPath })),
      include_media_info: withDefault(bool, false),
      include_deleted: withDefault(bool, false),
      include_has_explicit_shared_members: withDefault(bool, false),
      include_property_groups: optional(union({ filter_some: list(string()) })),
    }),
    handle: ({ store, arg }) => {
      const options = {
        tagged: true,
        sharedMembers: arg.include_has_explicit_shared_members,
        mediaInfo: arg.include_media_info,
      };
      if (arg.path.startsWith('rev:'))
        return fileMetadata(store, resolveFile(store, arg.path, 'path').file, options);
      if (arg.path === '/' || parsePath(arg.path, store.account.namespaceId).kind === 'root')
        throw new BadRequestError('request body: path: The root folder is unsupported.');
      try {
        const entry = resolveEntry(store, arg.path, 'path');
        if (entry === store.root) throw lookupFailed('path', 'malformed_path');
        return metadata(store, entry, options);
      } catch (error) {
        const tombstone = store.tombstone(fold(arg.path));
        if (error instanceof RouteError && arg.include_deleted && tombstone)
          return deletedMetadata(tombstone);
        throw error;
      }
    },
  });

  registerRoute(router, deps, {
    name: 'files/create_folder_v2',
    style: 'rpc',
    scope: WRITE,
    write: true,
    spaceError: true,
    arg: struct({
      path: required(string({ pattern: PATTERNS.writePath })),
      autorename: withDefault(bool, false),
    }),
    handle: ({ store, arg, overQuota }) => {
      const target = writeTarget(store, arg.path, 'path');
      const existing = occupant(store, target);
      if (existing) {
        if (!arg.autorename) throw occupiedError(existing, 'path');
        target.name = freeName(store, target, true);
      }
      checkSpace(store, 0, 'path', overQuota);
      const folder = store.createFolder(materialize(store, target), target.name);
      return { metadata: folderMetadata(store, folder, { tagged: false }) };
    },
  });

  registerRoute(router, deps, {
    name: 'files/delete_v2',
    style: 'rpc',
    scope: WRITE,
    write: true,
    arg: struct({
      path: required(string({ pattern: PATTERNS.writePathOrId })),
      parent_rev: optional(string({ min: 9, pattern: PATTERNS.rev })),
    }),
    handle: ({ store, arg }) => {
      const entry = resolveEntry(store, arg.path, 'path_lookup');
      if (entry === store.root) throw lookupFailed('path_lookup', 'malformed_path');
      if (arg.parent_rev !== undefined) {
        if (entry.kind !== 'file') throw lookupFailed('path_lookup', 'not_file');
        if (entry.rev !== arg.parent_rev)
          throw new RouteError(nested('path_write', nested('conflict', tag('file'))));
      }
      if (store.subtreeSize(entry) > ENTRY_LIMIT) throw new RouteError(tag('too_many_files'));
      const before = metadata(store, entry, { tagged: true });
      store.remove(entry);
      return { metadata: before };
    },
  });

  for (const operation of ['copy', 'move'] as const) {
    registerRoute(router, deps, {
      name: `files/${operation}_v2`,
      style: 'rpc',
      scope: WRITE,
      write: true,
      spaceError: true,
      arg: relocationArg,
      handle: ({ store, arg, overQuota }) => {
        const entry = resolveEntry(store, arg.from_path, 'from_lookup');
        if (entry === store.root) throw lookupFailed('from_lookup', 'malformed_path');
        const target = writeTarget(store, arg.to_path, 'to');
        if (entry.kind === 'folder' && (target.parent === entry || store.isAncestor(entry, target.parent)))
          throw new RouteError(tag('cant_move_folder_into_itself'));
        if (samePath(store, entry, target)) {
          if (operation === 'copy' || target.name === entry.name)
            throw new RouteError(tag('duplicated_or_nested_paths'));
          // files.stone, move:2: "we do not currently support case-only renaming": success, nothing changes.
          return { metadata: metadata(store, entry, { tagged: true }) };
        }
        const existing = occupant(store, target);
        if (existing) {
          if (!arg.autorename) throw occupiedError(existing, 'to');
          target.name = freeName(store, target, entry.kind === 'folder');
        }
        if (store.subtreeSize(entry) > ENTRY_LIMIT) throw new RouteError(tag('too_many_files'));
        // A move needs no room: only a quota fault fails it.
        if (overQuota || (operation === 'copy' && !hasRoom(store, store.subtreeBytes(entry))))
          throw new RouteError(tag('insufficient_quota'));
        if (operation === 'copy') {
          const copy = store.copy(entry, materialize(store, target), target.name);
          return { metadata: metadata(store, copy, { tagged: true }) };
        }
        store.move(entry, materialize(store, target), target.name);
        return { metadata: metadata(store, entry, { tagged: true }) };
      },
    });
  }
}
