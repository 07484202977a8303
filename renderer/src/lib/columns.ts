/**
 * The list view's columns (pure): which exist, their sort keys, their widths (resizable, remembered
 * between runs) and the CSS grid template the header and every row share.
 */
import type { SortKey } from '../../../common/contract';

export type ColumnId = 'name' | 'size' | 'modified' | 'type' | 'account';

export interface ColumnDef {
  id: ColumnId;
  label: string;
  sortKey: SortKey;
  minWidth: number;
  defaultWidth: number;
}

export const columnDefs: Readonly<Record<ColumnId, ColumnDef>> = {
  name: { id: 'name', label: 'Name', sortKey: 'name', minWidth: 140, defaultWidth: 360 },
  size: { id: 'size', label: 'Size', sortKey: 'size', minWidth: 64, defaultWidth: 96 },
  modified: { id: 'modified', label: 'Modified', sortKey: 'modified', minWidth: 90, defaultWidth: 150 },
  type: { id: 'type', label: 'Type', sortKey: 'type', minWidth: 80, defaultWidth: 150 },
  account: { id: 'account', label: 'Account', sortKey: 'account', minWidth: 90, defaultWidth: 160 },
};

/** The columns of one account's folder, and of the merged view (which says whose each row is). */
export const folderColumns: readonly ColumnId[] = ['name', 'size', 'modified', 'type'];
export const mergedColumns: readonly ColumnId[] = ['name', 'account', 'size', 'modified', 'type'];

export type ColumnWidths = Readonly<Record<ColumnId, number>>;

export const defaultWidths: ColumnWidths = {
  name: columnDefs.name.defaultWidth,
  size: columnDefs.size.defaultWidth,
  modified: columnDefs.modified.defaultWidth,
  type: columnDefs.type.defaultWidth,
  account: columnDefs.account.defaultWidth,
};

/** The widest a column may be made. */
export const maxColumnWidth = 1200;

/** `width` kept within the column's bounds (whole pixels). */
export function clampWidth(id: ColumnId, width: number): number {
  if (!Number.isFinite(width)) return columnDefs[id].defaultWidth;
  return Math.round(Math.min(maxColumnWidth, Math.max(columnDefs[id].minWidth, width)));
}

/** Widths read from storage: anything missing or malformed gets its default. */
export function parseWidths(stored: string | null): ColumnWidths {
  let parsed: unknown;
  try {
    parsed = stored === null ? null : JSON.parse(stored);
  } catch {
    parsed = null;
  }
  const record = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const widths = { ...defaultWidths };
  for (const id of Object.keys(defaultWidths) as ColumnId[]) {
    const value = record[id];
    if (typeof value === 'number') widths[id] = clampWidth(id, value);
  }
  return widths;
}

/**
 * The grid template for `columns`: the name column takes what is left (at least its width), the
 * others their width.
 */
export function gridTemplate(columns: readonly ColumnId[], widths: ColumnWidths): string {
  return columns.map((id) => (id === 'name' ? `minmax(${widths.name}px, 1fr)` : `${widths[id]}px`)).join(' ');
}

/** The width after a keyboard step on a column's resize handle (ArrowLeft/ArrowRight, Shift = big steps). */
export function steppedWidth(id: ColumnId, width: number, key: string, big: boolean): number | null {
  const step = big ? 50 : 10;
  if (key === 'ArrowLeft') return clampWidth(id, width - step);
  if (key === 'ArrowRight') return clampWidth(id, width + step);
  if (key === 'Home') return columnDefs[id].minWidth;
  if (key === 'End') return maxColumnWidth;
  return null;
}
