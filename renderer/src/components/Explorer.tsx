/**
 * One account's folder: toolbar (up, breadcrumbs, refresh, the search box), the file grid or a state,
 * and a status bar. While a search runs, its results take the grid's place.
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { Sort, SkyfoldApi } from '../../../common/contract';
import type { AccountDto, FolderPage, ItemDto } from '../../../common/dto';
import { SkyfoldError } from '../../../common/errors';
import { useDropTarget } from '../hooks/use-drop-target';
import { buildBreadcrumbs, parentFolderId, type Crumb } from '../lib/breadcrumbs';
import { displayName, formatCount } from '../lib/format';
import { isEditableTarget, isGoUpKey } from '../lib/keyboard';
import { pageRange } from '../lib/paging';
import { queryKeys } from '../lib/query-keys';
import { FileList } from './FileList';
import { EmptyState, ErrorState, LoadingState } from './States';
import { SyncStatus } from './SyncStatus';
import { Toolbar } from './Toolbar';
import { useTransferUi } from './TransferUi';

export interface ExplorerProps {
  api: SkyfoldApi;
  account: AccountDto;
  folderId: string;
  sort: Sort;
  onSortChange: (sort: Sort) => void;
  /** Go to a folder of this account; `focusItemId` is a row to focus there. */
  onNavigate: (folderId: string, focusItemId?: string) => void;
  focusItemId: string | null;
  /** The search box, shown in the toolbar. */
  searchBox?: ReactNode;
  /** Search results to show instead of the folder (null: not searching). */
  search?: ReactNode;
  /** More toolbar buttons (the transfers toggle). */
  actions?: ReactNode;
}

export function Explorer({
  api,
  account,
  folderId,
  sort,
  onSortChange,
  onNavigate,
  focusItemId,
  searchBox,
  search = null,
  actions,
}: ExplorerProps) {
  const searching = search !== null;
  const accountId = account.id;
  const head = useQuery({
    queryKey: queryKeys.listPage(accountId, folderId, sort, 0),
    queryFn: () => api.listFolder({ accountId, folderId, sort, ...pageRange(0) }),
    // While only the sort order changes, keep showing the folder instead of flashing a spinner.
    placeholderData: (previous: FolderPage | undefined, previousQuery) =>
      previousQuery?.queryKey[1] === accountId && previousQuery.queryKey[2] === folderId
        ? previous
        : undefined,
  });
  const refresh = useMutation({ mutationFn: () => api.refreshAccount({ accountId }) });

  const page = head.data;
  const folder = page?.folder;
  const crumbs: Crumb[] = page
    ? buildBreadcrumbs(account.name, page.folder, page.ancestors)
    : [{ id: account.rootId, label: account.name, current: folderId === account.rootId }];
  const parentId = parentFolderId(folder);

  // Keyboard users keep their place: when the grid (or nothing) had focus, the next folder's grid takes it.
  const [focusGrid, setFocusGrid] = useState(true);
  // Leaving a search shows the folder again, and its grid takes focus (unless the search box keeps it).
  const [wasSearching, setWasSearching] = useState(searching);
  if (wasSearching !== searching) {
    setWasSearching(searching);
    if (!searching) setFocusGrid(true);
  }
  const navigateFrom = useCallback(
    (target: string, focusItemId?: string) => {
      const active = document.activeElement;
      setFocusGrid(!active || active === document.body || active.closest('[role="grid"]') !== null);
      onNavigate(target, focusItemId);
    },
    [onNavigate],
  );
  const goUp = useCallback(() => {
    if (parentId !== null && folder) navigateFrom(parentId, folder.id);
  }, [parentId, folder, navigateFrom]);
  const open = useCallback((item: ItemDto) => navigateFrom(item.id), [navigateFrom]);

  // Backspace and Alt+ArrowUp go up from anywhere but a text field (and not from search results).
  useEffect(() => {
    if (searching) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || !isGoUpKey(event) || isEditableTarget(event.target as HTMLElement | null))
        return;
      event.preventDefault();
      goUp();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [goUp, searching]);

  useEffect(() => {
    if (!folder) return;
    const name = folder.parentId === null ? account.name : displayName(folder.name);
    document.title = `${name} — Skyfold`;
  }, [folder, account.name]);

  // The folder's own area (between and below its rows) takes drops into it.
  const transferUi = useTransferUi();
  const drop = useDropTarget(searching ? null : { accountId, folderId }, transferUi.mac, transferUi.drop);

  const indexing = account.sync.state === 'crawling' || refresh.isPending;
  const error = head.error;
  const notFound = error instanceof SkyfoldError && error.code === 'not_found';

  let content;
  if (searching) {
    content = search;
  } else if (error && (!page || notFound)) {
    content =
      notFound && indexing ? (
        <LoadingState label={`Indexing ${account.name}…`} />
      ) : (
        <ErrorState
          title={notFound ? 'This folder is not in the index' : 'Could not open this folder'}
          message={error.message}
          retrying={head.isFetching}
          onRetry={() => void head.refetch()}
          secondary={
            notFound && folderId !== account.rootId
              ? { label: `Open ${account.name}`, onClick: () => navigateFrom(account.rootId) }
              : undefined
          }
        />
      );
  } else if (!page) {
    content = <LoadingState label="Loading folder…" />;
  } else if (page.total === 0) {
    content = <EmptyState hint={indexing ? `Skyfold is still indexing ${account.name}.` : undefined} />;
  } else {
    content = (
      <FileList
        api={api}
        accountId={accountId}
        folderId={folderId}
        sort={sort}
        onSortChange={onSortChange}
        head={page}
        onOpen={open}
        focusItemId={focusItemId}
        autoFocus={focusGrid}
        label={`Files in ${crumbs[crumbs.length - 1]?.label ?? account.name}`}
      />
    );
  }

  return (
    <main className="explorer" aria-busy={head.isFetching || undefined}>
      <Toolbar
        accountId={accountId}
        crumbs={crumbs}
        canGoUp={parentId !== null}
        onGoUp={goUp}
        onNavigate={(id) => {
          if (id !== folderId) navigateFrom(id);
        }}
        onRefresh={() => refresh.mutate()}
        refreshing={indexing}
        search={searchBox}
        actions={actions}
      />
      <div
        className={drop.active ? 'content drop-target' : 'content'}
        data-testid="folder-drop-area"
        data-drop-target={drop.active || undefined}
        {...drop.props}
      >
        {content}
      </div>
      <footer className="statusbar">
        <span data-testid="item-count">{page && !searching ? formatCount(page.total, 'item') : ''}</span>
        <SyncStatus sync={account.sync} className="statusbar-sync" testId="sync-status" />
        {refresh.error ? (
          <span className="statusbar-error">Refresh failed: {refresh.error.message}</span>
        ) : null}
      </footer>
    </main>
  );
}
