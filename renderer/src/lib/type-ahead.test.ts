import { describe, expect, it } from 'vitest';
import { extendTypeAhead, findTypedRow, typeAheadResetMs } from './type-ahead';

describe('type-ahead', () => {
  it('joins characters typed in quick succession; a pause starts over', () => {
    const first = extendTypeAhead(null, 'r', 1000);
    const second = extendTypeAhead(first, 'e', 1500);
    expect(second.text).toBe('re');
    expect(extendTypeAhead(second, 'x', 1500 + typeAheadResetMs + 1).text).toBe('x');
  });

  const names = ['Alpha', 'beta', 'Bravo', 'Ébène', undefined, 'echo'];

  it('finds the next row starting with the prefix, ignoring case and accents, wrapping around', () => {
    expect(findTypedRow(names, 'b', 0)).toBe(1);
    expect(findTypedRow(names, 'br', 1)).toBe(2);
    expect(findTypedRow(names, 'e', 0)).toBe(3);
    expect(findTypedRow(names, 'a', 3)).toBe(0);
    expect(findTypedRow(names, 'zz', 0)).toBe(-1);
  });

  it('keeps a row that still matches as the prefix grows, and steps through with a repeated letter', () => {
    expect(findTypedRow(names, 'be', 1)).toBe(1);
    expect(findTypedRow(names, 'bb', 1)).toBe(2);
    expect(findTypedRow(names, 'bbb', 2)).toBe(1);
  });

  it('starts at the top when no row has focus', () => {
    expect(findTypedRow(names, 'b', null)).toBe(1);
    expect(findTypedRow(names, 'a', null)).toBe(0);
  });

  it('skips rows not loaded yet', () => {
    expect(findTypedRow([undefined, 'x'], 'x', 0)).toBe(1);
    expect(findTypedRow([], 'x', 0)).toBe(-1);
  });
});
