import { describe, expect, it } from 'vitest';
import { displayName, formatCount, formatModified, formatRelativeTime, formatSize } from './format';

describe('formatSize', () => {
  it('counts bytes below 1 KB, singular for one', () => {
    expect(formatSize(0)).toBe('0 bytes');
    expect(formatSize(1)).toBe('1 byte');
    expect(formatSize(999)).toBe('999 bytes');
  });
  it('uses decimal units with one decimal, dropping .0', () => {
    expect(formatSize(1000)).toBe('1 KB');
    expect(formatSize(1500)).toBe('1.5 KB');
    expect(formatSize(1_500_000)).toBe('1.5 MB');
    expect(formatSize(15_240_000)).toBe('15.2 MB');
    expect(formatSize(152_340_000)).toBe('152.3 MB');
    expect(formatSize(3_000_000_000)).toBe('3 GB');
    expect(formatSize(2.5e12)).toBe('2.5 TB');
  });
  it('steps up a unit when rounding reaches 1000', () => {
    expect(formatSize(999_960)).toBe('1 MB');
    expect(formatSize(999_940)).toBe('999.9 KB');
    expect(formatSize(999_999_999)).toBe('1 GB');
  });
  it('stays in the largest unit for huge values', () => {
    expect(formatSize(5e21)).toBe('5000 EB');
  });
  it('gives an empty string for unknown sizes', () => {
    expect(formatSize(null)).toBe('');
    expect(formatSize(undefined)).toBe('');
    expect(formatSize(-1)).toBe('');
    expect(formatSize(Number.NaN)).toBe('');
  });
});

describe('formatModified', () => {
  const now = Date.UTC(2025, 5, 15, 12, 0); // Sun, Jun 15 2025 12:00 UTC
  const options = { now, locale: 'en-US', timeZone: 'UTC' };

  it('says Today and Yesterday with the time', () => {
    expect(formatModified(Date.UTC(2025, 5, 15, 9, 5), options)).toBe('Today, 9:05 AM');
    expect(formatModified(Date.UTC(2025, 5, 14, 23, 59), options)).toBe('Yesterday, 11:59 PM');
  });
  it('gives month and day with the time within this year', () => {
    expect(formatModified(Date.UTC(2025, 2, 4, 14, 30), options)).toBe('Mar 4, 2:30 PM');
  });
  it('gives the year instead of the time for other years', () => {
    expect(formatModified(Date.UTC(2023, 2, 4, 14, 30), options)).toBe('Mar 4, 2023');
    expect(formatModified(Date.UTC(2026, 0, 1), options)).toBe('Jan 1, 2026');
  });
  it('decides "today" in the given time zone', () => {
    // 02:00 UTC on Jun 15 is still Jun 14 in New York.
    const ny = { now, locale: 'en-US', timeZone: 'America/New_York' };
    expect(formatModified(Date.UTC(2025, 5, 15, 2, 0), ny)).toBe('Yesterday, 10:00 PM');
  });
  it('gives an empty string for unknown times', () => {
    expect(formatModified(null, options)).toBe('');
    expect(formatModified(undefined, options)).toBe('');
  });
});

describe('formatRelativeTime', () => {
  const now = Date.UTC(2025, 5, 15, 12, 0);
  const options = { now, locale: 'en-US', timeZone: 'UTC' };

  it('says just now under a minute, and for times slightly ahead of the clock', () => {
    expect(formatRelativeTime(now, options)).toBe('just now');
    expect(formatRelativeTime(now - 59_999, options)).toBe('just now');
    expect(formatRelativeTime(now + 5_000, options)).toBe('just now');
  });
  it('counts whole minutes, then whole hours within a day', () => {
    expect(formatRelativeTime(now - 60_000, options)).toBe('1 min ago');
    expect(formatRelativeTime(now - 2.5 * 60_000, options)).toBe('2 min ago');
    expect(formatRelativeTime(now - 59 * 60_000, options)).toBe('59 min ago');
    expect(formatRelativeTime(now - 60 * 60_000, options)).toBe('1 h ago');
    expect(formatRelativeTime(now - (23 * 60 + 59) * 60_000, options)).toBe('23 h ago');
  });
  it('gives the date after a day', () => {
    expect(formatRelativeTime(now - 86_400_000, options)).toBe('Yesterday, 12:00 PM');
    expect(formatRelativeTime(Date.UTC(2025, 2, 4, 14, 30), options)).toBe('Mar 4, 2:30 PM');
  });
  it('gives an empty string for never', () => {
    expect(formatRelativeTime(null, options)).toBe('');
    expect(formatRelativeTime(Number.NaN, options)).toBe('');
  });
});

describe('formatCount', () => {
  it('pluralizes and groups digits', () => {
    expect(formatCount(1, 'item', 'en-US')).toBe('1 item');
    expect(formatCount(0, 'item', 'en-US')).toBe('0 items');
    expect(formatCount(100_000, 'item', 'en-US')).toBe('100,000 items');
  });
});

describe('displayName', () => {
  it('leaves ordinary names alone, including non-Latin ones', () => {
    expect(displayName('Quarterly report (final).pdf')).toBe('Quarterly report (final).pdf');
    expect(displayName('写真 2024 — été.jpg')).toBe('写真 2024 — été.jpg');
  });
  it('neutralizes bidi overrides that would disguise an extension', () => {
    expect(displayName('invoice\u202Efdp.exe')).toBe('invoice\uFFFDfdp.exe');
    expect(displayName('a\u2066b\u2069')).toBe('a\uFFFDb\uFFFD');
  });
  it('replaces control characters', () => {
    expect(displayName('line\nbreak\ttab\u0000')).toBe('line\uFFFDbreak\uFFFDtab\uFFFD');
  });
});
