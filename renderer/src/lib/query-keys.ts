/**
 * Query-cache keys, general to specific, so an engine event invalidates exactly what changed:
 * `['list', account, folder, sortBy, direction, page]`, `['stat', account, item]`, `['accounts']`,
 * `['search', text, page]`, `['transfers']` (a search spans every account, so any index change makes it stale).
 */
import type { EngineEvent, Sort } from '../../../common/contract';

export const queryKeys = {
  accounts: () => ['accounts'] as const,
  notices: () => ['notices'] as const,
  listAccount: (accountId: string) => ['list', accountId] as const,
  listFolder: (accountId: string, folderId: string) => ['list', accountId, folderId] as const,
  listPage: (accountId: string, folderId: string, sort: Sort, page: number) =>
    ['list', accountId, folderId, sort.by, sort.direction, page] as const,
  /** The child folders of a folder, by name (the folder tree, breadcrumb menus). */
  subfolders: (accountId: string, folderId: string) => ['list', accountId, folderId, 'folders'] as const,
  /** A folder with its ancestors (listFolder's head, for the folder tree's way to the folder). */
  folderTrail: (accountId: string, folderId: string) => ['list', accountId, folderId, 'trail'] as const,
  /** Every page of the merged view (any account's index change can change it). */
  merged: () => ['merged'] as const,
  mergedPage: (path: string, sort: Sort, page: number) =>
    ['merged', path, sort.by, sort.direction, page] as const,
  /** The merged folder rows inside a merged folder, by name (the folder tree, breadcrumb menus). */
  mergedSubfolders: (path: string) => ['merged', path, 'folders'] as const,
  stat: (accountId: string, itemId: string) => ['stat', accountId, itemId] as const,
  statAccount: (accountId: string) => ['stat', accountId] as const,
  /** The properties panel's itemDetails: under the item's stat, so an index change of its account refreshes it. */
  itemDetails: (accountId: string, itemId: string) => ['stat', accountId, itemId, 'details'] as const,
  /**
   * A text preview's bytes, keyed by the item's version (size and modification time) rather than
   * invalidated by events: they are fetched again only when the file itself changed.
   */
  previewText: (accountId: string, itemId: string, size: number | null, modifiedAt: number | null) =>
    ['preview', accountId, itemId, size, modifiedAt] as const,
  searches: () => ['search'] as const,
  /** Every transfer batch with its jobs (listTransfers). */
  transfers: () => ['transfers'] as const,
  /** The transfer settings (limits, the remembered conflict choice). */
  transferSettings: () => ['transfer-settings'] as const,
  /** Each cloud's OAuth client (getClientSettings). */
  clientSettings: () => ['client-settings'] as const,
  /** The data directory and the index's size: under the accounts, so index changes refresh it. */
  indexInfo: () => ['accounts', 'index-info'] as const,
  /** One page of the results of the search box's `text`. */
  searchPage: (text: string, page: number) => ['search', text, page] as const,
};

/**
 * The key prefixes an engine event makes stale. index-changed also refreshes the account list: each
 * account's item count (shown in the sidebar, live while indexing) comes from the index. Searches
 * go stale on any index change and when accounts come or go (results name their account).
 */
export function keysToInvalidate(event: EngineEvent): ReadonlyArray<readonly unknown[]> {
  switch (event.type) {
    case 'index-changed':
      return [
        queryKeys.listAccount(event.accountId),
        queryKeys.statAccount(event.accountId),
        queryKeys.accounts(),
        queryKeys.merged(),
        queryKeys.searches(),
      ];
    case 'accounts-changed':
      return [queryKeys.accounts(), queryKeys.merged(), queryKeys.searches()];
    case 'notices-changed':
      return [queryKeys.notices()];
    case 'transfers-changed':
      return [queryKeys.transfers()];
    case 'transfer-finished':
      // What arrived shows in the destination's folders (and a move's sources left theirs).
      return 'accountId' in event.batch.destination
        ? [
            queryKeys.transfers(),
            queryKeys.listAccount(event.batch.destination.accountId),
            queryKeys.merged(),
            queryKeys.searches(),
          ]
        : [queryKeys.transfers()];
    default:
      return [];
  }
}
