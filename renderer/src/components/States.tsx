/** Whole-pane states: loading, empty, error, no accounts, and the lost-connection banner. */
import type { AccountDto } from '../../../common/dto';
import type { ConnectionStatus } from '../client/connection';
import { displayName } from '../lib/format';

export function LoadingState({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state" role="status" aria-live="polite" data-testid="loading-state">
      <span className="spinner" aria-hidden="true" />
      <p className="state-title">{label}</p>
    </div>
  );
}

export function EmptyState({ hint }: { hint?: string | undefined }) {
  return (
    <div className="state" role="status" data-testid="empty-state">
      <p className="state-title">This folder is empty</p>
      {hint ? <p className="state-text">{hint}</p> : null}
    </div>
  );
}

export function ErrorState({
  title,
  message,
  onRetry,
  retrying = false,
  secondary,
}: {
  title: string;
  message: string;
  onRetry: () => void;
  retrying?: boolean;
  /** Another way out, e.g. back to the account's root. */
  secondary?: { label: string; onClick: () => void } | undefined;
}) {
  return (
    <div className="state state-error" role="alert" data-testid="error-state">
      <p className="state-title">{title}</p>
      <p className="state-text" data-testid="error-message">
        {message}
      </p>
      <div className="state-actions">
        <button type="button" className="button" onClick={onRetry} disabled={retrying}>
          {retrying ? 'Retrying…' : 'Retry'}
        </button>
        {secondary ? (
          <button type="button" className="button button-secondary" onClick={secondary.onClick}>
            {secondary.label}
          </button>
        ) : null}
      </div>
    </div>
  );
}

export function NoAccountsState({ onAdd }: { onAdd: () => void }) {
  return (
    <div className="state state-welcome" data-testid="no-accounts">
      <h2 className="state-title">No accounts yet</h2>
      <p className="state-text">
        Skyfold shows your local folders and cloud drives side by side. Add Google Drive, Dropbox, OneDrive or
        a folder on this computer to start.
      </p>
      <div className="state-actions">
        <button type="button" className="button" data-testid="no-accounts-add" onClick={onAdd}>
          Add an account
        </button>
      </div>
      <p className="state-text">Or from a terminal:</p>
      <pre className="command">
        <code>skyfold accounts add local PATH</code>
      </pre>
    </div>
  );
}

/** Shown above the explorer when an account's sign-in is gone; "Reconnect" signs in again. */
export function ReconnectBanner({
  account,
  onReconnect,
  busy,
}: {
  account: AccountDto;
  /** Null when Skyfold cannot sign in to this provider from the UI. */
  onReconnect: (() => void) | null;
  busy: boolean;
}) {
  return (
    <div className="banner reconnect-banner" role="alert" data-testid="reconnect-banner">
      <span>Skyfold lost access to {displayName(account.name)}. Reconnect to keep it up to date.</span>
      {onReconnect ? (
        <button type="button" className="button button-small" onClick={onReconnect} disabled={busy}>
          Reconnect
        </button>
      ) : null}
    </div>
  );
}

/** Notices from the engine (e.g. where sign-in tokens are kept), each dismissible for this session. */
export function NoticesBanner({
  notices,
  onDismiss,
}: {
  notices: readonly string[];
  onDismiss: (notice: string) => void;
}) {
  if (notices.length === 0) return null;
  return (
    <div className="notices" data-testid="notices">
      {notices.map((notice) => (
        <div key={notice} className="banner banner-notice" role="status">
          <span>{notice}</span>
          <button type="button" className="button button-small" onClick={() => onDismiss(notice)}>
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}

export function ConnectionBanner({
  status,
  onReconnect,
}: {
  status: ConnectionStatus;
  onReconnect: () => void;
}) {
  if (status !== 'lost') return null;
  return (
    <div className="banner" role="alert" data-testid="connection-lost">
      <span>Connection to Skyfold lost. Reconnecting…</span>
      <button type="button" className="button button-small" onClick={onReconnect}>
        Reconnect now
      </button>
    </div>
  );
}
