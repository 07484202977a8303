/**
 * One pacer per account: a concurrency limit plus retries with capped exponential backoff and full
 * jitter, honouring the server's Retry-After (carried as `retryAfterMs` on rate_limited errors).
 * Like rclone's lib/pacer, a rate-limit answer slows every call of the account, not just the one
 * that got it.
 */
import { SkyfoldError, retryableCodes } from '../../../common/errors';
import { StoredBytesMismatch } from './stored-bytes';
import type { PacerInfo } from './types';

export interface PacerOptions {
  /** Calls in flight at once. */
  maxConcurrency: number;
  /** Retries after the first attempt for retryable errors. */
  maxRetries: number;
  /** First backoff, doubled per retry, capped at `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Injected for tests. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Pacer implements PacerInfo {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  /** No call starts before this time (epoch ms): set by Retry-After. */
  private pauseEnd = 0;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(private readonly options: PacerOptions) {
    if (options.maxConcurrency < 1) throw new RangeError('maxConcurrency must be >= 1');
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
  }

  get maxConcurrency(): number {
    return this.options.maxConcurrency;
  }

  /** Epoch ms until which no call starts (a Retry-After seen); a past time when calls may start. */
  pausedUntil(): number {
    return this.pauseEnd;
  }

  /**
   * Runs `task` within the concurrency limit, retrying it on retryable SkyfoldErrors. The task must
   * be safe to repeat. Rethrows the last error once retries are spent, or any non-retryable error at once.
   */
  async call<T>(task: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      let failure: SkyfoldError;
      await this.acquire();
      try {
        await this.waitForPause();
        return await task();
      } catch (error) {
        if (
          !(error instanceof SkyfoldError) ||
          !retryableCodes.has(error.code) ||
          // The same bytes would be refused again: the caller sends them anew.
          error instanceof StoredBytesMismatch ||
          attempt >= this.options.maxRetries
        ) {
          throw error;
        }
        failure = error;
      } finally {
        this.release();
      }
      const delay = this.delayFor(failure, attempt);
      if (failure.retryAfterMs !== undefined) {
        this.pauseEnd = Math.max(this.pauseEnd, this.now() + delay);
      }
      await this.sleep(delay);
    }
  }

  /** Backoff for the given retry: Retry-After when the server gave one, else full jitter. */
  delayFor(error: SkyfoldError, attempt: number): number {
    if (error.retryAfterMs !== undefined) return error.retryAfterMs;
    const cap = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** attempt);
    return Math.floor(this.random() * cap);
  }

  private async waitForPause(): Promise<void> {
    const wait = this.pauseEnd - this.now();
    if (wait > 0) await this.sleep(wait);
  }

  private acquire(): Promise<void> {
    if (this.active < this.options.maxConcurrency) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(() => resolve()));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}
