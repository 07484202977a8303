import { describe, expect, it } from 'vitest';
import { RateMeter } from './rate-meter';

describe('RateMeter', () => {
  it('averages the bytes of the window over the time they took', () => {
    const meter = new RateMeter(5_000);
    for (let t = 0; t <= 10_000; t += 100) meter.add(10_000, 1_000_000 + t); // 100 kB/s
    const rate = meter.rate(1_010_000);
    expect(rate).toBeGreaterThan(90_000);
    expect(rate).toBeLessThan(130_000);
  });

  it('does not look slow at the start: the window begins at the first byte', () => {
    const meter = new RateMeter(5_000);
    meter.add(50_000, 2_000_000);
    meter.add(50_000, 2_000_500);
    expect(meter.rate(2_001_000)).toBe(100_000);
  });

  it('falls to 0 once nothing passed within the window', () => {
    const meter = new RateMeter(5_000);
    meter.add(1_000, 3_000_000);
    expect(meter.rate(3_000_500)).toBeGreaterThan(0);
    expect(meter.rate(3_010_000)).toBe(0);
  });
});
