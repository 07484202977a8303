import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock';
import { WriteThrottle } from './throttle';

describe('WriteThrottle', () => {
  it('allows a burst, then refills at the rate, per user', () => {
    const clock = new ManualClock();
    const throttle = new WriteThrottle(clock);
    expect(throttle.take('a')).toBe(true);
    throttle.configure(2);
    expect([1, 2, 3].map(() => throttle.take('a'))).toEqual([true, true, false]);
    expect(throttle.take('b')).toBe(true);
    clock.advance(500);
    expect([1, 2].map(() => throttle.take('a'))).toEqual([true, false]);
    throttle.configure(null);
    expect(throttle.take('a')).toBe(true);
  });
});
