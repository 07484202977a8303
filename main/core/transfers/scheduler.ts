/**
 * Which transfer jobs may start now, and what a failed attempt leads to (docs/design/transfers.md
 * §4). Pure bookkeeping, no I/O: the engine asks `pickStartable` whenever a job ends or time passes,
 * and `afterFailure` when an attempt fails.
 *
 * Slots: a global limit; per account, as many as its pacer runs at once (a job holds one on its
 * source and one on its destination account); large streams have their own cap (memory: each holds
 * tens of MB in flight); no job starts on an account whose pacer is paused by a Retry-After. Order:
 * batches take turns (round-robin), jobs in id order within a batch.
 */
import { SkyfoldError, type ErrorCode } from '../../../common/errors';

export interface SchedulableJob {
  id: number;
  batchId: string;
  /** The accounts it uses (source and destination; once when they are the same). */
  accounts: readonly string[];
  /** A stream big enough to count against the large-stream cap. */
  large: boolean;
}

export interface SlotLimits {
  /** Jobs at once over all accounts (read at each pick: a changed setting applies to the next one). */
  global: () => number;
  large: number;
  /** Jobs at once on one account (its pacer's concurrency). */
  perAccount: (account: string) => number;
  /** Until when the account's pacer holds every call (a Retry-After), epoch ms; 0 when it does not. */
  pausedUntil: (account: string) => number;
}

export class SlotTable {
  private readonly running = new Map<number, SchedulableJob>();
  private readonly perAccount = new Map<string, number>();
  private large = 0;
  /** The batch that started a job last, for the round-robin. */
  private lastBatch: string | null = null;

  constructor(private readonly limits: SlotLimits) {}

  get active(): number {
    return this.running.size;
  }

  /**
   * The jobs among `waiting` (each ready to run: not paused, not backing off, its folder created)
   * to start now, in order, taking their slots. Batches take turns, starting after the one that
   * started a job last.
   */
  pickStartable(waiting: readonly SchedulableJob[], now: number): SchedulableJob[] {
    const byBatch = new Map<string, SchedulableJob[]>();
    for (const job of [...waiting].sort((a, b) => a.id - b.id)) {
      if (this.running.has(job.id)) continue;
      let list = byBatch.get(job.batchId);
      if (!list) byBatch.set(job.batchId, (list = []));
      list.push(job);
    }
    const batches = [...byBatch.keys()].sort();
    const first = this.lastBatch === null ? 0 : batches.findIndex((batch) => batch > this.lastBatch!);
    const turns = first <= 0 ? batches : [...batches.slice(first), ...batches.slice(0, first)];
    const started: SchedulableJob[] = [];
    const global = this.limits.global();
    let progress = true;
    while (progress && this.running.size < global) {
      progress = false;
      for (const batch of turns) {
        const queue = byBatch.get(batch)!;
        const index = queue.findIndex((job) => this.fits(job, now));
        if (index < 0) continue;
        const [job] = queue.splice(index, 1);
        this.take(job!);
        started.push(job!);
        this.lastBatch = batch;
        progress = true;
        if (this.running.size >= global) break;
      }
    }
    return started;
  }

  /** Frees the slots of a job that ended (any way). Idempotent. */
  release(jobId: number): void {
    const job = this.running.get(jobId);
    if (!job) return;
    this.running.delete(jobId);
    if (job.large) this.large--;
    for (const account of new Set(job.accounts))
      this.perAccount.set(account, this.perAccount.get(account)! - 1);
  }

  private fits(job: SchedulableJob, now: number): boolean {
    if (job.large && this.large >= this.limits.large) return false;
    return [...new Set(job.accounts)].every(
      (account) =>
        (this.perAccount.get(account) ?? 0) < this.limits.perAccount(account) &&
        this.limits.pausedUntil(account) <= now,
    );
  }

  private take(job: SchedulableJob): void {
    this.running.set(job.id, job);
    if (job.large) this.large++;
    for (const account of new Set(job.accounts))
      this.perAccount.set(account, (this.perAccount.get(account) ?? 0) + 1);
  }
}

/** Attempts of one job before it fails (the user can retry it; that starts the count again). */
export const maxAttempts = 8;
const maxBackoffMs = 300_000;

export type FailureOutcome =
  | { kind: 'retry'; notBefore: number }
  | { kind: 'pause'; reason: 'quota' | 'needs_reconnect' }
  | { kind: 'fail'; message: string };

/**
 * What a failed attempt (the `attempt`-th, 1-based) leads to: passing faults are retried after a
 * pause (full-jitter exponential backoff, never sooner than the service's Retry-After) until
 * `maxAttempts`; a full destination or a lost sign-in pauses the job (it resumes when that is fixed);
 * anything else fails it with a message that says why.
 */
export function afterFailure(
  error: unknown,
  attempt: number,
  now: number,
  random: () => number = Math.random,
): FailureOutcome {
  const code: ErrorCode = error instanceof SkyfoldError ? error.code : 'permanent';
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'quota_exceeded':
      return { kind: 'pause', reason: 'quota' };
    case 'needs_reconnect':
      return { kind: 'pause', reason: 'needs_reconnect' };
    case 'transient':
    case 'rate_limited':
    case 'auth_expired': {
      if (attempt >= maxAttempts)
        return { kind: 'fail', message: `${message} (gave up after ${attempt} attempts)` };
      const backoff = random() * Math.min(maxBackoffMs, 2000 * 2 ** attempt);
      const retryAfter = error instanceof SkyfoldError ? (error.retryAfterMs ?? 0) : 0;
      return { kind: 'retry', notBefore: now + Math.max(retryAfter, backoff) };
    }
    case 'not_found':
      return { kind: 'fail', message: `the source or the destination folder is gone: ${message}` };
    default:
      return { kind: 'fail', message };
  }
}
