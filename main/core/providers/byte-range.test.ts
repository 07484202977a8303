import { describe, expect, it } from 'vitest';
import type { SkyfoldError } from '../../../common/errors';
import { checkedRange } from './byte-range';

function refusal(run: () => unknown): SkyfoldError {
  try {
    run();
  } catch (error) {
    return error as SkyfoldError;
  }
  throw new Error('expected a refusal');
}

describe('checkedRange', () => {
  it('clamps the end to the file and keeps an open end open to the last byte', () => {
    expect(checkedRange({ start: 2, end: 5 }, 10, 'f')).toEqual({ start: 2, end: 5 });
    expect(checkedRange({ start: 7 }, 10, 'f')).toEqual({ start: 7, end: 9 });
    expect(checkedRange({ start: 8, end: 100 }, 10, 'f')).toEqual({ start: 8, end: 9 });
    expect(checkedRange({ start: 9, end: 9 }, 10, 'f')).toEqual({ start: 9, end: 9 });
  });

  it('reads an empty file from 0 as nothing, and refuses any other start', () => {
    expect(checkedRange({ start: 0 }, 0, 'f')).toBeNull();
    expect(checkedRange({ start: 0, end: 10 }, 0, 'f')).toBeNull();
    expect(refusal(() => checkedRange({ start: 5 }, 0, '"empty"'))).toMatchObject({
      code: 'invalid_argument',
      message: 'byte range 5- is outside "empty"',
    });
  });

  it('refuses starts past the end, reversed, negative and non-integer ranges', () => {
    for (const range of [
      { start: 10 },
      { start: 5, end: 2 },
      { start: -1 },
      { start: 1.5 },
      { start: 0, end: Number.NaN },
      { start: Number.MAX_SAFE_INTEGER + 1 },
    ]) {
      expect(refusal(() => checkedRange(range, 10, 'f')).code, JSON.stringify(range)).toBe(
        'invalid_argument',
      );
    }
  });
});
