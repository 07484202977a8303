/**
 * What feeds an explorer pane's rows (DESIGN.md: "the explorer is fed by a data source and does not
 * know which one"): one account's folder (listFolder) or the merged view of a path (listMerged).
 * Pages are cached by the query cache under the source's keys, raw as the engine answered them, and
 * turned into rows (lib/rows.ts) when read.
 */
import type { SkyfoldApi, Sort } from '../../../common/contract';
import type { FolderPage, MergedPage } from '../../../common/dto';
import { pageRange } from './paging';
import { queryKeys } from './query-keys';
import { rowOfItem, rowOfMerged, type Row } from './rows';

export interface RowPage {
  total: number;
  rows: readonly Row[];
}

export interface RowSource<Raw = unknown> {
  /** Names the listing (place and order): focus, selection and scroll start over when it changes. */
  scope: string;
  queryKey(page: number): readonly unknown[];
  fetch(page: number): Promise<Raw>;
  rowsOf(raw: Raw): RowPage;
}

export function folderSource(
  api: SkyfoldApi,
  accountId: string,
  folderId: string,
  sort: Sort,
): RowSource<FolderPage> {
  return {
    scope: ['folder', accountId, folderId, sort.by, sort.direction].join('\u0000'),
    queryKey: (page) => queryKeys.listPage(accountId, folderId, sort, page),
    fetch: (page) => api.listFolder({ accountId, folderId, sort, ...pageRange(page) }),
    rowsOf: (raw) => ({ total: raw.total, rows: raw.items.map(rowOfItem) }),
  };
}

export function mergedSource(api: SkyfoldApi, path: string, sort: Sort): RowSource<MergedPage> {
  return {
    scope: ['merged', path, sort.by, sort.direction].join('\u0000'),
    queryKey: (page) => queryKeys.mergedPage(path, sort, page),
    fetch: (page) => api.listMerged({ path, sort, ...pageRange(page) }),
    rowsOf: (raw) => ({ total: raw.total, rows: raw.rows.map(rowOfMerged) }),
  };
}
