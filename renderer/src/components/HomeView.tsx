/**
 * The "All clouds" home: a card for the merged view of every account, then a card per account with
 * its provider, e-mail or folder, storage use and sync state. Each card is a button that opens its
 * place; with no account yet, an invitation to add one.
 */
import { useId } from 'react';
import type { AccountDto } from '../../../common/dto';
import { accountSubtitle, providerLabels, quotaSummary } from '../lib/accounts';
import { displayName } from '../lib/format';
import type { PaneLocation } from '../lib/pane-location';
import { PlusIcon, ProviderIcon } from './Icons';
import { QuotaMeter } from './QuotaMeter';
import { SyncStatus } from './SyncStatus';
import './navigation.css';

/** Several stacked clouds: the merged view of every account (decorative). */
export function AllCloudsIcon() {
  return (
    <svg className="icon icon-all-clouds" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M6.5 19.5h10a3.5 3.5 0 0 0 .5-6.96 5 5 0 0 0-9.6-1.2A4.1 4.1 0 0 0 6.5 19.5zM9 7.2a5.5 5.5 0 0 1 9.9 2.3 3.5 3.5 0 0 1 2.1 3.2" />
    </svg>
  );
}

export function HomeView({
  accounts,
  onOpen,
  onAddAccount,
}: {
  accounts: readonly AccountDto[];
  /** Opens a card's place: the merged view of "/" or an account's root. */
  onOpen: (location: PaneLocation) => void;
  onAddAccount: () => void;
}) {
  const headingId = useId();
  return (
    <section className="home" aria-labelledby={headingId} data-testid="home">
      <h1 id={headingId} className="home-heading">
        All clouds
      </h1>
      {accounts.length === 0 ? (
        <div className="home-empty" data-testid="home-empty">
          <p>No accounts yet. Add a cloud account or a folder of this computer to browse it here.</p>
          <button type="button" className="home-add" onClick={onAddAccount}>
            <PlusIcon />
            Add account
          </button>
        </div>
      ) : (
        <ul className="home-cards">
          <li>
            <div className="home-card home-card-merged" data-testid="home-merged">
              <AllCloudsIcon />
              <div className="home-card-text">
                <button
                  type="button"
                  className="home-card-open"
                  aria-describedby={`${headingId}-merged`}
                  onClick={() => onOpen({ view: 'merged', path: '/' })}
                >
                  All clouds (merged)
                </button>
                <span className="home-card-line" id={`${headingId}-merged`}>
                  Every account’s folders as one: a folder that several accounts have shows once
                </span>
              </div>
            </div>
          </li>
          {accounts.map((account) => (
            <li key={account.id}>
              <AccountCard account={account} onOpen={onOpen} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * One account's card. The account's name is the button that opens its root; the button covers the
 * whole card (a click anywhere opens it) and is described by the card's lines, while the quota meter
 * stays outside it (a button's content is flattened to text for assistive technology).
 */
function AccountCard({ account, onOpen }: { account: AccountDto; onOpen: (location: PaneLocation) => void }) {
  const id = useId();
  const subtitle = accountSubtitle(account) ?? (account.provider === 'local' ? account.location : null);
  const quota = quotaSummary(account.quota);
  const reconnect = account.health === 'needs_reconnect';
  const described = [`${id}-provider`, subtitle ? `${id}-location` : null, `${id}-quota`, `${id}-status`];
  return (
    <div
      className="home-card"
      data-testid="home-account"
      data-account-id={account.id}
      data-health={account.health}
    >
      <ProviderIcon provider={account.provider} />
      <div className="home-card-text">
        <button
          type="button"
          className="home-card-open"
          aria-describedby={described.filter((part) => part !== null).join(' ')}
          onClick={() => onOpen({ view: 'folder', accountId: account.id, folderId: null })}
        >
          {displayName(account.name)}
        </button>
        <span className="home-card-line" id={`${id}-provider`}>
          {providerLabels[account.provider]}
        </span>
        {subtitle ? (
          <span className="home-card-line" id={`${id}-location`} title={subtitle}>
            {displayName(subtitle)}
          </span>
        ) : null}
        <div className="home-quota" data-level={quota?.level ?? 'ok'}>
          {quota ? (
            <QuotaMeter quota={quota} className="home-quota-bar" fillClassName="home-quota-fill" />
          ) : null}
          <span className="home-quota-text" id={`${id}-quota`} data-testid="home-quota">
            {quota ? quota.text : 'Storage use not known'}
          </span>
        </div>
        {reconnect ? (
          <span className="home-reconnect" id={`${id}-status`} data-testid="home-reconnect">
            Reconnect needed
          </span>
        ) : (
          <SyncStatus sync={account.sync} className="home-sync" id={`${id}-status`} testId="home-sync" />
        )}
      </div>
    </div>
  );
}
