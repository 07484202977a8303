/**
 * Time sources. Every emulator reads time only through a `Clock` (epoch milliseconds), so tests can
 * inject a manual clock and never depend on wall-clock durations.
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock that can be moved forward at runtime over a base clock (admin `POST /__admin/clock`), so a
 * running emulator can expire tokens, codes and upload sessions on demand.
 */
export class OffsetClock implements Clock {
  private offsetMs = 0;

  constructor(private readonly base: Clock = systemClock) {}

  now(): number {
    return this.base.now() + this.offsetMs;
  }

  /** Moves time forward by `ms` (negative values are refused: time never goes back). */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError('the clock only moves forward');
    this.offsetMs += ms;
  }
}

/** A clock that only moves when told to; for tests. */
export class ManualClock implements Clock {
  constructor(private time = Date.UTC(2025, 0, 15, 9, 30, 0)) {}

  now(): number {
    return this.time;
  }

  advance(ms: number): void {
    this.time += ms;
  }
}
