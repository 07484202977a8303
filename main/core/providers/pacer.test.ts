import { describe, expect, it } from 'vitest';
import { SkyfoldError } from '../../../common/errors';
import { Pacer } from './pacer';
import { StoredBytesMismatch } from './stored-bytes';

function fakeClock() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

describe('Pacer', () => {
  it('retries transient errors with capped exponential backoff and jitter', async () => {
    const clock = fakeClock();
    const pacer = new Pacer({
      maxConcurrency: 1,
      maxRetries: 4,
      baseDelayMs: 100,
      maxDelayMs: 300,
      random: () => 0.5,
      ...clock,
    });
    let attempts = 0;
    const result = await pacer.call(async () => {
      attempts++;
      if (attempts < 5) throw new SkyfoldError('transient', 'flaky');
      return 'done';
    });
    expect(result).toBe('done');
    // random 0.5 x min(cap, base * 2^n): 50, 100, 150 (capped 300), 150
    expect(clock.sleeps).toEqual([50, 100, 150, 150]);
  });

  it('waits exactly Retry-After and pauses every other call of the account too', async () => {
    const clock = fakeClock();
    const pacer = new Pacer({
      maxConcurrency: 2,
      maxRetries: 2,
      baseDelayMs: 100,
      maxDelayMs: 1000,
      random: () => 1,
      ...clock,
    });
    let first = true;
    const startTimes: number[] = [];
    await pacer.call(async () => {
      if (first) {
        first = false;
        throw new SkyfoldError('rate_limited', 'slow down', { retryAfterMs: 7000 });
      }
      startTimes.push(clock.now());
    });
    expect(clock.sleeps[0]).toBe(7000);
    expect(startTimes[0]).toBeGreaterThanOrEqual(7000);
  });

  it('does not retry permanent errors or plain exceptions', async () => {
    const pacer = new Pacer({
      maxConcurrency: 1,
      maxRetries: 5,
      baseDelayMs: 1,
      maxDelayMs: 1,
      ...fakeClock(),
    });
    let attempts = 0;
    await expect(
      pacer.call(async () => {
        attempts++;
        throw new SkyfoldError('not_found', 'gone');
      }),
    ).rejects.toThrow('gone');
    await expect(pacer.call(async () => Promise.reject(new TypeError('bug')))).rejects.toThrow('bug');
    expect(attempts).toBe(1);
    // Stored bytes that differ are transient for the transfer, not for this call: not repeated.
    await expect(
      pacer.call(async () => {
        attempts++;
        throw new StoredBytesMismatch('other bytes');
      }),
    ).rejects.toBeInstanceOf(StoredBytesMismatch);
    expect(attempts).toBe(2);
  });

  it('gives up after maxRetries with the last error', async () => {
    const pacer = new Pacer({
      maxConcurrency: 1,
      maxRetries: 2,
      baseDelayMs: 1,
      maxDelayMs: 1,
      ...fakeClock(),
    });
    let attempts = 0;
    await expect(
      pacer.call(async () => {
        attempts++;
        throw new SkyfoldError('transient', `attempt ${attempts}`);
      }),
    ).rejects.toThrow('attempt 3');
  });

  it('never runs more than maxConcurrency tasks at once', async () => {
    const pacer = new Pacer({ maxConcurrency: 3, maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 });
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        pacer.call(async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((resolve) => setTimeout(resolve, 2));
          running--;
        }),
      ),
    );
    expect(peak).toBe(3);
  });
});
