/**
 * Search results in the file grid's style (virtualized, fetched a page at a time) with a Folder
 * column. Arrows move; Enter opens a folder, or a file's folder with the file selected; Shift+Enter
 * or a click on the Folder cell opens the containing folder; Escape leaves the search.
 */
import { useQueries } from '@tanstack/react-query';
import {
  memo,
  useCallback,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
} from 'react';
import type { SkyfoldApi } from '../../../common/contract';
import type { AccountDto } from '../../../common/dto';
import type { SearchHitDto } from '../../../common/search';
import { offlineNotes } from '../lib/accounts';
import { displayName, formatFullDate, formatModified, formatSize } from '../lib/format';
import { iconKind, iconLabels } from '../lib/icons';
import { listKeyAction } from '../lib/keyboard';
import { pageRange, pageSize } from '../lib/paging';
import { queryKeys } from '../lib/query-keys';
import {
  containingFolder,
  folderLabel,
  openTarget,
  type BrowseTarget,
  type SearchAnswer,
} from '../lib/search';
import { useNow } from '../hooks/use-now';
import { rowHeight, useVirtualRows } from '../hooks/use-virtual-rows';
import { FileIcon } from './Icons';
import { useTransferUi } from './TransferUi';

/** The results grid's element id (the search box's ArrowDown moves here). */
export const searchGridId = 'search-results-grid';

const columns = ['Name', 'Folder', 'Size', 'Modified'] as const;

export interface SearchListProps {
  api: SkyfoldApi;
  /** Page 0 of the results shown (gives the total and the first rows). */
  answer: SearchAnswer;
  /** The answer is for older text than the box's (the next one is loading). */
  stale: boolean;
  accounts: readonly AccountDto[] | undefined;
  onBrowse: (target: BrowseTarget) => void;
  onExit: () => void;
}

export function SearchList({ api, answer, stale, accounts, onBrowse, onExit }: SearchListProps) {
  const { text, query, result } = answer;
  const total = result.total;
  const idPrefix = useId();
  const scrollRef = useRef<HTMLDivElement>(null);
  const now = useNow();
  // Hits from an offline account come from its index, which may be out of date: their rows say so.
  const offline = useMemo(() => offlineNotes(accounts, { now }), [accounts, now]);

  const { virtualizer, virtualItems, laterPages: wanted } = useVirtualRows(total, scrollRef);

  const pages = useQueries({
    queries: wanted.map((page) => ({
      queryKey: queryKeys.searchPage(text, page),
      queryFn: async () => ({ text, query, result: await api.search({ query, ...pageRange(page) }) }),
    })),
  });
  const hitAt = (index: number): SearchHitDto | undefined => {
    const page = Math.floor(index / pageSize);
    const rows = page === 0 ? result.items : pages[wanted.indexOf(page)]?.data?.result.items;
    return rows?.[index % pageSize];
  };
  const failed = pages.find((page) => page.isError && !page.data);

  // Focus: an index into the rows, for this text only (new text starts at the top).
  const [focus, setFocus] = useState<{ text: string; index: number } | null>(null);
  const focusedIndex = total === 0 ? null : Math.min(focus?.text === text ? focus.index : 0, total - 1);
  useLayoutEffect(() => {
    virtualizer.scrollToOffset(0);
  }, [text, virtualizer]);

  const rowId = (index: number) => `${idPrefix}-row-${index}`;
  const focusedRendered = focusedIndex !== null && virtualItems.some((row) => row.index === focusedIndex);
  const onFocusRow = useCallback(
    (index: number) => {
      setFocus({ text, index });
      document.getElementById(searchGridId)?.focus({ preventScroll: true });
    },
    [text],
  );
  const browse = useCallback(
    (target: BrowseTarget | null) => {
      if (target) onBrowse(target);
    },
    [onBrowse],
  );

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onExit();
      return;
    }
    const viewport = scrollRef.current?.clientHeight ?? rowHeight * 10;
    const action = listKeyAction(event, focusedIndex, total, Math.floor(viewport / rowHeight));
    if (action.type === 'focus') {
      event.preventDefault();
      setFocus({ text, index: action.index });
      virtualizer.scrollToIndex(action.index, { align: 'auto' });
    } else if (action.type === 'open' && focusedIndex !== null) {
      const hit = hitAt(focusedIndex);
      if (!hit) return;
      event.preventDefault();
      browse(event.shiftKey ? containingFolder(hit) : openTarget(hit));
    }
  };

  return (
    <div className="file-list search-list">
      {failed ? (
        <div className="inline-alert" role="alert">
          <span>Some results could not be loaded: {failed.error?.message}</span>
          <button type="button" className="button button-small" onClick={() => void failed.refetch()}>
            Retry
          </button>
        </div>
      ) : null}
      <div
        id={searchGridId}
        className={stale ? 'grid stale' : 'grid'}
        role="grid"
        aria-label="Search results"
        aria-rowcount={total + 1}
        aria-colcount={columns.length}
        aria-activedescendant={focusedRendered && focusedIndex !== null ? rowId(focusedIndex) : undefined}
        data-total={total}
        tabIndex={0}
        onKeyDown={onKeyDown}
      >
        <div role="rowgroup" className="grid-head">
          <div role="row" aria-rowindex={1} className="row head-row">
            {columns.map((column) => (
              <div key={column} role="columnheader" className={`cell cell-${column.toLowerCase()}`}>
                <span className="column-label">{column}</span>
              </div>
            ))}
          </div>
        </div>
        <div ref={scrollRef} className="grid-scroller" tabIndex={-1}>
          <div role="rowgroup" className="grid-body" style={{ height: virtualizer.getTotalSize() }}>
            {virtualItems.map((row) => {
              const hit = hitAt(row.index);
              return (
                <ResultRow
                  key={row.key}
                  id={rowId(row.index)}
                  index={row.index}
                  start={row.start}
                  hit={hit}
                  folder={hit ? folderLabel(hit, accounts) : ''}
                  offlineNote={hit ? (offline.get(hit.item.accountId) ?? null) : null}
                  focused={row.index === focusedIndex}
                  now={now}
                  onFocusRow={onFocusRow}
                  onBrowse={browse}
                />
              );
            })}
          </div>
        </div>
      </div>
    </div>
  );
}

interface ResultRowProps {
  id: string;
  index: number;
  start: number;
  hit: SearchHitDto | undefined;
  folder: string;
  /** Why the hit may be out of date (its account is offline), or null. */
  offlineNote: string | null;
  focused: boolean;
  now: number;
  onFocusRow: (index: number) => void;
  onBrowse: (target: BrowseTarget | null) => void;
}

const ResultRow = memo(function ResultRow({
  id,
  index,
  start,
  hit,
  folder,
  offlineNote,
  focused,
  now,
  onFocusRow,
  onBrowse,
}: ResultRowProps) {
  const style = { transform: `translateY(${start}px)` };
  if (!hit) {
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
          <div key={column} role="gridcell" className={`cell cell-${column.toLowerCase()}`}>
            <span className="skeleton skeleton-short" />
          </div>
        ))}
      </div>
    );
  }
  return <HitRow {...{ id, index, hit, folder, offlineNote, focused, now, onFocusRow, onBrowse, style }} />;
});

function HitRow({
  id,
  index,
  hit,
  folder,
  offlineNote,
  focused,
  now,
  onFocusRow,
  onBrowse,
  style,
}: Omit<ResultRowProps, 'start' | 'hit'> & { hit: SearchHitDto; style: CSSProperties }) {
  const transferUi = useTransferUi();
  const { item } = hit;
  const kind = iconKind(item);
  const name = displayName(item.name);
  return (
    <div
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
      id={id}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={focused}
      className={focused ? 'row file-row focused' : 'row file-row'}
      data-testid="file-row"
      data-index={index}
      data-kind={item.kind}
      style={style}
      onClick={() => onFocusRow(index)}
      onDoubleClick={() => onBrowse(openTarget(hit))}
    >
      <div role="gridcell" className="cell cell-name" title={`${name} — ${iconLabels[kind]}`}>
        <FileIcon kind={kind} />
        <span className="name" data-testid="file-name">
          {name}
        </span>
      </div>
      <div role="gridcell" className="cell cell-folder">
        <button
          type="button"
          className="folder-link"
          tabIndex={-1}
          title={`Open containing folder (Shift+Enter): ${displayName(folder)}`}
          data-testid="result-folder"
          onClick={(event) => {
            event.stopPropagation();
            onBrowse(containingFolder(hit));
          }}
        >
          {displayName(folder)}
        </button>
        {offlineNote ? (
          <span className="offline-marker" data-testid="offline-marker" title={offlineNote}>
            offline
          </span>
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
