/**
 * Re-reads single folders into the index (a local folder's watcher names the folders whose content
 * changed): each folder's children are listed and written, children no longer there are removed
 * with everything under them, and folders new to the index are read the same way, all the way down.
 * Folders that went away are removed from the index. Safe to repeat.
 */
import { SkyfoldError } from '../../../common/errors';
import type { Provider } from '../providers/types';
import type { SyncStores } from './account-sync';

export interface RefreshResult {
  written: number;
  removed: number;
}

/** Refreshes `folderIds` of the account in turn. Throws what the provider throws (except not_found), or on abort. */
export async function refreshFolders(
  accountId: string,
  provider: Provider,
  stores: SyncStores,
  folderIds: Iterable<string>,
  options: { signal?: AbortSignal } = {},
): Promise<RefreshResult> {
  const result: RefreshResult = { written: 0, removed: 0 };
  const generation = stores.syncState.get(accountId).crawlGeneration;
  const pending = [...new Set(folderIds)];
  while (pending.length > 0) {
    options.signal?.throwIfAborted();
    const folderId = pending.pop()!;
    const known = new Set(stores.items.childIds(accountId, folderId));
    const seen = new Set<string>();
    try {
      for await (const page of provider.list(folderId)) {
        options.signal?.throwIfAborted();
        stores.items.upsert(accountId, page, generation);
        result.written += page.length;
        for (const item of page) {
          seen.add(item.id);
          if (item.kind === 'folder' && item.targetId === null && !known.has(item.id)) pending.push(item.id);
        }
      }
    } catch (error) {
      if (!(error instanceof SkyfoldError && error.code === 'not_found')) throw error;
      if (folderId !== provider.rootId) result.removed += stores.items.deleteSubtree(accountId, folderId);
      continue;
    }
    for (const id of known) {
      if (!seen.has(id)) result.removed += stores.items.deleteSubtree(accountId, id);
    }
  }
  return result;
}
