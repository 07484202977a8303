/**
 * Keeps one account's index fresh: sync runs on demand (`sync`), and, once started, by itself:
 * - clouds with push (Dropbox's longpoll) wait on it and sync when told something changed;
 * - other clouds are polled every `pollIntervalMs`;
 * - local folders are watched (local-watcher.ts) and only the folders that changed are re-read;
 * - `wake()` (the window got focus, the network came back) syncs at once.
 * When the service cannot be reached the account is `offline` and retried with growing pauses; the
 * index keeps serving browsing and search meanwhile. Sign-in problems stop the loop until `wake()`.
 *
 * Runs never overlap: concurrent `sync` calls share the run under way (a `full` request waits for
 * it and then crawls). `sync` never throws for the account's own failures: they become its state.
 */
import type { SyncState } from '../../../common/dto';
import { SkyfoldError } from '../../../common/errors';
import type { Provider } from '../providers/types';
import { syncAccount, type SyncOutcome, type SyncStores } from './account-sync';
import { LocalWatcher, localParentId, type LocalChange } from './local-watcher';
import { refreshFolders } from './refresh-folders';

export interface SyncTiming {
  /** Between two change checks of a feed without push. */
  pollIntervalMs: number;
  /** How long one push wait (longpoll) may last. */
  pushTimeoutSeconds: number;
  /** First and longest pause before trying an offline account again (doubling in between). */
  offlineRetryMs: { first: number; max: number };
  /** Between two crawl-progress notifications. */
  progressIntervalMs: number;
  /** Quiet time after local changes before they are read. */
  localDebounceMs: number;
}

export const defaultSyncTiming: SyncTiming = {
  pollIntervalMs: 60_000,
  pushTimeoutSeconds: 120,
  offlineRetryMs: { first: 5_000, max: 300_000 },
  progressIntervalMs: 250,
  localDebounceMs: 200,
};

export interface AccountSyncerDeps {
  accountId: string;
  /** The account's provider (connecting when needed); throws like the provider. */
  provider: () => Promise<Provider>;
  stores: SyncStores;
  /** The folder a local account is (watched when started); absent for clouds. */
  localRoot?: string;
  /** Every state change. */
  report: (state: SyncState) => void;
  /** Rows of the account changed (progress of a crawl, a batch of changes). */
  indexChanged: () => void;
  timing?: Partial<SyncTiming>;
  now?: () => number;
}

/** How a run ended: `signed-out` is an error only a new sign-in (a wake) can end. */
type RunResult = 'ok' | 'offline' | 'error' | 'signed-out' | 'stopped';

export class AccountSyncer {
  private readonly timing: SyncTiming;
  private readonly now: () => number;
  private running: Promise<RunResult> | undefined;
  private fullRequested = false;
  private state: SyncState;
  private readonly stopController = new AbortController();
  private started = false;
  /** Aborted by `wake()` to end the loop's current wait. */
  private waitController = new AbortController();
  private watcher: LocalWatcher | undefined;
  /** Local folders reported changed and not yet read; null: the whole folder must be crawled. */
  private localDirty: Set<string> | null = null;

  constructor(private readonly deps: AccountSyncerDeps) {
    this.timing = { ...defaultSyncTiming, ...deps.timing };
    this.now = deps.now ?? Date.now;
    const stored = deps.stores.syncState.get(deps.accountId);
    this.state = {
      state: 'idle',
      itemCount: deps.stores.items.countItems(deps.accountId),
      lastSyncedAt: stored.lastSyncedAt,
    };
  }

  get current(): SyncState {
    return this.state;
  }

  /** Brings the index up to date now (see the module comment); resolves with the state after. */
  async sync(options: { full?: boolean } = {}): Promise<SyncState> {
    if (options.full) this.fullRequested = true;
    if (this.running && !options.full) {
      await this.running;
      return this.state;
    }
    if (this.stopController.signal.aborted) return this.state;
    await this.runShared();
    return this.state;
  }

  /** Starts keeping the account fresh by itself (a first sync at once). Idempotent. */
  start(): void {
    if (this.started || this.stopController.signal.aborted) return;
    this.started = true;
    void this.loop();
  }

  /** Ends any wait: the loop syncs at once (and a loop stopped by a sign-in problem resumes). */
  wake(): void {
    this.waitController.abort();
  }

  /** Stops the loop, the watcher and the run under way (which rejects nothing: it ends as `stopped`). Final. */
  stop(): void {
    this.stopController.abort(new SkyfoldError('permanent', 'sync stopped'));
    void this.watcher?.close();
    this.waitController.abort();
  }

  /** Resolves when no run is under way (after `stop`, when the stopped run has ended). */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  // ---------------------------------------------------------------------------------------------

  private async loop(): Promise<void> {
    const stopped = this.stopController.signal;
    let offlinePause = this.timing.offlineRetryMs.first;
    while (!stopped.aborted) {
      if (this.deps.localRoot !== undefined && !this.watcher) await this.watchLocal();
      const result = await this.runShared();
      if (stopped.aborted) return;
      if (result === 'offline') {
        await this.pause(offlinePause);
        offlinePause = Math.min(offlinePause * 2, this.timing.offlineRetryMs.max);
        continue;
      }
      offlinePause = this.timing.offlineRetryMs.first;
      if (result === 'signed-out') {
        // Nothing to retry by ourselves: wait for wake() (a reconnect wakes the account).
        await this.pause(null);
        continue;
      }
      if (result === 'error') {
        // Refused or malformed answers: try again on the poll schedule, not at once.
        await this.pause(this.timing.pollIntervalMs);
        continue;
      }
      if (this.deps.localRoot !== undefined) {
        await this.pause(null);
        continue;
      }
      const provider = await this.deps.provider().catch(() => null);
      const feed = provider?.changeFeed;
      const cursor = this.deps.stores.syncState.get(this.deps.accountId).cursor;
      if (feed?.waitForChanges && cursor !== null) {
        await this.waitForPush(feed, cursor);
        continue;
      }
      await this.pause(this.timing.pollIntervalMs);
    }
  }

  /**
   * Waits on the service's push (each wait is one request, Dropbox's longpoll) until it says
   * something changed after `cursor`, or a wake, or a stop; honours the backoff it asks for. A push
   * that fails is not retried at once: the loop syncs after a poll interval instead.
   */
  private async waitForPush(feed: NonNullable<Provider['changeFeed']>, cursor: string): Promise<void> {
    const signal = this.waitController.signal;
    const timeoutSeconds = this.timing.pushTimeoutSeconds;
    while (!signal.aborted && !this.stopController.signal.aborted) {
      let pushed: { changed: boolean; backoffSeconds: number | null };
      try {
        pushed = await feed.waitForChanges!(cursor, { timeoutSeconds, signal });
      } catch {
        await this.pause(this.timing.pollIntervalMs);
        break;
      }
      if (pushed.backoffSeconds !== null) await this.pause(pushed.backoffSeconds * 1000);
      if (pushed.changed) break;
    }
    this.renewWait();
  }

  /** Waits `ms` (null: until woken) or until woken or stopped. */
  private async pause(ms: number | null): Promise<void> {
    const signal = this.waitController.signal;
    if (!signal.aborted && !this.stopController.signal.aborted) {
      await new Promise<void>((resolve) => {
        const timer = ms === null ? undefined : setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve();
        }
        signal.addEventListener('abort', done, { once: true });
      });
    }
    this.renewWait();
  }

  private renewWait(): void {
    if (this.waitController.signal.aborted) this.waitController = new AbortController();
  }

  private async runShared(): Promise<RunResult> {
    while (this.running) await this.running;
    const run = this.run().finally(() => (this.running = undefined));
    this.running = run;
    return run;
  }

  private async run(): Promise<RunResult> {
    const { accountId, stores } = this.deps;
    const signal = this.stopController.signal;
    const full = this.fullRequested;
    this.fullRequested = false;
    const lastSyncedAt = stores.syncState.get(accountId).lastSyncedAt;
    let lastProgress = 0;
    try {
      const provider = await this.deps.provider();
      const local = this.takeLocalChanges(full);
      if (local) {
        const result = await refreshFolders(accountId, provider, stores, local, { signal });
        stores.syncState.markSynced(accountId, this.now());
        if (result.written + result.removed > 0) this.deps.indexChanged();
        this.settle(null);
        return 'ok';
      }
      const outcome = await syncAccount(accountId, provider, stores, {
        full,
        signal,
        now: this.now,
        onCrawlProgress: (itemsWritten) => {
          const now = this.now();
          if (this.state.state !== 'crawling') {
            this.setState({ state: 'crawling', itemCount: itemsWritten, lastSyncedAt });
          } else if (now - lastProgress >= this.timing.progressIntervalMs) {
            this.state = { state: 'crawling', itemCount: itemsWritten, lastSyncedAt };
            this.deps.indexChanged();
          } else return;
          lastProgress = now;
        },
        onChanges: () => this.deps.indexChanged(),
      });
      if (outcome.kind === 'crawl' || outcome.applied > 0) this.deps.indexChanged();
      this.settle(outcome);
      return 'ok';
    } catch (error) {
      if (signal.aborted) return 'stopped';
      const message = readable(error instanceof Error ? error.message : String(error));
      const itemCount = stores.items.countItems(accountId);
      if (isOffline(error)) {
        this.setState({ state: 'offline', itemCount, lastSyncedAt, message });
        return 'offline';
      }
      this.setState({ state: 'error', itemCount, lastSyncedAt, message });
      return error instanceof SkyfoldError && error.code === 'needs_reconnect' ? 'signed-out' : 'error';
    }
  }

  /** The state after a successful run. */
  private settle(outcome: SyncOutcome | null): void {
    const { accountId, stores } = this.deps;
    const itemCount = stores.items.countItems(accountId);
    const lastSyncedAt = stores.syncState.get(accountId).lastSyncedAt;
    const failures = outcome?.kind === 'crawl' ? outcome.failures : [];
    const [first] = failures;
    this.setState(
      first
        ? {
            state: 'error',
            itemCount,
            lastSyncedAt,
            message: `${failures.length} folder(s) could not be read (${first.message}); their last known content is kept`,
          }
        : { state: 'idle', itemCount, lastSyncedAt },
    );
  }

  private setState(state: SyncState): void {
    this.state = state;
    this.deps.report(state);
  }

  // --- local folders ---------------------------------------------------------------------------

  /** Starts the local folder's watcher; a folder that cannot be watched is crawled on every run instead. */
  private async watchLocal(): Promise<void> {
    try {
      this.watcher = await LocalWatcher.start(this.deps.localRoot!, (change) => this.localChanged(change), {
        debounceMs: this.timing.localDebounceMs,
      });
      // Changes made before the watch began are not reported: the next run crawls (localDirty null).
      this.localDirty = null;
      if (this.stopController.signal.aborted) await this.watcher.close();
    } catch {
      this.watcher = undefined;
    }
  }

  private localChanged(change: LocalChange): void {
    if ('everything' in change) this.localDirty = null;
    else if (this.localDirty !== null) for (const folder of change.folders) this.localDirty.add(folder);
    this.wake();
  }

  /**
   * The local folders to re-read in this run, or null to crawl the whole account (not watched, the
   * first run since watching began, a watcher failure, or `full`). Each folder is the nearest one the
   * index knows (a folder created inside a new folder is read from the new folder down).
   */
  private takeLocalChanges(full: boolean): string[] | null {
    if (this.deps.localRoot === undefined || !this.watcher) return null;
    const dirty = this.localDirty;
    this.localDirty = new Set();
    if (dirty === null || full) return null;
    const known = (id: string) => this.deps.stores.items.has(this.deps.accountId, id);
    return [...dirty].map((id) => {
      let folder = id;
      while (folder !== '' && !known(folder)) folder = localParentId(folder);
      return folder;
    });
  }
}

/**
 * An error message as the account's state shows it: URLs without their query strings (HTTP clients
 * put whole request URLs in network errors; the paging tokens in them mean nothing to people).
 */
export function readable(message: string): string {
  return message.replace(/(https?:\/\/[^\s?#]*)[?#]\S*/g, '$1');
}

/** Failures that mean the service cannot be reached now (network down, server unavailable, throttled). */
function isOffline(error: unknown): boolean {
  return error instanceof SkyfoldError && (error.code === 'transient' || error.code === 'rate_limited');
}
