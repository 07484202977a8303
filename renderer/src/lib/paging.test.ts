import { describe, expect, it } from 'vitest';
import { pageRange, pageSize, pagesForRange } from './paging';

describe('pagesForRange', () => {
  it('uses pages of 200 rows', () => {
    expect(pageSize).toBe(200);
  });
  it('touches one page when the range fits in it', () => {
    expect(pagesForRange(0, 44, 100_000)).toEqual([0]);
    expect(pagesForRange(210, 260, 100_000)).toEqual([1]);
  });
  it('touches every page the range crosses', () => {
    expect(pagesForRange(190, 230, 100_000)).toEqual([0, 1]);
    expect(pagesForRange(399, 400, 100_000)).toEqual([1, 2]);
    expect(pagesForRange(0, 650, 100_000)).toEqual([0, 1, 2, 3]);
  });
  it('stays a handful of pages deep in a 100,000-row folder', () => {
    expect(pagesForRange(73_412, 73_470, 100_000)).toEqual([367]);
    expect(pagesForRange(99_960, 99_999, 100_000)).toEqual([499]);
  });
  it('clamps to the folder size', () => {
    expect(pagesForRange(0, 50, 10)).toEqual([0]);
    expect(pagesForRange(390, 420, 401)).toEqual([1, 2]);
    expect(pagesForRange(5000, 5050, 401)).toEqual([2]);
  });
  it('is empty for an empty folder or range', () => {
    expect(pagesForRange(0, 40, 0)).toEqual([]);
    expect(pagesForRange(0, -1, 100)).toEqual([]);
  });
  it('honours a custom page size', () => {
    expect(pagesForRange(95, 105, 1000, 50)).toEqual([1, 2]);
  });
});

describe('pageRange', () => {
  it('gives listFolder offset and limit', () => {
    expect(pageRange(0)).toEqual({ offset: 0, limit: 200 });
    expect(pageRange(367)).toEqual({ offset: 73_400, limit: 200 });
  });
});
