/**
 * The contract between the UI and the engine: every call the renderer can make and every event it can
 * receive. `main/core/service.ts` implements it, the preload (IPC) and the web host (WebSocket) carry it,
 * and the renderer consumes it through one client object (`createContractClient`).
 *
 * Adding a feature = add a schema here + a result type, implement it in the service, call it from the
 * UI. The transports never change. Every argument is validated in main with these schemas.
 */
import { z } from 'zod';
import { isAllowedClientUrl, type CloudClientSettingsDto } from './client-settings';
import {
  cloudProviderKinds,
  type AccountDto,
  type CloudProviderKind,
  type DiskUsageDto,
  type FolderPage,
  type IndexInfoDto,
  type ItemDetailsDto,
  type ItemDto,
  type MergedPage,
  type TrashedItemDto,
} from './dto';
import type { MethodName } from './methods';
import { searchCategories, searchSortKeys, type SearchResultDto } from './search';
import {
  conflictChoices,
  maxTransferConcurrency,
  transferActions,
  transferOps,
  type TransferBatchDto,
  type TransferSettingsDto,
  type TransferJobDto,
  type TransferPlanDto,
} from './transfers';

export { isMethodName, methodNames, type MethodName } from './methods';

const id = z.string().min(1).max(1024);
const accountRef = z.object({ accountId: id }).strict();
const localPath = z.string().min(1).max(4096);
const transferBatchId = z.string().min(1).max(64);
/** A name as the user typed it; each provider decides what it stores (or refuses, saying why). */
const itemName = z.string().min(1).max(1024);
const itemRef = z.object({ accountId: id, itemId: id }).strict();

/**
 * Orders of a folder's rows. `type`: by the kind of file (`fileTypeKey`, common/file-types.ts), then
 * name. `account`: by the account's name, then name (in one account's folder, the same as `name`).
 */
export const sortKeys = ['name', 'size', 'modified', 'type', 'account'] as const;
export type SortKey = (typeof sortKeys)[number];
export const sortSchema = z.object({ by: z.enum(sortKeys), direction: z.enum(['asc', 'desc']) }).strict();
export type Sort = z.infer<typeof sortSchema>;

const byteCount = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const epochMs = z.number().int().min(-8.64e15).max(8.64e15);

/** The largest row range one listFolder call returns; the UI pages through bigger folders. */
export const maxPageRows = 1000;

/** An OAuth or API endpoint: https, or http on this computer only (emulators). */
const clientUrl = z
  .string()
  .max(2048)
  .refine(isAllowedClientUrl, 'must be an https URL (http only for 127.0.0.1 or localhost)');

/** Argument schemas, one per contract method. Unknown keys are refused (`strict`). */
export const contractSchemas = {
  /** All accounts, in the order they were added. */
  listAccounts: z.object({}).strict(),
  /** Things the user should know that are not errors (e.g. tokens kept in a file). Newest last. */
  listNotices: z.object({}).strict(),
  /** Adds a local folder as an account and starts indexing it. Throws invalid_argument if the path is not a directory, conflict if the folder or name is already an account. */
  addLocalAccount: z
    .object({ path: z.string().min(1).max(4096), name: z.string().min(1).max(200).optional() })
    .strict(),
  /**
   * Signs in to a cloud account in the system browser and adds it (then indexes it). Resolves when
   * the sign-in completed; meanwhile a `sign-in` event carries the URL to open where the host cannot
   * open a browser itself (the web host). Throws conflict (already added), permanent (denied,
   * cancelled, no client id configured: the message says what to do), transient (timed out).
   */
  addCloudAccount: z
    .object({ provider: z.enum(cloudProviderKinds), name: z.string().min(1).max(200).optional() })
    .strict(),
  /** Cancels a sign-in in progress (its addCloudAccount call rejects). Idempotent. */
  cancelSignIn: z.object({}).strict(),
  /** Forgets an account and its index rows (cloud: revokes and deletes its tokens). Never touches files. Throws not_found. */
  removeAccount: accountRef,
  /**
   * Brings an account's index up to date now: its changes since the last sync, or a full crawl when
   * it has none yet (or `full`: crawl again; the old index stays usable until the new one is
   * complete). Resolves when done, with the account's sync state (offline and error states are
   * reported there, not thrown). Concurrent calls share one run. Throws not_found.
   */
  refreshAccount: z.object({ accountId: id, full: z.boolean().optional() }).strict(),
  /** Asks every account for its changes now (the UI calls it when the window gets focus). Returns at once. */
  syncAll: z.object({}).strict(),
  /** Files, folders and bytes under a folder, from the index. Throws not_found, invalid_argument (not a folder). */
  diskUsage: z.object({ accountId: id, folderId: z.string().max(1024) }).strict(),
  /**
   * Copies or moves items of an account (any two accounts, the same included), or files on this
   * computer, into a folder of an account: plans the batch (every name decided, problems listed) and starts it; resolves with the
   * plan. Local `paths` (absolute; files dropped on the desktop app's window, refused over the web
   * host's WebSocket) must share one parent folder. Within one account the provider's server-side
   * copy or move is used. Without `conflict` (and no remembered choice, getTransferSettings), names
   * taken at the destination make the batch wait for decideTransfer. Files are streamed, verified by
   * hash at both ends, and a move removes a source only once its copy is verified. Throws not_found
   * (account, item, folder), invalid_argument (a folder into itself, relative or mixed-parent paths).
   */
  startTransfer: z
    .object({
      op: z.enum(transferOps),
      source: z.union([
        z.object({ accountId: id, itemIds: z.array(id).min(1).max(10_000) }).strict(),
        z.object({ paths: z.array(localPath).min(1).max(10_000) }).strict(),
      ]),
      destination: z.object({ accountId: id, folderId: z.string().max(1024) }).strict(),
      conflict: z.enum(conflictChoices).optional(),
    })
    .strict(),
  /**
   * Answers a batch waiting in `needs-decision`: the names taken at the destination are renamed,
   * replaced or skipped, and the batch starts. `remember` keeps the choice for later batches
   * (getTransferSettings). Throws not_found, conflict (the batch does not wait for a decision).
   */
  decideTransfer: z
    .object({ batchId: transferBatchId, conflict: z.enum(conflictChoices), remember: z.boolean().optional() })
    .strict(),
  /**
   * Pauses, resumes, cancels or retries one job (`jobId`), one batch (`batchId`) or everything
   * (neither). Pause keeps each job's progress (an upload resumes from the confirmed offset); cancel
   * removes what a job left at the destination and never touches sources; retry starts failed jobs
   * again. Ended jobs are left as they are. Idempotent. Throws not_found.
   */
  controlTransfers: z
    .object({
      action: z.enum(transferActions),
      batchId: transferBatchId.optional(),
      jobId: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
    })
    .strict(),
  /** Transfer batches (newest first) with their jobs; one batch with `batchId`. */
  listTransfers: z.object({ batchId: transferBatchId.optional() }).strict(),
  /** The transfer settings: the bandwidth limit and the remembered conflict choice. */
  getTransferSettings: z.object({}).strict(),
  /**
   * Changes transfer settings (absent keys stay; null clears: no bandwidth limit, the default
   * concurrency, no remembered choice). `bandwidthLimit` in bytes per second and `concurrency` apply
   * to running transfers within a second (a lower concurrency lets running jobs finish and starts
   * none until below it). Returns the settings now.
   */
  setTransferSettings: z
    .object({
      bandwidthLimit: z.number().int().min(1024).max(Number.MAX_SAFE_INTEGER).nullable().optional(),
      concurrency: z.number().int().min(1).max(maxTransferConcurrency).nullable().optional(),
      conflictDefault: z.enum(conflictChoices).nullable().optional(),
    })
    .strict(),
  /**
   * Each cloud's OAuth client: the client id and endpoints sign-in uses and where each came from
   * (environment, settings, default), and what is saved in the settings (common/client-settings.ts).
   * Throws invalid_argument when settings.json in the data directory is not valid.
   */
  getClientSettings: z.object({}).strict(),
  /**
   * Saves one cloud's OAuth client in the settings (absent keys stay; null clears). The environment
   * (SKYFOLD_<KIND>_CLIENT_ID, _CLIENT_SECRET, _ENDPOINT, _AUTH_URL, _TOKEN_URL, _REVOKE_URL) still
   * wins over what is saved. `endpoint` is one base URL serving every path of the provider (an
   * emulator); the three URLs override single endpoints. Applies to the next sign-in and to accounts
   * opened from then on. Returns every cloud's settings now. Throws invalid_argument.
   */
  setClientSettings: z
    .object({
      provider: z.enum(cloudProviderKinds),
      clientId: z.string().trim().min(1).max(512).nullable().optional(),
      clientSecret: z.string().trim().min(1).max(512).nullable().optional(),
      endpoint: clientUrl.nullable().optional(),
      authUrl: clientUrl.nullable().optional(),
      tokenUrl: clientUrl.nullable().optional(),
      revokeUrl: clientUrl.nullable().optional(),
    })
    .strict(),
  /**
   * Announces files dropped into the web host (their bytes follow as `PUT uploadUrl(uploadId, index)`
   * requests, common/uploads.ts): `path` is each file's place in the drop ("a.txt", "Photos/b.jpg").
   * Throws not_found (account, folder), invalid_argument (a path that escapes the drop, duplicates).
   */
  beginUpload: z
    .object({
      destination: z.object({ accountId: id, folderId: z.string().max(1024) }).strict(),
      files: z
        .array(z.object({ path: z.string().min(1).max(4096), size: byteCount }).strict())
        .min(1)
        .max(10_000),
      conflict: z.enum(conflictChoices).optional(),
    })
    .strict(),
  /**
   * Starts the transfer of an upload once every file arrived (as startTransfer, copy). The received
   * files are removed when the batch ends. Throws not_found (unknown upload), invalid_argument
   * (files missing or of the wrong size: it says which).
   */
  finishUpload: z.object({ uploadId: transferBatchId }).strict(),
  /**
   * Downloads items into the drag cache (verified) and returns their local paths, for the Electron
   * host to drag out to the desktop (webContents.startDrag). Files only. Throws not_found,
   * invalid_argument (a folder).
   */
  cacheForDrag: z.object({ accountId: id, itemIds: z.array(id).min(1).max(100) }).strict(),
  /**
   * A row range of a folder's children, read from the index: folders first, then files, each group in
   * `sort` order. Throws not_found when the folder is not in the index.
   */
  listFolder: z
    .object({
      accountId: id,
      folderId: z.string().max(1024),
      sort: sortSchema,
      offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
      limit: z.number().int().min(1).max(maxPageRows),
    })
    .strict(),
  /**
   * A row range of the merged view of `path` ("/" = the top): every account's folders at that path
   * (names compared case-insensitively, a Drive's same-named folders included) listed as one folder.
   * Child folders of the same name are ONE row carrying every account's folder; files are one row
   * each, same-named files of different accounts side by side. Folders first, then files, each group
   * in `sort` order. `accounts` limits the view (default: every account). From the index alone.
   * Throws not_found when no account has a folder at `path`, invalid_argument (a malformed path).
   */
  listMerged: z
    .object({
      path: z.string().max(32768),
      accounts: z.array(id).min(1).max(256).optional(),
      sort: sortSchema,
      offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
      limit: z.number().int().min(1).max(maxPageRows),
    })
    .strict(),
  /** One item from the index. Throws not_found. */
  stat: z.object({ accountId: id, itemId: z.string().max(1024) }).strict(),
  /**
   * What the properties panel shows beyond the item: its path, the hashes the index knows, and its
   * page in the provider's web UI (an address Skyfold builds from the provider and the item's id,
   * never one taken from file data; null where the provider has none, e.g. local folders). Throws not_found.
   */
  itemDetails: itemRef,
  /**
   * Opens the item's page in the provider's web UI in the system browser (itemDetails' `webUrl`).
   * Where the host cannot open a browser itself (the web host) it resolves `opened: false` and the
   * page opens the address. Throws not_found, invalid_argument (no web page for this item).
   */
  openInBrowser: itemRef,
  /**
   * Creates a folder named `name` in `parentId` and records it in the index; resolves with it.
   * Not idempotent. Throws not_found (account, parent), conflict (the name is taken),
   * invalid_argument (the provider refuses the name: the message says why).
   */
  createFolder: z.object({ accountId: id, parentId: z.string().max(1024), name: itemName }).strict(),
  /**
   * Renames an item in its folder and records it in the index; resolves with it (the same name: no
   * change). Throws not_found, conflict (the name is taken), invalid_argument (name refused, the root).
   */
  renameItem: z.object({ accountId: id, itemId: id, name: itemName }).strict(),
  /**
   * Moves items (of any accounts) to their provider's trash and removes them from the index. Resolves
   * with each trashed item and whether `restoreItems` can bring it back. Items already gone count as
   * trashed. Throws not_found (account), invalid_argument (a root); a failure part way leaves the
   * items before it trashed (the error says how many).
   */
  trashItems: z.object({ items: z.array(itemRef).min(1).max(10_000) }).strict(),
  /**
   * Brings items trashed by `trashItems` back to where they were (undo) and records them in the
   * index. Throws not_found (no longer in the trash), conflict (their name was taken meanwhile),
   * permanent (the provider cannot restore this item: the message says where to do it).
   */
  restoreItems: z.object({ items: z.array(itemRef).min(1).max(10_000) }).strict(),
  /** Where the data directory is and how big the index is. */
  getIndexInfo: z.object({}).strict(),
  /**
   * Forgets the index and lists every account again (the old rows serve browsing and search until
   * each account's new listing is complete). Returns at once; sync states report progress.
   */
  rebuildIndex: z.object({}).strict(),
  /** The item at a `/`-separated path in an account ("" or "/" = root). Throws not_found. */
  resolvePath: z.object({ accountId: id, path: z.string().max(32768) }).strict(),
  /**
   * Items of every account matching `query` (common/search.ts), from the index alone (works offline).
   * Throws invalid_argument for a `within` folder that is not in the index.
   */
  search: z
    .object({
      query: z
        .object({
          terms: z.array(z.string().max(1024)).max(64),
          kind: z.enum(['file', 'folder']).optional(),
          categories: z.array(z.enum(searchCategories)).max(searchCategories.length).optional(),
          extensions: z.array(z.string().min(1).max(64)).max(256).optional(),
          size: z.object({ min: byteCount.optional(), max: byteCount.optional() }).strict().optional(),
          modified: z.object({ from: epochMs.optional(), to: epochMs.optional() }).strict().optional(),
          accounts: z.array(z.string().min(1).max(1024)).max(256).optional(),
          within: z.object({ accountId: id, folderId: id }).strict().optional(),
          sort: z
            .object({ by: z.enum(searchSortKeys), direction: z.enum(['asc', 'desc']) })
            .strict()
            .optional(),
        })
        .strict(),
      offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
      limit: z.number().int().min(1).max(maxPageRows),
    })
    .strict(),
} as const satisfies Record<MethodName, z.ZodType>;
export type MethodArgs<M extends MethodName> = z.input<(typeof contractSchemas)[M]>;

/** What each method resolves to. */
export interface MethodResults {
  listAccounts: AccountDto[];
  listNotices: string[];
  addLocalAccount: AccountDto;
  addCloudAccount: AccountDto;
  cancelSignIn: null;
  removeAccount: null;
  refreshAccount: AccountDto;
  syncAll: null;
  diskUsage: DiskUsageDto;
  startTransfer: TransferPlanDto;
  decideTransfer: TransferPlanDto;
  controlTransfers: null;
  listTransfers: { batches: TransferBatchDto[]; jobs: TransferJobDto[] };
  getTransferSettings: TransferSettingsDto;
  setTransferSettings: TransferSettingsDto;
  getClientSettings: CloudClientSettingsDto[];
  setClientSettings: CloudClientSettingsDto[];
  beginUpload: { uploadId: string };
  finishUpload: TransferPlanDto;
  cacheForDrag: { paths: string[] };
  listFolder: FolderPage;
  listMerged: MergedPage;
  stat: ItemDto;
  itemDetails: ItemDetailsDto;
  openInBrowser: { url: string; opened: boolean };
  createFolder: ItemDto;
  renameItem: ItemDto;
  trashItems: { trashed: TrashedItemDto[] };
  restoreItems: { restored: ItemDto[] };
  getIndexInfo: IndexInfoDto;
  rebuildIndex: null;
  resolvePath: ItemDto;
  search: SearchResultDto;
}

/** Events the engine pushes to every connected UI. */
export type EngineEvent =
  /** Rows of this account's index changed (crawl progress, refresh, local edits). */
  | { type: 'index-changed'; accountId: string }
  /** An account was added, removed, or its sync state changed. */
  | { type: 'accounts-changed' }
  /** The notices (listNotices) changed. */
  | { type: 'notices-changed' }
  /** Transfer batches or jobs changed state or progressed (listTransfers shows them; at most ~4/s). */
  | { type: 'transfers-changed' }
  /** A batch ended (every job done, skipped, failed or cancelled): for a notification. */
  | { type: 'transfer-finished'; batch: TransferBatchDto }
  /** A sign-in waits for the user: open `url` in a browser (`url` null: the sign-in ended). */
  | { type: 'sign-in'; provider: CloudProviderKind; url: string | null };

/** The whole API as the renderer sees it. */
export type SkyfoldApi = {
  [M in MethodName]: (args: MethodArgs<M>) => Promise<MethodResults[M]>;
} & {
  /** Subscribes to engine events; returns the unsubscribe function. */
  onEvent(listener: (event: EngineEvent) => void): () => void;
};
