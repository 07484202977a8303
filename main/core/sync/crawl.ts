/**
 * A full crawl of one account into the index: every folder listed (a few at a time), pages written
 * as they arrive so the UI can browse while it runs, then rows no longer present swept away. Until
 * the sweep, the previous crawl's rows stay visible: an interrupted crawl leaves a usable index.
 *
 * Pages are idempotent upserts, so a repeated crawl is harmless. A folder that vanishes during the crawl is simply gone; a folder that cannot be read (permission,
 * retries spent) keeps its last known content and is reported in `failures`, so one bad folder
 * neither aborts the crawl nor blocks deletions elsewhere. Only a failure on the root is fatal.
 */
import { SkyfoldError } from '../../../common/errors';
import type { ItemStore } from '../index/item-store';
import type { SyncStateStore } from '../index/sync-state-store';
import type { Provider } from '../providers/types';

export interface CrawlOptions {
  /** Folders listed at once. */
  concurrency?: number;
  pageSize?: number;
  /** Called after each page is written, with the number of items written so far. */
  onProgress?: (itemsWritten: number) => void;
  /** Stops the crawl between pages (rejects with the signal's reason); nothing is swept. */
  signal?: AbortSignal;
  now?: () => number;
}

export interface CrawlFailure {
  folderId: string;
  message: string;
}

export interface CrawlResult {
  /** Items in the index for the account after the crawl. */
  itemCount: number;
  removed: number;
  failures: CrawlFailure[];
}

/** Crawls `provider` into the index for `accountId`. Safe to repeat; throws when the root cannot be read or on abort. */
export async function crawlAccount(
  accountId: string,
  provider: Provider,
  stores: { items: ItemStore; syncState: SyncStateStore },
  options: CrawlOptions = {},
): Promise<CrawlResult> {
  const { signal } = options;
  signal?.throwIfAborted();
  const generation = stores.syncState.nextGeneration(accountId);
  const root = await provider.stat(provider.rootId);
  stores.items.upsert(accountId, [root], generation);
  let itemsWritten = 1;
  const failures: CrawlFailure[] = [];

  const pending: string[] = [root.id];
  const queued = new Set<string>(pending);
  const concurrency = Math.max(1, options.concurrency ?? 4);
  let active = 0;
  let fatal: unknown = null;

  const listFolderInto = async (folderId: string): Promise<void> => {
    // Providers retry their own requests (each has its account's pacer); a failure here is final.
    for await (const page of provider.list(folderId, { pageSize: options.pageSize ?? 1000 })) {
      signal?.throwIfAborted();
      stores.items.upsert(accountId, page, generation);
      for (const item of page) {
        // Shortcuts are not descended into: their targets are crawled where they live.
        if (item.kind === 'folder' && item.targetId === null && !queued.has(item.id)) {
          queued.add(item.id);
          pending.push(item.id);
        }
      }
      itemsWritten += page.length;
      options.onProgress?.(itemsWritten);
    }
  };

  const handleFailure = (folderId: string, error: unknown): void => {
    if (signal?.aborted || folderId === root.id) {
      fatal ??= signal?.aborted ? signal.reason : error;
    } else if (!(error instanceof SkyfoldError && error.code === 'not_found')) {
      failures.push({ folderId, message: error instanceof Error ? error.message : String(error) });
    }
    // not_found: the folder went away during the crawl; the sweep removes it.
  };

  await new Promise<void>((resolve) => {
    const pump = (): void => {
      while (fatal === null && active < concurrency && pending.length > 0) {
        const folderId = pending.shift()!;
        active++;
        listFolderInto(folderId)
          .catch((error: unknown) => handleFailure(folderId, error))
          .finally(() => {
            active--;
            pump();
          });
      }
      if (active === 0 && (fatal !== null || pending.length === 0)) resolve();
    };
    pump();
  });
  if (fatal !== null) throw fatal;

  for (const failure of failures) stores.items.keepSubtree(accountId, failure.folderId, generation);
  const removed = stores.items.deleteOlderThan(accountId, generation);
  stores.syncState.markSynced(accountId, (options.now ?? Date.now)());
  return { itemCount: stores.items.countItems(accountId), removed, failures };
}
