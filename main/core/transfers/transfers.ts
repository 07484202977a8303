/**
 * Transfers as the service offers them: plans a batch from an account or a folder on this
 * computer to another, runs the journal's queue (one runner per data directory: the lease), and
 * shows batches and jobs as contract DTOs. Knows nothing of hosts; the service gives it providers.
 *
 * Endpoints are stored in the journal as JSON: `{"account": id}` or `{"path": "/abs/folder"}` (a
 * local folder named by the CLI or the desktop, read through a LocalProvider opened there).
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import {
  conflictChoices,
  defaultTransferConcurrency,
  maxTransferConcurrency,
  type ConflictChoiceDto,
  type TransferActionDto,
  type TransferBatchDto,
  type TransferJobDto,
  type TransferOpDto,
  type TransferPlanDto,
  type TransferSettingsDto,
} from '../../../common/transfers';
import { SkyfoldError } from '../../../common/errors';
import type { SqliteDatabase } from '../index/database';
import { LocalProvider } from '../providers/local/local-provider';
import type { Provider } from '../providers/types';
import { TransferEngine } from './engine';
import {
  terminalJobStates,
  TransferJournal,
  type Batch,
  type BatchStats,
  type Job,
  type JobScope,
} from './journal';
import { planBatch } from './planner';
import { RateMeter } from './rate-meter';
import { TokenBucket } from './token-bucket';
import { UploadSpool } from './upload-spool';
import { checkDestination } from './verify';

/** Where items come from or go: an account, or a folder on this computer. */
export type EndpointRef = { accountId: string } | { path: string };

export interface TransferRequest {
  op: TransferOpDto;
  origin: string;
  source: EndpointRef & { itemIds: readonly string[] };
  destination: EndpointRef & { folderId: string };
  conflict: ConflictChoiceDto | null;
}

export interface TransfersDeps {
  stateDb: SqliteDatabase;
  /** Where uploads wait for their bytes and drag-outs are downloaded to (the data directory's). */
  uploadsDir: string;
  dragCacheDir: string;
  /** The provider of an account (the service's shared connection). Throws not_found. */
  accountProvider(accountId: string): Promise<Provider>;
  /** Batches or jobs changed or progressed (called at most every `changeIntervalMs`). */
  changed(): void;
  /** A batch ended (every job done, skipped, failed or cancelled). */
  ended(batch: TransferBatchDto): void;
}

/** Which jobs a control applies to: one job, one batch, or all (neither given). */
export interface ControlScope {
  jobId?: number;
  batchId?: string;
}

/** How often the runner renews its lease while it runs. */
const heartbeatMs = 5_000;
/** A batch left in `planning` longer than this was abandoned by a crash. */
const abandonedPlanningMs = 10 * 60_000;
/** How often a batch run by another process is looked at, for `whenEnded`. */
const endedPollMs = 500;
/** Progress reaches the UI at most this often. */
const changeIntervalMs = 250;
/** Uploads that never finished, and drag-out copies, are removed after this long. */
const spoolMaxAgeMs = 24 * 60 * 60_000;
const uploadOrigin = 'web-upload:';
const bandwidthKey = 'transfers.bandwidthLimit';
const conflictKey = 'transfers.conflictDefault';
const concurrencyKey = 'transfers.concurrency';

/** A settings change: null clears a setting (unlimited, the default concurrency, ask). */
export type NullableSettings = {
  [K in keyof TransferSettingsDto]: TransferSettingsDto[K] | null;
};

export class Transfers {
  readonly journal: TransferJournal;
  private readonly engine: TransferEngine;
  private readonly bucket: TokenBucket;
  private readonly uploads: UploadSpool<UploadDestination>;
  private readonly localProviders = new Map<string, Promise<LocalProvider>>();
  /** Bytes sent so far by each running file job, and the speed of each batch. */
  private readonly progress = new Map<number, { batchId: string; bytes: number }>();
  private readonly meters = new Map<string, RateMeter>();
  private readonly endedWaiters = new Map<string, Array<(batch: Batch) => void>>();
  private running: Promise<void> | null = null;
  private runAgain = false;
  private changeTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** The runner lease while this process holds it. */
  private leaseToken: string | null = null;
  /** The CLI's --bwlimit for this process, over the setting. */
  private processLimit: number | null = null;
  /** The concurrency setting as last read (the journal is shared with other processes). */
  private concurrency: number;

  constructor(private readonly deps: TransfersDeps) {
    this.journal = new TransferJournal(deps.stateDb);
    this.bucket = new TokenBucket(this.settings().bandwidthLimit);
    this.concurrency = this.settings().concurrency;
    this.uploads = new UploadSpool(deps.uploadsDir);
    this.engine = new TransferEngine({
      journal: this.journal,
      provider: (endpoint) => this.providerOf(endpoint),
      bucket: this.bucket,
      maxActive: () => this.concurrency,
      onProgress: (jobId, bytes) => this.recordProgress(jobId, bytes),
      onChange: () => this.changed(),
      onBatchEnded: (batchId) => this.batchEnded(batchId),
      onJobSettled: (jobId) => this.progress.delete(jobId),
      onWatch: () => this.applyLimits(),
    });
  }

  /**
   * Plans a batch (nothing moves yet) and returns what was decided. Without a conflict choice, the
   * remembered one applies (settings). Throws what the providers throw.
   */
  async plan(request: TransferRequest): Promise<TransferPlanDto> {
    const { source, destination } = await this.onOneDisk(
      { endpoint: endpointOf(request.source), ids: request.source.itemIds },
      { endpoint: endpointOf(request.destination), ids: [request.destination.folderId] },
    );
    const plan = await planBatch(this.journal, {
      op: request.op,
      origin: request.origin,
      source: {
        endpoint: source.endpoint,
        provider: await this.providerOf(source.endpoint),
        itemIds: source.ids,
      },
      destination: {
        endpoint: destination.endpoint,
        provider: await this.providerOf(destination.endpoint),
        folderId: destination.ids[0]!,
      },
      conflict: request.conflict ?? this.settings().conflictDefault,
    });
    this.changed();
    return plan;
  }

  /**
   * Answers a batch waiting for a decision: plans it again with `conflict` (it never ran, so
   * nothing happened yet) and returns the new plan (a new batch id). `remember` keeps the choice
   * for later batches. Throws not_found, conflict (the batch does not wait for a decision).
   */
  async decide(batchId: string, conflict: ConflictChoiceDto, remember: boolean): Promise<TransferPlanDto> {
    const batch = this.journal.batch(batchId);
    if (!batch) throw new SkyfoldError('not_found', `no transfer batch ${batchId}`);
    if (batch.state !== 'needs-decision')
      throw new SkyfoldError('conflict', `transfer batch ${batchId} does not wait for a decision`);
    if (remember) this.journal.setSetting(conflictKey, conflict);
    const top = this.journal.jobs(batchId).filter((job) => job.parentJob === null);
    this.journal.deleteBatch(batchId);
    const plan = await this.plan({
      op: batch.op,
      origin: batch.origin,
      source: { ...refOf(top[0]!.src), itemIds: top.map((job) => job.srcId) },
      destination: { ...refOf(batch.dest), folderId: batch.destFolderId },
      conflict,
    });
    void this.run().catch(() => undefined);
    return plan;
  }

  /**
   * Pauses, resumes, cancels or retries the jobs in `scope` (see the contract's controlTransfers).
   * A pause stops the running ones at once when this process runs them, else within a second (the
   * runner watches the journal). A cancel is carried out by the runner: it removes copies that were
   * made but not yet finished and never touches a source. Throws not_found for an unknown job or
   * batch.
   */
  async control(action: TransferActionDto, scope: ControlScope): Promise<void> {
    const jobScope = this.scopeOf(scope);
    switch (action) {
      case 'pause':
        await this.engine.interrupt(this.journal.pauseJobs(jobScope));
        break;
      case 'resume':
        this.journal.resumeJobs(jobScope);
        break;
      case 'retry':
        this.journal.retryJobs(jobScope);
        break;
      case 'cancel':
        await this.engine.interrupt(this.journal.requestCancel(jobScope));
        await this.carryOutCancels();
        break;
    }
    this.changed();
    if (action === 'resume' || action === 'retry') {
      this.engine.wake();
      void this.run().catch(() => undefined);
    }
  }

  /**
   * Resumes the jobs a lost sign-in of this account paused (from or to it), and runs them with the
   * account's new connection.
   */
  resumeAfterReconnect(accountId: string): void {
    const endpoint = endpointOf({ accountId });
    this.engine.forgetProvider(endpoint);
    if (this.journal.resumeReconnected(endpoint) === 0) return;
    this.changed();
    this.engine.wake();
    void this.run().catch(() => undefined);
  }

  settings(): TransferSettingsDto {
    const limit = this.journal.setting(bandwidthKey);
    const conflict = this.journal.setting(conflictKey);
    const concurrency = Number(this.journal.setting(concurrencyKey));
    return {
      bandwidthLimit: limit === undefined ? null : Number(limit),
      concurrency:
        Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= maxTransferConcurrency
          ? concurrency
          : defaultTransferConcurrency,
      conflictDefault: (conflictChoices as readonly string[]).includes(conflict ?? '')
        ? (conflict as ConflictChoiceDto)
        : null,
    };
  }

  /** Limits the transfers this process runs to `bytesPerSecond`, whatever the setting says. */
  limitThisProcess(bytesPerSecond: number): void {
    this.processLimit = bytesPerSecond;
    this.applyLimits();
  }

  /**
   * Changes settings (absent: unchanged, null: cleared); the bandwidth limit and the concurrency apply
   * at once to this process's run (another process's run reads them within a second, `onWatch`).
   */
  updateSettings(change: Partial<NullableSettings>): TransferSettingsDto {
    const write = (key: string, value: string | number | null | undefined) => {
      if (value === null) this.journal.deleteSetting(key);
      else if (value !== undefined) this.journal.setSetting(key, String(value));
    };
    write(bandwidthKey, change.bandwidthLimit);
    write(conflictKey, change.conflictDefault);
    write(concurrencyKey, change.concurrency);
    this.applyLimits();
    return this.settings();
  }

  /**
   * Runs the queue until nothing can run (everything ended, paused, or waits for a decision).
   * Concurrent calls share the run (a call during a run makes it go round once more). Returns at
   * once when another process holds the runner lease (it runs the queue).
   */
  run(): Promise<void> {
    if (this.running) {
      this.runAgain = true;
      return this.running;
    }
    this.running = this.runHoldingLease().finally(() => (this.running = null));
    return this.running;
  }

  /** Every batch, newest first, and the jobs of those asked for (all when `batchId` is absent). */
  list(batchId?: string): { batches: TransferBatchDto[]; jobs: TransferJobDto[] } {
    const batches = this.journal.batches().reverse();
    const shown = batchId === undefined ? batches : batches.filter((batch) => batch.id === batchId);
    const stats = this.journal.batchStats();
    const now = Date.now();
    return {
      batches: shown.map((batch) => this.toBatchDto(batch, stats.get(batch.id), now)),
      jobs: shown.flatMap((batch) => this.journal.jobs(batch.id).map((job) => this.toJobDto(job, now))),
    };
  }

  /**
   * Resolves with the batch once it ended (finished or cancelled), whoever runs it: this process
   * tells at once, another one is noticed within `endedPollMs`.
   */
  whenEnded(batchId: string): Promise<Batch> {
    const batch = this.journal.batch(batchId);
    if (!batch) return Promise.reject(new SkyfoldError('not_found', `no transfer batch ${batchId}`));
    if (hasEnded(batch)) return Promise.resolve(batch);
    return new Promise((resolve) => {
      const poll = setInterval(() => {
        const now = this.closed ? undefined : this.journal.batch(batchId);
        if (now && hasEnded(now)) finish(now);
      }, endedPollMs);
      const finish = (ended: Batch) => {
        clearInterval(poll);
        resolve(ended);
      };
      const waiters = this.endedWaiters.get(batchId) ?? [];
      waiters.push(finish);
      this.endedWaiters.set(batchId, waiters);
    });
  }

  // --- drops from the web host and drags out to the desktop --------------------------------------

  /** Records an announced upload (see UploadSpool.begin). Throws not_found for the destination. */
  async beginUpload(
    destination: UploadDestination,
    files: ReadonlyArray<{ path: string; size: number }>,
  ): Promise<string> {
    const folder = await (await this.deps.accountProvider(destination.accountId)).stat(destination.folderId);
    if (folder.kind !== 'folder')
      throw new SkyfoldError('invalid_argument', `"${folder.name}" is not a folder`);
    return this.uploads.begin(files, destination);
  }

  receiveUpload(uploadId: string, index: number, body: Readable, length: number): Promise<void> {
    return this.uploads.receive(uploadId, index, body, length);
  }

  /** Plans the copy of a complete upload into its destination; its files are removed when the batch ends. */
  async finishUpload(uploadId: string): Promise<TransferPlanDto> {
    const { root, topNames, destination } = await this.uploads.finish(uploadId);
    const plan = await this.plan({
      op: 'copy',
      origin: `${uploadOrigin}${uploadId}`,
      source: { path: root, itemIds: topNames },
      destination: { accountId: destination.accountId, folderId: destination.folderId },
      conflict: destination.conflict,
    });
    void this.run().catch(() => undefined);
    return plan;
  }

  /**
   * Downloads files of an account into a fresh folder of the drag cache, verified, and returns
   * their paths. Throws invalid_argument (a folder), not_found, or permanent naming the files that
   * failed.
   */
  async cacheForDrag(accountId: string, itemIds: readonly string[]): Promise<string[]> {
    const provider = await this.deps.accountProvider(accountId);
    for (const id of itemIds) {
      const item = await provider.stat(id);
      if (item.kind !== 'file')
        throw new SkyfoldError('invalid_argument', `"${item.name}" is a folder: only files are dragged out`);
    }
    const folder = path.join(this.deps.dragCacheDir, randomBytes(8).toString('hex'));
    await fs.mkdir(folder, { recursive: true });
    const plan = await this.plan({
      op: 'copy',
      origin: 'drag-out',
      source: { accountId, itemIds },
      destination: { path: folder, folderId: '' },
      conflict: 'rename',
    });
    void this.run().catch(() => undefined);
    await this.whenEnded(plan.batchId);
    const jobs = this.journal.jobs(plan.batchId);
    const failed = jobs.filter((job) => job.state !== 'done');
    if (failed.length > 0)
      throw new SkyfoldError(
        'permanent',
        `could not download ${failed.map((job) => `"${job.srcName}" (${job.error?.message ?? job.state})`).join(', ')}`,
      );
    return jobs.map((job) => path.join(folder, job.destName));
  }

  /** Removes uploads and drag-out copies nothing needs any more (left by a crash or a closed window). */
  async sweepSpools(): Promise<void> {
    const waiting = new Set(
      this.journal
        .batches()
        .filter((batch) => batch.origin.startsWith(uploadOrigin) && !hasEnded(batch))
        .map((batch) => batch.origin.slice(uploadOrigin.length)),
    );
    await this.uploads.sweep((id) => waiting.has(id), spoolMaxAgeMs);
    const dragged = await fs.readdir(this.deps.dragCacheDir).catch(() => [] as string[]);
    for (const name of dragged) {
      const entry = path.join(this.deps.dragCacheDir, name);
      const stat = await fs.stat(entry).catch(() => null);
      if (stat && Date.now() - stat.mtimeMs > spoolMaxAgeMs)
        await fs.rm(entry, { recursive: true, force: true });
    }
  }

  /**
   * Stops everything before the database closes: running jobs are interrupted where they stand
   * (the journal resumes them at the next start, like after a crash) and no event follows.
   */
  close(): void {
    this.closed = true;
    if (this.changeTimer) clearTimeout(this.changeTimer);
    this.engine.stopAll();
    // The next process need not wait for the lease to go stale.
    if (this.leaseToken !== null) this.journal.releaseRunner(this.leaseToken);
  }

  // --- internals ---------------------------------------------------------------------------------

  /**
   * Carries out asked cancels now when no other process runs the queue (this one's run does it
   * on its next turn, another process's within a second).
   */
  private async carryOutCancels(): Promise<void> {
    if (this.running) return this.engine.wake();
    const token = this.journal.acquireRunner({ pid: process.pid, host: os.hostname() });
    if (token === null) return;
    try {
      await this.engine.carryOutCancels();
    } finally {
      this.journal.releaseRunner(token);
    }
  }

  /** Applies the bandwidth limit and the concurrency as the settings say now. */
  private applyLimits(): void {
    if (this.closed) return;
    const settings = this.settings();
    const limit = this.processLimit ?? settings.bandwidthLimit;
    if (this.bucket.bytesPerSecond !== limit) this.bucket.setRate(limit);
    if (settings.concurrency !== this.concurrency) {
      this.concurrency = settings.concurrency;
      this.engine.wake();
    }
  }

  /**
   * Two local ends where one folder holds the other (a file dropped from a folder onto the local
   * account it lies in, `cp ~/a ~/a/b`) are named from the outer one: then the planner sees ONE
   * place, so a move is a rename on disk, a folder cannot go into itself, and a file moved onto
   * itself stays as it is (it is never "copied" over itself and then trashed). Ids are relative
   * `/`-separated paths there.
   */
  private async onOneDisk(
    source: { endpoint: string; ids: readonly string[] },
    destination: { endpoint: string; ids: readonly string[] },
  ): Promise<{ source: typeof source; destination: typeof destination }> {
    const sourceRoot = await this.localRoot(source.endpoint);
    const destinationRoot = await this.localRoot(destination.endpoint);
    if (sourceRoot === null || destinationRoot === null || source.endpoint === destination.endpoint)
      return { source, destination };
    if (sourceRoot === destinationRoot) {
      // The same folder: named as the account, when one end is one (its index follows the change).
      const endpoint = 'accountId' in refOf(source.endpoint) ? source.endpoint : destination.endpoint;
      return { source: { ...source, endpoint }, destination: { ...destination, endpoint } };
    }
    const within = (outer: string, inner: string) => {
      const relative = path.relative(outer, inner);
      return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
    };
    const rebase = (from: string, to: string, ids: readonly string[]) =>
      ids.map((id) =>
        path
          .relative(to, path.join(from, ...id.split('/').filter(Boolean)))
          .split(path.sep)
          .join('/'),
      );
    if (within(sourceRoot, destinationRoot))
      return {
        source,
        destination: { endpoint: source.endpoint, ids: rebase(destinationRoot, sourceRoot, destination.ids) },
      };
    if (within(destinationRoot, sourceRoot))
      return {
        source: { endpoint: destination.endpoint, ids: rebase(sourceRoot, destinationRoot, source.ids) },
        destination,
      };
    return { source, destination };
  }

  /** The real path of a local end (a folder on this computer, or a local-folder account); null for a cloud. */
  private async localRoot(endpoint: string): Promise<string | null> {
    const provider = await this.providerOf(endpoint);
    return provider instanceof LocalProvider ? provider.rootPath : null;
  }

  private scopeOf(scope: ControlScope): JobScope {
    if (scope.jobId !== undefined) {
      if (!this.journal.job(scope.jobId))
        throw new SkyfoldError('not_found', `no transfer job ${scope.jobId}`);
      return { jobId: scope.jobId };
    }
    if (scope.batchId !== undefined) {
      if (!this.journal.batch(scope.batchId))
        throw new SkyfoldError('not_found', `no transfer batch ${scope.batchId}`);
      return { batchId: scope.batchId };
    }
    return {};
  }

  private recordProgress(jobId: number, bytes: number): void {
    if (this.closed) return;
    let entry = this.progress.get(jobId);
    if (!entry) {
      entry = { batchId: this.journal.job(jobId)!.batchId, bytes: 0 };
      this.progress.set(jobId, entry);
    }
    let meter = this.meters.get(entry.batchId);
    if (!meter) this.meters.set(entry.batchId, (meter = new RateMeter()));
    meter.add(Math.max(0, bytes - entry.bytes), Date.now());
    entry.bytes = bytes;
    this.changed();
  }

  /** Tells the UI, at most every `changeIntervalMs`. */
  private changed(): void {
    if (this.changeTimer || this.closed) return;
    this.changeTimer = setTimeout(() => {
      this.changeTimer = null;
      this.deps.changed();
    }, changeIntervalMs);
    this.changeTimer.unref();
  }

  private batchEnded(batchId: string): void {
    const batch = this.journal.batch(batchId);
    if (!batch) return;
    for (const [jobId, entry] of this.progress) if (entry.batchId === batchId) this.progress.delete(jobId);
    this.meters.delete(batchId);
    // Received files go with their batch, unless some failed: they stay for a retry (a day).
    const failed = (batch.summary as { failed?: number } | null)?.failed ?? 0;
    if (batch.origin.startsWith(uploadOrigin) && failed === 0)
      void this.uploads.remove(batch.origin.slice(uploadOrigin.length)).catch(() => undefined);
    this.deps.ended(this.toBatchDto(batch, this.journal.batchStats().get(batchId), Date.now()));
    for (const resolve of this.endedWaiters.get(batchId) ?? []) resolve(batch);
    this.endedWaiters.delete(batchId);
  }

  private async runHoldingLease(): Promise<void> {
    const token = this.journal.acquireRunner({ pid: process.pid, host: os.hostname() });
    if (token === null) return;
    this.leaseToken = token;
    const heartbeat = setInterval(() => {
      if (this.closed) clearInterval(heartbeat);
      // Taken over (this process slept past the stale limit): another runner owns the queue now.
      else if (!this.journal.heartbeat(token)) this.engine.halt();
    }, heartbeatMs);
    heartbeat.unref();
    try {
      this.journal.abandonPlanning(Date.now() - abandonedPlanningMs);
      do {
        this.runAgain = false;
        await this.engine.runUntilIdle();
      } while (this.runAgain);
    } finally {
      clearInterval(heartbeat);
      this.leaseToken = null;
      if (!this.closed) this.journal.releaseRunner(token);
    }
  }

  private async providerOf(endpoint: string): Promise<Provider> {
    const ref = refOf(endpoint);
    if ('accountId' in ref) return this.deps.accountProvider(ref.accountId);
    let local = this.localProviders.get(ref.path);
    if (!local) {
      local = LocalProvider.open(ref.path);
      local.catch(() => this.localProviders.delete(ref.path));
      this.localProviders.set(ref.path, local);
    }
    return local;
  }

  private toBatchDto(batch: Batch, stats: BatchStats | undefined, now: number): TransferBatchDto {
    let running = 0;
    for (const entry of this.progress.values()) if (entry.batchId === batch.id) running += entry.bytes;
    const ref = refOf(batch.dest);
    return {
      id: batch.id,
      op: batch.op,
      state: batch.state,
      destination: 'accountId' in ref ? { accountId: ref.accountId, folderId: batch.destFolderId } : ref,
      createdAt: batch.createdAt,
      finishedAt: batch.finishedAt,
      summary: (batch.summary as TransferBatchDto['summary']) ?? null,
      files: stats?.files ?? 0,
      bytes: stats?.bytes ?? 0,
      bytesDone: (stats?.doneBytes ?? 0) + running,
      rate: this.meters.get(batch.id)?.rate(now) ?? 0,
      open: stats?.open ?? 0,
      paused: stats?.paused ?? 0,
      conflicts: batch.conflicts,
    };
  }

  private toJobDto(job: Job, now: number): TransferJobDto {
    const verified =
      job.state === 'verified' || job.state === 'done'
        ? checkDestination(job.computed ?? {}, job.destHashes ?? {}).matched.map((type) => ({
            type,
            value: job.destHashes![type]!,
          }))
        : [];
    const ended = terminalJobStates.has(job.state);
    return {
      id: job.id,
      batchId: job.batchId,
      kind: job.kind,
      method: job.method,
      name: job.srcName,
      destName: job.destName,
      size: job.srcSize,
      bytesDone:
        job.state === 'done' ? (job.srcSize ?? 0) : ended ? 0 : (this.progress.get(job.id)?.bytes ?? 0),
      state: job.state,
      paused: job.paused,
      retryAt: !ended && job.notBefore !== null && job.notBefore > now ? job.notBefore : null,
      parentJob: job.parentJob,
      renamedBecause: job.nameNote?.reason ?? null,
      verified,
      sha256: job.computed?.sha256 ?? null,
      error: job.error,
      note: job.note,
    };
  }
}

interface UploadDestination {
  accountId: string;
  folderId: string;
  conflict: ConflictChoiceDto | null;
}

/**
 * Local paths (dropped from the desktop, absolute) as a transfer source: their parent folder and
 * their names in it. Throws invalid_argument (a relative path, a whole disk, several parent
 * folders), not_found (a path that does not exist).
 */
export async function localSource(paths: readonly string[]): Promise<{ path: string; itemIds: string[] }> {
  const parents = new Set<string>();
  const names: string[] = [];
  for (const item of paths) {
    if (!path.isAbsolute(item))
      throw new SkyfoldError('invalid_argument', `"${item}" is not an absolute path`);
    const resolved = path.resolve(item);
    const parent = path.dirname(resolved);
    if (parent === resolved)
      throw new SkyfoldError('invalid_argument', `${resolved}: cannot transfer a whole disk`);
    await fs.lstat(resolved).catch(() => {
      throw new SkyfoldError('not_found', `${resolved}: no such file or folder`);
    });
    parents.add(parent);
    if (!names.includes(path.basename(resolved))) names.push(path.basename(resolved));
  }
  if (parents.size > 1)
    throw new SkyfoldError('invalid_argument', 'the paths must be in one folder (one transfer per folder)');
  return { path: [...parents][0]!, itemIds: names };
}

function hasEnded(batch: Batch): boolean {
  return batch.state === 'finished' || batch.state === 'cancelled';
}

/** An endpoint as stored in the journal, read back. Throws permanent for anything else. */
export function refOf(endpoint: string): EndpointRef {
  const parsed = JSON.parse(endpoint) as { account?: unknown; path?: unknown };
  if (typeof parsed.account === 'string') return { accountId: parsed.account };
  if (typeof parsed.path === 'string') return { path: parsed.path };
  throw new SkyfoldError('permanent', `not a transfer endpoint: ${endpoint}`);
}

function endpointOf(ref: EndpointRef): string {
  if ('accountId' in ref) return JSON.stringify({ account: ref.accountId });
  if (!path.isAbsolute(ref.path))
    throw new SkyfoldError('invalid_argument', `"${ref.path}" is not an absolute path`);
  return JSON.stringify({ path: ref.path });
}
