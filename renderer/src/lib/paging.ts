/** Which rows to fetch for a virtualized list that shows a window of a large folder (pure). */

/** Rows per listFolder call. Small enough to answer fast, large enough that a screenful needs one or two. */
export const pageSize = 200;

/**
 * The page indexes that rows `first..last` (inclusive, 0-based) touch, clamped to `total` rows.
 * Empty when there is nothing to show.
 */
export function pagesForRange(first: number, last: number, total: number, size = pageSize): number[] {
  if (total <= 0 || last < first) return [];
  const from = Math.max(0, Math.min(first, total - 1));
  const to = Math.max(0, Math.min(last, total - 1));
  const pages: number[] = [];
  for (let page = Math.floor(from / size); page <= Math.floor(to / size); page++) pages.push(page);
  return pages;
}

/** The listFolder `offset`/`limit` of a page. */
export function pageRange(page: number, size = pageSize): { offset: number; limit: number } {
  return { offset: page * size, limit: size };
}
