/**
 * The window: the sidebar (accounts, folder tree), one or two explorer panes (split view), the
 * preview/properties panel, the transfers panel, banners and toasts.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import type { AccountDto, ItemDto, TrashedItemDto } from '../../../common/dto';
import { SkyfoldError } from '../../../common/errors';
import { useClient } from '../client/context';
import { useAddAccount } from '../hooks/use-add-account';
import { useConnectionStatus, useResyncAfterReconnect } from '../hooks/use-connection';
import { useDebouncedValue } from '../hooks/use-debounced-value';
import { useEngineEvents } from '../hooks/use-engine-events';
import { useNow } from '../hooks/use-now';
import { useSearchShortcuts } from '../hooks/use-search-shortcuts';
import { useStoredState } from '../hooks/use-stored-state';
import { useSyncOnFocus } from '../hooks/use-sync-on-focus';
import { useTheme } from '../hooks/use-theme';
import { useToasts } from '../hooks/use-toasts';
import { useTransferNotifications } from '../hooks/use-transfer-notifications';
import { accountNeedingReconnect, isSignInProvider, withoutAccount } from '../lib/accounts';
import { desktopBridge } from '../lib/desktop-bridge';
import { isMacPlatform, type FolderTarget } from '../lib/drag-drop';
import { formatCount } from '../lib/format';
import {
  currentLocation,
  forgetAccount,
  formatLocationHash,
  homeLocation,
  parseLocationHash,
  startHistory,
  visit,
  type PaneHistory,
  type PaneLocation,
} from '../lib/pane-location';
import { queryKeys } from '../lib/query-keys';
import type { BrowseTarget } from '../lib/search';
import { AddAccountDialog } from './AddAccountDialog';
import { ExplorerPane } from './ExplorerPane';
import { PreviewPanel } from './PreviewPanel';
import { RemoveAccountDialog } from './RemoveAccountDialog';
import { SearchBox } from './SearchBox';
import { searchGridId } from './SearchList';
import { SearchResults } from './SearchResults';
import { SettingsPage } from './SettingsPage';
import { Sidebar } from './Sidebar';
import { ConnectionBanner, ErrorState, LoadingState, NoticesBanner, ReconnectBanner } from './States';
import { Toasts } from './Toasts';
import { TransferUiProvider, useUploads } from './TransferUi';
import { TransfersPanel, TransfersToggle, transfersBadgeCount } from './TransfersPanel';

/** Electron's extras (native paths of dropped files, dragging out); null in the web host. */
const bridge = desktopBridge((window as { skyfold?: unknown }).skyfold);
const mac = isMacPlatform(
  (navigator as { userAgentData?: { platform?: string } }).userAgentData?.platform ?? navigator.platform,
);

export function App() {
  const { api } = useClient();
  const toasts = useToasts();
  const [panelOpen, setPanelOpen] = useState(false);
  const [flash, setFlash] = useState(0);
  const showTransfers = useCallback(() => {
    setPanelOpen(true);
    setFlash((count) => count + 1);
  }, []);
  const { push } = toasts;
  const showError = useCallback((text: string) => push({ text, tone: 'error' }), [push]);
  return (
    <TransferUiProvider api={api} bridge={bridge} mac={mac} onStarted={showTransfers} onError={showError}>
      <Window
        panelOpen={panelOpen}
        onTogglePanel={() => setPanelOpen((open) => !open)}
        onClosePanel={() => setPanelOpen(false)}
        flash={flash}
        toasts={toasts}
      />
    </TransferUiProvider>
  );
}

/** The folder a pane shows, when it is one account's folder (a target for the other pane's copy/move). */
function folderTargetOf(
  location: PaneLocation,
  accounts: readonly AccountDto[] | undefined,
): FolderTarget | null {
  if (location.view !== 'folder') return null;
  const account = accounts?.find((candidate) => candidate.id === location.accountId);
  return account ? { accountId: account.id, folderId: location.folderId ?? account.rootId } : null;
}

const parseSplit = (stored: string | null) => stored === 'true';
const serializeSplit = (split: boolean) => String(split);

function Window({
  panelOpen,
  onTogglePanel,
  onClosePanel,
  flash,
  toasts,
}: {
  panelOpen: boolean;
  onTogglePanel: () => void;
  onClosePanel: () => void;
  flash: number;
  toasts: ReturnType<typeof useToasts>;
}) {
  const { api, connection } = useClient();
  useEngineEvents(api);
  useResyncAfterReconnect(connection);
  useSyncOnFocus(api);
  const status = useConnectionStatus(connection);
  const [theme, setTheme] = useTheme();

  const accounts = useQuery({ queryKey: queryKeys.accounts(), queryFn: () => api.listAccounts({}) });
  const notices = useQuery({ queryKey: queryKeys.notices(), queryFn: () => api.listNotices({}) });
  const transfers = useQuery({ queryKey: queryKeys.transfers(), queryFn: () => api.listTransfers({}) });
  const { uploads } = useUploads();
  const panelId = useId();
  const [dismissed, setDismissed] = useState<string[]>([]);
  const list = accounts.data;
  useTransferNotifications(api, list, toasts.push);
  const { push } = toasts;

  // The panes: each with its own history; the first one's place is in the URL hash.
  const [panes, setPanes] = useState<[PaneHistory, PaneHistory]>(() => [
    startHistory(parseLocationHash(window.location.hash) ?? homeLocation),
    startHistory(homeLocation),
  ]);
  const [split, setSplit] = useStoredState('skyfold.split', parseSplit, serializeSplit);
  const [activePane, setActivePane] = useState<0 | 1>(0);
  const shownPane = split ? activePane : 0;
  const setPane = useCallback((index: 0 | 1, history: PaneHistory) => {
    setPanes((current) => (index === 0 ? [history, current[1]] : [current[0], history]));
  }, []);
  const navigateActive = useCallback(
    (location: PaneLocation) =>
      setPanes((current) => {
        const next: [PaneHistory, PaneHistory] = [current[0], current[1]];
        next[shownPane] = visit(current[shownPane], location);
        return next;
      }),
    [shownPane],
  );
  const firstLocation = currentLocation(panes[0]);
  useEffect(() => {
    const hash = formatLocationHash(firstLocation);
    if (window.location.hash !== hash) window.history.replaceState(null, '', hash);
  }, [firstLocation]);
  useEffect(() => {
    const onHashChange = () => {
      const location = parseLocationHash(window.location.hash);
      if (location) setPanes((current) => [visit(current[0], location), current[1]]);
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);
  const toggleSplit = useCallback(() => {
    if (split) setActivePane(0);
    setSplit(!split);
  }, [split, setSplit]);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'F3' || event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey)
        return;
      event.preventDefault();
      toggleSplit();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [toggleSplit]);

  /** A search result's file to focus in the folder it leads to. */
  const [reveal, setReveal] = useState<{ location: PaneLocation; itemId: string } | null>(null);

  // Search: the box's text (non-empty = searching in the active pane), debounced for the engine.
  const [searchText, setSearchText] = useState('');
  const searchedText = useDebouncedValue(searchText, 100);
  const searchInput = useRef<HTMLInputElement>(null);
  const now = useNow();
  const focusSearchBox = useCallback(() => {
    const input = searchInput.current;
    if (!input) return;
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
  }, []);
  const findInSearchBox = useCallback(() => {
    searchInput.current?.focus();
    searchInput.current?.select();
  }, []);
  const typeIntoSearch = useCallback(
    (character: string) => {
      if (!searchInput.current) return;
      flushSync(() => setSearchText((text) => text + character));
      focusSearchBox();
    },
    [focusSearchBox],
  );
  useSearchShortcuts(findInSearchBox, typeIntoSearch);
  const exitSearch = useCallback(() => {
    searchInput.current?.blur();
    if (searchText === '') document.querySelector<HTMLElement>('.pane.active [role="grid"]')?.focus();
    setSearchText('');
  }, [searchText]);
  /** A search result leads to a folder (of any account). */
  const browseTo = useCallback(
    (target: BrowseTarget) => {
      const owner = list?.find((candidate) => candidate.id === target.accountId);
      if (!owner) return;
      setSearchText('');
      const location: PaneLocation = {
        view: 'folder',
        accountId: owner.id,
        folderId: target.folderId === owner.rootId ? null : target.folderId,
      };
      setReveal(target.focusItemId === undefined ? null : { location, itemId: target.focusItemId });
      navigateActive(location);
    },
    [list, navigateActive],
  );

  // Accounts: add, remove, reconnect.
  const openAccount = useCallback(
    (chosen: AccountDto) => {
      setSearchText('');
      navigateActive({ view: 'folder', accountId: chosen.id, folderId: null });
    },
    [navigateActive],
  );
  const addAccount = useAddAccount(api, openAccount);
  const queryClient = useQueryClient();
  const [removing, setRemoving] = useState<AccountDto | null>(null);
  const remove = useMutation({
    mutationFn: async (target: AccountDto) => {
      try {
        await api.removeAccount({ accountId: target.id });
      } catch (error) {
        if (!(error instanceof SkyfoldError && error.code === 'not_found')) throw error; // already gone
      }
    },
    onSuccess: (_result, target) => {
      setPanes((current) => [forgetAccount(current[0], target.id), forgetAccount(current[1], target.id)]);
      queryClient.setQueryData<AccountDto[]>(queryKeys.accounts(), (old) => withoutAccount(old, target.id));
      void queryClient.invalidateQueries({ queryKey: queryKeys.accounts() });
      setRemoving(null);
    },
  });
  const askRemove = useCallback(
    (target: AccountDto) => {
      remove.reset();
      setRemoving(target);
    },
    [remove],
  );
  const activeLocation = currentLocation(panes[shownPane]);
  const activeAccountId = activeLocation.view === 'folder' ? activeLocation.accountId : null;
  const broken = accountNeedingReconnect(list, activeAccountId);
  const reconnect = useCallback(
    (account: AccountDto) => {
      if (isSignInProvider(account.provider)) addAccount.signIn(account.provider);
    },
    [addAccount],
  );

  // Preview and properties follow the active pane's focused item.
  const [preview, setPreview] = useState<{ open: boolean; tab: 'preview' | 'properties' }>({
    open: false,
    tab: 'preview',
  });
  const [focusedItem, setFocusedItem] = useState<ItemDto | null>(null);
  const showPreview = useCallback(
    (tab: 'preview' | 'properties') =>
      setPreview((current) => ({ open: !(current.open && current.tab === tab && tab === 'preview'), tab })),
    [setPreview],
  );
  const accountName = useCallback(
    (accountId: string) => list?.find((candidate) => candidate.id === accountId)?.name ?? 'Removed account',
    [list],
  );

  // Trash with undo: the last trash can be restored from its toast or with Ctrl+Z.
  const [lastTrash, setLastTrash] = useState<readonly TrashedItemDto[] | null>(null);
  const undoTrash = useCallback(
    (trashed: readonly TrashedItemDto[]) => {
      const restorable = trashed.filter((item) => item.restorable);
      if (restorable.length === 0) return;
      setLastTrash(null);
      api
        .restoreItems({ items: restorable.map(({ accountId, itemId }) => ({ accountId, itemId })) })
        .then(({ restored }) => {
          for (const accountId of new Set(restored.map((item) => item.accountId)))
            void queryClient.invalidateQueries({ queryKey: queryKeys.listAccount(accountId) });
          void queryClient.invalidateQueries({ queryKey: queryKeys.merged() });
          push({ text: `Restored ${formatCount(restored.length, 'item')}`, tone: 'success' });
        })
        .catch((error: unknown) =>
          push({
            text: `Could not restore: ${error instanceof Error ? error.message : String(error)}`,
            tone: 'error',
          }),
        );
    },
    [api, queryClient, push],
  );
  const onTrashed = useCallback(
    (trashed: TrashedItemDto[]) => {
      setLastTrash(trashed);
      const kept = trashed.filter((item) => !item.restorable).length;
      const text =
        trashed.length === 1
          ? `Moved “${trashed[0]!.name}” to the trash`
          : `Moved ${formatCount(trashed.length, 'item')} to the trash`;
      push({
        text: kept > 0 ? `${text} (${kept} can only be restored from the provider’s own trash)` : text,
        tone: 'success',
        action: kept < trashed.length ? { label: 'Undo', run: () => undoTrash(trashed) } : undefined,
      });
    },
    [push, undoTrash],
  );

  const transfersToggle = (
    <TransfersToggle
      open={panelOpen}
      count={transfersBadgeCount(transfers.data?.batches, uploads)}
      panelId={panelId}
      onToggle={onTogglePanel}
    />
  );
  const searchBox = (
    <SearchBox
      ref={searchInput}
      value={searchText}
      onChange={setSearchText}
      onExit={exitSearch}
      onFocusResults={() => document.getElementById(searchGridId)?.focus()}
    />
  );
  const searchResults =
    searchText === '' ? null : (
      <SearchResults
        api={api}
        text={searchedText}
        settling={searchedText !== searchText}
        accounts={list}
        now={now}
        onTextChange={(text) => {
          setSearchText(text);
          focusSearchBox();
        }}
        onBrowse={browseTo}
        onExit={exitSearch}
      />
    );
  const settings = () => (
    <SettingsPage
      api={api}
      accounts={list ?? []}
      onAddAccount={addAccount.open}
      onRemoveAccount={askRemove}
      onReconnect={reconnect}
      theme={theme}
      onThemeChange={setTheme}
    />
  );

  let main;
  if (accounts.error && !list) {
    main = (
      <main className="explorer">
        <ErrorState
          title="Could not load your accounts"
          message={accounts.error.message}
          retrying={accounts.isFetching}
          onRetry={() => void accounts.refetch()}
        />
      </main>
    );
  } else if (!list) {
    main = (
      <main className="explorer">
        <LoadingState label="Connecting to Skyfold…" />
      </main>
    );
  } else {
    const paneIndexes: Array<0 | 1> = split ? [0, 1] : [0];
    main = (
      <main className={split ? 'explorer split' : 'explorer'}>
        {paneIndexes.map((index) => (
          <ExplorerPane
            key={index}
            api={api}
            accounts={list}
            name={split ? (index === 0 ? 'Left pane' : 'Right pane') : null}
            active={index === shownPane}
            onActivate={() => setActivePane(index)}
            history={panes[index]}
            onHistoryChange={(history) => setPane(index, history)}
            split={split}
            onToggleSplit={toggleSplit}
            otherTarget={split ? folderTargetOf(currentLocation(panes[index === 0 ? 1 : 0]), list) : null}
            searchBox={index === shownPane ? searchBox : undefined}
            search={index === shownPane ? searchResults : undefined}
            extraActions={index === paneIndexes.length - 1 ? transfersToggle : undefined}
            reveal={index === shownPane ? reveal : null}
            onFocusItem={setFocusedItem}
            onPreview={showPreview}
            lastTrash={lastTrash}
            onTrashed={onTrashed}
            onUndoTrash={() => (lastTrash ? undoTrash(lastTrash) : undefined)}
            toast={push}
            onAddAccount={addAccount.open}
            settings={settings}
            mac={mac}
          />
        ))}
      </main>
    );
  }

  return (
    <div className="app">
      <ConnectionBanner status={status} onReconnect={connection.reconnect} />
      <NoticesBanner
        notices={(notices.data ?? []).filter((notice) => !dismissed.includes(notice))}
        onDismiss={(notice) => setDismissed((current) => [...current, notice])}
      />
      <div className="layout">
        <Sidebar
          api={api}
          accounts={list}
          location={activeLocation}
          onNavigate={navigateActive}
          onSelect={openAccount}
          onAdd={addAccount.open}
          onRemove={askRemove}
          loading={accounts.isPending}
        />
        <div className="workspace">
          {broken ? (
            <ReconnectBanner
              account={broken}
              busy={addAccount.state.step === 'signing-in'}
              onReconnect={isSignInProvider(broken.provider) ? () => reconnect(broken) : null}
            />
          ) : null}
          {main}
        </div>
        {preview.open ? (
          <PreviewPanel
            api={api}
            item={focusedItem}
            accountName={accountName}
            tab={preview.tab}
            onTabChange={(tab) => setPreview({ open: true, tab })}
            onClose={() => {
              setPreview((current) => ({ ...current, open: false }));
              document.querySelector<HTMLElement>('.pane.active [role="grid"]')?.focus();
            }}
          />
        ) : null}
        {panelOpen ? (
          <TransfersPanel
            id={panelId}
            api={api}
            accounts={list}
            data={transfers.data}
            error={transfers.error}
            flash={flash}
            onClose={onClosePanel}
          />
        ) : null}
      </div>
      <Toasts toasts={toasts.toasts} onDismiss={toasts.dismiss} />
      <AddAccountDialog controller={addAccount} />
      {removing ? (
        <RemoveAccountDialog
          account={removing}
          busy={remove.isPending}
          error={remove.error ? remove.error.message : null}
          onConfirm={() => remove.mutate(removing)}
          onCancel={() => setRemoving(null)}
        />
      ) : null}
    </div>
  );
}
