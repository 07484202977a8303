/** A leading-edge throttle gate (pure: the clock is passed in). */

export interface Throttle {
  /** Whether the action may run now; when it may, the interval starts again from now. */
  tryRun(): boolean;
  /** Lets the next `tryRun` through (e.g. when the action failed and should be tried again soon). */
  reset(): void;
}

/**
 * Lets an action through at most once per `intervalMs`: the first call passes, later ones within the
 * interval are dropped (not delayed). A clock that went backwards lets the next call through.
 */
export function createThrottle(intervalMs: number, now: () => number = Date.now): Throttle {
  let last: number | null = null;
  return {
    tryRun() {
      const time = now();
      if (last !== null && time >= last && time - last < intervalMs) return false;
      last = time;
      return true;
    },
    reset() {
      last = null;
    },
  };
}
