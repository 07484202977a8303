import { describe, expect, it } from 'vitest';
import { bandwidthField, parseBandwidthField } from './bandwidth';

describe('bandwidth field', () => {
  it('shows a limit in KB/s below 1 MB/s and in MB/s from there', () => {
    expect(bandwidthField(null)).toEqual({ unit: 'unlimited', amount: '' });
    expect(bandwidthField(512 * 1024)).toEqual({ unit: 'KB/s', amount: '512' });
    expect(bandwidthField(2 * 1024 * 1024)).toEqual({ unit: 'MB/s', amount: '2' });
    expect(bandwidthField(1_500_000)).toEqual({ unit: 'MB/s', amount: '1.43' });
  });

  it('reads the amount in its unit, a comma as the decimal point too', () => {
    expect(parseBandwidthField({ unit: 'unlimited', amount: '12' })).toEqual({ ok: true, limit: null });
    expect(parseBandwidthField({ unit: 'KB/s', amount: '512' })).toEqual({ ok: true, limit: 524_288 });
    expect(parseBandwidthField({ unit: 'MB/s', amount: ' 1,5 ' })).toEqual({ ok: true, limit: 1_572_864 });
  });

  it('refuses what is not a positive amount, or below 1 KB/s', () => {
    for (const amount of ['', 'fast', '0', '-2'])
      expect(parseBandwidthField({ unit: 'KB/s', amount })).toMatchObject({ ok: false });
    expect(parseBandwidthField({ unit: 'KB/s', amount: '0.5' })).toEqual({
      ok: false,
      error: 'The smallest bandwidth limit is 1 KB/s.',
    });
  });

  it('round-trips every limit it shows within rounding', () => {
    for (const limit of [1024, 300_000, 10 * 1024 * 1024]) {
      const parsed = parseBandwidthField(bandwidthField(limit));
      expect(parsed.ok && Math.abs(parsed.limit! - limit) / limit).toBeLessThan(0.01);
    }
  });
});
