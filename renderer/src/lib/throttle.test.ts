import { describe, expect, it } from 'vitest';
import { createThrottle } from './throttle';

describe('createThrottle', () => {
  it('lets the first call through and drops the others within the interval', () => {
    let time = 1_000;
    const gate = createThrottle(30_000, () => time);
    expect(gate.tryRun()).toBe(true);
    expect(gate.tryRun()).toBe(false);
    time += 29_999;
    expect(gate.tryRun()).toBe(false);
    time += 1;
    expect(gate.tryRun()).toBe(true);
    expect(gate.tryRun()).toBe(false);
  });

  it('counts the interval from the last call that passed, not from dropped ones', () => {
    let time = 0;
    const gate = createThrottle(10, () => time);
    expect(gate.tryRun()).toBe(true);
    time = 9;
    expect(gate.tryRun()).toBe(false);
    time = 10;
    expect(gate.tryRun()).toBe(true);
    time = 19;
    expect(gate.tryRun()).toBe(false);
  });

  it('lets the next call through after a reset', () => {
    let time = 0;
    const gate = createThrottle(30_000, () => time);
    expect(gate.tryRun()).toBe(true);
    gate.reset();
    expect(gate.tryRun()).toBe(true);
    time = 5;
    expect(gate.tryRun()).toBe(false);
  });

  it('lets a call through when the clock went backwards', () => {
    let time = 100_000;
    const gate = createThrottle(30_000, () => time);
    expect(gate.tryRun()).toBe(true);
    time = 50_000;
    expect(gate.tryRun()).toBe(true);
    time = 60_000;
    expect(gate.tryRun()).toBe(false);
  });
});
