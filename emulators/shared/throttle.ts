/**
 * Per-user write throttling like Drive's sustained write limit (a few files per second per user):
 * a token bucket per user, refilled at `perSecond` tokens a second, holding at most `burst` tokens.
 * Off by default; switched on by `--write-rate N` or `POST /__admin/throttle`.
 */
import type { Clock } from './clock';

interface Bucket {
  tokens: number;
  at: number;
}

export class WriteThrottle {
  private rate: number | null = null;
  private burst = 0;
  private readonly buckets = new Map<string, Bucket>();

  /** `perSecond`: the initial rate (see configure); default off. */
  constructor(
    private readonly clock: Clock,
    perSecond: number | null = null,
  ) {
    this.configure(perSecond);
  }

  /** `null` switches throttling off; `burst` defaults to `perSecond` (at least 1). */
  configure(perSecond: number | null, burst?: number): void {
    if (perSecond !== null && !(perSecond > 0)) throw new RangeError('writes per second must be > 0');
    this.rate = perSecond;
    this.burst = perSecond === null ? 0 : Math.max(1, burst ?? perSecond);
    this.buckets.clear();
  }

  get writesPerSecond(): number | null {
    return this.rate;
  }

  /** Takes one write token for `user`; false = over the limit (the caller answers with a rate-limit error). */
  take(user: string): boolean {
    if (this.rate === null) return true;
    const now = this.clock.now();
    const bucket = this.buckets.get(user) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.rate);
    bucket.at = now;
    this.buckets.set(user, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
