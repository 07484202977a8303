/**
 * A full crawl of one account into the index: every folder listed (a few at a time), pages written
 * as they arrive so the UI can browse while it runs, then rows no longer present swept away. Until
 * the sweep, the previous crawl's rows stay visible: an interrupted crawl leaves a usable index.
 */
import type { ItemStore } from '../index/item-store';
import type { SyncStateStore } from '../index/sync-state-store';
import type { Pacer } from '../providers/pacer';
import type { Provider } from '../providers/types';

export interface CrawlOptions {
  /** Folders listed at once. */
  concurrency?: number;
  pageSize?: number;
  /** Called after each page is written, with the number of items seen so far. */
  onProgress?: (itemsSeen: number) => void;
  now?: () => number;
}

export interface CrawlResult {
  itemsSeen: number;
  removed: number;
}

/** Crawls `provider` into the index for `accountId`. Safe to repeat; throws what the provider throws. */
export async function crawlAccount(
  accountId: string,
  provider: Provider,
  pacer: Pacer,
  stores: { items: ItemStore; syncState: SyncStateStore },
  options: CrawlOptions = {},
): Promise<CrawlResult> {
  const generation = stores.syncState.nextGeneration(accountId);
  const root = await pacer.call(() => provider.stat(provider.rootId));
  stores.items.upsert(accountId, [root], generation);
  let itemsSeen = 1;

  const pending: string[] = [root.id];
  const queued = new Set<string>(pending);
  const concurrency = Math.max(1, options.concurrency ?? 4);
  let active = 0;
  let failure: unknown = null;

  await new Promise<void>((resolve) => {
    const pump = (): void => {
      if (failure !== null || (pending.length === 0 && active === 0)) {
        if (active === 0) resolve();
        return;
      }
      while (failure === null && active < concurrency && pending.length > 0) {
        const folderId = pending.shift()!;
        active++;
        listFolderInto(folderId)
          .catch((error: unknown) => {
            failure ??= error;
          })
          .finally(() => {
            active--;
            pump();
          });
      }
    };
    const listFolderInto = async (folderId: string): Promise<void> => {
      // A listing is restarted whole on a retryable failure: pages are idempotent upserts.
      await pacer.call(async () => {
        for await (const page of provider.list(folderId, { pageSize: options.pageSize ?? 1000 })) {
          stores.items.upsert(accountId, page, generation);
          for (const item of page) {
            if (item.kind === 'folder' && !queued.has(item.id)) {
              queued.add(item.id);
              pending.push(item.id);
            }
          }
          itemsSeen += page.length;
          options.onProgress?.(itemsSeen);
        }
      });
    };
    pump();
  });
  if (failure !== null) throw failure;

  const removed = stores.items.deleteOlderThan(accountId, generation);
  stores.syncState.markSynced(accountId, (options.now ?? Date.now)());
  return { itemsSeen, removed };
}
