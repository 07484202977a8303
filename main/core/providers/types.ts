/**
 * The Provider interface: a small required core every backend implements (local folders, Google Drive,
 * Dropbox, OneDrive), plus optional capabilities declared as data in `features`. Callers check
 * features, never classes. Modelled on rclone's `fs.Fs`.
 *
 * Errors: every method throws `SkyfoldError` with a shared code (see common/errors.ts). Methods say
 * below which codes to expect and whether repeating them is safe.
 */
import type { Readable } from 'node:stream';
import type { ItemDto } from '../../../common/dto';

export type HashType = 'sha256' | 'md5' | 'sha1' | 'dropbox' | 'quickxor';

/** Supplies access tokens; implemented by the auth layer's TokenManager; cloud providers take one. */
export interface AccessTokenSource {
  /** A valid access token (refreshing if needed). Throws needs_reconnect when sign-in is gone. */
  getAccessToken(): Promise<string>;
  /** Marks a token rejected by the server (401) so the next getAccessToken refreshes. */
  invalidate(accessToken: string): void;
}

/** What a backend can do beyond the required core. */
export interface ProviderFeatures {
  /** `copy` is implemented server side (no bytes through the app). */
  serverSideCopy: boolean;
  /** `move` can change the parent (not only rename) server side. */
  serverSideMove: boolean;
  /** The provider has a change feed (cursor/delta); otherwise the index re-crawls. */
  changeFeed: boolean;
  /** Large writes can resume after an interruption. */
  resumableUpload: boolean;
  /** Hashes the provider can report for a file. */
  hashTypes: readonly HashType[];
  /** `A.txt` and `a.txt` name the same item. */
  caseInsensitive: boolean;
  /** Two children of one folder may have the same name (Google Drive). */
  duplicateNamesAllowed: boolean;
  /** Largest file in bytes, or null if unbounded in practice. */
  maxFileSize: number | null;
  /** Thumbnails are available for images. */
  thumbnails: boolean;
  /**
   * `removePermanently` is present: items can be deleted without going to a trash or recycle bin
   * (Google Drive, local folders). Dropbox (`permanently_delete` is for team accounts only) and OneDrive
   * (its `DELETE` goes to the recycle bin) have no such call the app can rely on: callers use `trash`
   * there. Absent = false (optional only so that test fakes need not declare it; every provider does).
   */
  permanentDelete?: boolean;
  /**
   * The longest path the service accepts for an item, in UTF-16 code units, counted from the account's
   * root: the names from the root down to the item joined with `/` (`a/b/c.txt` is 9), or null when
   * there is no limit in practice. OneDrive: 400 (its limit on the decoded path). Local folders on
   * Windows: MAX_PATH (260, the terminating NUL included) less the root folder's own path and its
   * separator, so that every program can still open the file; elsewhere null. Absent = null (optional
   * only so that test fakes need not declare it; every provider does). Mirrored in kinds.ts.
   */
  maxPathLength?: number | null;
}

/** What the caller may know of a provider's request pacing (the account's `Pacer`). */
export interface PacerInfo {
  /** Requests the account runs at once at most. */
  readonly maxConcurrency: number;
  /** Epoch ms until which the account is paused by a rate limit (Retry-After), or a past time when not. */
  pausedUntil(): number;
}

/**
 * One file or folder as a provider reports it: the index's item shape (ids are the provider's own,
 * `parentId` null only for the root, sizes null for folders, times epoch ms) plus the hashes the
 * provider already knows (never computed just for listing).
 */
export interface ProviderItem extends Omit<ItemDto, 'accountId'> {
  hashes: Partial<Record<HashType, string>>;
}

export interface AboutInfo {
  /** Human name of the account (folder path for local, e-mail for clouds). */
  displayName: string;
  /** Bytes used and total, when known. */
  usedBytes: number | null;
  totalBytes: number | null;
}

/** What to do when the target name is taken. */
export type ConflictPolicy = 'fail' | 'replace' | 'rename';

export interface ByteRange {
  /** First byte, inclusive. */
  start: number;
  /** Last byte, inclusive; omitted = to the end. */
  end?: number;
}

export interface WriteOptions {
  conflict: ConflictPolicy;
  /** Expected length; when given, a shorter or longer stream fails the write and nothing is left behind. */
  size?: number;
  /** Modification time to set, epoch ms. */
  modifiedAt?: number;
  /**
   * Where a resumable upload (`features.resumableUpload`) keeps its progress, so that a later write of
   * the same bytes (after a crash or restart) continues the server-side session instead of starting
   * over. The source of every attempt starts at byte 0: already-confirmed bytes are read and hashed
   * (verification covers the whole file) but not sent again.
   */
  checkpoint?: UploadCheckpoint;
}

/** Durable storage for one upload's progress (the transfer journal provides it). */
export interface UploadCheckpoint {
  /** The saved state, or null when there is none. */
  load(): Promise<string | null>;
  /** Saves the state; must be durable when it resolves (the server may already hold the bytes). */
  save(state: string): Promise<void>;
  /** Forgets the state (the upload finished, or cannot be resumed). */
  clear(): Promise<void>;
}

export interface MoveTarget {
  /** New parent; omitted = same parent (a rename). */
  parentId?: string;
  /** New name; omitted = same name (a move). */
  name?: string;
  conflict: Exclude<ConflictPolicy, 'replace'>;
}

/**
 * One entry of a change feed: the item's state now, or its removal (deleted or trashed). Removals
 * name the item by id where the provider can; path-addressed feeds (Dropbox reports deletions by path
 * only, with no id) name it by `path`: the names from the root down to the item, in the provider's
 * spelling (compare case-insensitively when `features.caseInsensitive`). Removing a folder removes
 * everything under it. Where names are unique (`features.duplicateNamesAllowed` false), an upsert
 * also replaces whatever else (another id) has its name in its folder, with everything under it: a
 * path-addressed feed may report a file deleted and re-created between two reads as the new item only.
 */
export type ProviderChange =
  | { kind: 'upsert'; item: ProviderItem }
  | { kind: 'remove'; id: string }
  | { kind: 'removePath'; path: readonly string[] };

/**
 * What the caller's index knows of the account's folders, offered to path-addressed feeds (Dropbox
 * names an entry's folder by path only) so that they need not ask the service for its id. Answers
 * may be stale: a feed trusts what its own batch says first, and asks the service when the answer
 * is null.
 */
export interface KnownFolders {
  /** The id of the folder at `path` (names from the root, compared case-insensitively), or null. */
  folderIdAt(path: readonly string[]): string | null;
}

/** A provider's change feed (present when `features.changeFeed`). Cursors are opaque strings to persist. */
export interface ChangeFeed {
  /**
   * Every item of the account in one listing, the cheapest the service offers (Drive: files.list
   * over the whole drive; Dropbox: a recursive list_folder; Graph: delta without a token), a part per
   * call, never folder by folder. `from` null starts a listing; otherwise it is the `next` of an
   * earlier call, which may be persisted: a crawl interrupted (even by a restart) resumes from it.
   * A part's `changes` are upserts of the items listed, in any order (a child may come before its
   * folder), each at least once (the last one wins), never the root, trashed items left out; and,
   * where the service's listing runs on into changes made meanwhile (Dropbox, Graph), the removals
   * it reports, in the service's order (apply a part in order). Items the service lists that are not
   * under the root (Drive: files shared with the user) are the caller's to drop. When `done`, `next`
   * is a change cursor: `changesSince(next)` reports whatever changed after the part it came with.
   * `known` is as for `changesSince`. Safe to repeat with the same `from`. Throws invalid_argument
   * when `from` is no longer valid (start again from null).
   */
  listAll(
    from: string | null,
    known?: KnownFolders,
  ): Promise<{ changes: ProviderChange[]; next: string; done: boolean }>;
  /** A cursor for "now": later changes are reported from it. Safe to repeat. */
  startCursor(): Promise<string>;
  /**
   * The changes since `cursor`, oldest first (an item can appear more than once: the last entry
   * wins), and the cursor to use next. A very long feed may come in parts: `more` true says the batch
   * stopped early (apply it, then call again at once with the returned cursor). Safe to repeat with
   * the same cursor. Throws invalid_argument when the cursor is no longer valid (crawl again).
   */
  changesSince(
    cursor: string,
    known?: KnownFolders,
  ): Promise<{ changes: ProviderChange[]; cursor: string; more?: boolean }>;
  /**
   * Near-real-time push, where the service has one (Dropbox's longpoll): waits until something
   * changed after `cursor` (then call `changesSince`) or about `timeoutSeconds` passed.
   * `backoffSeconds`: wait at least this long before the next call, when the service says so.
   * Resolves `{changed: false}` when `signal` aborts. Providers without it are polled.
   */
  waitForChanges?(
    cursor: string,
    options: { timeoutSeconds?: number; signal?: AbortSignal },
  ): Promise<{ changed: boolean; backoffSeconds: number | null }>;
}

export interface Provider {
  readonly kind: string;
  readonly features: ProviderFeatures;
  /** The root folder's id. */
  readonly rootId: string;

  /**
   * Why `name` cannot be an item name on this provider, or null when it can (pure; no I/O). Names are
   * never paths: a provider either stores a name exactly or refuses it with invalid_argument.
   */
  nameProblem(name: string): string | null;

  /** Account facts. Safe to repeat. */
  about(): Promise<AboutInfo>;

  /**
   * The children of a folder, in pages of at most `pageSize` items, each child exactly once.
   * Throws not_found (no such folder), invalid_argument (not a folder). Safe to repeat.
   */
  list(folderId: string, options?: { pageSize?: number }): AsyncIterable<ProviderItem[]>;

  /** One item. Throws not_found. Safe to repeat. */
  stat(id: string): Promise<ProviderItem>;

  /**
   * The children of `parentId` named `name`, matched the way the provider matches names (case-folded
   * where `features.caseInsensitive`: `A.txt` finds `a.txt`, reported with its own spelling), without
   * listing the folder: what the transfer engine asks before and after a write ("is our file at
   * `parent/name` already?"). An array because Google Drive allows duplicates (all of them, in no
   * particular order); elsewhere at most one item. Trashed items are never found.
   *
   * Cost: one request on every cloud (Drive `files.list` with `name = ... and parent in parents and
   * trashed = false`; Dropbox `get_metadata` of `id:PARENT/name`; OneDrive `GET items/PARENT:/name:`);
   * local: an `lstat` (plus a scan of the folder to learn the stored spelling, only when something
   * matched on a case-insensitive disk).
   *
   * An empty answer does not prove the folder exists: a missing `parentId` gives `[]` (the clouds
   * cannot tell it apart from a missing child in one request); the next write or mkdir there reports
   * not_found. Throws invalid_argument when `name` is refused by `nameProblem` (nothing can be stored
   * under it). Safe to repeat.
   *
   * Every provider implements it; it is optional only so that test fakes need not (callers without it
   * fall back to `list`).
   */
  findChildren?(parentId: string, name: string): Promise<ProviderItem[]>;

  /**
   * A file's bytes, or the bytes of `range`. Throws not_found, invalid_argument (folder, or a range
   * outside the file). Safe to repeat.
   */
  read(id: string, range?: ByteRange): Promise<Readable>;

  /**
   * Writes a new file named `name` in `parentId` from `source`. Nothing is visible at the target
   * until every byte has arrived (and matched `size` when given). Throws conflict (name taken and
   * policy `fail`), invalid_argument (name refused), not_found (parent). NOT idempotent with `rename`.
   */
  write(parentId: string, name: string, source: Readable, options: WriteOptions): Promise<ProviderItem>;

  /** Creates a folder. Throws conflict (policy `fail`), invalid_argument, not_found. */
  mkdir(
    parentId: string,
    name: string,
    options: { conflict: Exclude<ConflictPolicy, 'replace'> },
  ): Promise<ProviderItem>;

  /**
   * Renames and/or moves an item within the account; never overwrites. Returns the item as it is now
   * (its id may change on path-addressed backends). Throws not_found, conflict, invalid_argument
   * (hostile name, folder into itself).
   */
  move(id: string, target: MoveTarget): Promise<ProviderItem>;

  /**
   * Server-side copy within the account; present only when `features.serverSideCopy`. Throws like
   * `move`.
   */
  copy?(id: string, target: MoveTarget): Promise<ProviderItem>;

  /** The change feed; present exactly when `features.changeFeed`. */
  readonly changeFeed?: ChangeFeed;

  /** Moves an item to the provider's trash (recoverable). Throws not_found. */
  trash(id: string): Promise<void>;

  /**
   * Deletes an item permanently (a folder with everything in it), without filling the user's trash:
   * for items the app itself created, such as a destination copy that failed verification. Present
   * exactly when `features.permanentDelete`; elsewhere callers use `trash`. Moves still use `trash`.
   * Throws not_found (also when repeated after it succeeded), invalid_argument (the root). Costs one
   * request (Drive `files.delete`; local `fs.rm`).
   */
  removePermanently?(id: string): Promise<void>;

  /**
   * Brings back an item `trash` moved to the trash, to the folder it was in, under its name; returns
   * it as it is now (its id may change on path-addressed backends). Absent where the service has no
   * way to (then the user restores it in the provider's own trash). Throws not_found (not in the
   * trash any more), conflict (its name was taken meanwhile), permanent (this kind of item cannot be
   * restored: the message says where to do it). Safe to repeat: an item already back is returned.
   */
  restore?(id: string): Promise<ProviderItem>;

  /**
   * A small picture of a file (JPEG or PNG) whose longest side is about `size` pixels (never more),
   * from the provider's thumbnail service; null when it has none for this file (not an image, too
   * big, not generated yet). Present exactly when `features.thumbnails`. Throws not_found,
   * invalid_argument (a folder). Safe to repeat.
   */
  thumbnail?(id: string, size: number): Promise<{ mimeType: string; bytes: Buffer } | null>;

  /** The account's request pacing, where requests go through a `Pacer` (the clouds). */
  readonly pacer?: PacerInfo;

  /** Computes or fetches a hash the provider supports (`features.hashTypes`). Throws not_found, invalid_argument. */
  hash(id: string, type: HashType): Promise<string>;
}
