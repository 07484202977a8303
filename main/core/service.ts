/**
 * The engine's one facade: implements every contract method for every host (Electron IPC, the web
 * host's WebSocket, the CLI). Knows nothing of those hosts. Arguments arrive already validated by
 * `invokeContract`; this class still checks what schemas cannot (existence, paths, conflicts).
 */
import { EventEmitter } from 'node:events';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import type { EngineEvent, MethodArgs, MethodResults } from '../../common/contract';
import { providerLabels, type AccountDto, type DiskUsageDto, type ItemDto } from '../../common/dto';
import { SkyfoldError } from '../../common/errors';
import { numberedName, splitPath } from '../../common/names';
import { AccountStore, type StoredAccount } from './accounts/account-store';
import { FileOps } from './file-ops';
import { openCloudProvider, signInCloud, signOutCloud, type CloudDependencies } from './accounts/cloud';
import { openDefaultTokenStore, type AuthStateChange, type CloudKind, type TokenStore } from './auth';
import { loadSettings } from './auth/client-config';
import { describeClientSettings, saveClientSettings } from './auth/client-settings';
import { openDatabase, type SqliteDatabase } from './index/database';
import { ItemStore } from './index/item-store';
import { indexSize } from './index/index-info';
import { MergedView } from './index/merged-view';
import { webUrl } from './providers/web-links';
import { SearchEngine } from './index/search';
import { indexMigrations, stateMigrations } from './index/migrations';
import { SyncStateStore } from './index/sync-state-store';
import { LocalProvider } from './providers/local/local-provider';
import { caseInsensitiveKinds } from './providers/kinds';
import type { Provider } from './providers/types';
import { AccountSyncer, type SyncTiming } from './sync/account-syncer';
import { localSource, refOf, Transfers, type TransferRequest } from './transfers/transfers';
import type { ThumbnailSize } from '../../common/uploads';
import type { Preview } from './media/media-responses';
import { planPreview, type PreviewRefusal } from './media/preview-policy';
import { checkedThumbnail, mayHaveThumbnail, type Thumbnail } from './providers/thumbnail-image';
import { ThumbnailCache } from './thumbnails/thumbnail-cache';

export interface ServiceOptions {
  /** Where state.db and index.db live. Created when missing. */
  dataDir: string;
  /** Environment for client configuration (SKYFOLD_GDRIVE_CLIENT_ID, endpoints...); default process.env. */
  env?: NodeJS.ProcessEnv;
  /**
   * Opens the token store. Hosts choose: Electron's safeStorage; otherwise the OS keyring or a file
   * readable only by this user (the default, which reports through `warn`).
   */
  openTokenStore?: () => Promise<TokenStore>;
  /** Non-fatal notices for the user (e.g. tokens kept in a file). */
  warn?: (message: string) => void;
  /**
   * Opens a sign-in page in the system browser (Electron: shell.openExternal). Without it (the web
   * host) the page is only announced with a `sign-in` event, for the UI to offer as a link.
   */
  openBrowser?: (url: string) => Promise<void>;
  /** How often and how patiently accounts are synced in the background (tests shorten it). */
  syncTiming?: Partial<SyncTiming>;
}

/** The contract's methods, as the service implements them. */
export type ContractHandlers = {
  [M in keyof MethodResults]: (args: MethodArgs<M>) => Promise<MethodResults[M]>;
};

/** How long a quota answer is shown before a sync asks again (one request; quotas move slowly). */
const quotaMaxAgeMs = 10 * 60_000;

export class SkyfoldService implements ContractHandlers {
  private readonly events = new EventEmitter();
  private readonly connections = new Map<string, Promise<Provider>>();
  private readonly syncers = new Map<string, AccountSyncer>();
  /** Whether accounts are kept fresh in the background (startBackgroundSync), not only on demand. */
  private backgroundSync = false;
  private readonly syncTiming: Partial<SyncTiming> | undefined;
  private readonly accounts: AccountStore;
  private readonly items: ItemStore;
  private readonly syncStore: SyncStateStore;
  private readonly transfers: Transfers;

  private readonly cloud: CloudDependencies;
  private readonly openBrowser: ((url: string) => Promise<void>) | undefined;
  /** The sign-in started through the contract, if one is waiting for the user. */
  private signInAbort: AbortController | undefined;
  private readonly quotas = new Map<string, AccountDto['quota']>();
  private readonly quotaCheckedAt = new Map<string, number>();
  private readonly notices: string[] = [];
  private readonly hostWarn: ((message: string) => void) | undefined;
  private readonly needsReconnect = new Set<string>();
  /** Built on the first search (it loads every name into memory), then kept current from the index. */
  private searchEngine: SearchEngine | undefined;
  /** The merged view, made on first use. */
  private mergedView: MergedView | undefined;
  /** The browser's file operations and the thumbnail cache, made on first use. */
  private fileOpsInstance: FileOps | undefined;
  private thumbnailCacheInstance: ThumbnailCache | undefined;

  private constructor(
    private readonly stateDb: SqliteDatabase,
    private readonly indexDb: SqliteDatabase,
    options: ServiceOptions,
  ) {
    this.openBrowser = options.openBrowser;
    this.hostWarn = options.warn;
    this.syncTiming = options.syncTiming;
    this.dragCacheDir = path.join(options.dataDir, 'drag-cache');
    let tokenStore: Promise<TokenStore> | undefined;
    this.cloud = {
      dataDir: options.dataDir,
      env: options.env ?? process.env,
      tokenStore: () =>
        (tokenStore ??=
          options.openTokenStore?.() ??
          openDefaultTokenStore(options.dataDir, { warn: (message) => this.notify(message) })),
      onAuthState: (change) => this.authStateChanged(change),
    };
    this.accounts = new AccountStore(stateDb);
    this.items = new ItemStore(indexDb);
    this.syncStore = new SyncStateStore(indexDb);
    this.transfers = new Transfers({
      stateDb,
      uploadsDir: path.join(options.dataDir, 'uploads'),
      dragCacheDir: this.dragCacheDir,
      accountProvider: (accountId) => this.connection(this.requireAccount(accountId)),
      changed: () => this.emit({ type: 'transfers-changed' }),
      ended: (batch) => {
        this.emit({ type: 'transfer-finished', batch });
        void this.afterTransfer(batch.id).catch(() => undefined);
      },
    });
    this.events.setMaxListeners(0);
  }

  /** Opens (creating and migrating) the data directory. Throws when a database is from a newer version. */
  static open(options: ServiceOptions): SkyfoldService {
    const stateDb = openDatabase(path.join(options.dataDir, 'state.db'), {
      migrations: stateMigrations,
      synchronous: 'FULL',
    });
    try {
      const indexDb = openDatabase(path.join(options.dataDir, 'index.db'), {
        migrations: indexMigrations,
        synchronous: 'NORMAL',
      });
      return new SkyfoldService(stateDb, indexDb, options);
    } catch (error) {
      stateDb.close();
      throw error;
    }
  }

  /** Subscribes to engine events; returns the unsubscribe function. */
  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.events.on('event', listener);
    return () => this.events.off('event', listener);
  }

  /**
   * Keeps every account fresh from now on (hosts call this at start): a sync at once, then change
   * feeds, pushes and folder watching (account-syncer.ts). Errors land in each account's sync state.
   */
  startBackgroundSync(): void {
    this.backgroundSync = true;
    for (const account of this.accounts.list()) this.syncer(account).start();
    // Transfers a crash or a quit left unfinished continue where they stopped.
    void this.transfers.run().catch(() => undefined);
    void this.transfers.sweepSpools().catch(() => undefined);
  }

  close(): void {
    for (const syncer of this.syncers.values()) syncer.stop();
    this.transfers.close();
    this.events.removeAllListeners();
    this.indexDb.close();
    this.stateDb.close();
  }

  // --- contract ------------------------------------------------------------------------------

  async getClientSettings(): Promise<MethodResults['getClientSettings']> {
    return describeClientSettings(this.cloud.env, await loadSettings(this.cloud.dataDir));
  }

  /** Saved in settings.json's `oauth` section: the next sign-in and accounts opened later use it. */
  async setClientSettings({
    provider,
    ...change
  }: MethodArgs<'setClientSettings'>): Promise<MethodResults['setClientSettings']> {
    return describeClientSettings(
      this.cloud.env,
      await saveClientSettings(this.cloud.dataDir, provider, change),
    );
  }

  /** Non-fatal notices gathered so far, oldest first. */
  async listNotices(): Promise<string[]> {
    return [...this.notices];
  }

  /**
   * Tells the user something that is not an error (tokens kept in a file, Electron's basic_text
   * storage): passed to the host's `warn` and kept for listNotices. Repeats are dropped.
   */
  notify(message: string): void {
    if (this.notices.includes(message)) return;
    this.notices.push(message);
    this.hostWarn?.(message);
    this.emit({ type: 'notices-changed' });
  }

  async listAccounts(): Promise<AccountDto[]> {
    return this.accounts.list().map((account) => this.toDto(account));
  }

  async addLocalAccount({ path: folderPath, name }: MethodArgs<'addLocalAccount'>): Promise<AccountDto> {
    if (!path.isAbsolute(folderPath)) {
      throw new SkyfoldError('invalid_argument', `"${folderPath}" is not an absolute path`);
    }
    const provider = await LocalProvider.open(folderPath);
    const existing = this.accounts
      .list()
      .find((account) => account.provider === 'local' && account.location === provider.rootPath);
    if (existing)
      throw new SkyfoldError('conflict', `${provider.rootPath} is already the account "${existing.name}"`);
    const chosenName =
      name === undefined
        ? this.freeFolderName(path.basename(provider.rootPath) || 'Local')
        : checkAccountName(name);
    const account = this.accounts.add({
      name: chosenName,
      provider: 'local',
      location: provider.rootPath,
      rootId: provider.rootId,
      config: { path: provider.rootPath },
    });
    this.connections.set(account.id, Promise.resolve(provider));
    this.emit({ type: 'accounts-changed' });
    this.startSyncing(account);
    return this.toDto(account);
  }

  /**
   * Signs in to a cloud account in the system browser (`openBrowser` shows the URL) and adds it, then
   * starts indexing it. Signing in again to an account that needs reconnecting reconnects it. Throws SignInError (denied, timeout...), conflict (already added), and
   * configuration errors (no client id: see main/core/auth/README.md).
   */
  async signInCloudAccount(
    kind: CloudKind,
    options: {
      name?: string;
      endpoint?: string | null;
      openBrowser: (url: string) => Promise<void>;
      signal?: AbortSignal;
    },
  ): Promise<AccountDto> {
    const signedIn = await signInCloud(kind, options, this.cloud);
    const location = signedIn.about.displayName;
    const endpoint = signedIn.endpoint;
    const existing = this.accounts
      .list()
      .find(
        (account) =>
          account.provider === kind &&
          account.location === location &&
          (account.config.endpoint ?? null) === endpoint,
      );
    if (existing) {
      if (!this.needsReconnect.has(existing.id)) {
        throw new SkyfoldError('conflict', `${location} is already the account "${existing.name}"`);
      }
      // A reconnect: the same account signed in again gets the new tokens and resumes.
      await (await this.cloud.tokenStore()).set(existing.id, signedIn.tokens);
      this.needsReconnect.delete(existing.id);
      this.connections.delete(existing.id);
      this.emit({ type: 'accounts-changed' });
      this.startSyncing(existing);
      this.transfers.resumeAfterReconnect(existing.id);
      return this.toDto(existing);
    }
    const account = this.accounts.add({
      name: options.name === undefined ? this.freeCloudName(location, kind) : checkAccountName(options.name),
      provider: kind,
      location,
      rootId: signedIn.provider.rootId,
      config: endpoint ? { endpoint } : {},
    });
    try {
      await (await this.cloud.tokenStore()).set(account.id, signedIn.tokens);
    } catch (error) {
      this.accounts.remove(account.id);
      throw error;
    }
    this.needsReconnect.delete(account.id);
    this.emit({ type: 'accounts-changed' });
    this.startSyncing(account);
    return this.toDto(account);
  }

  /** The contract's sign-in: one at a time; the page goes to the host's browser and out as an event. */
  async addCloudAccount({ provider, name }: MethodArgs<'addCloudAccount'>): Promise<AccountDto> {
    if (this.signInAbort)
      throw new SkyfoldError('conflict', 'another sign-in is waiting; finish or cancel it first');
    const abort = new AbortController();
    this.signInAbort = abort;
    try {
      return await this.signInCloudAccount(provider, {
        ...(name === undefined ? {} : { name }),
        signal: abort.signal,
        openBrowser: async (url) => {
          this.emit({ type: 'sign-in', provider, url });
          await this.openBrowser?.(url);
        },
      });
    } finally {
      this.signInAbort = undefined;
      this.emit({ type: 'sign-in', provider, url: null });
    }
  }

  async cancelSignIn(): Promise<null> {
    this.signInAbort?.abort(new SkyfoldError('permanent', 'sign-in cancelled'));
    return null;
  }

  async removeAccount({ accountId }: MethodArgs<'removeAccount'>): Promise<null> {
    const removed = this.requireAccount(accountId);
    if (removed.provider !== 'local') await signOutCloud(removed, this.cloud);
    if (!this.accounts.remove(removed.id)) throw notFoundAccount(accountId);
    const syncer = this.syncers.get(accountId);
    this.syncers.delete(accountId);
    syncer?.stop();
    await syncer?.settled();
    this.items.deleteAccount(accountId);
    this.connections.delete(accountId);
    this.quotas.delete(accountId);
    this.quotaCheckedAt.delete(accountId);
    this.needsReconnect.delete(accountId);
    this.pruneThumbnails();
    this.emit({ type: 'accounts-changed' });
    return null;
  }

  async refreshAccount({ accountId, full }: MethodArgs<'refreshAccount'>): Promise<AccountDto> {
    const account = this.requireAccount(accountId);
    await this.syncer(account).sync({ full: full ?? false });
    // Removed meanwhile: not_found.
    return this.toDto(this.requireAccount(accountId));
  }

  async syncAll(): Promise<null> {
    for (const account of this.accounts.list()) {
      if (this.backgroundSync) this.syncer(account).wake();
      else void this.syncer(account).sync();
    }
    return null;
  }

  async diskUsage({ accountId, folderId }: MethodArgs<'diskUsage'>): Promise<DiskUsageDto> {
    this.requireAccount(accountId);
    const folder = this.requireItem(accountId, folderId);
    if (folder.kind !== 'folder')
      throw new SkyfoldError('invalid_argument', `"${folder.name}" is not a folder`);
    return this.items.diskUsage(accountId, folder.id);
  }

  async listFolder({
    accountId,
    folderId,
    sort,
    offset,
    limit,
  }: MethodArgs<'listFolder'>): Promise<MethodResults['listFolder']> {
    this.requireAccount(accountId);
    const listed = this.requireItem(accountId, folderId);
    // A folder shortcut opens its target.
    const folder = listed.targetId === null ? listed : this.requireItem(accountId, listed.targetId);
    if (folder.kind !== 'folder')
      throw new SkyfoldError('invalid_argument', `"${folder.name}" is not a folder`);
    const page = this.items.listChildren(accountId, folder.id, sort, offset, limit);
    return {
      folder,
      ancestors: this.items.ancestors(accountId, folder),
      total: page.total,
      offset,
      items: page.items,
    };
  }

  // --- the merged browser (issue 8) ------------------------------------------------------------

  /**
   * A page of the merged view of `path` over every account, or over `accounts` (listed in the order
   * the accounts were added). From the index alone. Throws not_found (an unknown account, no folder
   * at the path), invalid_argument (a malformed path).
   */
  async listMerged({
    path: mergedPath,
    accounts: only,
    sort,
    offset,
    limit,
  }: MethodArgs<'listMerged'>): Promise<MethodResults['listMerged']> {
    for (const accountId of only ?? []) this.requireAccount(accountId);
    const accounts = this.accounts.list().filter((account) => !only || only.includes(account.id));
    this.mergedView ??= new MergedView(this.indexDb, this.items);
    return this.mergedView.list(accounts, mergedPath, sort, offset, limit);
  }

  /**
   * The item with its path from the account's root (as far as the index knows its folders), its
   * known hashes and its provider web page (providers/web-links.ts). Throws not_found.
   */
  async itemDetails({ accountId, itemId }: MethodArgs<'itemDetails'>): Promise<MethodResults['itemDetails']> {
    const account = this.requireAccount(accountId);
    const item = this.requireItem(accountId, itemId);
    const folderNames = this.items
      .ancestors(accountId, item)
      .filter((folder) => folder.parentId !== null)
      .map((folder) => folder.name);
    return {
      item,
      path: item.parentId === null ? '/' : `/${[...folderNames, item.name].join('/')}`,
      hashes: this.items.hashes(accountId, itemId),
      webUrl: webUrl(account.provider, item, folderNames),
    };
  }

  /**
   * Opens the item's web page with the host's `openBrowser` (`opened: true`); without one (the web
   * host) only returns the address. Throws not_found, invalid_argument (the item has no web page).
   */
  async openInBrowser({
    accountId,
    itemId,
  }: MethodArgs<'openInBrowser'>): Promise<MethodResults['openInBrowser']> {
    const { item, webUrl: url } = await this.itemDetails({ accountId, itemId });
    if (url === null)
      throw new SkyfoldError(
        'invalid_argument',
        `"${item.name || '/'}" has no page in its provider's web UI`,
      );
    if (!this.openBrowser) return { url, opened: false };
    await this.openBrowser(url);
    return { url, opened: true };
  }

  async getIndexInfo(): Promise<MethodResults['getIndexInfo']> {
    return {
      dataDir: this.cloud.dataDir,
      ...indexSize(this.indexDb, path.join(this.cloud.dataDir, 'index.db')),
      thumbnailBytes: await this.thumbnailCacheBytes(),
    };
  }

  /** The thumbnail cache's size on disk. */
  private async thumbnailCacheBytes(): Promise<number> {
    return this.thumbnailCache.totalBytes();
  }

  /**
   * Lists every account again from scratch, in the background (a full crawl: the old rows serve
   * browsing and search until each account's listing completes, then rows it did not see are
   * swept). Resolves at once; accounts' sync states report progress. Safe to repeat: a request
   * during a crawl makes one more full crawl after it.
   */
  async rebuildIndex(): Promise<null> {
    for (const account of this.accounts.list()) void this.syncer(account).sync({ full: true });
    return null;
  }

  async stat({ accountId, itemId }: MethodArgs<'stat'>): Promise<ItemDto> {
    this.requireAccount(accountId);
    return this.requireItem(accountId, itemId);
  }

  async search({ query, offset, limit }: MethodArgs<'search'>): Promise<MethodResults['search']> {
    if (query.within) {
      this.requireAccount(query.within.accountId);
      const folder = this.requireItem(query.within.accountId, query.within.folderId);
      if (folder.kind !== 'folder')
        throw new SkyfoldError('invalid_argument', `"${folder.name}" is not a folder to search in`);
    }
    this.searchEngine ??= new SearchEngine(this.indexDb, () =>
      this.accounts
        .list()
        .map((account) => ({ id: account.id, name: account.name, provider: account.provider })),
    );
    return this.searchEngine.search(query, { offset, limit });
  }

  /** The browser's file operations (file-ops.ts), made on first use. */
  private get fileOps(): FileOps {
    this.fileOpsInstance ??= new FileOps({
      stores: { items: this.items, syncState: this.syncStore },
      provider: (accountId) => this.connection(this.requireAccount(accountId)),
      changed: (accountId) => this.emit({ type: 'index-changed', accountId }),
    });
    return this.fileOpsInstance;
  }

  async createFolder({ accountId, parentId, name }: MethodArgs<'createFolder'>): Promise<ItemDto> {
    return this.fileOps.createFolder(accountId, parentId, name);
  }

  async renameItem({ accountId, itemId, name }: MethodArgs<'renameItem'>): Promise<ItemDto> {
    return this.fileOps.rename(accountId, itemId, name);
  }

  async trashItems({ items }: MethodArgs<'trashItems'>): Promise<MethodResults['trashItems']> {
    return this.fileOps.trash(items);
  }

  async restoreItems({ items }: MethodArgs<'restoreItems'>): Promise<MethodResults['restoreItems']> {
    return this.fileOps.restore(items);
  }

  async startTransfer({
    op,
    source,
    destination,
    conflict,
  }: MethodArgs<'startTransfer'>): Promise<MethodResults['startTransfer']> {
    if ('accountId' in source) this.requireAccount(source.accountId);
    this.requireAccount(destination.accountId);
    return this.planTransfer({
      op,
      origin: 'ui',
      source: 'accountId' in source ? source : await localSource(source.paths),
      destination,
      conflict: conflict ?? null,
    });
  }

  async decideTransfer({
    batchId,
    conflict,
    remember,
  }: MethodArgs<'decideTransfer'>): Promise<MethodResults['decideTransfer']> {
    return this.transfers.decide(batchId, conflict, remember ?? false);
  }

  async controlTransfers({ action, batchId, jobId }: MethodArgs<'controlTransfers'>): Promise<null> {
    await this.transfers.control(action, {
      ...(batchId === undefined ? {} : { batchId }),
      ...(jobId === undefined ? {} : { jobId }),
    });
    return null;
  }

  async listTransfers({ batchId }: MethodArgs<'listTransfers'>): Promise<MethodResults['listTransfers']> {
    return this.transfers.list(batchId);
  }

  async getTransferSettings(): Promise<MethodResults['getTransferSettings']> {
    return this.transfers.settings();
  }

  async setTransferSettings({
    bandwidthLimit,
    concurrency,
    conflictDefault,
  }: MethodArgs<'setTransferSettings'>): Promise<MethodResults['setTransferSettings']> {
    return this.transfers.updateSettings({
      ...(bandwidthLimit === undefined ? {} : { bandwidthLimit }),
      ...(concurrency === undefined ? {} : { concurrency }),
      ...(conflictDefault === undefined ? {} : { conflictDefault }),
    });
  }

  async beginUpload({
    destination,
    files,
    conflict,
  }: MethodArgs<'beginUpload'>): Promise<{ uploadId: string }> {
    this.requireAccount(destination.accountId);
    const uploadId = await this.transfers.beginUpload({ ...destination, conflict: conflict ?? null }, files);
    return { uploadId };
  }

  async finishUpload({ uploadId }: MethodArgs<'finishUpload'>): Promise<MethodResults['finishUpload']> {
    return this.transfers.finishUpload(uploadId);
  }

  async cacheForDrag({ accountId, itemIds }: MethodArgs<'cacheForDrag'>): Promise<{ paths: string[] }> {
    this.requireAccount(accountId);
    return { paths: await this.transfers.cacheForDrag(accountId, itemIds) };
  }

  // --- for the hosts (bytes that do not cross the contract) ---------------------------------------

  /** Where `cacheForDrag` puts files: hosts drag out only files inside it. */
  readonly dragCacheDir: string;

  /** Thumbnails on disk (`<dataDir>/thumbnails/`): made on first use (see `thumbnailCache`). */
  /**
   * The thumbnail cache, made on first use; it then forgets the thumbnails of accounts removed
   * meanwhile (by another process too). removeAccount forgets an account's thumbnails at once.
   */
  private get thumbnailCache(): ThumbnailCache {
    if (this.thumbnailCacheInstance) return this.thumbnailCacheInstance;
    const cache = new ThumbnailCache({ dir: path.join(this.cloud.dataDir, 'thumbnails') });
    this.thumbnailCacheInstance = cache;
    this.pruneThumbnails();
    return cache;
  }

  /** Drops the cached thumbnails of accounts that are no longer there. Never throws. */
  private pruneThumbnails(): void {
    const ids = this.accounts.list().map((account) => account.id);
    void this.thumbnailCacheInstance?.keepOnly(ids).catch(() => undefined);
  }

  /**
   * The thumbnail of a file (a shortcut: of its target), `size` pixels on its longest side at most:
   * from the disk cache, else from the provider's thumbnail service (and kept, "none" included, until
   * the file's modification time or size change in the index). Null when there is none: the provider
   * offers no thumbnails, the file is not a raster image (the provider is asked only for those:
   * `mayHaveThumbnail`), or the provider has none for it. Throws not_found (account, or item not in
   * the index or gone), invalid_argument (a folder), and the provider's errors (never kept: the next
   * request asks again). Safe to repeat.
   */
  async openThumbnail(accountId: string, itemId: string, size: ThumbnailSize): Promise<Thumbnail | null> {
    const account = this.requireAccount(accountId);
    const listed = this.requireItem(accountId, itemId);
    const item = listed.targetId === null ? listed : this.requireItem(accountId, listed.targetId);
    if (item.kind !== 'file') throw new SkyfoldError('invalid_argument', `"${item.name}" is a folder`);
    if (!mayHaveThumbnail(item.name, item.mimeType)) return null;
    return this.thumbnailCache.get(
      { accountId, itemId: item.id, size, version: `${item.modifiedAt}:${item.size}` },
      async () => {
        const provider = await this.connection(account);
        if (!provider.features.thumbnails || !provider.thumbnail) return null;
        return checkedThumbnail(await provider.thumbnail(item.id, size));
      },
    );
  }

  /**
   * A file's bytes for the preview panel (a shortcut: its target's), when preview-policy.ts allows
   * its type and size (as the index knows them): a refusal otherwise. Throws not_found (account or
   * item), invalid_argument (a folder), and the provider's read errors. Safe to repeat.
   */
  async openPreview(accountId: string, itemId: string): Promise<Preview | PreviewRefusal> {
    const account = this.requireAccount(accountId);
    const listed = this.requireItem(accountId, itemId);
    const item = listed.targetId === null ? listed : this.requireItem(accountId, listed.targetId);
    if (item.kind !== 'file') throw new SkyfoldError('invalid_argument', `"${item.name}" is a folder`);
    const plan = planPreview(item);
    if ('refused' in plan) return plan;
    const provider = await this.connection(account);
    return { ...plan, name: item.name, stream: await provider.read(item.id, plan.range) };
  }

  /**
   * Stores the bytes of file `index` of an upload announced by beginUpload (the web host's PUT).
   * Throws not_found (unknown upload or index), invalid_argument (another length than announced,
   * a body that ended early: nothing is kept), conflict (that file was received already).
   */
  receiveUpload(uploadId: string, index: number, body: Readable, length: number): Promise<void> {
    return this.transfers.receiveUpload(uploadId, index, body, length);
  }

  /** A file's bytes, for a browser download (the web host). Throws not_found, invalid_argument (a folder). */
  async openDownload(
    accountId: string,
    itemId: string,
  ): Promise<{ name: string; size: number | null; mimeType: string | null; stream: Readable }> {
    const provider = await this.connection(this.requireAccount(accountId));
    const item = await provider.stat(itemId);
    if (item.kind !== 'file') throw new SkyfoldError('invalid_argument', `"${item.name}" is a folder`);
    return { name: item.name, size: item.size, mimeType: item.mimeType, stream: await provider.read(itemId) };
  }

  /**
   * Plans a transfer from or to an account or a folder on this computer (the CLI names local paths;
   * the contract does not) and starts running it in the background. Resolves with the plan.
   */
  async planTransfer(request: TransferRequest): Promise<MethodResults['startTransfer']> {
    const plan = await this.transfers.plan(request);
    void this.transfers.run().catch(() => undefined);
    return plan;
  }

  /** A bandwidth limit (bytes per second) for the transfers this process runs, over the setting (the CLI's --bwlimit). */
  limitBandwidthForThisProcess(bytesPerSecond: number): void {
    this.transfers.limitThisProcess(bytesPerSecond);
  }

  /** Runs the transfer queue until nothing can run (every job ended, paused or waiting). */
  runTransfers(): Promise<void> {
    return this.transfers.run();
  }

  /**
   * After a batch ended: brings the accounts it changed up to date in the index (the destination;
   * the sources too for a move), then records the hashes computed while copying on both ends' rows
   * (they make duplicates across clouds findable).
   */
  private async afterTransfer(batchId: string): Promise<void> {
    const batch = this.transfers.journal.batch(batchId);
    if (!batch) return;
    const jobs = this.transfers.journal.jobs(batchId).filter((job) => job.state === 'done');
    if (jobs.length === 0) return;
    const accountOf = (endpoint: string): string | null => {
      const ref = refOf(endpoint);
      return 'accountId' in ref && this.accounts.get(ref.accountId) ? ref.accountId : null;
    };
    const destination = accountOf(batch.dest);
    const sources = new Set(jobs.map((job) => accountOf(job.src)));
    sources.delete(null);
    const changed = new Set([destination, ...(batch.op === 'move' ? sources : [])]);
    changed.delete(null);
    await Promise.all([...changed].map((accountId) => this.refreshAccount({ accountId: accountId! })));
    for (const job of jobs) {
      if (!job.computed || job.kind !== 'file') continue;
      const hashes = job.computed as Record<string, string>;
      if (destination !== null && job.destId !== null)
        this.items.addHashes(destination, job.destId, job.srcSize, hashes);
      const source = accountOf(job.src);
      if (batch.op === 'copy' && source !== null)
        this.items.addHashes(source, job.srcId, job.srcSize, hashes);
    }
  }

  async resolvePath({ accountId, path: itemPath }: MethodArgs<'resolvePath'>): Promise<ItemDto> {
    const account = this.requireAccount(accountId);
    let segments: string[];
    try {
      segments = splitPath(itemPath);
    } catch (error) {
      throw new SkyfoldError('invalid_argument', (error as Error).message);
    }
    let current = this.requireItem(account.id, account.rootId);
    for (const [index, segment] of segments.entries()) {
      const matches = this.items.childrenNamed(account.id, current.id, segment, {
        caseInsensitive: caseInsensitiveKinds.has(account.provider),
      });
      const isLast = index === segments.length - 1;
      const next = isLast ? matches[0] : matches.find((item) => item.kind === 'folder');
      if (!next)
        throw new SkyfoldError(
          'not_found',
          `${account.name}:/${segments.slice(0, index + 1).join('/')} is not in the index`,
        );
      current = next;
    }
    return current;
  }

  // --- internals -----------------------------------------------------------------------------

  /** The account's syncer, made on first use. */
  private syncer(account: StoredAccount): AccountSyncer {
    let syncer = this.syncers.get(account.id);
    if (!syncer) {
      syncer = new AccountSyncer({
        accountId: account.id,
        provider: async () => {
          const provider = await this.connection(account);
          await this.refreshQuota(account.id, provider);
          return provider;
        },
        stores: { items: this.items, syncState: this.syncStore },
        ...(account.provider === 'local' ? { localRoot: String(account.config.path) } : {}),
        report: () => this.emit({ type: 'accounts-changed' }),
        indexChanged: () => this.emit({ type: 'index-changed', accountId: account.id }),
        ...(this.syncTiming ? { timing: this.syncTiming } : {}),
      });
      this.syncers.set(account.id, syncer);
    }
    return syncer;
  }

  /** Asks the provider for the account's quota when the last answer is older than `quotaMaxAgeMs`. */
  private async refreshQuota(accountId: string, provider: Provider): Promise<void> {
    const now = Date.now();
    if (now - (this.quotaCheckedAt.get(accountId) ?? -Infinity) < quotaMaxAgeMs) return;
    this.quotaCheckedAt.set(accountId, now);
    const about = await provider.about().catch(() => null);
    if (about) this.quotas.set(accountId, { usedBytes: about.usedBytes, totalBytes: about.totalBytes });
  }

  /** A new or reconnected account: its first sync now, and in the background from then on when on. */
  private startSyncing(account: StoredAccount): void {
    const syncer = this.syncer(account);
    if (this.backgroundSync) {
      syncer.start();
      syncer.wake();
    } else void syncer.sync();
  }

  private authStateChanged(change: AuthStateChange): void {
    if (change.state !== 'needs_reconnect') {
      if (this.needsReconnect.delete(change.accountId)) {
        this.emit({ type: 'accounts-changed' });
        // Signed in again: the jobs the lost sign-in paused go on.
        this.transfers.resumeAfterReconnect(change.accountId);
      }
      return;
    }
    this.needsReconnect.add(change.accountId);
    this.emit({ type: 'accounts-changed' });
  }

  private connection(account: StoredAccount): Promise<Provider> {
    let connection = this.connections.get(account.id);
    if (!connection) {
      connection = this.openProvider(account);
      connection.catch(() => this.connections.delete(account.id));
      this.connections.set(account.id, connection);
    }
    return connection;
  }

  private async openProvider(account: StoredAccount): Promise<Provider> {
    switch (account.provider) {
      case 'local':
        return LocalProvider.open(String(account.config.path));
      default:
        return openCloudProvider(account, this.cloud);
    }
  }

  private requireAccount(accountId: string): StoredAccount {
    const account = this.accounts.get(accountId);
    if (!account) throw notFoundAccount(accountId);
    return account;
  }

  private requireItem(accountId: string, itemId: string): ItemDto {
    const item = this.items.get(accountId, itemId);
    if (!item) throw new SkyfoldError('not_found', `item "${itemId}" is not in the index`);
    return item;
  }

  /** The first of `candidate(1)`, `candidate(2)`... that no account has as its name (case-insensitively). */
  private freeName(candidate: (n: number) => string): string {
    const taken = new Set(this.accounts.list().map((account) => account.name.toLowerCase()));
    for (let n = 1; ; n++) {
      const name = candidate(n);
      if (!taken.has(name.toLowerCase())) return name;
    }
  }

  /** A local folder's default name: the folder's, numbered when taken (`Documents (2)`). */
  private freeFolderName(base: string): string {
    const cleaned = base.replaceAll(':', '_');
    return this.freeName((n) => numberedName(cleaned, n));
  }

  /**
   * A cloud account's default name: its e-mail; when another account has it (the same person's Drive
   * and Dropbox), the e-mail with the cloud's name: `me@example.com (Dropbox)`, then `(Dropbox 2)`...
   */
  private freeCloudName(location: string, kind: CloudKind): string {
    const base = location.replaceAll(':', '_');
    const label = providerLabels[kind];
    return this.freeName((n) =>
      n === 1 ? base : n === 2 ? `${base} (${label})` : `${base} (${label} ${n - 1})`,
    );
  }

  private toDto(account: StoredAccount): AccountDto {
    return {
      id: account.id,
      name: account.name,
      provider: account.provider,
      location: account.location,
      rootId: account.rootId,
      quota: this.quotas.get(account.id) ?? null,
      health: this.needsReconnect.has(account.id) ? 'needs_reconnect' : 'ok',
      sync: this.syncer(account).current,
    };
  }

  private emit(event: EngineEvent): void {
    this.events.emit('event', event);
  }
}

function notFoundAccount(accountId: string): SkyfoldError {
  return new SkyfoldError('not_found', `no account "${accountId}"`);
}

/** Account names appear in `ACCOUNT:PATH`, so they cannot contain a colon. */
function checkAccountName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.includes(':')) {
    throw new SkyfoldError(
      'invalid_argument',
      `"${name}" cannot be an account name (empty, or contains ":")`,
    );
  }
  return trimmed;
}
