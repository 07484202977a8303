import { useQueries } from '@tanstack/react-query';
import type { Row } from '../lib/rows';
import type { RowPage, RowSource } from '../lib/row-source';

export interface RowPages {
  /** Loaded rows by page index (page 0 always: it comes with the listing's first answer). */
  pages: ReadonlyMap<number, readonly Row[]>;
  /** A page that could not be loaded, with its retry. */
  failed: { message: string; retry: () => void } | null;
  busy: boolean;
}

/** The pages of `source` beyond the first that the rows in view need (`wanted`), through the query cache. */
export function useRowPages(source: RowSource, head: RowPage, wanted: readonly number[]): RowPages {
  const later = wanted.filter((page) => page !== 0);
  const results = useQueries({
    queries: later.map((page) => ({
      queryKey: source.queryKey(page),
      queryFn: () => source.fetch(page),
      select: (raw: unknown) => source.rowsOf(raw),
    })),
  });
  const pages = new Map<number, readonly Row[]>([[0, head.rows]]);
  results.forEach((result, at) => {
    if (result.data) pages.set(later[at]!, result.data.rows);
  });
  const failedResult = results.find((result) => result.isError && !result.data);
  return {
    pages,
    failed: failedResult
      ? { message: failedResult.error?.message ?? 'unknown error', retry: () => void failedResult.refetch() }
      : null,
    busy: results.some((result) => result.isFetching && !result.data),
  };
}
