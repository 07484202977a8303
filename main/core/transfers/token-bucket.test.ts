import { describe, expect, it } from 'vitest';
import { TokenBucket, type Clock } from './token-bucket';

/** A clock that moves only when someone sleeps on it. */
function fakeClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

describe('TokenBucket', () => {
  it('passes everything at once without a limit', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(null, clock);
    for (let i = 0; i < 100; i++) await bucket.take(1_000_000);
    expect(clock.slept).toEqual([]);
  });

  it('holds the average rate over many chunks', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(100_000, clock);
    for (let i = 0; i < 100; i++) await bucket.take(10_000); // 1 MB at 100 kB/s
    const elapsed = clock.now();
    // The first second's worth is in the bucket already: ~9 s for the other 900 kB.
    expect(elapsed).toBeGreaterThanOrEqual(8_900);
    expect(elapsed).toBeLessThanOrEqual(9_100);
  });

  it('serves streams waiting together in turn, sharing the rate', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(50_000, clock);
    await bucket.take(50_000); // empty it
    const order: string[] = [];
    await Promise.all(
      ['a', 'b', 'a', 'b'].map((stream) => bucket.take(25_000).then(() => order.push(stream))),
    );
    expect(order).toEqual(['a', 'b', 'a', 'b']);
    expect(clock.now()).toBeGreaterThanOrEqual(1_990);
  });

  it('lets a chunk bigger than one second through once the bucket is full, then owes it', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(1_000, clock);
    await bucket.take(5_000);
    expect(clock.now()).toBe(0);
    await bucket.take(1_000); // waits for the debt and a full second
    expect(clock.now()).toBeGreaterThanOrEqual(5_000);
  });

  it('changes the limit while streams run; without one nothing waits', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(1_000, clock);
    await bucket.take(1_000);
    bucket.setRate(null);
    await bucket.take(1_000_000);
    expect(clock.now()).toBe(0);
    bucket.setRate(2_000);
    expect(bucket.bytesPerSecond).toBe(2_000);
    expect(() => bucket.setRate(0)).toThrow(RangeError);
  });
});
