/** The window: accounts sidebar, the explorer for the chosen folder, and the connection banner. */
import { useQuery } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import type { Sort } from '../../../common/contract';
import type { AccountDto } from '../../../common/dto';
import { useClient } from '../client/context';
import { useConnectionStatus, useResyncAfterReconnect } from '../hooks/use-connection';
import { useEngineEvents } from '../hooks/use-engine-events';
import { useExplorerLocation } from '../hooks/use-explorer-location';
import { queryKeys } from '../lib/query-keys';
import { defaultSort } from '../lib/sort';
import { Explorer } from './Explorer';
import { Sidebar } from './Sidebar';
import { ConnectionBanner, ErrorState, LoadingState, NoAccountsState } from './States';

export function App() {
  const { api, connection } = useClient();
  useEngineEvents(api);
  useResyncAfterReconnect(connection);
  const status = useConnectionStatus(connection);

  const accounts = useQuery({ queryKey: queryKeys.accounts(), queryFn: () => api.listAccounts({}) });
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
        <NoAccountsState />
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
      <div className="layout">
        <Sidebar
          accounts={list}
          selectedId={account?.id ?? null}
          onSelect={selectAccount}
          loading={accounts.isPending}
        />
        {main}
      </div>
    </div>
  );
}
