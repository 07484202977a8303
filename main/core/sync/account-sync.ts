/**
 * One sync run of one account: brings its index up to date, the cheapest way the provider allows.
 *
 * - With a change feed and a cursor: the changes since the cursor, batch by batch, each batch
 *   committed with the cursor after it (apply-changes.ts). A cursor the service no longer accepts
 *   (Dropbox `reset`, Graph 410 `resyncRequired`, an expired Drive token) means a new crawl.
 * - With a change feed and no cursor (the first sync, `full`, or a reset): a crawl through the feed's
 *   one-listing-of-everything (`ChangeFeed.listAll`), each part committed with the position after it,
 *   so an interrupted crawl resumes there, even after a restart. Rows carry the crawl's generation;
 *   until the listing is complete the previous crawl's rows stay, so the index stays usable during a
 *   resync. At the end, rows the listing did not see (deleted meanwhile) and rows not under the root
 *   (Drive: files shared with the user) are swept, and the cursor taken before the listing began is
 *   stored: the next run replays whatever changed during the crawl.
 * - Without a change feed (local folders): a folder-by-folder crawl (crawl.ts).
 *
 * Errors: whatever the provider throws (transient when offline, needs_reconnect...), or the signal's
 * reason on abort. What was committed before stays committed; repeating the run is always safe.
 */
import { SkyfoldError } from '../../../common/errors';
import type { ItemStore } from '../index/item-store';
import type { SyncStateStore } from '../index/sync-state-store';
import type { ChangeFeed, KnownFolders, Provider, ProviderChange } from '../providers/types';
import { ChangeApplier, type ApplyRules } from './apply-changes';
import { crawlAccount, type CrawlFailure } from './crawl';

/**
 * A crawl commits the parts it has received once they hold `rows` items or `ms` passed since the
 * last commit, whichever comes first: few enough commits to write ~3x faster than one per part,
 * often enough that the UI browses the crawl as it goes and a restart loses at most that much.
 */
export const defaultWriteGroup = { rows: 20_000, ms: 500 };

export interface SyncStores {
  items: ItemStore;
  syncState: SyncStateStore;
}

export interface SyncOptions {
  /** Crawl again even when the change feed could be used. */
  full?: boolean;
  /** During a crawl: called after each part with the number of items written by this crawl. */
  onCrawlProgress?: (itemsWritten: number) => void;
  /** Called after each batch of changes is committed, with the number of changes applied so far. */
  onChanges?: (applied: number) => void;
  signal?: AbortSignal;
  now?: () => number;
  /** When a crawl commits what it received (default `defaultWriteGroup`). */
  writeGroup?: { rows: number; ms: number };
}

export type SyncOutcome =
  | { kind: 'crawl'; itemCount: number; removed: number; failures: CrawlFailure[] }
  | { kind: 'changes'; applied: number; removed: number };

export async function syncAccount(
  accountId: string,
  provider: Provider,
  stores: SyncStores,
  options: SyncOptions = {},
): Promise<SyncOutcome> {
  const feed = provider.changeFeed;
  if (!feed) {
    const result = await crawlAccount(accountId, provider, stores, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.now ? { now: options.now } : {}),
      ...(options.onCrawlProgress ? { onProgress: options.onCrawlProgress } : {}),
    });
    return { kind: 'crawl', ...result };
  }
  const state = stores.syncState.get(accountId);
  if (!options.full && state.cursor !== null && state.crawlNext === null) {
    try {
      return await applyChanges(
        accountId,
        provider,
        feed,
        state.cursor,
        state.crawlGeneration,
        stores,
        options,
      );
    } catch (error) {
      if (!isExpiredCursor(error)) throw error;
      // The service forgot the cursor: crawl again (the index stays as it is until the crawl ends).
    }
  }
  const resumeFrom = options.full ? null : state.crawlNext;
  return crawlThroughFeed(accountId, provider, feed, resumeFrom, stores, options);
}

async function applyChanges(
  accountId: string,
  provider: Provider,
  feed: ChangeFeed,
  start: string,
  generation: number,
  stores: SyncStores,
  options: SyncOptions,
): Promise<SyncOutcome> {
  const applier = new ChangeApplier(accountId, stores.items, generation, applyRules(provider));
  const known = knownFolders(stores.items, accountId, provider.rootId);
  let cursor = start;
  const endBulkWrites = stores.items.beginBulkWrites();
  try {
    for (;;) {
      options.signal?.throwIfAborted();
      const batch = await feed.changesSince(cursor, known);
      options.signal?.throwIfAborted();
      applier.applyBatch(batch.changes, () => stores.syncState.saveCursor(accountId, batch.cursor));
      cursor = batch.cursor;
      if (batch.changes.length > 0) options.onChanges?.(applier.applied);
      if (!batch.more) break;
    }
    const now = (options.now ?? Date.now)();
    const removed = applier.finish(() => stores.syncState.markSynced(accountId, now, cursor));
    return { kind: 'changes', applied: applier.applied, removed };
  } finally {
    endBulkWrites();
  }
}

async function crawlThroughFeed(
  accountId: string,
  provider: Provider,
  feed: ChangeFeed,
  resumeFrom: string | null,
  stores: SyncStores,
  options: SyncOptions,
): Promise<SyncOutcome> {
  const { items, syncState } = stores;
  let from = resumeFrom;
  let generation =
    from === null ? syncState.nextGeneration(accountId) : syncState.get(accountId).crawlGeneration;
  const root = await provider.stat(provider.rootId);
  items.upsert(accountId, [root], generation);
  let written = 1;
  const known = knownFolders(items, accountId, provider.rootId);
  const writeGroup = options.writeGroup ?? defaultWriteGroup;
  const endBulkWrites = items.beginBulkWrites();
  try {
    // Parts are written in groups (see `writeGroup`): one transaction per part of 1,000 rows
    // rewrites most pages of the secondary indexes every time.
    let group: ProviderChange[] = [];
    let groupStarted = performance.now();
    for (;;) {
      options.signal?.throwIfAborted();
      let part: Awaited<ReturnType<ChangeFeed['listAll']>>;
      try {
        part = await feed.listAll(from, known);
      } catch (error) {
        if (from === null || !isExpiredCursor(error)) throw error;
        // The listing cannot resume from there any more: list from the start, in a new generation.
        group = [];
        from = null;
        generation = syncState.nextGeneration(accountId);
        items.upsert(accountId, [root], generation);
        continue;
      }
      options.signal?.throwIfAborted();
      const { next, done } = part;
      group.push(...part.changes);
      const writer = new ChangeApplier(accountId, items, generation, applyRules(provider), false);
      if (!done) {
        from = next;
        if (group.length < writeGroup.rows && performance.now() - groupStarted < writeGroup.ms) continue;
        writer.applyBatch(group, () => syncState.saveCrawlProgress(accountId, next));
        written += group.length;
        group = [];
        groupStarted = performance.now();
        options.onCrawlProgress?.(written);
        continue;
      }
      const now = (options.now ?? Date.now)();
      let removed = 0;
      writer.applyBatch(group, () => {
        removed =
          items.deleteOlderThan(accountId, generation) + items.deleteUnreachable(accountId, provider.rootId);
        syncState.markSynced(accountId, now, next);
      });
      options.onCrawlProgress?.(written + group.length);
      return { kind: 'crawl', itemCount: items.countItems(accountId), removed, failures: [] };
    }
  } finally {
    endBulkWrites();
  }
}

function applyRules(provider: Provider): ApplyRules {
  return {
    rootId: provider.rootId,
    caseInsensitive: provider.features.caseInsensitive,
    duplicateNamesAllowed: provider.features.duplicateNamesAllowed,
  };
}

/** The index's folders, for path-addressed feeds (Dropbox) to find parents without asking the service. */
function knownFolders(items: ItemStore, accountId: string, rootId: string): KnownFolders {
  return {
    folderIdAt(path) {
      let current = rootId;
      for (const name of path) {
        const folder = items
          .childrenNamed(accountId, current, name, { caseInsensitive: true })
          .find((item) => item.kind === 'folder' && item.targetId === null);
        if (!folder) return null;
        current = folder.id;
      }
      return current;
    },
  };
}

/** A cursor or listing position the service no longer accepts (the feeds throw invalid_argument). */
function isExpiredCursor(error: unknown): boolean {
  return error instanceof SkyfoldError && error.code === 'invalid_argument';
}
