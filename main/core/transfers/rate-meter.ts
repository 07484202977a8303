/**
 * Bytes per second over a sliding window, for the progress the UI shows (speed and ETA). Counts
 * bytes added in one-second buckets; the rate is the window's bytes over the time it covers (from
 * the first byte seen, when that is more recent than the window's start, so a fresh transfer does
 * not look slow).
 */
export class RateMeter {
  private readonly buckets = new Map<number, number>();
  private firstAt: number | null = null;

  constructor(private readonly windowMs = 5_000) {}

  /** Counts `bytes` that passed at `now` (epoch ms). */
  add(bytes: number, now: number): void {
    if (bytes <= 0) return;
    this.firstAt ??= now;
    const second = Math.floor(now / 1000);
    this.buckets.set(second, (this.buckets.get(second) ?? 0) + bytes);
    for (const key of this.buckets.keys())
      if ((second - key) * 1000 > this.windowMs) this.buckets.delete(key);
  }

  /** Bytes per second over the window ending at `now`; 0 when nothing passed in it. */
  rate(now: number): number {
    const start = now - this.windowMs;
    let bytes = 0;
    for (const [second, count] of this.buckets) if (second * 1000 >= start) bytes += count;
    if (bytes === 0 || this.firstAt === null) return 0;
    const covered = Math.max(1000, now - Math.max(start, this.firstAt));
    return Math.round((bytes * 1000) / covered);
  }
}
