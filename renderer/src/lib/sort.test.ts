import { describe, expect, it } from 'vitest';
import { ariaSort, defaultSort, toggleSort } from './sort';

describe('toggleSort', () => {
  it('starts sorted by name, A to Z', () => {
    expect(defaultSort).toEqual({ by: 'name', direction: 'asc' });
  });
  it('flips the direction of the current column', () => {
    expect(toggleSort({ by: 'name', direction: 'asc' }, 'name')).toEqual({ by: 'name', direction: 'desc' });
    expect(toggleSort({ by: 'name', direction: 'desc' }, 'name')).toEqual({ by: 'name', direction: 'asc' });
    expect(toggleSort({ by: 'size', direction: 'desc' }, 'size')).toEqual({ by: 'size', direction: 'asc' });
  });
  it('starts another column in its natural direction: largest and newest first', () => {
    expect(toggleSort({ by: 'name', direction: 'asc' }, 'size')).toEqual({ by: 'size', direction: 'desc' });
    expect(toggleSort({ by: 'size', direction: 'desc' }, 'type')).toEqual({ by: 'type', direction: 'asc' });
    expect(toggleSort({ by: 'size', direction: 'desc' }, 'account')).toEqual({
      by: 'account',
      direction: 'asc',
    });
    expect(toggleSort({ by: 'name', direction: 'desc' }, 'modified')).toEqual({
      by: 'modified',
      direction: 'desc',
    });
    expect(toggleSort({ by: 'size', direction: 'asc' }, 'name')).toEqual({ by: 'name', direction: 'asc' });
  });
});

describe('ariaSort', () => {
  it('marks only the sorted column', () => {
    const sort = { by: 'size', direction: 'desc' } as const;
    expect(ariaSort(sort, 'size')).toBe('descending');
    expect(ariaSort(sort, 'name')).toBe('none');
    expect(ariaSort({ by: 'name', direction: 'asc' }, 'name')).toBe('ascending');
  });
});
