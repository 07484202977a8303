import { describe, expect, it } from 'vitest';
import {
  emptySelection,
  invert,
  isSelected,
  rangeBetween,
  rowsInBand,
  selectAll,
  selectOnly,
  selectRange,
  selectedCount,
  tilesInBand,
  toggle,
} from './selection';

const selectedOf = (selection: ReturnType<typeof selectOnly>, keys: string[]) =>
  keys.filter((key) => isSelected(selection, key));

describe('selection', () => {
  const keys = ['a', 'b', 'c', 'd', 'e'];

  it('starts empty; a click selects one row and sets the anchor', () => {
    expect(selectedOf(emptySelection, keys)).toEqual([]);
    const one = selectOnly('c', 2);
    expect(selectedOf(one, keys)).toEqual(['c']);
    expect(one.anchor).toBe(2);
  });

  it('Ctrl toggles one row and keeps the others', () => {
    const two = toggle(selectOnly('a', 0), 'c', 2);
    expect(selectedOf(two, keys)).toEqual(['a', 'c']);
    expect(selectedOf(toggle(two, 'a', 0), keys)).toEqual(['c']);
  });

  it('Shift replaces with the range; Ctrl+Shift adds it', () => {
    const start = toggle(selectOnly('a', 0), 'e', 4);
    const range = selectRange({ ...start, anchor: 1 }, ['b', 'c'], false);
    expect(selectedOf(range, keys)).toEqual(['b', 'c']);
    expect(range.anchor).toBe(1);
    expect(selectedOf(selectRange(start, ['b', 'c'], true), keys)).toEqual(['a', 'b', 'c', 'e']);
  });

  it('select all, then toggles and ranges work on what is left out; invert flips', () => {
    const all = selectAll();
    expect(selectedCount(all, 5)).toBe(5);
    const lessOne = toggle(all, 'b', 1);
    expect(selectedOf(lessOne, keys)).toEqual(['a', 'c', 'd', 'e']);
    expect(selectedCount(lessOne, 5)).toBe(4);
    expect(selectedOf(selectRange(lessOne, ['b'], true), keys)).toEqual(keys);
    expect(selectedOf(invert(lessOne), keys)).toEqual(['b']);
    expect(selectedOf(invert(selectOnly('a', 0)), keys)).toEqual(['b', 'c', 'd', 'e']);
  });

  it('orders a range whichever way it was drawn', () => {
    expect(rangeBetween(5, 2)).toEqual({ first: 2, last: 5 });
    expect(rangeBetween(2, 5)).toEqual({ first: 2, last: 5 });
  });

  it('finds the rows and tiles a rubber band covers', () => {
    expect(rowsInBand(40, 100, 32, 10)).toEqual({ first: 1, last: 3 });
    expect(rowsInBand(100, 40, 32, 10)).toEqual({ first: 1, last: 3 });
    expect(rowsInBand(-20, 10, 32, 10)).toEqual({ first: 0, last: 0 });
    expect(rowsInBand(400, 500, 32, 10)).toBeNull();
    expect(rowsInBand(0, 10, 32, 0)).toBeNull();
    const tile = { width: 100, height: 120, columns: 4 };
    expect(tilesInBand({ x1: 150, y1: 10, x2: 50, y2: 130 }, tile, 10)).toEqual([0, 1, 4, 5]);
    expect(tilesInBand({ x1: 350, y1: 250, x2: 390, y2: 260 }, tile, 10)).toEqual([]);
    expect(tilesInBand({ x1: 0, y1: 250, x2: 390, y2: 260 }, tile, 10)).toEqual([8, 9]);
  });
});
