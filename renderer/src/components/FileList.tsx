/**
 * The virtualized file grid: a fixed row height, only the rows in view (plus overscan) in the DOM, and
 * rows fetched a page at a time for just the pages the visible range touches. Keyboard focus stays on
 * the grid; the focused row is its aria-activedescendant.
 */
import { useQueries } from '@tanstack/react-query';
import {
  memo,
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
} from 'react';
import type { Sort, SkyfoldApi, SortKey } from '../../../common/contract';
import type { FolderPage, ItemDto } from '../../../common/dto';
import { downloadUrl } from '../../../common/uploads';
import { useDropTarget } from '../hooks/use-drop-target';
import { clipboardCommand } from '../lib/drag-drop';
import { displayName, formatFullDate, formatModified, formatSize } from '../lib/format';
import { iconKind, iconLabels } from '../lib/icons';
import { isEditableTarget, listKeyAction } from '../lib/keyboard';
import { indexOfLoaded, itemAt, pageRange } from '../lib/paging';
import { queryKeys } from '../lib/query-keys';
import { ariaSort, toggleSort } from '../lib/sort';
import { useNow } from '../hooks/use-now';
import { rowHeight, useVirtualRows } from '../hooks/use-virtual-rows';
import { DownloadIcon, FileIcon, SortIcon } from './Icons';
import { useTransferUi } from './TransferUi';

const columns: ReadonlyArray<{ key: SortKey; label: string }> = [
  { key: 'name', label: 'Name' },
  { key: 'size', label: 'Size' },
  { key: 'modified', label: 'Modified' },
];

export interface FileListProps {
  api: SkyfoldApi;
  accountId: string;
  folderId: string;
  sort: Sort;
  onSortChange: (sort: Sort) => void;
  /** Page 0 of the folder (gives the total, and the first rows). */
  head: FolderPage;
  onOpen: (item: ItemDto) => void;
  /** An item to focus once its row is loaded (the folder we just came up from). */
  focusItemId: string | null;
  /** The grid's accessible name. */
  label: string;
  /** Take keyboard focus when mounted (unless a text field has it). */
  autoFocus?: boolean;
}

export function FileList({
  api,
  accountId,
  folderId,
  sort,
  onSortChange,
  head,
  onOpen,
  focusItemId,
  label,
  autoFocus = false,
}: FileListProps) {
  const total = head.total;
  const idPrefix = useId();
  const gridRef = useRef<HTMLDivElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const now = useNow();

  const { virtualizer, virtualItems, laterPages: wanted } = useVirtualRows(total, scrollRef);

  const results = useQueries({
    queries: wanted.map((page) => ({
      queryKey: queryKeys.listPage(accountId, folderId, sort, page),
      queryFn: () => api.listFolder({ accountId, folderId, sort, ...pageRange(page) }),
    })),
  });
  const pages = new Map<number, readonly ItemDto[]>([[0, head.items]]);
  results.forEach((result, at) => {
    if (result.data) pages.set(wanted[at]!, result.data.items);
  });
  const failed = results.find((result) => result.isError && !result.data);
  const busy = results.some((result) => result.isFetching && !result.data);

  // Focus: an index into the rows, remembered per folder and sort order.
  const scope = `${accountId}\u0000${folderId}\u0000${sort.by}\u0000${sort.direction}`;
  const [focus, setFocus] = useState<{ scope: string; index: number } | null>(null);
  const hinted = focusItemId === null ? -1 : indexOfLoaded(pages, focusItemId);
  let focusedIndex: number | null = focus?.scope === scope ? focus.index : hinted >= 0 ? hinted : 0;
  if (total === 0) focusedIndex = null;
  else if (focusedIndex !== null) focusedIndex = Math.min(focusedIndex, total - 1);

  // Never from a text field (the search box, emptied while typing, shows the folder again).
  useEffect(() => {
    if (autoFocus && !isEditableTarget(document.activeElement as HTMLElement | null)) {
      gridRef.current?.focus({ preventScroll: true });
    }
  }, [autoFocus, folderId]);

  // A new folder or sort order starts at the top, or at the row we came up from.
  useLayoutEffect(() => {
    virtualizer.scrollToOffset(0);
  }, [scope, virtualizer]);
  const hasOwnFocus = focus?.scope === scope;
  useEffect(() => {
    if (!hasOwnFocus && hinted >= 0) virtualizer.scrollToIndex(hinted, { align: 'center' });
  }, [hasOwnFocus, hinted, virtualizer]);

  const rowId = (index: number) => `${idPrefix}-row-${index}`;
  const focusedRendered = focusedIndex !== null && virtualItems.some((row) => row.index === focusedIndex);

  const onFocusRow = useCallback(
    (index: number) => {
      setFocus({ scope, index });
      gridRef.current?.focus({ preventScroll: true });
    },
    [scope],
  );

  const moveFocus = (index: number) => {
    setFocus({ scope, index });
    virtualizer.scrollToIndex(index, { align: 'auto' });
  };

  const transferUi = useTransferUi();
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.target !== gridRef.current) return; // keys on the header buttons keep their meaning
    const command = clipboardCommand(event, transferUi.mac);
    if (command !== null) {
      event.preventDefault();
      if (command === 'paste') {
        transferUi.paste({ accountId, folderId });
        return;
      }
      const item = focusedIndex === null ? undefined : itemAt(pages, focusedIndex);
      if (item) {
        const op = command === 'cut' ? 'move' : 'copy';
        transferUi.setClipboard({ op, accountId, itemIds: [item.id], parentId: folderId });
      }
      return;
    }
    const viewport = scrollRef.current?.clientHeight ?? rowHeight * 10;
    const action = listKeyAction(event, focusedIndex, total, Math.floor(viewport / rowHeight));
    if (action.type === 'focus') {
      event.preventDefault();
      moveFocus(action.index);
    } else if (action.type === 'open' && focusedIndex !== null) {
      const item = itemAt(pages, focusedIndex);
      if (item?.kind === 'folder') {
        event.preventDefault();
        onOpen(item);
      }
    }
  };

  return (
    <div className="file-list">
      {failed ? (
        <div className="inline-alert" role="alert">
          <span>Some rows could not be loaded: {failed.error?.message}</span>
          <button type="button" className="button button-small" onClick={() => void failed.refetch()}>
            Retry
          </button>
        </div>
      ) : null}
      <div
        ref={gridRef}
        className="grid"
        role="grid"
        aria-label={label}
        aria-rowcount={total + 1}
        aria-colcount={columns.length}
        aria-busy={busy || undefined}
        aria-activedescendant={focusedRendered && focusedIndex !== null ? rowId(focusedIndex) : undefined}
        data-total={total}
        tabIndex={0}
        onKeyDown={onKeyDown}
      >
        <div role="rowgroup" className="grid-head">
          <div role="row" aria-rowindex={1} className="row head-row">
            {columns.map((column) => {
              const direction = sort.by === column.key ? sort.direction : null;
              return (
                <div
                  key={column.key}
                  role="columnheader"
                  aria-sort={ariaSort(sort, column.key)}
                  className={`cell cell-${column.key}`}
                >
                  <button
                    type="button"
                    className="column-button"
                    onClick={() => onSortChange(toggleSort(sort, column.key))}
                  >
                    {column.label}
                    <SortIcon direction={direction} />
                  </button>
                </div>
              );
            })}
          </div>
        </div>
        <div ref={scrollRef} className="grid-scroller" tabIndex={-1}>
          <div role="rowgroup" className="grid-body" style={{ height: virtualizer.getTotalSize() }}>
            {virtualItems.map((row) => (
              <FileRow
                key={row.key}
                id={rowId(row.index)}
                index={row.index}
                start={row.start}
                item={itemAt(pages, row.index)}
                focused={row.index === focusedIndex}
                cut={
                  transferUi.clipboard?.op === 'move' &&
                  transferUi.clipboard.accountId === accountId &&
                  transferUi.clipboard.itemIds.includes(itemAt(pages, row.index)?.id ?? '')
                }
                now={now}
                onFocusRow={onFocusRow}
                onOpen={onOpen}
              />
            ))}
          </div>
        </div>
      </div>
    </div>
  );
}

interface FileRowProps {
  id: string;
  index: number;
  start: number;
  item: ItemDto | undefined;
  focused: boolean;
  /** Cut (Ctrl+X) and waiting to be pasted elsewhere. */
  cut: boolean;
  now: number;
  onFocusRow: (index: number) => void;
  onOpen: (item: ItemDto) => void;
}

const FileRow = memo(function FileRow(props: FileRowProps) {
  return props.item ? <ItemRow {...props} item={props.item} /> : <PlaceholderRow {...props} />;
});

function PlaceholderRow({ id, index, start }: Pick<FileRowProps, 'id' | 'index' | 'start'>) {
  const style = { transform: `translateY(${start}px)` };
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
      <div role="gridcell" className="cell cell-name">
        <span className="skeleton skeleton-icon" />
        <span className="skeleton" style={{ width: `${40 + ((index * 37) % 45)}%` }} />
      </div>
      <div role="gridcell" className="cell cell-size">
        <span className="skeleton skeleton-short" />
      </div>
      <div role="gridcell" className="cell cell-modified">
        <span className="skeleton skeleton-short" />
      </div>
    </div>
  );
}

function ItemRow({
  id,
  index,
  start,
  item,
  focused,
  cut,
  now,
  onFocusRow,
  onOpen,
}: FileRowProps & { item: ItemDto }) {
  const style = { transform: `translateY(${start}px)` };
  const transferUi = useTransferUi();
  // A folder row takes drops (a shortcut's into the folder it points to).
  const drop = useDropTarget(
    item.kind === 'folder' ? { accountId: item.accountId, folderId: item.targetId ?? item.id } : null,
    transferUi.mac,
    transferUi.drop,
  );
  const kind = iconKind(item);
  const name = displayName(item.name);
  const classes = ['row', 'file-row'];
  if (focused) classes.push('focused');
  if (cut) classes.push('cut');
  if (drop.active) classes.push('drop-target');
  return (
    <div
      id={id}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={focused}
      className={classes.join(' ')}
      data-testid="file-row"
      data-index={index}
      data-kind={item.kind}
      data-shortcut={item.targetId !== null || undefined}
      data-drop-target={drop.active || undefined}
      style={style}
      draggable
      onDragStart={(event) => {
        onFocusRow(index);
        transferUi.dragStart(
          event,
          { accountId: item.accountId, itemIds: [item.id], parentId: item.parentId },
          item,
        );
      }}
      onDragEnd={transferUi.dragEnd}
      {...drop.props}
      onClick={() => onFocusRow(index)}
      onDoubleClick={() => {
        if (item.kind === 'folder') onOpen(item);
      }}
    >
      <div role="gridcell" className="cell cell-name" title={`${name} — ${iconLabels[kind]}`}>
        <FileIcon kind={kind} />
        <span className="name" data-testid="file-name">
          {name}
        </span>
        {item.kind === 'file' && !transferUi.bridge ? (
          <a
            className="row-download"
            href={downloadUrl(item.accountId, item.id)}
            download={item.name}
            draggable={false}
            tabIndex={-1}
            aria-label={`Download ${name}`}
            title={`Download ${name}`}
            data-testid="download-link"
            onClick={(event) => event.stopPropagation()}
          >
            <DownloadIcon />
          </a>
        ) : null}
      </div>
      <div
        role="gridcell"
        className="cell cell-size"
        title={item.size === null ? undefined : `${item.size.toLocaleString()} bytes`}
      >
        {item.kind === 'folder' ? '' : formatSize(item.size)}
      </div>
      <div
        role="gridcell"
        className="cell cell-modified"
        title={formatFullDate(item.modifiedAt) || undefined}
      >
        {formatModified(item.modifiedAt, { now })}
      </div>
    </div>
  );
}
