/**
 * list_folder paging and the change feed behind list_folder/continue.
 *
 * A cursor is opaque base64url JSON naming: the user's namespace, the store's epoch, the listed
 * folder (path_lower, and its id when listed by id), recursive / include_deleted / limit, the change
 * log position the listing started from, and the phase:
 * - `l` initial listing: entries in pre-order, children sorted by folded name, resuming after the
 *   last path returned (stable under concurrent changes: what changes meanwhile comes in phase `c`);
 * - `t` the listing's deleted entries (`include_deleted`), after the live ones;
 * - `c` changes since the position: each changed path once, in path order (parents first), with its
 *   state now. A path that was deleted and now holds something reads as `deleted` then the entry; a
 *   path deleted below another deleted path is implied and left out. A move is therefore `deleted` at
 *   the old path plus the entry (same `id`) at the new one, and a moved folder brings its subtree.
 * Deletions are reported in phase `c` whatever `include_deleted` says.
 *
 * Cursor errors: text that is not a cursor of this user -> 400 `Invalid "cursor" parameter`; a cursor
 * of another build of the store (before an admin reset, or a restart) -> 409 `reset`; a listed folder
 * that is gone -> 409 `path/not_found` (?); a folder listed by id that moved -> `reset` (?); a listed
 * folder that was deleted (or moved away) and is there again, when the feed cannot say what it lost
 * (a folder above it was deleted, or the cursor is not recursive) -> `reset` (?).
 * list_folder/longpoll (`hasChanges`) agrees: a deletion of the listed folder or of a folder above it
 * is a change, since continue then answers an error.
 */
import { BadRequestError, RouteError, lookupFailed, tag } from './errors';
import { deletedMetadata, metadata } from './metadata';
import { fold } from './paths';
import { compareNames, type DropboxStore, type Entry, type FolderEntry } from './store';

/** Page size when list_folder names no limit (?). */
export const DEFAULT_LIMIT = 2000;

export interface CursorState {
  ns: string;
  epoch: string;
  /** path_lower of the listed folder ('' = root). */
  folder: string;
  /** Set when the folder was listed by `id:`. */
  folderId?: string;
  recursive: boolean;
  includeDeleted: boolean;
  sharedMembers: boolean;
  limit: number;
  /** Change-log position the listing (or the current change window) starts from. */
  since: number;
  phase: 'l' | 't' | 'c';
  /** path_lower of the last entry returned in this phase. */
  after?: string;
  /** End of the change window being paged (phase `c`). */
  until?: number;
}

export function encodeCursor(state: CursorState): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

/** Decodes a cursor of `store`'s user; throws the answers listed in this module's comment. */
export function decodeCursor(text: string, store: DropboxStore): CursorState {
  let state: CursorState | undefined;
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as CursorState;
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      typeof parsed.epoch === 'string' &&
      typeof parsed.since === 'number'
    )
      state = parsed;
  } catch {
    state = undefined;
  }
  if (!state || state.ns !== store.account.namespaceId)
    throw new BadRequestError(`Invalid "cursor" parameter: '${text}'`);
  if (state.epoch !== store.epoch || state.since > store.position) throw new RouteError(tag('reset'));
  return state;
}

/** The listed folder, checked at every continue. */
function listedFolder(store: DropboxStore, state: CursorState): FolderEntry {
  if (state.folderId !== undefined) {
    const entry = store.entryById(state.folderId);
    if (!entry || entry.kind !== 'folder') throw lookupFailed('path', 'not_found');
    if (fold(store.pathDisplay(entry)) !== state.folder) throw new RouteError(tag('reset'));
    return entry;
  }
  const entry = state.folder === '' ? store.root : store.walk(store.root, state.folder.slice(1).split('/'));
  if (!entry || entry.kind !== 'folder') throw lookupFailed('path', 'not_found');
  return entry;
}

export interface ListResult {
  entries: Record<string, unknown>[];
  cursor: string;
  has_more: boolean;
}

/** One page of a listing or of the change feed, from a cursor state. */
export function listPage(store: DropboxStore, state: CursorState): ListResult {
  const folder = listedFolder(store, state);
  const entries: Record<string, unknown>[] = [];
  let next: CursorState = { ...state };
  const render = (entry: Entry) =>
    metadata(store, entry, { tagged: true, sharedMembers: state.sharedMembers });
  if (next.phase === 'l') {
    const walker = walk(store, folder, state);
    let item = walker.next();
    while (!item.done && entries.length < state.limit) {
      entries.push(render(item.value));
      next.after = fold(store.pathDisplay(item.value));
      item = walker.next();
    }
    if (!item.done) return { entries, cursor: encodeCursor(next), has_more: true };
    next = state.includeDeleted ? { ...next, phase: 't', after: undefined } : settled(next, state.since);
  }
  if (next.phase === 't') {
    const tombstones = store
      .tombstonesUnder(next.folder, next.recursive)
      .filter(([lower]) => next.after === undefined || compareNames(lower, next.after) > 0);
    for (const [lower, tombstone] of tombstones) {
      if (entries.length >= state.limit) return { entries, cursor: encodeCursor(next), has_more: true };
      entries.push(deletedMetadata(tombstone));
      next.after = lower;
    }
    next = settled(next, state.since);
  }
  if (entries.length > 0) return { entries, cursor: encodeCursor(next), has_more: false };
  // Phase c: the changes of the window [since, until).
  const until = next.until ?? store.position;
  if (folderReplaced(store, next, until)) throw new RouteError(tag('reset'));
  const changes = changeEntries(store, next, until).filter(
    (c) => next.after === undefined || compareNames(c.order, next.after) > 0,
  );
  for (const change of changes) {
    if (entries.length >= state.limit)
      return { entries, cursor: encodeCursor({ ...next, until }), has_more: true };
    entries.push(change.metadata);
    next.after = change.order;
  }
  return { entries, cursor: encodeCursor(settled(next, until)), has_more: false };
}

function settled(state: CursorState, position: number): CursorState {
  return { ...state, phase: 'c', since: position, after: undefined, until: undefined };
}

/** A cursor that has seen everything up to now (get_latest_cursor). */
export function latestState(store: DropboxStore, base: Omit<CursorState, 'since' | 'phase'>): CursorState {
  return { ...base, since: store.position, phase: 'c' };
}

/** Whether continue would return something, or an error (list_folder/longpoll). */
export function hasChanges(store: DropboxStore, state: CursorState): boolean {
  if (state.phase !== 'c' || state.until !== undefined) return true;
  const inScope = scope(state);
  return store
    .eventsSince(state.since)
    .some(
      (event) => inScope(event.pathLower) || (event.deleted && isAtOrAbove(event.pathLower, state.folder)),
    );
}

/** Whether `path` is `folder` or one of the folders above it ('' = the root is above everything). */
function isAtOrAbove(path: string, folder: string): boolean {
  return path === folder || folder.startsWith(`${path}/`);
}

/**
 * Whether the window [since, until) deleted the listed folder in a way its changes cannot describe:
 * a folder above it was deleted (the subtree it lost is not in scope), or the folder itself was and
 * the cursor is not recursive (its deletion is not in scope). Only asked while the folder exists.
 */
function folderReplaced(store: DropboxStore, state: CursorState, until: number): boolean {
  return store
    .eventsSince(state.since)
    .slice(0, until - state.since)
    .some(
      (event) =>
        event.deleted &&
        isAtOrAbove(event.pathLower, state.folder) &&
        (event.pathLower !== state.folder || !state.recursive),
    );
}

function scope(state: CursorState): (pathLower: string) => boolean {
  const prefix = `${state.folder}/`;
  return (path) => {
    if (state.recursive) return path === state.folder || path.startsWith(prefix);
    return path.startsWith(prefix) && !path.slice(prefix.length).includes('/');
  };
}

interface ChangeEntry {
  /** Sort and resume key: the path, with a suffix keeping `deleted` before the new entry. */
  order: string;
  metadata: Record<string, unknown>;
}

function changeEntries(store: DropboxStore, state: CursorState, until: number): ChangeEntry[] {
  const inScope = scope(state);
  const changed = new Map<string, { deletedDisplay: string | undefined }>();
  for (const event of store.eventsSince(state.since).slice(0, until - state.since)) {
    if (!inScope(event.pathLower)) continue;
    const known = changed.get(event.pathLower) ?? { deletedDisplay: undefined };
    if (event.deleted) known.deletedDisplay ??= event.pathDisplay;
    changed.set(event.pathLower, known);
  }
  const deletedPaths = new Set(
    [...changed].filter(([, c]) => c.deletedDisplay !== undefined).map(([p]) => p),
  );
  const impliedByAncestor = (path: string) => {
    for (let cut = path.lastIndexOf('/'); cut > 0; cut = path.lastIndexOf('/', cut - 1))
      if (deletedPaths.has(path.slice(0, cut))) return true;
    return false;
  };
  const out: ChangeEntry[] = [];
  for (const [path, change] of [...changed].sort(([a], [b]) => compareNames(a, b))) {
    const current = store.walk(store.root, path.slice(1).split('/'));
    const implied = impliedByAncestor(path);
    if (change.deletedDisplay !== undefined && !implied) {
      const display = change.deletedDisplay;
      out.push({
        order: `${path}\u0000`,
        metadata: deletedMetadata({
          name: display.slice(display.lastIndexOf('/') + 1),
          pathDisplay: display,
        }),
      });
    }
    if (current)
      out.push({
        order: `${path}\u0001`,
        metadata: metadata(store, current, { tagged: true, sharedMembers: state.sharedMembers }),
      });
  }
  return out;
}

/** Entries of a listing in pre-order (children by folded name), resuming after `state.after`. */
function* walk(store: DropboxStore, folder: FolderEntry, state: CursorState): Generator<Entry> {
  const base = state.folder;
  if (state.after === undefined && state.recursive && folder !== store.root) yield folder;
  const after =
    state.after === undefined || state.after === base
      ? undefined
      : state.after.slice(base.length + 1).split('/');
  yield* walkFrom(store, folder, after, state.recursive);
}

function* walkFrom(
  store: DropboxStore,
  folder: FolderEntry,
  after: readonly string[] | undefined,
  recursive: boolean,
): Generator<Entry> {
  const children = store.children(folder);
  let index = 0;
  if (after !== undefined && after.length > 0) {
    const first = after[0] as string;
    index = lowerBound(children, first);
    const child = children[index];
    if (child && fold(child.name) === first) {
      if (recursive && child.kind === 'folder')
        yield* walkFrom(store, child, after.length > 1 ? after.slice(1) : undefined, recursive);
      index++;
    }
  }
  for (; index < children.length; index++) {
    const child = children[index] as Entry;
    yield child;
    if (recursive && child.kind === 'folder') yield* walkFrom(store, child, undefined, recursive);
  }
}

/** First index whose folded name is >= `name`. */
function lowerBound(children: readonly Entry[], name: string): number {
  let low = 0;
  let high = children.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (compareNames(fold((children[middle] as Entry).name), name) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}
