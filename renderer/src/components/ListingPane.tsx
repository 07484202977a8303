/**
 * A pane listing one account's folder or the merged view of a path: its rows (a RowSource), selection,
 * actions (lib/actions.ts), context menu, inline rename, new-folder dialog and drops.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type DragEvent,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import type { Sort } from '../../../common/contract';
import type { FolderPage } from '../../../common/dto';
import { SkyfoldError } from '../../../common/errors';
import { downloadUrl } from '../../../common/uploads';
import { useDropTarget } from '../hooks/use-drop-target';
import { useNow } from '../hooks/use-now';
import { useRowPages } from '../hooks/use-row-pages';
import { useStoredState } from '../hooks/use-stored-state';
import { actionForKey, type ActionContext, type ActionId } from '../lib/actions';
import { accountCrumbs, mergedCrumbs } from '../lib/crumbs';
import { clampWidth, folderColumns, mergedColumns, parseWidths, type ColumnWidths } from '../lib/columns';
import type { FolderTarget } from '../lib/drag-drop';
import { displayName, formatCount } from '../lib/format';
import { pageSize } from '../lib/paging';
import {
  canGoBack,
  canGoForward,
  mergedPath,
  mergedSegments,
  sameLocation,
  step,
  type PaneLocation,
} from '../lib/pane-location';
import { queryKeys } from '../lib/query-keys';
import { folderSource, mergedSource, type RowPage, type RowSource } from '../lib/row-source';
import { groupByAccount, refsOfKey, type ItemRef, type Row } from '../lib/rows';
import {
  emptySelection,
  invert,
  isSelected,
  rangeBetween,
  selectAll,
  selectedCount,
  selectOnly,
  selectRange,
  toggle,
  type Selection,
} from '../lib/selection';
import { defaultSort } from '../lib/sort';
import { Breadcrumbs } from './Breadcrumbs';
import { ContextMenu, type ContextMenuState } from './ContextMenu';
import { GridIcon, ListIcon } from './Icons';
import { ItemGrid, type SelectIntent, type ViewMode } from './ItemGrid';
import { NameDialog } from './NameDialog';
import { EmptyState, ErrorState, LoadingState } from './States';
import { SyncStatus } from './SyncStatus';
import { useTransferUi } from './TransferUi';
import type { ExplorerPaneProps, FocusHint, Navigate } from './ExplorerPane';
import { ActionButtons, NavigationButtons, SplitToggle, useHistoryKeys } from './PaneToolbar';

const parseView = (stored: string | null): ViewMode => (stored === 'grid' ? 'grid' : 'list');
const serializeView = (view: ViewMode) => view;

/** The widest selection an action sends in one call (the contract's limit). */
const maxActionItems = 10_000;

export function ListingPane(
  props: ExplorerPaneProps & {
    location: Extract<PaneLocation, { view: 'folder' | 'merged' }>;
    navigate: Navigate;
    /** A row to focus once its place is listed (set here or by another listing of this pane). */
    hint: FocusHint | null;
    onHint: (hint: FocusHint | null) => void;
  },
) {
  const { api, accounts, location, navigate, toast } = props;
  const queryClient = useQueryClient();
  const transferUi = useTransferUi();
  const now = useNow();
  const [sort, setSort] = useState<Sort>(defaultSort);
  const [view, setView] = useStoredState<ViewMode>('skyfold.view', parseView, serializeView);
  const [widths, setWidths] = useStoredState<ColumnWidths>('skyfold.columns', parseWidths);

  const account =
    location.view === 'folder'
      ? accounts.find((candidate) => candidate.id === location.accountId)
      : undefined;
  const folderId = location.view === 'folder' ? (location.folderId ?? account?.rootId ?? null) : null;
  const source: RowSource | null = useMemo(() => {
    if (location.view === 'merged') return mergedSource(api, location.path, sort) as RowSource;
    if (!account || folderId === null) return null;
    return folderSource(api, account.id, folderId, sort) as RowSource;
  }, [api, location, account, folderId, sort]);

  const head = useQuery({
    queryKey: source?.queryKey(0) ?? ['none'],
    queryFn: () => source!.fetch(0),
    enabled: source !== null,
    // While only the sort order changes, keep showing the listing instead of flashing a spinner.
    placeholderData: (previous: unknown, previousQuery) =>
      previousQuery &&
      source &&
      previousQuery.queryKey.slice(0, 3).join('\u0000') === source.queryKey(0).slice(0, 3).join('\u0000')
        ? previous
        : undefined,
  });
  const raw = head.data;
  const headRows: RowPage | null = raw && source ? source.rowsOf(raw) : null;
  const folderPage = location.view === 'folder' ? (raw as FolderPage | undefined) : undefined;

  // Selection, focus, the visible pages.
  const scope = source?.scope ?? 'none';
  const [selectionState, setSelectionState] = useState<{
    scope: string;
    selection: Selection;
    focus: number | null;
  }>({
    scope,
    selection: emptySelection,
    focus: null,
  });
  const current =
    selectionState.scope === scope ? selectionState : { scope, selection: emptySelection, focus: null };
  const selection = current.selection;
  const [wanted, setWanted] = useState<number[]>([]);
  const rowPages = useRowPages(source ?? nullSource, headRows ?? emptyPage, wanted);
  const total = headRows?.total ?? 0;
  const rowAt = useCallback(
    (index: number): Row | undefined => rowPages.pages.get(Math.floor(index / pageSize))?.[index % pageSize],
    [rowPages.pages],
  );
  const focusIndex = current.focus === null || total === 0 ? null : Math.min(current.focus, total - 1);
  const focusedRow = focusIndex === null ? undefined : rowAt(focusIndex);
  const setSelection = useCallback(
    (selection: Selection, focus?: number | null) =>
      setSelectionState((state) => {
        const base = state.scope === scope ? state : { scope, selection: emptySelection, focus: null };
        return { scope, selection, focus: focus === undefined ? base.focus : focus };
      }),
    [scope],
  );
  const setFocus = useCallback(
    (index: number) =>
      setSelectionState((state) => {
        const base = state.scope === scope ? state : { scope, selection: emptySelection, focus: null };
        return { ...base, focus: index };
      }),
    [scope],
  );

  /** Loads every page between two rows (for a Shift range over rows not in view). */
  const rowsBetween = useCallback(
    async (first: number, last: number): Promise<Row[]> => {
      if (!source) return [];
      const rows: Row[] = [];
      for (let page = Math.floor(first / pageSize); page <= Math.floor(last / pageSize); page++) {
        const data = await queryClient.fetchQuery({
          queryKey: source.queryKey(page),
          queryFn: () => source.fetch(page),
        });
        const pageRows = source.rowsOf(data).rows;
        pageRows.forEach((row, at) => {
          const index = page * pageSize + at;
          if (index >= first && index <= last) rows.push(row);
        });
      }
      return rows;
    },
    [queryClient, source],
  );

  const onSelect = useCallback(
    (intent: SelectIntent) => {
      switch (intent.type) {
        case 'only': {
          const row = rowAt(intent.index);
          if (row) setSelection(selectOnly(row.key, intent.index), intent.index);
          return;
        }
        case 'toggle': {
          const row = rowAt(intent.index);
          if (row) setSelection(toggle(selection, row.key, intent.index), intent.index);
          return;
        }
        case 'range': {
          const anchor = selection.anchor ?? focusIndex ?? intent.index;
          const { first, last } = rangeBetween(anchor, intent.index);
          const keysOf = (rows: readonly Row[]) => rows.map((row) => row.key);
          const loaded = Array.from({ length: last - first + 1 }, (_, at) => rowAt(first + at));
          const base = { ...selection, anchor };
          if (loaded.every((row) => row !== undefined)) {
            setSelection(selectRange(base, keysOf(loaded as Row[]), intent.additive), intent.index);
          } else {
            void rowsBetween(first, last).then((rows) =>
              setSelection(selectRange(base, keysOf(rows), intent.additive), intent.index),
            );
          }
          return;
        }
        case 'indexes': {
          const keys = intent.indexes.map((index) => rowAt(index)?.key).filter((key): key is string => !!key);
          setSelection(
            selectRange(
              intent.additive ? selection : { ...emptySelection, anchor: selection.anchor },
              keys,
              intent.additive,
            ),
          );
          return;
        }
        case 'none':
          return;
      }
    },
    [rowAt, selection, setSelection, focusIndex, rowsBetween],
  );

  // What is selected, as far as the loaded rows tell.
  const loadedRows = [...rowPages.pages.values()].flat();
  const selectedLoaded = loadedRows.filter((row) => isSelected(selection, row.key));
  const selectedTotal = selectedCount(selection, total);

  /** Every selected item (loading pages for "select all"); throws when there are too many for one call. */
  const selectedRefs = useCallback(async (): Promise<ItemRef[]> => {
    let keys: string[];
    if (selection.mode === 'only') keys = [...selection.keys];
    else {
      if (total > maxActionItems)
        throw new Error(`select at most ${maxActionItems.toLocaleString()} items for this`);
      keys = (await rowsBetween(0, total - 1))
        .filter((row) => isSelected(selection, row.key))
        .map((row) => row.key);
    }
    const refs = keys.flatMap(refsOfKey);
    if (refs.length > maxActionItems)
      throw new Error(`select at most ${maxActionItems.toLocaleString()} items for this`);
    return refs;
  }, [selection, total, rowsBetween]);

  // The preview panel follows the focused row.
  const focusedItem = focusedRow?.items[0] ?? null;
  const { onFocusItem, active } = props;
  useEffect(() => {
    if (active) onFocusItem(focusedItem);
  }, [active, focusedItem, onFocusItem]);

  // Where new things go: one account's folder (the merged view has no single place).
  const targetAccountId = account?.id;
  const targetFolderId = folderPage?.folder.id ?? folderId;
  const target: FolderTarget | null = useMemo(
    () =>
      targetAccountId !== undefined && targetFolderId !== null
        ? { accountId: targetAccountId, folderId: targetFolderId }
        : null,
    [targetAccountId, targetFolderId],
  );

  const accountName = useCallback(
    (accountId: string) =>
      accounts.find((candidate) => candidate.id === accountId)?.name ?? 'Removed account',
    [accounts],
  );

  // Up: the parent folder, with the folder we came from focused; an account's root and the merged top lead home.
  const setFocusHint = props.onHint;
  const goUp = useCallback(() => {
    if (location.view === 'merged') {
      const segments = mergedSegments(location.path);
      if (segments.length === 0) return navigate({ view: 'home' });
      const parent: PaneLocation = { view: 'merged', path: mergedPath(segments.slice(0, -1)) };
      setFocusHint({ location: parent, folderName: segments.at(-1)! });
      navigate(parent);
      return;
    }
    const parent = folderPage?.folder.parentId ?? null;
    if (parent === null || !folderPage) return navigate({ view: 'home' });
    const target: PaneLocation = {
      view: 'folder',
      accountId: location.accountId,
      folderId: parent === account?.rootId ? null : parent,
    };
    setFocusHint({ location: target, folderName: folderPage.folder.name });
    navigate(target);
  }, [location, folderPage, account, navigate, setFocusHint]);
  // Once the place's rows are there, the row hinted at (the folder we came up from, a search result
  // we were sent to) takes focus: state adjusted while rendering.
  // Each hint (the pane's own, or the search's reveal) is used once: the last one used is remembered.
  const [usedHint, setUsedHint] = useState<FocusHint | null>(null);
  const fresh = (candidate: FocusHint | null | undefined) =>
    candidate && candidate !== usedHint ? candidate : null;
  const hint = fresh(props.hint) ?? fresh(props.reveal);
  if (hint && headRows && sameLocation(hint.location, location)) {
    const loaded = [...rowPages.pages.entries()].flatMap(([page, rows]) =>
      rows.map((row, at) => ({ row, index: page * pageSize + at })),
    );
    const found = loaded.find(({ row }) =>
      'folderName' in hint
        ? row.kind === 'folder' && row.name === hint.folderName
        : row.items.some((item) => item.id === hint.itemId),
    );
    setUsedHint(hint);
    if (found)
      setSelectionState({ scope, selection: selectOnly(found.row.key, found.index), focus: found.index });
  }
  // A hint used here is forgotten by the pane too (a later listing of the same place starts fresh).
  useEffect(() => {
    if (usedHint !== null && props.hint === usedHint) setFocusHint(null);
  }, [usedHint, props.hint, setFocusHint]);
  useHistoryKeys(props.active && props.search == null, props.history, props.onHistoryChange, goUp);

  const openRow = useCallback(
    (row: Row) => {
      const first = row.items[0]!;
      if (row.kind === 'folder') {
        if (location.view === 'merged')
          navigate({ view: 'merged', path: mergedPath([...mergedSegments(location.path), row.name]) });
        else {
          const id = first.targetId ?? first.id;
          navigate({
            view: 'folder',
            accountId: first.accountId,
            folderId: id === account?.rootId ? null : id,
          });
        }
      } else props.onPreview('preview');
    },
    [location, navigate, account, props],
  );

  const showInAccount = useCallback(
    (row: Row, index: number) => {
      const item = row.items[index] ?? row.items[0]!;
      if (row.kind === 'folder' && location.view === 'merged') {
        navigate({ view: 'folder', accountId: item.accountId, folderId: item.targetId ?? item.id });
        return;
      }
      const owner = accounts.find((candidate) => candidate.id === item.accountId);
      const parent: PaneLocation = {
        view: 'folder',
        accountId: item.accountId,
        folderId: item.parentId === null || item.parentId === owner?.rootId ? null : item.parentId,
      };
      setFocusHint({ location: parent, itemId: item.id });
      navigate(parent);
    },
    [location.view, navigate, accounts, setFocusHint],
  );

  // Inline rename, new folder, trash.
  const [renamingKey, setRenamingKey] = useState<string | null>(null);
  const [newFolder, setNewFolder] = useState(false);
  const createFolder = useMutation({
    mutationFn: (name: string) =>
      api.createFolder({ accountId: target!.accountId, parentId: target!.folderId, name }),
    onSuccess: (created) => {
      setNewFolder(false);
      void queryClient.invalidateQueries({ queryKey: queryKeys.listAccount(created.accountId) });
      toast({ text: `Created “${displayName(created.name)}”`, tone: 'success' });
    },
  });
  const refocusGrid = () => document.querySelector<HTMLElement>('.pane.active [role="grid"]')?.focus();
  const rename = useCallback(
    (row: Row, name: string) => {
      setRenamingKey(null);
      refocusGrid();
      const item = row.items[0]!;
      api
        .renameItem({ accountId: item.accountId, itemId: item.id, name })
        .then((renamed) => {
          void queryClient.invalidateQueries({ queryKey: queryKeys.listAccount(renamed.accountId) });
          void queryClient.invalidateQueries({ queryKey: queryKeys.merged() });
        })
        .catch((error: unknown) =>
          toast({ text: `Could not rename “${displayName(row.name)}”: ${messageOf(error)}`, tone: 'error' }),
        );
    },
    [api, queryClient, toast],
  );

  const { onTrashed } = props;
  const trash = useCallback(async () => {
    try {
      const refs = await selectedRefs();
      if (refs.length === 0) return;
      const { trashed } = await api.trashItems({ items: refs });
      setSelection(emptySelection);
      for (const accountId of new Set(trashed.map((item) => item.accountId)))
        void queryClient.invalidateQueries({ queryKey: queryKeys.listAccount(accountId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.merged() });
      onTrashed(trashed);
    } catch (error) {
      toast({ text: `Could not move to the trash: ${messageOf(error)}`, tone: 'error' });
    }
  }, [api, queryClient, selectedRefs, setSelection, onTrashed, toast]);

  const toClipboard = useCallback(
    async (op: 'copy' | 'move') => {
      try {
        const refs = await selectedRefs();
        if (refs.length === 0) return;
        transferUi.setClipboard({
          op,
          groups: groupByAccount(refs).map((group) => ({
            ...group,
            parentId: location.view === 'folder' ? (target?.folderId ?? null) : null,
          })),
        });
        toast({
          text: `${op === 'move' ? 'Cut' : 'Copied'} ${formatCount(refs.length, 'item')}: paste them into a folder (Ctrl+V)`,
          tone: 'success',
        });
      } catch (error) {
        toast({ text: `Could not ${op === 'move' ? 'cut' : 'copy'}: ${messageOf(error)}`, tone: 'error' });
      }
    },
    [selectedRefs, transferUi, location.view, target, toast],
  );

  const toOtherPane = useCallback(
    async (op: 'copy' | 'move') => {
      const destination = props.otherTarget;
      if (!destination) return;
      try {
        const refs = await selectedRefs();
        for (const group of groupByAccount(refs))
          transferUi.drop({ kind: 'items', items: group, op }, destination);
      } catch (error) {
        toast({ text: `Could not ${op}: ${messageOf(error)}`, tone: 'error' });
      }
    },
    [props.otherTarget, selectedRefs, transferUi, toast],
  );

  const uploadInput = useRef<HTMLInputElement>(null);
  const download = useCallback(() => {
    const files = selectedLoaded.filter((row) => row.kind === 'file');
    for (const row of files) {
      const item = row.items[0]!;
      const link = document.createElement('a');
      link.href = downloadUrl(item.accountId, item.id);
      link.download = item.name;
      link.rel = 'noopener';
      document.body.append(link);
      link.click();
      link.remove();
    }
  }, [selectedLoaded]);

  const copyPath = useCallback(async () => {
    const row = selectedLoaded[0] ?? focusedRow;
    const item = row?.items[0];
    if (!item) return;
    try {
      const details = await api.itemDetails({ accountId: item.accountId, itemId: item.id });
      const text = `${accountName(item.accountId)}:${details.path}`;
      await navigator.clipboard.writeText(text);
      toast({ text: `Copied “${text}”`, tone: 'success' });
    } catch (error) {
      toast({ text: `Could not copy the path: ${messageOf(error)}`, tone: 'error' });
    }
  }, [api, selectedLoaded, focusedRow, accountName, toast]);

  const refresh = useMutation({
    mutationFn: async () => {
      const ids = account ? [account.id] : accounts.map((candidate) => candidate.id);
      await Promise.all(ids.map((accountId) => api.refreshAccount({ accountId })));
    },
    onError: (error) => toast({ text: `Refresh failed: ${error.message}`, tone: 'error' }),
  });

  const selectedAccounts = new Set(selectedLoaded.flatMap((row) => row.items.map((item) => item.accountId)));
  const context: ActionContext = {
    listing: true,
    inAccountFolder: target !== null && props.search == null,
    selectedCount: selectedTotal,
    selectedFolders: selectedLoaded.filter((row) => row.kind === 'folder').length,
    selectedFiles: selectedLoaded.filter((row) => row.kind === 'file').length,
    selectionSpansAccounts:
      selectedLoaded.some((row) => row.items.length > 1) ||
      (selectedTotal === 1 && selectedAccounts.size > 1),
    clipboardFull: transferUi.clipboard !== null,
    splitView: props.split,
    otherPaneIsFolder: props.otherTarget !== null,
    canGoBack: canGoBack(props.history),
    canGoForward: canGoForward(props.history),
    canGoUp: true,
    canUndo: props.lastTrash !== null && props.lastTrash.some((item) => item.restorable),
    searching: props.search != null,
    browserDownloads: transferUi.bridge === null,
  };

  const run = (id: ActionId) => {
    const single = selectedLoaded.length === 1 ? selectedLoaded[0] : focusedRow;
    switch (id) {
      case 'open':
        if (single) openRow(single);
        return;
      case 'preview':
        props.onPreview('preview');
        return;
      case 'properties':
        props.onPreview('properties');
        return;
      case 'openContainingFolder':
        if (single) showInAccount(single, 0);
        return;
      case 'newFolder':
        createFolder.reset();
        setNewFolder(true);
        return;
      case 'upload':
        uploadInput.current?.click();
        return;
      case 'download':
        download();
        return;
      case 'cut':
        void toClipboard('move');
        return;
      case 'copy':
        void toClipboard('copy');
        return;
      case 'paste':
        if (target) transferUi.paste(target);
        return;
      case 'copyToOtherPane':
        void toOtherPane('copy');
        return;
      case 'moveToOtherPane':
        void toOtherPane('move');
        return;
      case 'copyPath':
        void copyPath();
        return;
      case 'rename':
        if (single) setRenamingKey(single.key);
        return;
      case 'trash':
        void trash();
        return;
      case 'undo':
        props.onUndoTrash();
        return;
      case 'selectAll':
        setSelection(selectAll());
        return;
      case 'invertSelection':
        setSelection(invert(selection));
        return;
      case 'refresh':
        refresh.mutate();
        return;
      case 'back':
        props.onHistoryChange(step(props.history, -1));
        return;
      case 'forward':
        props.onHistoryChange(step(props.history, 1));
        return;
      case 'goUp':
        goUp();
        return;
      case 'toggleView':
        setView(view === 'list' ? 'grid' : 'list');
        return;
      case 'toggleSplit':
        props.onToggleSplit();
        return;
    }
  };

  const onCommandKey = (event: KeyboardEvent<HTMLElement>) => {
    const action = actionForKey(event, context, props.mac);
    if (!action) return false;
    run(action.id);
    return true;
  };

  const [menu, setMenu] = useState<ContextMenuState | null>(null);
  const closeMenu = useCallback(() => setMenu(null), []);
  const onContextMenu = useCallback(
    (x: number, y: number, row: Row | null) =>
      setMenu({ x, y, place: row ? 'item-menu' : 'background-menu' }),
    [],
  );

  const onDragRow = useCallback(
    (event: DragEvent<HTMLElement>, row: Row) => {
      const item = row.items[0]!;
      const rows = isSelected(selection, row.key) ? selectedLoaded : [row];
      const itemIds = rows
        .flatMap((candidate) => candidate.items)
        .filter((candidate) => candidate.accountId === item.accountId)
        .map((candidate) => candidate.id);
      transferUi.dragStart(
        event,
        {
          accountId: item.accountId,
          itemIds: itemIds.length > 0 ? itemIds : [item.id],
          parentId: item.parentId,
        },
        rows.length === 1 ? item : null,
      );
    },
    [selection, selectedLoaded, transferUi],
  );
  const dropTargetOf = useCallback((row: Row): FolderTarget | null => {
    if (row.kind !== 'folder' || row.items.length !== 1) return null;
    const item = row.items[0]!;
    return { accountId: item.accountId, folderId: item.targetId ?? item.id };
  }, []);
  const isCut = useCallback(
    (row: Row) => {
      const clipboard = transferUi.clipboard;
      if (clipboard?.op !== 'move') return false;
      return row.items.every((item) =>
        clipboard.groups.some(
          (group) => group.accountId === item.accountId && group.itemIds.includes(item.id),
        ),
      );
    },
    [transferUi.clipboard],
  );

  // The listing's own area takes drops into its folder.
  const drop = useDropTarget(props.search == null ? target : null, transferUi.mac, transferUi.drop);

  useEffect(() => {
    if (!props.active) return;
    const name =
      location.view === 'merged'
        ? (mergedSegments(location.path).at(-1) ?? 'All clouds')
        : folderPage
          ? folderPage.folder.parentId === null
            ? (account?.name ?? '')
            : displayName(folderPage.folder.name)
          : account?.name;
    if (name) document.title = `${name} — Skyfold`;
  }, [props.active, location, folderPage, account]);

  const crumbs = useMemo(() => {
    if (location.view === 'merged') return mergedCrumbs(location.path, api);
    if (!account) return [];
    if (folderPage) return accountCrumbs(account, folderPage.folder, folderPage.ancestors, api);
    return [];
  }, [location, account, folderPage, api]);

  const indexing = account
    ? account.sync.state === 'crawling'
    : accounts.some((candidate) => candidate.sync.state === 'crawling');
  const error = head.error;
  const notFound = error instanceof SkyfoldError && error.code === 'not_found';
  const label =
    location.view === 'merged'
      ? `Files in ${crumbs.at(-1)?.label ?? 'All clouds'}`
      : `Files in ${crumbs.at(-1)?.label ?? account?.name ?? ''}`;

  let content: ReactNode;
  if (props.search != null) content = props.search;
  else if (location.view === 'folder' && !account) {
    content = (
      <ErrorState
        title="This account is not there any more"
        message="It was removed from Skyfold, or has not loaded yet."
        onRetry={() => void queryClient.invalidateQueries({ queryKey: queryKeys.accounts() })}
        secondary={{ label: 'Open All clouds', onClick: () => navigate({ view: 'home' }) }}
      />
    );
  } else if (error && (!raw || notFound)) {
    content =
      notFound && indexing ? (
        <LoadingState label={account ? `Indexing ${account.name}…` : 'Indexing…'} />
      ) : (
        <ErrorState
          title={
            notFound
              ? location.view === 'merged'
                ? 'No account has this folder'
                : 'This folder is not in the index'
              : 'Could not open this folder'
          }
          message={error.message}
          retrying={head.isFetching}
          onRetry={() => void head.refetch()}
          secondary={
            notFound ? { label: 'Open All clouds', onClick: () => navigate({ view: 'home' }) } : undefined
          }
        />
      );
  } else if (!headRows || !source) {
    content = <LoadingState label="Loading folder…" />;
  } else if (total === 0) {
    content = (
      <EmptyState
        hint={
          indexing
            ? 'Skyfold is still indexing this account.'
            : target
              ? 'Drop files here, or use New folder and Upload.'
              : undefined
        }
      />
    );
  } else {
    content = (
      <>
        {rowPages.failed ? (
          <div className="inline-alert" role="alert">
            <span>Some rows could not be loaded: {rowPages.failed.message}</span>
            <button type="button" className="button button-small" onClick={rowPages.failed.retry}>
              Retry
            </button>
          </div>
        ) : null}
        <ItemGrid
          view={view}
          scope={scope}
          total={total}
          pages={rowPages.pages}
          onVisiblePages={setWanted}
          columns={location.view === 'merged' ? mergedColumns : folderColumns}
          widths={widths}
          onResize={(column, width) => setWidths({ ...widths, [column]: clampWidth(column, width) })}
          sort={sort}
          onSortChange={setSort}
          selection={selection}
          onSelect={onSelect}
          focusIndex={focusIndex}
          onFocusIndex={setFocus}
          accountName={accountName}
          renamingKey={renamingKey}
          onRenameCommit={rename}
          onRenameCancel={() => {
            setRenamingKey(null);
            refocusGrid();
          }}
          onOpen={openRow}
          onContextMenu={onContextMenu}
          onCommandKey={onCommandKey}
          onDragRow={onDragRow}
          dropTargetOf={dropTargetOf}
          onShowInAccount={showInAccount}
          label={label}
          autoFocus={props.active}
          now={now}
          isCut={isCut}
        />
      </>
    );
  }

  return (
    <>
      <div className="toolbar">
        <NavigationButtons history={props.history} onHistoryChange={props.onHistoryChange} onUp={goUp} />
        <Breadcrumbs crumbs={crumbs} onNavigate={navigate} />
        {props.searchBox}
        {props.extraActions}
      </div>
      <div className="command-bar">
        <ActionButtons
          context={context}
          onRun={run}
          mac={props.mac}
          refreshing={indexing || refresh.isPending}
        />
        <button
          type="button"
          className="icon-button"
          aria-label={view === 'list' ? 'Grid view' : 'List view'}
          title={`${view === 'list' ? 'Grid view' : 'List view'} (Ctrl+Shift+G)`}
          onClick={() => setView(view === 'list' ? 'grid' : 'list')}
        >
          {view === 'list' ? <GridIcon /> : <ListIcon />}
        </button>
        <SplitToggle split={props.split} onToggle={props.onToggleSplit} />
      </div>
      <div
        className={drop.active ? 'content drop-target' : 'content'}
        data-testid="folder-drop-area"
        data-drop-target={drop.active || undefined}
        {...drop.props}
      >
        {content}
      </div>
      <footer className="statusbar">
        <span data-testid="item-count">
          {headRows && props.search == null ? formatCount(total, 'item') : ''}
        </span>
        {selectedTotal > 0 && props.search == null ? (
          <span data-testid="selected-count">
            {formatCount(selectedTotal, 'selected item')
              .replace('selected items', 'selected')
              .replace('selected item', 'selected')}
          </span>
        ) : null}
        {account ? <SyncStatus sync={account.sync} className="statusbar-sync" testId="sync-status" /> : null}
      </footer>
      {menu ? (
        <ContextMenu menu={menu} context={context} mac={props.mac} onRun={run} onClose={closeMenu} />
      ) : null}
      {newFolder && target ? (
        <NameDialog
          title="New folder"
          label="Name"
          initial="New folder"
          confirm="Create"
          busy={createFolder.isPending}
          error={createFolder.error ? createFolder.error.message : null}
          onSubmit={(name) => createFolder.mutate(name)}
          onCancel={() => setNewFolder(false)}
        />
      ) : null}
      <input
        ref={uploadInput}
        type="file"
        multiple
        hidden
        data-testid="upload-input"
        onChange={(event) => {
          const files = [...(event.currentTarget.files ?? [])];
          event.currentTarget.value = '';
          if (files.length > 0 && target) transferUi.drop({ kind: 'files', files, roots: files }, target);
        }}
      />
    </>
  );
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
const emptyPage: RowPage = { total: 0, rows: [] };
const nullSource: RowSource = {
  scope: 'none',
  queryKey: () => ['none'],
  fetch: () => Promise.resolve(null),
  rowsOf: () => emptyPage,
};
