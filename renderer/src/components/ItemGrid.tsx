/**
 * The rows of a pane, as a virtualized list (resizable, sortable columns) or a grid of tiles with
 * thumbnails: only what is in view (plus overscan) is in the DOM. Keyboard focus stays on the grid
 * element and the focused row is its aria-activedescendant. Selection (click, Shift, Ctrl/Cmd, rubber
 * band, type-to-select) is reported to the pane, which owns it; so are the keys it does not handle
 * itself (the file actions' shortcuts) and context-menu requests.
 */
import {
  memo,
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type CSSProperties,
  type DragEvent,
  type KeyboardEvent,
  type MouseEvent,
  type PointerEvent,
  type ReactNode,
} from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Sort } from '../../../common/contract';
import { fileTypeLabel } from '../../../common/file-types';
import { thumbnailUrl } from '../../../common/uploads';
import { useDropTarget } from '../hooks/use-drop-target';
import { columnDefs, gridTemplate, steppedWidth, type ColumnId, type ColumnWidths } from '../lib/columns';
import type { FolderTarget } from '../lib/drag-drop';
import { displayName, formatFullDate, formatModified, formatSize } from '../lib/format';
import { iconKind, iconLabels } from '../lib/icons';
import { listKeyAction } from '../lib/keyboard';
import { pagesForRange, pageSize } from '../lib/paging';
import type { Row } from '../lib/rows';
import { isSelected, rowsInBand, tilesInBand, type Selection } from '../lib/selection';
import { ariaSort, toggleSort } from '../lib/sort';
import { extendTypeAhead, findTypedRow, type TypeAhead } from '../lib/type-ahead';
import { typedSearchCharacter } from '../lib/search';
import { FileIcon, SortIcon } from './Icons';
import { useTransferUi } from './TransferUi';

export type ViewMode = 'list' | 'grid';

/** Pixels per list row, and per tile of the grid view. */
export const listRowHeight = 32;
export const tileWidth = 136;
export const tileHeight = 150;
const overscan = 8;

/** How a click or key changes the selection; the pane applies it (it can load rows a range needs). */
export type SelectIntent =
  | { type: 'only'; index: number }
  | { type: 'toggle'; index: number }
  | { type: 'range'; index: number; additive: boolean }
  | { type: 'indexes'; indexes: number[]; additive: boolean }
  | { type: 'none' };

export interface ItemGridProps {
  view: ViewMode;
  /** Names the listing: focus and scroll start over when it changes. */
  scope: string;
  total: number;
  /** Loaded rows, by page (pageSize rows each). */
  pages: ReadonlyMap<number, readonly Row[]>;
  /** The pages the rows in view touch (the pane loads them). */
  onVisiblePages: (pages: number[]) => void;
  columns: readonly ColumnId[];
  widths: ColumnWidths;
  onResize: (column: ColumnId, width: number) => void;
  sort: Sort;
  onSortChange: (sort: Sort) => void;
  selection: Selection;
  onSelect: (intent: SelectIntent) => void;
  focusIndex: number | null;
  onFocusIndex: (index: number) => void;
  accountName: (accountId: string) => string;
  /** The row being renamed inline (its key), or null. */
  renamingKey: string | null;
  onRenameCommit: (row: Row, name: string) => void;
  onRenameCancel: () => void;
  onOpen: (row: Row) => void;
  /** Opens the context menu at a point, for a row (selected first) or for the folder itself (null). */
  onContextMenu: (x: number, y: number, row: Row | null) => void;
  /** A key the grid did not use itself (the actions' shortcuts): true when it was handled. */
  onCommandKey: (event: KeyboardEvent<HTMLElement>) => boolean;
  /** Starts dragging a row (with the rest of the selection when it is selected). */
  onDragRow: (event: DragEvent<HTMLElement>, row: Row) => void;
  /** Where a drop on a folder row goes (null: the row takes no drops). */
  dropTargetOf: (row: Row) => FolderTarget | null;
  /** Opens one item's account folder (an account badge of a merged row was clicked). */
  onShowInAccount: (row: Row, accountIndex: number) => void;
  label: string;
  autoFocus: boolean;
  now: number;
  /** Rows cut to the clipboard (shown dimmed). */
  isCut: (row: Row) => boolean;
}

export function ItemGrid(props: ItemGridProps) {
  const { view, scope, total, pages, focusIndex, selection } = props;
  const idPrefix = useId();
  const gridRef = useRef<HTMLDivElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const columnsPerLine = view === 'grid' ? Math.max(1, Math.floor(width / tileWidth)) : 1;
  const lineCount = Math.ceil(total / columnsPerLine);

  useLayoutEffect(() => {
    const scroller = gridRef.current;
    if (!scroller) return;
    const observer = new ResizeObserver(() => setWidth(scroller.clientWidth));
    observer.observe(scroller);
    setWidth(scroller.clientWidth);
    return () => observer.disconnect();
  }, []);

  // The rows start below the column header, inside the same scrolling element.
  const [headerHeight, setHeaderHeight] = useState(0);
  useLayoutEffect(() => setHeaderHeight(bodyRef.current?.offsetTop ?? 0), [view]);

  // The app does not use React Compiler; the virtualizer re-renders this component when the range changes.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: lineCount,
    getScrollElement: () => gridRef.current,
    estimateSize: () => (view === 'grid' ? tileHeight : listRowHeight),
    scrollMargin: headerHeight,
    overscan,
    useFlushSync: false,
  });
  useEffect(() => virtualizer.measure(), [view, virtualizer]);
  const lines = virtualizer.getVirtualItems();
  const firstIndex = (lines[0]?.index ?? 0) * columnsPerLine;
  const lastIndex = ((lines[lines.length - 1]?.index ?? -1) + 1) * columnsPerLine - 1;
  const visiblePages = pagesForRange(firstIndex, lastIndex, total).join(',');
  const { onVisiblePages } = props;
  useEffect(() => {
    onVisiblePages(visiblePages === '' ? [] : visiblePages.split(',').map(Number));
  }, [visiblePages, onVisiblePages]);

  const rowAt = useCallback(
    (index: number): Row | undefined => pages.get(Math.floor(index / pageSize))?.[index % pageSize],
    [pages],
  );

  // A new listing starts at the top; the focused row is scrolled into view.
  useLayoutEffect(() => {
    virtualizer.scrollToOffset(0);
  }, [scope, virtualizer]);
  // Keyboard users keep their place: when a grid (or nothing) had focus, the new listing's grid takes
  // it; focus elsewhere (the folder tree, a breadcrumb, a text field) stays where it is.
  useEffect(() => {
    const active = document.activeElement;
    const free = !active || active === document.body || active.closest('[role="grid"]') !== null;
    if (props.autoFocus && free) gridRef.current?.focus({ preventScroll: true });
  }, [props.autoFocus, scope]);

  const scrollToIndex = (index: number) =>
    virtualizer.scrollToIndex(Math.floor(index / columnsPerLine), { align: 'auto' });

  const rowId = (index: number) => `${idPrefix}-row-${index}`;
  const focusedRendered =
    focusIndex !== null &&
    lines.some((line) => Math.floor(focusIndex / columnsPerLine) === line.index) &&
    rowAt(focusIndex) !== undefined;

  // A row focused from outside the view (the folder we came up from, a Shift range's end) is scrolled to.
  useEffect(() => {
    if (focusIndex !== null)
      virtualizer.scrollToIndex(Math.floor(focusIndex / columnsPerLine), { align: 'auto' });
  }, [focusIndex, columnsPerLine, virtualizer]);

  // Type-to-select.
  const typeAhead = useRef<TypeAhead | null>(null);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.target !== gridRef.current) return; // keys on header buttons and the rename field keep their meaning
    const viewport = gridRef.current?.clientHeight ?? listRowHeight * 10;
    const perPage = Math.floor(viewport / (view === 'grid' ? tileHeight : listRowHeight));
    const move = listKeyAction(event, focusIndex, total, perPage, columnsPerLine);
    if (move.type === 'focus') {
      event.preventDefault();
      props.onFocusIndex(move.index);
      scrollToIndex(move.index);
      if (event.shiftKey) props.onSelect({ type: 'range', index: move.index, additive: false });
      else if (!event.ctrlKey && !event.metaKey) props.onSelect({ type: 'only', index: move.index });
      return;
    }
    if (event.key === ' ' && (event.ctrlKey || event.metaKey) && focusIndex !== null) {
      event.preventDefault();
      props.onSelect({ type: 'toggle', index: focusIndex });
      return;
    }
    if (event.key === 'Escape' && !event.defaultPrevented) {
      props.onSelect({ type: 'indexes', indexes: [], additive: false });
      return;
    }
    const character = typedSearchCharacter(event);
    if (character !== null) {
      event.preventDefault();
      typeAhead.current = extendTypeAhead(typeAhead.current, character, Date.now());
      const names = Array.from({ length: total }, (_, index) => rowAt(index)?.name);
      const found = findTypedRow(names, typeAhead.current.text, focusIndex);
      if (found !== -1) {
        props.onFocusIndex(found);
        props.onSelect({ type: 'only', index: found });
        scrollToIndex(found);
      }
      return;
    }
    if ((event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) && focusIndex !== null) {
      event.preventDefault();
      const element = document.getElementById(rowId(focusIndex));
      const box = element?.getBoundingClientRect() ?? gridRef.current!.getBoundingClientRect();
      const row = rowAt(focusIndex) ?? null;
      props.onContextMenu(box.left + 24, box.top + box.height / 2, row);
      return;
    }
    if (props.onCommandKey(event)) event.preventDefault();
  };

  const onRowPointer = useCallback(
    (index: number, event: { shiftKey: boolean; ctrlKey: boolean; metaKey: boolean; button: number }) => {
      gridRef.current?.focus({ preventScroll: true });
      props.onFocusIndex(index);
      const row = rowAt(index);
      if (event.button === 2) {
        if (row && !isSelected(selection, row.key)) props.onSelect({ type: 'only', index });
        return;
      }
      if (event.shiftKey) props.onSelect({ type: 'range', index, additive: event.ctrlKey || event.metaKey });
      else if (event.ctrlKey || event.metaKey) props.onSelect({ type: 'toggle', index });
      else props.onSelect({ type: 'only', index });
    },
    [props, rowAt, selection],
  );

  // Rubber band: a drag that starts on the empty part of the listing selects what it covers.
  const [band, setBand] = useState<{ x1: number; y1: number; x2: number; y2: number } | null>(null);
  const bandStart = useRef<{ x: number; y: number; additive: boolean } | null>(null);
  const bodyPoint = (event: PointerEvent<HTMLElement>) => {
    const box = bodyRef.current!.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  };
  const onBandDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0 || (event.target as HTMLElement).closest('[role="row"], [role="gridcell"]'))
      return;
    const point = bodyPoint(event);
    bandStart.current = { ...point, additive: event.ctrlKey || event.metaKey || event.shiftKey };
    event.currentTarget.setPointerCapture(event.pointerId);
    gridRef.current?.focus({ preventScroll: true });
    if (!bandStart.current.additive) props.onSelect({ type: 'indexes', indexes: [], additive: false });
  };
  const onBandMove = (event: PointerEvent<HTMLDivElement>) => {
    const start = bandStart.current;
    if (!start) return;
    const point = bodyPoint(event);
    const next = { x1: start.x, y1: start.y, x2: point.x, y2: point.y };
    if (Math.abs(next.x2 - next.x1) + Math.abs(next.y2 - next.y1) < 4) return;
    setBand(next);
    let indexes: number[] = [];
    if (view === 'grid') {
      indexes = tilesInBand(next, { width: tileWidth, height: tileHeight, columns: columnsPerLine }, total);
    } else {
      const covered = rowsInBand(next.y1, next.y2, listRowHeight, total);
      if (covered)
        indexes = Array.from({ length: covered.last - covered.first + 1 }, (_, at) => covered.first + at);
    }
    props.onSelect({ type: 'indexes', indexes, additive: start.additive });
  };
  const onBandUp = () => {
    bandStart.current = null;
    setBand(null);
  };

  const template = gridTemplate(props.columns, props.widths);
  const selectedRendered = (index: number) => {
    const row = rowAt(index);
    return row !== undefined && isSelected(selection, row.key);
  };

  return (
    <div className={`file-list view-${view}`}>
      <div
        ref={gridRef}
        className="grid grid-scroller"
        role="grid"
        aria-label={props.label}
        aria-multiselectable="true"
        aria-rowcount={view === 'list' ? total + 1 : lineCount}
        aria-colcount={view === 'list' ? props.columns.length : columnsPerLine}
        aria-activedescendant={focusedRendered && focusIndex !== null ? rowId(focusIndex) : undefined}
        data-total={total}
        data-view={view}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onPointerDown={onBandDown}
        onPointerMove={onBandMove}
        onPointerUp={onBandUp}
        onPointerCancel={onBandUp}
        onContextMenu={(event) => {
          if (
            (event.target as HTMLElement).closest('[role="row"][data-index], [role="gridcell"][data-index]')
          )
            return;
          event.preventDefault();
          props.onContextMenu(event.clientX, event.clientY, null);
        }}
      >
        {view === 'list' ? (
          <ColumnHeader
            columns={props.columns}
            widths={props.widths}
            template={template}
            sort={props.sort}
            onSortChange={props.onSortChange}
            onResize={props.onResize}
          />
        ) : null}
        <div
          ref={bodyRef}
          role="rowgroup"
          className="grid-body"
          style={{ height: virtualizer.getTotalSize() }}
          data-testid="grid-body"
        >
          {view === 'list'
            ? lines.map((line) => (
                <ListRow
                  key={line.key}
                  id={rowId(line.index)}
                  index={line.index}
                  start={line.start - headerHeight}
                  row={rowAt(line.index)}
                  columns={props.columns}
                  template={template}
                  focused={line.index === focusIndex}
                  selected={selectedRendered(line.index)}
                  renaming={rowAt(line.index)?.key === props.renamingKey}
                  cut={props.isCut}
                  grid={props}
                  onPointer={onRowPointer}
                />
              ))
            : lines.map((line) => (
                <TileLine
                  key={line.key}
                  line={line.index}
                  start={line.start - headerHeight}
                  columns={columnsPerLine}
                  total={total}
                  rowId={rowId}
                  rowAt={rowAt}
                  focusIndex={focusIndex}
                  selectedAt={selectedRendered}
                  grid={props}
                  onPointer={onRowPointer}
                />
              ))}
          {band ? (
            <div
              className="rubber-band"
              data-testid="rubber-band"
              style={{
                left: Math.min(band.x1, band.x2),
                top: Math.min(band.y1, band.y2),
                width: Math.abs(band.x2 - band.x1),
                height: Math.abs(band.y2 - band.y1),
              }}
            />
          ) : null}
        </div>
      </div>
    </div>
  );
}

function ColumnHeader({
  columns,
  widths,
  template,
  sort,
  onSortChange,
  onResize,
}: {
  columns: readonly ColumnId[];
  widths: ColumnWidths;
  template: string;
  sort: Sort;
  onSortChange: (sort: Sort) => void;
  onResize: (column: ColumnId, width: number) => void;
}) {
  return (
    <div role="rowgroup" className="grid-head">
      <div role="row" aria-rowindex={1} className="row head-row" style={{ gridTemplateColumns: template }}>
        {columns.map((id) => {
          const column = columnDefs[id];
          return (
            <div
              key={id}
              role="columnheader"
              aria-sort={ariaSort(sort, column.sortKey)}
              className={`cell cell-${id}`}
            >
              <button
                type="button"
                className="column-button"
                onClick={() => onSortChange(toggleSort(sort, column.sortKey))}
              >
                {column.label}
                <SortIcon direction={sort.by === column.sortKey ? sort.direction : null} />
              </button>
              <ResizeHandle column={id} width={widths[id]} onResize={onResize} />
            </div>
          );
        })}
      </div>
    </div>
  );
}

/** A column's right edge: drag it, or focus it and use the arrow keys. */
function ResizeHandle({
  column,
  width,
  onResize,
}: {
  column: ColumnId;
  width: number;
  onResize: (column: ColumnId, width: number) => void;
}) {
  const start = useRef<{ x: number; width: number } | null>(null);
  const label = columnDefs[column].label;
  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={`Resize the ${label} column`}
      aria-valuenow={width}
      aria-valuemin={columnDefs[column].minWidth}
      aria-valuemax={1200}
      tabIndex={0}
      className="column-resizer"
      data-testid={`resize-${column}`}
      onPointerDown={(event) => {
        event.preventDefault();
        event.stopPropagation();
        start.current = { x: event.clientX, width };
        event.currentTarget.setPointerCapture(event.pointerId);
      }}
      onPointerMove={(event) => {
        if (start.current) onResize(column, start.current.width + event.clientX - start.current.x);
      }}
      onPointerUp={() => {
        start.current = null;
      }}
      onKeyDown={(event) => {
        const next = steppedWidth(column, width, event.key, event.shiftKey);
        if (next === null) return;
        event.preventDefault();
        event.stopPropagation();
        onResize(column, next);
      }}
      onClick={(event) => event.stopPropagation()}
    />
  );
}

interface ListRowProps {
  id: string;
  index: number;
  start: number;
  row: Row | undefined;
  columns: readonly ColumnId[];
  template: string;
  focused: boolean;
  selected: boolean;
  renaming: boolean;
  cut: (row: Row) => boolean;
  grid: ItemGridProps;
  onPointer: (
    index: number,
    event: { shiftKey: boolean; ctrlKey: boolean; metaKey: boolean; button: number },
  ) => void;
}

const ListRow = memo(function ListRow(props: ListRowProps) {
  const { id, index, start, row, columns, template } = props;
  const style = { transform: `translateY(${start}px)`, gridTemplateColumns: template };
  if (!row) {
    return (
      <div
        id={id}
        role="row"
        aria-rowindex={index + 2}
        aria-busy="true"
        className="row file-row placeholder"
        data-testid="file-row"
        data-index={index}
        data-placeholder="true"
        style={style}
      >
        {columns.map((column) => (
          <div key={column} role="gridcell" className={`cell cell-${column}`}>
            {column === 'name' ? <span className="skeleton skeleton-icon" /> : null}
            <span
              className={column === 'name' ? 'skeleton' : 'skeleton skeleton-short'}
              style={column === 'name' ? { width: `${40 + ((index * 37) % 45)}%` } : undefined}
            />
          </div>
        ))}
      </div>
    );
  }
  return <LoadedRow {...props} row={row} style={style} />;
});

function LoadedRow({
  id,
  index,
  row,
  columns,
  focused,
  selected,
  renaming,
  cut,
  grid,
  onPointer,
  style,
}: ListRowProps & { row: Row; style: CSSProperties }) {
  const transferUi = useTransferUi();
  const drop = useDropTarget(grid.dropTargetOf(row), transferUi.mac, transferUi.drop);
  const classes = ['row', 'file-row'];
  if (focused) classes.push('focused');
  if (selected) classes.push('selected');
  if (cut(row)) classes.push('cut');
  if (drop.active) classes.push('drop-target');
  const kind = iconKind(row);
  const name = displayName(row.name);
  return (
    <div
      id={id}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={classes.join(' ')}
      data-testid="file-row"
      data-index={index}
      data-kind={row.kind}
      data-shortcut={row.items.some((item) => item.targetId !== null) || undefined}
      data-drop-target={drop.active || undefined}
      data-focused={focused || undefined}
      style={style}
      {...rowHandlers(row, index, !renaming, grid, onPointer, transferUi.dragEnd)}
      {...drop.props}
    >
      {columns.map((column) => (
        <Cell
          key={column}
          column={column}
          row={row}
          name={name}
          kindLabel={iconLabels[kind]}
          renaming={renaming}
          grid={grid}
          icon={<FileIcon kind={kind} />}
        />
      ))}
    </div>
  );
}

function Cell({
  column,
  row,
  name,
  kindLabel,
  renaming,
  grid,
  icon,
}: {
  column: ColumnId;
  row: Row;
  name: string;
  kindLabel: string;
  renaming: boolean;
  grid: ItemGridProps;
  icon: ReactNode;
}) {
  switch (column) {
    case 'name':
      return (
        <div role="gridcell" className="cell cell-name" title={`${name} — ${kindLabel}`}>
          {icon}
          {renaming ? (
            <RenameField row={row} onCommit={grid.onRenameCommit} onCancel={grid.onRenameCancel} />
          ) : (
            <span className="name" data-testid="file-name">
              {name}
            </span>
          )}
        </div>
      );
    case 'account':
      return (
        <div role="gridcell" className="cell cell-account">
          <AccountBadges row={row} grid={grid} />
        </div>
      );
    case 'size':
      return (
        <div
          role="gridcell"
          className="cell cell-size"
          title={row.size === null ? undefined : `${row.size.toLocaleString()} bytes`}
        >
          {row.kind === 'folder' ? '' : formatSize(row.size)}
        </div>
      );
    case 'modified':
      return (
        <div
          role="gridcell"
          className="cell cell-modified"
          title={formatFullDate(row.modifiedAt) || undefined}
        >
          {formatModified(row.modifiedAt, { now: grid.now })}
        </div>
      );
    case 'type':
      return (
        <div role="gridcell" className="cell cell-type">
          {fileTypeLabel(row)}
        </div>
      );
  }
}

/** Whose the row is: one badge per account (a merged folder can be in several). Clicking one opens it there. */
function AccountBadges({ row, grid }: { row: Row; grid: ItemGridProps }) {
  const seen = new Set<string>();
  return (
    <span className="account-badges" data-testid="account-badges">
      {row.items.map((item, at) => {
        if (seen.has(item.accountId)) return null;
        seen.add(item.accountId);
        const name = grid.accountName(item.accountId);
        return (
          <button
            key={item.accountId}
            type="button"
            tabIndex={-1}
            className="account-badge"
            data-testid="account-badge"
            title={`Show in ${name}`}
            onClick={(event) => {
              event.stopPropagation();
              grid.onShowInAccount(row, at);
            }}
          >
            {name}
          </button>
        );
      })}
    </span>
  );
}

/** The inline rename field: Enter or leaving it renames, Escape cancels. The name before the extension starts selected. */
function RenameField({
  row,
  onCommit,
  onCancel,
}: {
  row: Row;
  onCommit: (row: Row, name: string) => void;
  onCancel: () => void;
}) {
  const done = useRef(false);
  const finish = (name: string | null) => {
    if (done.current) return;
    done.current = true;
    if (name === null || name === row.name || name.trim() === '') onCancel();
    else onCommit(row, name);
  };
  return (
    <input
      className="rename-field"
      aria-label={`New name for ${displayName(row.name)}`}
      defaultValue={row.name}
      autoFocus
      data-testid="rename-field"
      onFocus={(event) => {
        const dot = row.kind === 'file' ? row.name.lastIndexOf('.') : -1;
        event.currentTarget.setSelectionRange(0, dot > 0 ? dot : row.name.length);
      }}
      onKeyDown={(event) => {
        event.stopPropagation();
        if (event.key === 'Enter') {
          event.preventDefault();
          finish(event.currentTarget.value);
        } else if (event.key === 'Escape') {
          event.preventDefault();
          finish(null);
        }
      }}
      onBlur={(event) => finish(event.currentTarget.value)}
      onClick={(event) => event.stopPropagation()}
      onDoubleClick={(event) => event.stopPropagation()}
    />
  );
}

function TileLine({
  line,
  start,
  columns,
  total,
  rowId,
  rowAt,
  focusIndex,
  selectedAt,
  grid,
  onPointer,
}: {
  line: number;
  start: number;
  columns: number;
  total: number;
  rowId: (index: number) => string;
  rowAt: (index: number) => Row | undefined;
  focusIndex: number | null;
  selectedAt: (index: number) => boolean;
  grid: ItemGridProps;
  onPointer: ListRowProps['onPointer'];
}) {
  const first = line * columns;
  const indexes = Array.from({ length: Math.min(columns, total - first) }, (_, at) => first + at);
  return (
    <div
      role="row"
      aria-rowindex={line + 1}
      className="tile-line"
      style={{ transform: `translateY(${start}px)`, height: tileHeight }}
    >
      {indexes.map((index) => (
        <Tile
          key={index}
          id={rowId(index)}
          index={index}
          row={rowAt(index)}
          focused={index === focusIndex}
          selected={selectedAt(index)}
          grid={grid}
          onPointer={onPointer}
        />
      ))}
    </div>
  );
}

/**
 * What a list row and a tile do alike: drag (unless being renamed), click and Shift/Ctrl+click
 * (the browser's own text selection kept out), right click (selects, then the menu), double click.
 */
function rowHandlers(
  row: Row,
  index: number,
  draggable: boolean,
  grid: ItemGridProps,
  onPointer: ListRowProps['onPointer'],
  onDragEnd: () => void,
) {
  return {
    draggable,
    onDragStart: (event: DragEvent<HTMLElement>) => grid.onDragRow(event, row),
    onDragEnd,
    onPointerDown: (event: PointerEvent<HTMLElement>) => {
      if (event.button === 0 && (event.shiftKey || event.ctrlKey || event.metaKey)) event.preventDefault();
    },
    onClick: (event: MouseEvent<HTMLElement>) => onPointer(index, event),
    onContextMenu: (event: MouseEvent<HTMLElement>) => {
      event.preventDefault();
      onPointer(index, { ...event, button: 2 });
      grid.onContextMenu(event.clientX, event.clientY, row);
    },
    onDoubleClick: () => grid.onOpen(row),
  };
}

/** Kinds of files a provider may have a thumbnail of. */
const thumbnailKinds = new Set(['image', 'video', 'pdf']);

function Tile({
  id,
  index,
  row,
  focused,
  selected,
  grid,
  onPointer,
}: {
  id: string;
  index: number;
  row: Row | undefined;
  focused: boolean;
  selected: boolean;
  grid: ItemGridProps;
  onPointer: ListRowProps['onPointer'];
}) {
  const transferUi = useTransferUi();
  const drop = useDropTarget(row ? grid.dropTargetOf(row) : null, transferUi.mac, transferUi.drop);
  const [thumbnailFailed, setThumbnailFailed] = useState(false);
  if (!row) {
    return (
      <div
        id={id}
        role="gridcell"
        className="tile placeholder"
        data-testid="file-row"
        data-placeholder="true"
      >
        <span className="skeleton tile-skeleton" />
      </div>
    );
  }
  const kind = iconKind(row);
  const name = displayName(row.name);
  const item = row.items[0]!;
  const wantsThumbnail = row.kind === 'file' && thumbnailKinds.has(kind) && !thumbnailFailed;
  const classes = ['tile'];
  if (focused) classes.push('focused');
  if (selected) classes.push('selected');
  if (grid.isCut(row)) classes.push('cut');
  if (drop.active) classes.push('drop-target');
  return (
    <div
      id={id}
      role="gridcell"
      aria-selected={selected}
      className={classes.join(' ')}
      data-testid="file-row"
      data-index={index}
      data-kind={row.kind}
      data-focused={focused || undefined}
      title={`${name} — ${iconLabels[kind]}`}
      {...rowHandlers(row, index, grid.renamingKey !== row.key, grid, onPointer, transferUi.dragEnd)}
      {...drop.props}
    >
      <div className="tile-picture">
        {wantsThumbnail ? (
          <img
            className="thumbnail"
            data-testid="thumbnail"
            src={thumbnailUrl(item.accountId, item.id, 256)}
            alt=""
            loading="lazy"
            decoding="async"
            draggable={false}
            onError={() => setThumbnailFailed(true)}
          />
        ) : (
          <FileIcon kind={kind} />
        )}
      </div>
      {grid.renamingKey === row.key ? (
        <RenameField row={row} onCommit={grid.onRenameCommit} onCancel={grid.onRenameCancel} />
      ) : (
        <span className="tile-name name" data-testid="file-name">
          {name}
        </span>
      )}
      {grid.columns.includes('account') ? <AccountBadges row={row} grid={grid} /> : null}
    </div>
  );
}
