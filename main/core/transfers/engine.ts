/**
 * Runs the journal's open transfer jobs (docs/design/transfers.md §4): as many at once as the slots
 * allow (scheduler.ts), each through its steps (steps.ts); a failed attempt is retried after a
 * pause, paused (a full destination, a lost sign-in) or failed with its reason (`afterFailure`).
 * A batch whose jobs all ended is marked finished with a summary.
 *
 * `runUntilIdle` returns once nothing can run: every job ended, is paused, or waits for a decision.
 * Jobs whose retry pause has not passed are waited for. Safe to call again (after a crash too: the
 * journal says where each job stands).
 */
import { SkyfoldError } from '../../../common/errors';
import type { Provider } from '../providers/types';
import type { Batch, Job, TransferJournal } from './journal';
import { terminalJobStates } from './journal';
import { afterFailure, SlotTable, type SchedulableJob } from './scheduler';
import { removeCopy, runJob } from './steps';
import type { TokenBucket } from './token-bucket';

/** How often a run looks at the journal for what other processes asked (pauses, cancels, new work). */
const watchMs = 1_000;
/** Streams at least this big count against the large-stream cap. */
const largeStreamBytes = 16 * 1024 * 1024;

export interface EngineOptions {
  journal: TransferJournal;
  /** The provider of an endpoint (`{"account": id}`); one instance per account (one pacer, one token). */
  provider(endpoint: string): Promise<Provider>;
  /**
   * Jobs at once over all accounts, asked before each start (a changed setting applies as soon as
   * the run next looks: a job ends, a wake, or the watch each second). Default 6.
   */
  maxActive?: () => number;
  /** Large streams at once. Default 4. */
  maxLarge?: number;
  bucket?: TokenBucket;
  onProgress?: (jobId: number, bytes: number) => void;
  /** Batches whose jobs changed state. */
  onChange?: (batchIds: string[]) => void;
  /** A batch ended: every job done, skipped, failed or cancelled. */
  onBatchEnded?: (batchId: string) => void;
  /** A job's run stopped (ended, paused, waiting to retry, or interrupted). */
  onJobSettled?: (jobId: number) => void;
  /** Called each second while running, beside the journal check (settings other processes change). */
  onWatch?: () => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class TransferEngine {
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Providers already opened, by endpoint: the slot limits read their pacers synchronously. */
  private readonly providers = new Map<string, Provider>();
  /** The jobs running now: how to interrupt each, and its run. */
  private readonly running = new Map<number, { controller: AbortController; run: Promise<void> }>();
  /** Ends the current wait of `runUntilIdle` (a job was resumed or retried). */
  private wakeUp: () => void = () => undefined;
  /** Set by `halt`: the current run ends. */
  private halted = false;

  constructor(private readonly options: EngineOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async runUntilIdle(): Promise<void> {
    const { journal } = this.options;
    this.halted = false;
    const maxActive = this.options.maxActive ?? (() => 6);
    const slots = new SlotTable({
      global: maxActive,
      large: this.options.maxLarge ?? 4,
      perAccount: (endpoint) => this.providers.get(endpoint)?.pacer?.maxConcurrency ?? 4,
      pausedUntil: (endpoint) => this.providers.get(endpoint)?.pacer?.pausedUntil() ?? 0,
    });
    const { running } = this;
    // Other processes (the CLI, the app) write pauses, cancels, resumes and new batches to the
    // journal: look at it every second while running.
    const watch = setInterval(() => {
      try {
        const interrupted = journal.interruptedAmong([...running.keys()]);
        for (const id of interrupted) running.get(id)?.controller.abort();
        this.options.onWatch?.();
      } catch {
        return; // the journal closed: the loop ends at its next step
      }
      this.wake();
    }, watchMs);
    watch.unref();
    try {
      await this.loop(slots, maxActive);
    } finally {
      clearInterval(watch);
    }
  }

  private async loop(slots: SlotTable, maxActive: () => number): Promise<void> {
    const { journal } = this.options;
    const { running } = this;
    for (;;) {
      const woken = new Promise<void>((resolve) => (this.wakeUp = resolve));
      if (this.halted) {
        await Promise.all([...running.values()].map((entry) => entry.run));
        return;
      }
      await this.carryOutCancels();
      const now = this.now();
      const ready = journal.startableJobs(now, [...running.keys()], 2 * maxActive());
      const batches = new Map(journal.batches().map((batch) => [batch.id, batch]));
      for (const job of ready) await this.open(job, batches.get(job.batchId)!);
      for (const picked of slots.pickStartable(
        ready.map((job) => this.schedulable(job, batches)),
        now,
      )) {
        const job = ready.find((candidate) => candidate.id === picked.id)!;
        const controller = new AbortController();
        const run = this.run(job, batches.get(job.batchId)!, controller.signal).finally(() => {
          slots.release(job.id);
          running.delete(job.id);
        });
        running.set(job.id, { controller, run });
      }
      if (running.size > 0) {
        await Promise.race([...[...running.values()].map((entry) => entry.run), woken]);
        continue;
      }
      this.finishBatches();
      const retryAt = journal.nextRetryAt(now);
      if (retryAt === null) return;
      await Promise.race([this.sleep(retryAt - now), woken]);
    }
  }

  /**
   * Stops these jobs if they run (a pause or a cancel: the caller already wrote what they become)
   * and resolves once they stopped. Their journal state stays where the last durable step left it,
   * so a paused upload resumes from its checkpoint. Jobs that do not run are ignored.
   */
  async interrupt(jobIds: readonly number[]): Promise<void> {
    const stopping = jobIds.flatMap((id) => {
      const entry = this.running.get(id);
      if (!entry) return [];
      entry.controller.abort();
      return [entry.run];
    });
    await Promise.all(stopping);
  }

  /**
   * Cancels the jobs whose cancel was asked for and that do not run (any more). Only an unverified
   * copy this job made is removed (a verified one is kept, and so is anything a `replace` wrote over:
   * it holds the id of the user's file); a source is never touched. A move whose source is already
   * gone ended: it is done.
   */
  async carryOutCancels(): Promise<void> {
    const { journal } = this.options;
    const requests = journal.cancelRequests().filter((job) => !this.running.has(job.id));
    for (const job of requests) {
      const batch = journal.batch(job.batchId)!;
      if (job.kind === 'file' && job.state === 'verified') {
        if (batch.op === 'copy' || !(await this.sourceExists(job))) {
          journal.updateJob(job.id, { state: 'done', note: 'it had finished before the cancel' });
        } else {
          journal.cancelJob(job.id, 'the verified copy at the destination was kept, and so was the source');
        }
        continue;
      }
      let note: string | null = null;
      if (job.kind === 'file' && job.state === 'verifying' && job.destId !== null) {
        if (job.conflict === 'replace') {
          note = 'the destination file was being replaced; its previous content is in its version history';
        } else {
          try {
            await removeCopy(await this.options.provider(batch.dest), job.destId);
          } catch (error) {
            note = `the unfinished copy could not be removed: ${error instanceof Error ? error.message : String(error)}`;
          }
        }
      }
      journal.cancelJob(job.id, note);
    }
    if (requests.length > 0) {
      for (const batchId of new Set(requests.map((job) => job.batchId))) this.finishBatch(batchId);
      this.options.onChange?.([...new Set(requests.map((job) => job.batchId))]);
    }
  }

  private async sourceExists(job: Job): Promise<boolean> {
    try {
      await (await this.options.provider(job.src)).stat(job.srcId);
      return true;
    } catch (error) {
      if (error instanceof SkyfoldError && error.code === 'not_found') return false;
      throw error;
    }
  }

  /** Drops the provider cached for an endpoint (its account was signed in again): the next job opens it anew. */
  forgetProvider(endpoint: string): void {
    this.providers.delete(endpoint);
  }

  /** Interrupts every running job without waiting (the process is closing its journal). */
  stopAll(): void {
    for (const entry of this.running.values()) entry.controller.abort();
  }

  /**
   * Ends the current `runUntilIdle` at once: running jobs are interrupted where they stand (the
   * journal resumes them, like after a crash). For a runner whose lease was taken over.
   */
  halt(): void {
    this.halted = true;
    this.stopAll();
    this.wake();
  }

  /** Makes a waiting `runUntilIdle` look at the journal again (jobs were resumed or retried). */
  wake(): void {
    this.wakeUp();
  }

  /** Runs one job's steps; a failure becomes a retry, a pause or a failed job. */
  private async run(job: Job, batch: Batch, signal: AbortSignal): Promise<void> {
    const { journal } = this.options;
    try {
      await runJob(journal.job(job.id)!, batch, {
        journal,
        provider: (endpoint) => this.options.provider(endpoint),
        signal,
        ...(this.options.bucket ? { bucket: this.options.bucket } : {}),
        ...(this.options.onProgress ? { onProgress: this.options.onProgress } : {}),
      });
    } catch (error) {
      // Interrupted by a pause or a cancel: whoever interrupted it decided what the job becomes.
      if (signal.aborted) return;
      const current = journal.job(job.id)!;
      const outcome = afterFailure(error, current.attempt, this.now());
      const dto =
        error instanceof SkyfoldError
          ? error.toDto()
          : { code: 'permanent' as const, message: String(error) };
      if (outcome.kind === 'retry') {
        journal.updateJob(job.id, { attempt: current.attempt + 1, notBefore: outcome.notBefore, error: dto });
      } else if (outcome.kind === 'pause') {
        journal.updateJob(job.id, { paused: outcome.reason, error: dto });
      } else {
        journal.updateJob(job.id, { state: 'failed', error: { ...dto, message: outcome.message } });
        if (job.kind === 'folder') this.failContent(job);
      }
    }
    this.options.onJobSettled?.(job.id);
    this.options.onChange?.([batch.id]);
    // A batch ends as soon as its last job does, not when the whole queue is idle.
    this.finishBatch(batch.id);
  }

  /** A folder that could not be created takes its content with it: those jobs fail (their sources stay). */
  private failContent(folder: Job): void {
    const { journal } = this.options;
    const jobs = journal.jobs(folder.batchId);
    const failed = new Set([folder.id]);
    journal.commitNow(() => {
      for (const job of jobs) {
        if (job.parentJob === null || !failed.has(job.parentJob) || terminalJobStates.has(job.state))
          continue;
        failed.add(job.id);
        journal.updateJob(job.id, {
          state: 'failed',
          error: { code: 'permanent', message: `its folder "${folder.destName}" could not be created` },
        });
      }
    });
  }

  private async open(job: Job, batch: Batch): Promise<void> {
    for (const endpoint of [job.src, batch.dest]) {
      if (!this.providers.has(endpoint)) this.providers.set(endpoint, await this.options.provider(endpoint));
    }
  }

  private schedulable(job: Job, batches: ReadonlyMap<string, Batch>): SchedulableJob {
    return {
      id: job.id,
      batchId: job.batchId,
      accounts: [job.src, batches.get(job.batchId)!.dest],
      large: job.kind === 'file' && (job.srcSize ?? 0) >= largeStreamBytes,
    };
  }

  /** Ends every batch whose jobs all ended (see `finishBatch`). Idempotent. */
  finishBatches(): void {
    for (const batch of this.options.journal.batches()) this.finishBatch(batch.id);
  }

  /**
   * Ends a batch (running, or waiting for a decision) once all its jobs ended: `cancelled` when
   * every job was cancelled, else `finished` with the counts. Idempotent; one indexed count while
   * jobs are open.
   */
  finishBatch(batchId: string): void {
    const { journal } = this.options;
    const batch = journal.batch(batchId);
    if (!batch || (batch.state !== 'ready' && batch.state !== 'needs-decision')) return;
    if (journal.openJobCount(batchId) > 0) return;
    const jobs = journal.jobs(batchId);
    const count = (state: Job['state']) => jobs.filter((job) => job.state === state).length;
    const cancelled = count('cancelled');
    journal.setBatchState(batchId, jobs.length > 0 && cancelled === jobs.length ? 'cancelled' : 'finished', {
      done: count('done'),
      skipped: count('skipped'),
      failed: count('failed'),
      cancelled,
      bytes: jobs.filter((job) => job.state === 'done').reduce((sum, job) => sum + (job.srcSize ?? 0), 0),
    });
    this.options.onChange?.([batchId]);
    this.options.onBatchEnded?.(batchId);
  }
}
