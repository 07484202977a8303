import { describe, expect, it } from 'vitest';
import { SkyfoldError } from '../../../common/errors';
import { afterFailure, maxAttempts, SlotTable, type SchedulableJob, type SlotLimits } from './scheduler';

const job = (id: number, batchId: string, accounts: string[], large = false): SchedulableJob => ({
  id,
  batchId,
  accounts,
  large,
});
const limits = (overrides: Partial<SlotLimits> = {}): SlotLimits => ({
  global: () => 6,
  large: 4,
  perAccount: () => 4,
  pausedUntil: () => 0,
  ...overrides,
});
const ids = (jobs: SchedulableJob[]) => jobs.map((j) => j.id);
/** Starts what fits and takes the started jobs out of `waiting`, as the engine does. */
function start(slots: SlotTable, waiting: SchedulableJob[], now = 0): number[] {
  const started = slots.pickStartable(waiting, now);
  for (const job of started) waiting.splice(waiting.indexOf(job), 1);
  return ids(started);
}

describe('SlotTable', () => {
  it('holds a slot on the source and the destination account, up to each pacer', () => {
    const slots = new SlotTable(limits({ perAccount: (account) => (account === 'drive' ? 2 : 4) }));
    const waiting = [1, 2, 3, 4].map((id) => job(id, 'b', ['local', 'drive']));
    expect(start(slots, waiting, 0)).toEqual([1, 2]);
    expect(start(slots, waiting, 0)).toEqual([]);
    slots.release(1);
    slots.release(1); // idempotent
    expect(start(slots, waiting, 0)).toEqual([3]);
    expect(slots.active).toBe(2);
  });

  it('keeps to the global limit and the large-stream cap', () => {
    const slots = new SlotTable(limits({ global: () => 3, large: 1, perAccount: () => 10 }));
    const waiting = [
      job(1, 'b', ['a'], true),
      job(2, 'b', ['a'], true),
      job(3, 'b', ['a']),
      job(4, 'b', ['a']),
    ];
    expect(start(slots, waiting, 0)).toEqual([1, 3, 4]);
    slots.release(3);
    expect(start(slots, waiting, 0)).toEqual([]); // 2 is large, 1 still runs
  });

  it('starts nothing on an account while a Retry-After holds it', () => {
    const slots = new SlotTable(limits({ pausedUntil: (account) => (account === 'dropbox' ? 1_000 : 0) }));
    const waiting = [job(1, 'b', ['dropbox']), job(2, 'b', ['onedrive'])];
    expect(start(slots, waiting, 500)).toEqual([2]);
    expect(start(slots, waiting, 1_000)).toEqual([1]);
  });

  it('lets batches take turns instead of one batch starving the others', () => {
    const slots = new SlotTable(limits({ global: () => 4, perAccount: () => 10 }));
    const waiting = [
      ...[1, 2, 3, 4, 5].map((id) => job(id, 'a-first', ['x'])),
      ...[10, 11].map((id) => job(id, 'b-second', ['y'])),
    ];
    expect(start(slots, waiting, 0)).toEqual([1, 10, 2, 11]);
    slots.release(1);
    slots.release(10);
    // b-second started last: a-first's turn.
    expect(start(slots, waiting, 0)).toEqual([3, 4]);
  });
});

describe('afterFailure', () => {
  it('retries passing faults with a growing, jittered pause, never sooner than Retry-After', () => {
    const transient = new SkyfoldError('transient', 'reset');
    expect(afterFailure(transient, 1, 0, () => 1)).toEqual({ kind: 'retry', notBefore: 4_000 });
    expect(afterFailure(transient, 3, 0, () => 0.5)).toEqual({ kind: 'retry', notBefore: 8_000 });
    expect(afterFailure(transient, 7, 0, () => 1)).toEqual({ kind: 'retry', notBefore: 256_000 });
    const limited = new SkyfoldError('rate_limited', 'slow down', { retryAfterMs: 30_000 });
    expect(afterFailure(limited, 1, 100, () => 0)).toEqual({ kind: 'retry', notBefore: 30_100 });
  });

  it(`fails after ${maxAttempts} attempts, saying so`, () => {
    expect(afterFailure(new SkyfoldError('transient', 'reset'), maxAttempts, 0)).toEqual({
      kind: 'fail',
      message: `reset (gave up after ${maxAttempts} attempts)`,
    });
  });

  it('pauses on a full destination or a lost sign-in, and fails on the rest', () => {
    expect(afterFailure(new SkyfoldError('quota_exceeded', 'full'), 1, 0)).toEqual({
      kind: 'pause',
      reason: 'quota',
    });
    expect(afterFailure(new SkyfoldError('needs_reconnect', 'revoked'), 1, 0)).toEqual({
      kind: 'pause',
      reason: 'needs_reconnect',
    });
    expect(afterFailure(new SkyfoldError('not_found', 'no "a.txt"'), 1, 0)).toMatchObject({
      kind: 'fail',
      message: expect.stringContaining('gone'),
    });
    expect(afterFailure(new Error('bug'), 1, 0)).toEqual({ kind: 'fail', message: 'bug' });
  });
});
