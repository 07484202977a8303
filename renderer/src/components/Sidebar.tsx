import { useId } from 'react';
import type { AccountDto } from '../../../common/dto';
import { syncSummary } from '../lib/accounts';
import { ProviderIcon } from './Icons';

export function Sidebar({
  accounts,
  selectedId,
  onSelect,
  loading,
}: {
  accounts: readonly AccountDto[] | undefined;
  selectedId: string | null;
  onSelect: (account: AccountDto) => void;
  loading: boolean;
}) {
  const idPrefix = useId();
  return (
    <aside className="sidebar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        Skyfold
      </div>
      <nav aria-label="Accounts" className="accounts">
        <h2 className="sidebar-heading">Accounts</h2>
        {loading ? <p className="sidebar-note">Loading…</p> : null}
        {accounts && accounts.length === 0 ? <p className="sidebar-note">No accounts yet</p> : null}
        <ul>
          {accounts?.map((account) => {
            const statusId = `${idPrefix}-${account.id}`;
            return (
              <li key={account.id}>
                <button
                  type="button"
                  className="account"
                  aria-label={account.name}
                  aria-describedby={statusId}
                  aria-current={account.id === selectedId ? 'true' : undefined}
                  data-sync={account.sync.state}
                  title={account.location}
                  onClick={() => onSelect(account)}
                >
                  <ProviderIcon provider={account.provider} />
                  <span className="account-text">
                    <span className="account-name">{account.name}</span>
                    <span className="account-status" id={statusId}>
                      {syncSummary(account.sync)}
                    </span>
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      </nav>
    </aside>
  );
}
