import { describe, expect, it } from 'vitest';
import type { ItemDto } from '../../../common/dto';
import { indexOfLoaded, itemAt, pageRange, pageSize, pagesForRange } from './paging';

function item(id: string): ItemDto {
  return {
    accountId: 'a',
    id,
    parentId: 'root',
    name: id,
    kind: 'file',
    size: 1,
    modifiedAt: 0,
    mimeType: null,
    targetId: null,
  };
}

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

describe('itemAt / indexOfLoaded', () => {
  const pages = new Map<number, ItemDto[]>([
    [0, [item('a0'), item('a1')]],
    [5, [item('f0'), item('f1'), item('f2')]],
  ]);
  it('finds rows of loaded pages', () => {
    expect(itemAt(pages, 1, 3)?.id).toBe('a1');
    expect(itemAt(pages, 16, 3)?.id).toBe('f1');
  });
  it('gives undefined for rows not loaded (placeholders)', () => {
    expect(itemAt(pages, 2, 3)).toBeUndefined(); // page 0 came back short
    expect(itemAt(pages, 7, 3)).toBeUndefined(); // page 2 not loaded
    expect(itemAt(pages, -1, 3)).toBeUndefined();
  });
  it('finds a loaded item by id', () => {
    expect(indexOfLoaded(pages, 'f2', 3)).toBe(17);
    expect(indexOfLoaded(pages, 'a0', 3)).toBe(0);
    expect(indexOfLoaded(pages, 'missing', 3)).toBe(-1);
  });
});
