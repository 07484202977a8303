/** Column sorting (pure). */
import type { Sort, SortKey } from '../../../common/contract';

export const defaultSort: Sort = { by: 'name', direction: 'asc' };

/** The direction a column starts in when first clicked: names, types and accounts A-Z; sizes largest and dates newest first. */
export function initialDirection(by: SortKey): Sort['direction'] {
  return by === 'size' || by === 'modified' ? 'desc' : 'asc';
}

/** Clicking a column header: the same column flips its direction, another column starts in its own default. */
export function toggleSort(current: Sort, by: SortKey): Sort {
  if (current.by === by) return { by, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  return { by, direction: initialDirection(by) };
}

/** The `aria-sort` value of a column header. */
export function ariaSort(current: Sort, column: SortKey): 'ascending' | 'descending' | 'none' {
  if (current.by !== column) return 'none';
  return current.direction === 'asc' ? 'ascending' : 'descending';
}
