import { useId } from 'react';
import type { SkyfoldApi } from '../../../common/contract';
import type { AccountDto } from '../../../common/dto';
import { useDropTarget } from '../hooks/use-drop-target';
import { accountSubtitle, quotaSummary } from '../lib/accounts';
import { displayName } from '../lib/format';
import type { PaneLocation } from '../lib/pane-location';
import { FolderTree } from './FolderTree';
import { PlusIcon, ProviderIcon, TrashIcon } from './Icons';
import { QuotaMeter } from './QuotaMeter';
import { SyncStatus } from './SyncStatus';
import { useTransferUi } from './TransferUi';

/**
 * The sidebar: the "All clouds" home, the accounts (each opens its root, takes drops, can be removed;
 * their sync state and quota), the folder tree (the merged view, then each account), settings, and
 * "Add account".
 */
export function Sidebar({
  api,
  accounts,
  location,
  onNavigate,
  onSelect,
  onAdd,
  onRemove,
  loading,
}: {
  api: SkyfoldApi;
  accounts: readonly AccountDto[] | undefined;
  /** Where the active pane is. */
  location: PaneLocation;
  onNavigate: (location: PaneLocation) => void;
  onSelect: (account: AccountDto) => void;
  onAdd: () => void;
  onRemove: (account: AccountDto) => void;
  loading: boolean;
}) {
  const idPrefix = useId();
  const selectedId = location.view === 'folder' ? location.accountId : null;
  return (
    <aside className="sidebar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        Skyfold
      </div>
      <nav aria-label="Places" className="places">
        <button
          type="button"
          className="place"
          aria-current={location.view === 'home' ? 'page' : undefined}
          onClick={() => onNavigate({ view: 'home' })}
        >
          All clouds
        </button>
      </nav>
      <nav aria-label="Accounts" className="accounts">
        <h2 className="sidebar-heading">Accounts</h2>
        {loading ? <p className="sidebar-note">Loading…</p> : null}
        {accounts && accounts.length === 0 ? <p className="sidebar-note">No accounts yet</p> : null}
        <ul>
          {accounts?.map((account) => (
            <AccountRow
              key={account.id}
              account={account}
              statusId={`${idPrefix}-${account.id}`}
              selected={account.id === selectedId}
              onSelect={onSelect}
              onRemove={onRemove}
            />
          ))}
        </ul>
      </nav>
      {accounts && accounts.length > 0 ? (
        <div className="sidebar-tree">
          <h2 className="sidebar-heading">Folders</h2>
          <FolderTree api={api} accounts={accounts} current={location} onNavigate={onNavigate} />
        </div>
      ) : null}
      <div className="sidebar-footer">
        <button type="button" className="add-account-button" data-testid="add-account" onClick={onAdd}>
          <PlusIcon />
          Add account
        </button>
        <button
          type="button"
          className="add-account-button"
          aria-current={location.view === 'settings' ? 'page' : undefined}
          onClick={() => onNavigate({ view: 'settings' })}
        >
          Settings
        </button>
      </div>
    </aside>
  );
}

/** One account: opens it, removes it, and takes drops into its root folder. */
function AccountRow({
  account,
  statusId,
  selected,
  onSelect,
  onRemove,
}: {
  account: AccountDto;
  statusId: string;
  selected: boolean;
  onSelect: (account: AccountDto) => void;
  onRemove: (account: AccountDto) => void;
}) {
  const transferUi = useTransferUi();
  const drop = useDropTarget(
    { accountId: account.id, folderId: account.rootId },
    transferUi.mac,
    transferUi.drop,
  );
  const subtitle = accountSubtitle(account);
  const quota = quotaSummary(account.quota);
  return (
    <li
      className={drop.active ? 'account-row drop-target' : 'account-row'}
      data-testid="account-row"
      data-account-id={account.id}
      data-provider={account.provider}
      data-health={account.health}
      data-drop-target={drop.active || undefined}
      {...drop.props}
    >
      <button
        type="button"
        className="account"
        aria-describedby={subtitle ? `${statusId}-location ${statusId}` : statusId}
        aria-current={selected ? 'true' : undefined}
        data-sync={account.sync.state}
        title={account.location}
        onClick={() => onSelect(account)}
      >
        <ProviderIcon provider={account.provider} />
        <span className="account-text">
          <span className="account-name">{displayName(account.name)}</span>
          {subtitle ? (
            <span
              className="account-location"
              id={`${statusId}-location`}
              data-testid="account-location"
              aria-hidden="true"
            >
              {displayName(subtitle)}
            </span>
          ) : null}
          {account.health === 'needs_reconnect' ? (
            <span className="account-status" id={statusId} data-testid="account-status" aria-hidden="true">
              Needs reconnecting
            </span>
          ) : (
            <SyncStatus
              sync={account.sync}
              className="account-status"
              id={statusId}
              testId="account-status"
              hidden
            />
          )}
        </span>
      </button>
      <button
        type="button"
        className="icon-button account-remove"
        aria-label={`Remove ${account.name}`}
        title={`Remove ${account.name}`}
        onClick={() => onRemove(account)}
      >
        <TrashIcon />
      </button>
      {quota ? (
        <div className="account-quota" data-level={quota.level}>
          <QuotaMeter quota={quota} className="quota-bar" fillClassName="quota-fill" />
          <span className="quota-text" data-testid="account-quota">
            {quota.text}
          </span>
        </div>
      ) : null}
    </li>
  );
}
