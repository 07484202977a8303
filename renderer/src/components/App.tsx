/** The window: accounts sidebar, the explorer for the chosen folder (or search results), and the connection banner. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useId, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import type { Sort } from '../../../common/contract';
import type { AccountDto } from '../../../common/dto';
import { useClient } from '../client/context';
import { useConnectionStatus, useResyncAfterReconnect } from '../hooks/use-connection';
import { useEngineEvents } from '../hooks/use-engine-events';
import { useDebouncedValue } from '../hooks/use-debounced-value';
import { useExplorerLocation } from '../hooks/use-explorer-location';
import { useNow } from '../hooks/use-now';
import { useSearchShortcuts } from '../hooks/use-search-shortcuts';
import { useSyncOnFocus } from '../hooks/use-sync-on-focus';
import { useToasts } from '../hooks/use-toasts';
import { useTransferNotifications } from '../hooks/use-transfer-notifications';
import { desktopBridge } from '../lib/desktop-bridge';
import { isMacPlatform } from '../lib/drag-drop';
import { SkyfoldError } from '../../../common/errors';
import { useAddAccount } from '../hooks/use-add-account';
import {
  accountAfterRemoval,
  accountNeedingReconnect,
  isSignInProvider,
  withoutAccount,
} from '../lib/accounts';
import { queryKeys } from '../lib/query-keys';
import type { BrowseTarget } from '../lib/search';
import { defaultSort } from '../lib/sort';
import { AddAccountDialog } from './AddAccountDialog';
import { Explorer } from './Explorer';
import { RemoveAccountDialog } from './RemoveAccountDialog';
import { SearchBox } from './SearchBox';
import { searchGridId } from './SearchList';
import { SearchResults } from './SearchResults';
import { Sidebar } from './Sidebar';
import {
  ConnectionBanner,
  ErrorState,
  LoadingState,
  NoAccountsState,
  NoticesBanner,
  ReconnectBanner,
} from './States';
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

  const accounts = useQuery({ queryKey: queryKeys.accounts(), queryFn: () => api.listAccounts({}) });
  const notices = useQuery({ queryKey: queryKeys.notices(), queryFn: () => api.listNotices({}) });
  const transfers = useQuery({ queryKey: queryKeys.transfers(), queryFn: () => api.listTransfers({}) });
  const { uploads } = useUploads();
  const panelId = useId();
  const [dismissed, setDismissed] = useState<string[]>([]);
  const [location, navigate] = useExplorerLocation();
  const [sort, setSort] = useState<Sort>(defaultSort);
  /** A row to focus in the folder we navigate to: `{folder, item}`. */
  const [focusHint, setFocusHint] = useState<{ folderId: string; itemId: string } | null>(null);

  const list = accounts.data;
  useTransferNotifications(api, list, toasts.push);
  const account: AccountDto | undefined =
    list?.find((candidate) => candidate.id === location?.accountId) ?? list?.[0];
  const folderId = account
    ? location?.accountId === account.id && location.folderId !== null
      ? location.folderId
      : account.rootId
    : null;

  // Search: the box's text (non-empty = searching), debounced for the engine.
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
  const typeIntoSearch = useCallback(
    (character: string) => {
      if (!searchInput.current) return;
      flushSync(() => setSearchText((text) => text + character));
      focusSearchBox();
    },
    [focusSearchBox],
  );
  const findInSearchBox = useCallback(() => {
    searchInput.current?.focus();
    searchInput.current?.select();
  }, []);
  useSearchShortcuts(findInSearchBox, typeIntoSearch);
  const exitSearch = useCallback(() => {
    // With nothing focused, the folder's grid takes focus once it is back (FileList's autoFocus).
    searchInput.current?.blur();
    if (searchText === '') document.querySelector<HTMLElement>('.explorer [role="grid"]')?.focus();
    setSearchText('');
  }, [searchText]);

  const selectAccount = useCallback(
    (chosen: AccountDto) => {
      setSearchText('');
      setFocusHint(null);
      navigate({ accountId: chosen.id, folderId: null });
    },
    [navigate],
  );
  const addAccount = useAddAccount(api, selectAccount);
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
      if (target.id === account?.id) {
        const next = list ? accountAfterRemoval(list, target.id) : null;
        setFocusHint(null);
        navigate(next ? { accountId: next.id, folderId: null } : null);
      }
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
  // The banner names the selected account when it lost access, else any other that did (see accountNeedingReconnect).
  const broken = accountNeedingReconnect(list, account?.id ?? null);
  const reconnectProvider = broken && isSignInProvider(broken.provider) ? broken.provider : null;

  const accountId = account?.id;
  const rootId = account?.rootId;
  const openFolder = useCallback(
    (target: string, focusItemId?: string) => {
      if (accountId === undefined) return;
      setSearchText('');
      setFocusHint(focusItemId === undefined ? null : { folderId: target, itemId: focusItemId });
      navigate({ accountId, folderId: target === rootId ? null : target });
    },
    [accountId, rootId, navigate],
  );

  /** A search result leads to a folder (of any account), maybe with a row to select there. */
  const browseTo = useCallback(
    (target: BrowseTarget) => {
      const owner = list?.find((candidate) => candidate.id === target.accountId);
      if (!owner) return;
      setSearchText('');
      setFocusHint(
        target.focusItemId === undefined ? null : { folderId: target.folderId, itemId: target.focusItemId },
      );
      navigate({ accountId: owner.id, folderId: target.folderId === owner.rootId ? null : target.folderId });
    },
    [list, navigate],
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
  } else if (!account || folderId === null) {
    main = (
      <main className="explorer">
        <NoAccountsState onAdd={addAccount.open} />
      </main>
    );
  } else {
    main = (
      <Explorer
        key={account.id}
        api={api}
        account={account}
        folderId={folderId}
        sort={sort}
        onSortChange={setSort}
        onNavigate={openFolder}
        actions={
          <TransfersToggle
            open={panelOpen}
            count={transfersBadgeCount(transfers.data?.batches, uploads)}
            panelId={panelId}
            onToggle={onTogglePanel}
          />
        }
        focusItemId={focusHint?.folderId === folderId ? focusHint.itemId : null}
        searchBox={
          <SearchBox
            ref={searchInput}
            value={searchText}
            onChange={setSearchText}
            onExit={exitSearch}
            onFocusResults={() => document.getElementById(searchGridId)?.focus()}
          />
        }
        search={
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
          )
        }
      />
    );
  }

  return (
    <div className="app">
      <ConnectionBanner status={status} onReconnect={connection.reconnect} />
      <NoticesBanner
        notices={(notices.data ?? []).filter((notice) => !dismissed.includes(notice))}
        onDismiss={(notice) => setDismissed((list) => [...list, notice])}
      />
      <div className="layout">
        <Sidebar
          accounts={list}
          selectedId={account?.id ?? null}
          onSelect={selectAccount}
          onAdd={addAccount.open}
          onRemove={askRemove}
          loading={accounts.isPending}
        />
        <div className="workspace">
          {broken ? (
            <ReconnectBanner
              account={broken}
              busy={addAccount.state.step === 'signing-in'}
              onReconnect={reconnectProvider ? () => addAccount.signIn(reconnectProvider) : null}
            />
          ) : null}
          {main}
        </div>
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
