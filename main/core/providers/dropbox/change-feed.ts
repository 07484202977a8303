/**
 * Dropbox's change feed: a recursive listing cursor of the whole account
 * (https://www.dropbox.com/developers/documentation/http/documentation#files-list_folder-continue).
 *
 * - `listAll`: the first crawl, one request per part: `list_folder` on the root (recursive, deleted
 *   entries left out, `listAllLimit` entries a page), then `list_folder/continue` from the cursor
 *   handed out as `next`; when `has_more` is false the cursor is already one for the change feed
 *   (changes made during the listing come through it). Parents are resolved from `path_lower` by
 *   one ParentIds kept for the whole listing (the listing names folders before their content, so a
 *   crawl looks nothing up); a listing resumed from a cursor this instance did not hand out (after
 *   a restart) looks up the parents it does not know;
 * - `startCursor`: `list_folder/get_latest_cursor` on the root, recursive, deleted entries included;
 * - `changesSince`: `list_folder/continue` until `has_more` is false, or `maxPages` pages (then
 *   the batch so far is returned with the cursor reached: the caller asks again from there, and
 *   memory stays bounded). Files and folders become upserts (their parent's id resolved from
 *   `path_lower`: folders of the same batch are remembered, the others of a page looked up
 *   together); deleted entries, which carry no id, become `removePath` with the names from the root
 *   (`path_display`). A move arrives as a deletion at the old path plus the item, same id, at the
 *   new one. An entry whose parent folder no longer exists (gone, or replaced by a file) is left
 *   out: the parent's own removal follows in the feed. A cursor Dropbox resets (409 `reset`) throws
 *   invalid_argument;
 * - `waitForChanges`: `list_folder/longpoll`, Dropbox's push: returns when something changed or
 *   the timeout passed, with the backoff Dropbox asks for.
 */
import type { files } from 'dropbox';
import { SkyfoldError } from '../../../../common/errors';
import type { ChangeFeed, KnownFolders, ProviderChange } from '../types';
import { expectObject, type DropboxApi } from './api';
import { ParentIds } from './parent-ids';
import {
  entryPath,
  lowerPath,
  parentPath,
  pathNames,
  readEntry,
  toProviderItem,
  type DropboxEntry,
} from './wire';

/** Pages read by one `changesSince` call (up to 2000 entries each) before it returns what it has. */
export const defaultMaxChangePages = 50;
/** Entries per `listAll` part: Dropbox's largest list_folder page. */
export const defaultListAllLimit = 2000;
/** Dropbox's bounds for a longpoll's timeout, in seconds. */
const minLongpollSeconds = 30;
const maxLongpollSeconds = 480;

export class DropboxChangeFeed implements ChangeFeed {
  constructor(
    private readonly api: DropboxApi,
    /** The metadata at a path (or id); throws not_found. */
    private readonly lookup: (path: string) => Promise<DropboxEntry>,
    private readonly maxPages = defaultMaxChangePages,
    /** Entries per `listAll` page (Dropbox's `limit`, 1..2000; approximate). */
    private readonly listAllLimit = defaultListAllLimit,
  ) {}

  /**
   * The listing in progress: the folders it has seen, for the cursors of its last call (the one it
   * went on from, so that a repeated call finds them too, and the one it handed out).
   */
  private listing: { cursors: readonly string[]; parents: ParentIds } | null = null;

  /**
   * Every file and folder of the account, a page of a recursive list_folder per call (see the
   * module comment). Safe to repeat; invalid_argument for a cursor Dropbox reset or refuses.
   */
  async listAll(
    from: string | null,
    known?: KnownFolders,
  ): Promise<{ changes: ProviderChange[]; next: string; done: boolean }> {
    const listed = from !== null && this.listing?.cursors.includes(from) ? this.listing.parents : null;
    const parents = listed ?? new ParentIds(this.lookup, known);
    const page = readPage(
      await this.api.rpc('listing the whole account', (client) =>
        from === null
          ? client.filesListFolder({
              path: '',
              recursive: true,
              include_deleted: false,
              limit: this.listAllLimit,
            })
          : client.filesListFolderContinue({ cursor: from }),
      ),
    );
    await parents.prefetch(parentsToLookUp(page.entries));
    // Deleted entries (the listing ran on into changes made meanwhile) are removals, in order.
    const changes: ProviderChange[] = [];
    for (const entry of page.entries) {
      const change = await toChange(entry, parents);
      if (change) changes.push(change);
    }
    if (!page.hasMore) {
      this.listing = null;
      return { changes, next: page.next, done: true };
    }
    if (page.next === from)
      throw new SkyfoldError('permanent', 'Dropbox repeated a cursor (the listing would never end)');
    this.listing = { cursors: from === null ? [page.next] : [from, page.next], parents };
    return { changes, next: page.next, done: false };
  }

  /** A cursor for "now" over the whole account. Safe to repeat. */
  async startCursor(): Promise<string> {
    const result = await this.api.rpc('the change feed', (client) =>
      client.filesListFolderGetLatestCursor({ path: '', recursive: true, include_deleted: true }),
    );
    const { cursor } = expectObject(result, 'the change feed');
    if (typeof cursor !== 'string') throw new SkyfoldError('permanent', 'Dropbox sent no cursor');
    return cursor;
  }

  /**
   * The changes since `cursor`, oldest first, and the next cursor: every change, or those of the
   * first `maxPages` pages with `more: true` (call again at once with the cursor returned).
   * Safe to repeat; invalid_argument on a reset cursor.
   */
  async changesSince(
    cursor: string,
    known?: KnownFolders,
  ): Promise<{ changes: ProviderChange[]; cursor: string; more: boolean }> {
    const parents = new ParentIds(this.lookup, known);
    const changes: ProviderChange[] = [];
    let current = cursor;
    for (let pages = 1; ; pages++) {
      const page = await this.api.rpc('the change feed', (client) =>
        client.filesListFolderContinue({ cursor: current }),
      );
      const { entries, next, hasMore } = readPage(page);
      await parents.prefetch(parentsToLookUp(entries));
      for (const entry of entries) {
        const change = await toChange(entry, parents);
        if (change) changes.push(change);
      }
      if (!hasMore) return { changes, cursor: next, more: false };
      if (next === current)
        throw new SkyfoldError('permanent', 'Dropbox repeated a cursor (the feed would never end)');
      if (pages >= this.maxPages) return { changes, cursor: next, more: true };
      current = next;
    }
  }

  /**
   * Waits (up to `timeoutSeconds`, clamped to Dropbox's 30..480; Dropbox may add up to 90 s of
   * jitter) until something changed after `cursor`. `backoffSeconds`: how long to wait before the
   * next call, when Dropbox says. Resolves `{changed: false}` when `signal` aborts. Throws mapped
   * errors (invalid_argument for a reset cursor); it is not retried here.
   */
  async waitForChanges(
    cursor: string,
    options: { timeoutSeconds?: number; signal?: AbortSignal } = {},
  ): Promise<{ changed: boolean; backoffSeconds: number | null }> {
    const timeout = Math.round(
      Math.min(
        maxLongpollSeconds,
        Math.max(minLongpollSeconds, options.timeoutSeconds ?? minLongpollSeconds),
      ),
    );
    let result: files.ListFolderLongpollResult;
    try {
      result = await this.api.unauthenticated('waiting for changes', (client) =>
        client.filesListFolderLongpoll({ cursor, timeout }, options.signal ? { signal: options.signal } : {}),
      );
    } catch (error) {
      if (options.signal?.aborted) return { changed: false, backoffSeconds: null };
      throw error;
    }
    const { changes, backoff } = expectObject(result, 'waiting for changes');
    if (typeof changes !== 'boolean' || (backoff !== undefined && typeof backoff !== 'number')) {
      throw new SkyfoldError('permanent', 'Dropbox sent a malformed longpoll answer');
    }
    return { changed: changes, backoffSeconds: backoff ?? null };
  }
}

/** A list_folder page, checked. Throws permanent when malformed. */
export function readPage(value: unknown): { entries: DropboxEntry[]; next: string; hasMore: boolean } {
  const page = expectObject(value, 'a listing');
  if (!Array.isArray(page.entries) || typeof page.cursor !== 'string' || typeof page.has_more !== 'boolean') {
    throw new SkyfoldError('permanent', 'Dropbox sent a malformed listing page');
  }
  return {
    entries: page.entries.map((entry) => readEntry(entry, 'a listed item')),
    next: page.cursor,
    hasMore: page.has_more,
  };
}

/**
 * The parent folders (path_lower) of a page's files and folders that neither a folder of the page
 * itself names: the ones to look up (ParentIds.prefetch skips those already known).
 */
function parentsToLookUp(entries: readonly DropboxEntry[]): string[] {
  const listed = new Set<string>();
  const needed: string[] = [];
  for (const entry of entries) {
    if (entry['.tag'] === 'deleted') continue;
    const parent = parentPath(lowerPath(entry));
    if (!listed.has(parent)) needed.push(parent);
    if (entry['.tag'] === 'folder') listed.add(lowerPath(entry));
  }
  return needed;
}

async function toChange(entry: DropboxEntry, parents: ParentIds): Promise<ProviderChange | null> {
  const lower = lowerPath(entry);
  if (entry['.tag'] === 'deleted') {
    parents.forget(lower);
    return { kind: 'removePath', path: pathNames(entryPath(entry)) };
  }
  if (entry['.tag'] === 'folder') parents.remember(lower, entry.id);
  let parentId: string;
  try {
    parentId = await parents.idOf(parentPath(lower));
  } catch (error) {
    if (error instanceof SkyfoldError && error.code === 'not_found') return null;
    throw error;
  }
  return { kind: 'upsert', item: toProviderItem(entry, parentId) };
}
