/**
 * The settings page: accounts, cloud clients, transfers, appearance and storage, one section each.
 * Server data comes through the query cache (lib/query-keys.ts); account actions are the caller's
 * (the same dialogs as the sidebar's). Every control is labelled; errors show inline (role=alert),
 * saves are announced (role=status).
 */
import { useId } from 'react';
import type { SkyfoldApi } from '../../../common/contract';
import type { AccountDto } from '../../../common/dto';
import { useNow } from '../hooks/use-now';
import { providerLabels, quotaSummary, syncSummary } from '../lib/accounts';
import { themeChoices, type ThemeChoice } from '../lib/theme';
import { SettingsClouds } from './SettingsClouds';
import { SettingsSection } from './SettingsParts';
import { SettingsStorage } from './SettingsStorage';
import { SettingsTransfers } from './SettingsTransfers';
import './settings.css';

export interface SettingsPageProps {
  api: SkyfoldApi;
  accounts: readonly AccountDto[];
  onAddAccount: () => void;
  onRemoveAccount: (account: AccountDto) => void;
  onReconnect: (account: AccountDto) => void;
  theme: ThemeChoice;
  onThemeChange: (theme: ThemeChoice) => void;
}

export function SettingsPage(props: SettingsPageProps) {
  const titleId = useId();
  return (
    <section className="settings" aria-labelledby={titleId} data-testid="settings-page">
      <h1 id={titleId} className="settings-title">
        Settings
      </h1>
      <AccountsSection {...props} />
      <SettingsClouds api={props.api} />
      <SettingsTransfers api={props.api} />
      <AppearanceSection theme={props.theme} onThemeChange={props.onThemeChange} />
      <SettingsStorage api={props.api} />
    </section>
  );
}

function AccountsSection({
  accounts,
  onAddAccount,
  onRemoveAccount,
  onReconnect,
}: Pick<SettingsPageProps, 'accounts' | 'onAddAccount' | 'onRemoveAccount' | 'onReconnect'>) {
  const now = useNow();
  return (
    <SettingsSection title="Accounts">
      {accounts.length === 0 ? <p className="settings-description">No accounts yet.</p> : null}
      <ul className="settings-accounts">
        {accounts.map((account) => {
          const quota = quotaSummary(account.quota);
          return (
            <li key={account.id} className="settings-account" data-testid={`settings-account-${account.id}`}>
              <div className="settings-account-text">
                <span className="settings-account-name">{account.name}</span>
                <span className="settings-muted">
                  {providerLabels[account.provider]} · {account.location}
                </span>
                <span className="settings-muted">
                  {account.health === 'needs_reconnect'
                    ? 'Needs reconnecting: its transfers and sync are paused'
                    : syncSummary(account.sync, { now })}
                </span>
                {quota ? <span className="settings-muted">{quota.text}</span> : null}
              </div>
              <div className="settings-actions">
                {account.health === 'needs_reconnect' ? (
                  <button
                    type="button"
                    className="button button-small"
                    aria-label={`Reconnect ${account.name}`}
                    onClick={() => onReconnect(account)}
                  >
                    Reconnect
                  </button>
                ) : null}
                <button
                  type="button"
                  className="button button-small button-secondary"
                  aria-label={`Remove ${account.name}`}
                  onClick={() => onRemoveAccount(account)}
                >
                  Remove
                </button>
              </div>
            </li>
          );
        })}
      </ul>
      <div className="settings-actions">
        <button type="button" className="button" onClick={onAddAccount}>
          Add account
        </button>
      </div>
    </SettingsSection>
  );
}

const themeLabels: Record<ThemeChoice, string> = {
  system: 'System (follows your computer)',
  light: 'Light',
  dark: 'Dark',
};

function AppearanceSection({ theme, onThemeChange }: Pick<SettingsPageProps, 'theme' | 'onThemeChange'>) {
  const name = useId();
  return (
    <SettingsSection title="Appearance">
      <fieldset className="settings-fieldset">
        <legend>Theme</legend>
        <div className="settings-radios">
          {themeChoices.map((choice) => (
            <label key={choice} className="settings-radio">
              <input
                type="radio"
                name={name}
                value={choice}
                checked={theme === choice}
                onChange={() => onThemeChange(choice)}
              />
              {themeLabels[choice]}
            </label>
          ))}
        </div>
      </fieldset>
    </SettingsSection>
  );
}
