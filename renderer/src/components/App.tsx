/** The window: accounts sidebar, the explorer for the chosen folder, and the connection banner. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import type { Sort } from '../../../common/contract';
import type { AccountDto } from '../../../common/dto';
import { useClient } from '../client/context';
import { useConnectionStatus, useResyncAfterReconnect } from '../hooks/use-connection';
import { useEngineEvents } from '../hooks/use-engine-events';
import { useExplorerLocation } from '../hooks/use-explorer-location';
import { SkyfoldError } from '../../../common/errors';
import { useAddAccount } from '../hooks/use-add-account';
import {
  accountAfterRemoval,
  accountNeedingReconnect,
  isSignInProvider,
  withoutAccount,
} from '../lib/accounts';
import { queryKeys } from '../lib/query-keys';
import { defaultSort } from '../lib/sort';
import { AddAccountDialog } from './AddAccountDialog';
import { Explorer } from './Explorer';
import { RemoveAccountDialog } from './RemoveAccountDialog';
import { Sidebar } from './Sidebar';
import {
  ConnectionBanner,
  ErrorState,
  LoadingState,
  NoAccountsState,
  NoticesBanner,
  ReconnectBanner,
} from './States';

export function App() {
  const { api, connection } = useClient();
  useEngineEvents(api);
  useResyncAfterReconnect(connection);
  const status = useConnectionStatus(connection);

  const accounts = useQuery({ queryKey: queryKeys.accounts(), queryFn: () => api.listAccounts({}) });
  const notices = useQuery({ queryKey: queryKeys.notices(), queryFn: () => api.listNotices({}) });
  const [dismissed, setDismissed] = useState<string[]>([]);
  const [location, navigate] = useExplorerLocation();
  const [sort, setSort] = useState<Sort>(defaultSort);
  /** A row to focus in the folder we navigate to: `{folder, item}`. */
  const [focusHint, setFocusHint] = useState<{ folderId: string; itemId: string } | null>(null);

  const list = accounts.data;
  const account: AccountDto | undefined =
    list?.find((candidate) => candidate.id === location?.accountId) ?? list?.[0];
  const folderId = account
    ? location?.accountId === account.id && location.folderId !== null
      ? location.folderId
      : account.rootId
    : null;

  const selectAccount = useCallback(
    (chosen: AccountDto) => {
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
      setFocusHint(focusItemId === undefined ? null : { folderId: target, itemId: focusItemId });
      navigate({ accountId, folderId: target === rootId ? null : target });
    },
    [accountId, rootId, navigate],
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
        focusItemId={focusHint?.folderId === folderId ? focusHint.itemId : null}
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
      </div>
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
