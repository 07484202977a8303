/**
 * Which rows of a pane are selected (pure). A selection is a set of row keys (lib/rows.ts), either
 * the only ones selected or, after "Select all", the ones left out, so that selecting all of a
 * 100,000-row folder costs nothing. `anchor` is where a Shift range starts.
 */

export interface Selection {
  mode: 'only' | 'except';
  keys: ReadonlySet<string>;
  /** The row index Shift+click and Shift+arrows extend from; null when nothing was clicked yet. */
  anchor: number | null;
}

export const emptySelection: Selection = { mode: 'only', keys: new Set(), anchor: null };

export function isSelected(selection: Selection, key: string): boolean {
  return selection.mode === 'only' ? selection.keys.has(key) : !selection.keys.has(key);
}

/** How many rows are selected out of `total`. */
export function selectedCount(selection: Selection, total: number): number {
  return selection.mode === 'only' ? selection.keys.size : Math.max(0, total - selection.keys.size);
}

/** A plain click (or arrow key): this row alone, and the anchor moves to it. */
export function selectOnly(key: string, index: number): Selection {
  return { mode: 'only', keys: new Set([key]), anchor: index };
}

/** Ctrl/Cmd+click: flips one row, keeps the rest; the anchor moves to it. */
export function toggle(selection: Selection, key: string, index: number): Selection {
  const keys = new Set(selection.keys);
  if (keys.has(key)) keys.delete(key);
  else keys.add(key);
  return { mode: selection.mode, keys, anchor: index };
}

/**
 * Shift+click (or Shift+arrows): the rows from the anchor to the clicked one, `rangeKeys` being
 * their keys. `additive` (Ctrl+Shift) adds the range to what was selected; otherwise the range
 * replaces it. The anchor stays.
 */
export function selectRange(
  selection: Selection,
  rangeKeys: readonly string[],
  additive: boolean,
): Selection {
  if (!additive) return { mode: 'only', keys: new Set(rangeKeys), anchor: selection.anchor };
  const keys = new Set(selection.keys);
  for (const key of rangeKeys) {
    if (selection.mode === 'only') keys.add(key);
    else keys.delete(key);
  }
  return { mode: selection.mode, keys, anchor: selection.anchor };
}

export function selectAll(): Selection {
  return { mode: 'except', keys: new Set(), anchor: null };
}

/** Every selected row becomes unselected and every other row selected. */
export function invert(selection: Selection): Selection {
  return {
    mode: selection.mode === 'only' ? 'except' : 'only',
    keys: selection.keys,
    anchor: selection.anchor,
  };
}

/** The rows between the anchor `from` and the row `to` (either order), inclusive, in order. */
export function rangeBetween(from: number, to: number): { first: number; last: number } {
  return from <= to ? { first: from, last: to } : { first: to, last: from };
}

/**
 * The row indexes a rubber band covers in a list of `total` rows of `rowHeight` pixels, from `top`
 * to `bottom` (pixels from the top of the first row, either order); null when it covers none.
 */
export function rowsInBand(
  top: number,
  bottom: number,
  rowHeight: number,
  total: number,
): { first: number; last: number } | null {
  const low = Math.max(0, Math.min(top, bottom));
  const high = Math.max(top, bottom);
  const first = Math.floor(low / rowHeight);
  const last = Math.min(total - 1, Math.floor(high / rowHeight));
  return total <= 0 || first > last ? null : { first, last };
}

/**
 * The tile indexes a rubber band covers in a grid of `columns` tiles per line (each `tileWidth` x
 * `tileHeight` pixels, left to right then top to bottom), the band being the rectangle between two
 * points measured from the grid's top left corner.
 */
export function tilesInBand(
  band: { x1: number; y1: number; x2: number; y2: number },
  tile: { width: number; height: number; columns: number },
  total: number,
): number[] {
  const left = Math.max(0, Math.min(band.x1, band.x2));
  const right = Math.max(band.x1, band.x2);
  const top = Math.max(0, Math.min(band.y1, band.y2));
  const bottom = Math.max(band.y1, band.y2);
  const firstColumn = Math.floor(left / tile.width);
  const lastColumn = Math.min(tile.columns - 1, Math.floor(right / tile.width));
  const firstLine = Math.floor(top / tile.height);
  const lastLine = Math.floor(bottom / tile.height);
  const indexes: number[] = [];
  for (let line = firstLine; line <= lastLine; line++) {
    for (let column = firstColumn; column <= lastColumn; column++) {
      const index = line * tile.columns + column;
      if (index < total) indexes.push(index);
    }
  }
  return indexes;
}
