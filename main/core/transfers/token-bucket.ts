/**
 * The bandwidth limit: one bucket shared by every transfer stream, refilled at `bytesPerSecond`,
 * holding at most one second's worth (so a pause is not followed by a burst). `take(n)` resolves
 * when the stream may pass `n` more bytes; streams waiting together are served in turn. The rate can
 * change at any time (the setting), and `null` lifts the limit (a waiting stream goes when its
 * current pause ends).
 */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export class TokenBucket {
  private tokens: number;
  private last: number;
  /** The waiters' turn: each take waits for the one before it. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private rate: number | null,
    private readonly clock: Clock = systemClock,
  ) {
    this.tokens = rate ?? 0;
    this.last = clock.now();
  }

  get bytesPerSecond(): number | null {
    return this.rate;
  }

  /** Changes the limit (bytes per second, or null for none). */
  setRate(rate: number | null): void {
    if (rate !== null && !(rate > 0)) throw new RangeError('a bandwidth limit must be positive');
    this.refill();
    this.rate = rate;
    if (rate !== null) this.tokens = Math.min(this.tokens, rate);
  }

  /** Resolves when `bytes` may pass (at once without a limit). Chunks larger than the bucket wait for it to refill enough. */
  take(bytes: number): Promise<void> {
    const turn = this.queue.then(() => this.wait(bytes));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async wait(bytes: number): Promise<void> {
    for (;;) {
      if (this.rate === null) return;
      this.refill();
      // A chunk larger than one second's worth may pass once the bucket is full, going into debt.
      const needed = Math.min(bytes, this.rate);
      if (this.tokens >= needed) {
        this.tokens -= bytes;
        return;
      }
      await this.clock.sleep(Math.ceil(((needed - this.tokens) / this.rate) * 1000));
    }
  }

  private refill(): void {
    const now = this.clock.now();
    if (this.rate !== null)
      this.tokens = Math.min(this.rate, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
  }
}
