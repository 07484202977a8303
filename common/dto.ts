/** Data shapes that cross process boundaries. Plain JSON: no classes, no Dates (times are epoch ms). */

export const providerKinds = ['local', 'gdrive', 'dropbox', 'onedrive'] as const;
export type ProviderKind = (typeof providerKinds)[number];

/** Human names of the providers. */
export const providerLabels: Record<ProviderKind, string> = {
  local: 'Local folder',
  gdrive: 'Google Drive',
  dropbox: 'Dropbox',
  onedrive: 'OneDrive',
};
/** The clouds Skyfold can sign in to, in the order the "Add account" dialog offers them. */
export const cloudProviderKinds = ['gdrive', 'dropbox', 'onedrive'] as const;
export type CloudProviderKind = (typeof cloudProviderKinds)[number];

/** Whose sign-in page and API a cloud is ("Open the Google sign-in page"). */
export const cloudOwners: Record<CloudProviderKind, string> = {
  gdrive: 'Google',
  dropbox: 'Dropbox',
  onedrive: 'Microsoft',
};

/**
 * Where an account's index stands. `idle`: up to date as of `lastSyncedAt` (the last time the
 * service was asked for changes successfully). `crawling`: a full listing is being written (the
 * previous index stays usable until it completes); `itemCount` counts the items written so far.
 * `offline`: the service cannot be reached; the index still serves browsing and search, and sync
 * resumes by itself. `error`: sync stopped for `message` (needs reconnecting, refused...).
 */
export type SyncState =
  | { state: 'idle'; itemCount: number; lastSyncedAt: number | null }
  | { state: 'crawling'; itemCount: number; lastSyncedAt: number | null }
  | { state: 'offline'; itemCount: number; lastSyncedAt: number | null; message: string }
  | { state: 'error'; itemCount: number; lastSyncedAt: number | null; message: string };

/** What a folder holds, everything below it counted (from the index). */
export interface DiskUsageDto {
  files: number;
  folders: number;
  /** Sum of the files' sizes; files of unknown size count 0. */
  bytes: number;
}

export interface AccountDto {
  id: string;
  /** Unique, user-chosen; usable in `account:path` syntax. */
  name: string;
  provider: ProviderKind;
  /** What the account points at: a folder path for local accounts, an e-mail for clouds. */
  location: string;
  /** The provider id of the root folder. */
  rootId: string;
  sync: SyncState;
  /** Storage use as the provider last reported it; null until known (or for unlimited plans, totalBytes null). */
  quota: { usedBytes: number | null; totalBytes: number | null } | null;
  /** `needs_reconnect`: sign-in is gone (revoked, expired); the account's work is paused until it is added again. */
  health: 'ok' | 'needs_reconnect';
}

export type ItemKind = 'file' | 'folder';

export interface ItemDto {
  accountId: string;
  id: string;
  /** null for the account's root. */
  parentId: string | null;
  name: string;
  kind: ItemKind;
  /** Bytes; null for folders. */
  size: number | null;
  /** Epoch milliseconds; null when the provider does not say. */
  modifiedAt: number | null;
  mimeType: string | null;
  /**
   * For a shortcut (Google Drive): the id of the item it points to, in the same account; `kind` is
   * the target's kind. Opening a folder shortcut opens its target. null for everything else.
   */
  targetId: string | null;
}

export interface FolderPage {
  folder: ItemDto;
  /** From the root down to the folder's parent (empty for the root). */
  ancestors: ItemDto[];
  /** Number of children in the folder. */
  total: number;
  offset: number;
  items: ItemDto[];
}

/**
 * One row of the merged view: a file (one item), or a folder name that one or more accounts have at
 * the same path (every such folder, in account order).
 */
export interface MergedRowDto {
  /** The row's name as the first of its items spells it. */
  name: string;
  kind: ItemKind;
  /** One item for a file; one per account's folder (several where a Drive has same-named folders). */
  items: ItemDto[];
}

export interface MergedPage {
  /** The path listed, normalized ("/" or "/Photos/2024"). */
  path: string;
  /** The folders at `path`, one per account that has it (several in a Drive with same-named folders). */
  folders: ItemDto[];
  /** Number of rows in the merged folder. */
  total: number;
  offset: number;
  rows: MergedRowDto[];
}

export interface ItemDetailsDto {
  item: ItemDto;
  /** The names from the account's root down to the item, joined with "/" ("/" for the root). */
  path: string;
  /** Hashes the index knows (reported by the provider or computed by a transfer), by type (md5, sha256, dropbox, quickxor...). */
  hashes: Record<string, string>;
  /** The item's page in the provider's web UI, built by Skyfold; null where there is none. */
  webUrl: string | null;
}

export interface TrashedItemDto {
  accountId: string;
  itemId: string;
  name: string;
  /** Whether restoreItems can bring it back (false: the provider's own trash page can). */
  restorable: boolean;
}

export interface IndexInfoDto {
  /** The data directory (index.db, state.db, caches). */
  dataDir: string;
  /** Bytes of index.db with its write-ahead log. */
  indexBytes: number;
  /** Items indexed over every account. */
  items: number;
  /** Bytes of cached thumbnails. */
  thumbnailBytes: number;
}
