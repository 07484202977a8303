/** Whole-pane states: loading, empty, error, no accounts, and the lost-connection banner. */
import type { ConnectionStatus } from '../client/connection';

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

export function NoAccountsState() {
  return (
    <div className="state state-welcome" data-testid="no-accounts">
      <h2 className="state-title">No accounts yet</h2>
      <p className="state-text">
        Skyfold shows your local folders and cloud drives side by side. Add a local folder from a terminal:
      </p>
      <pre className="command">
        <code>skyfold accounts add local PATH</code>
      </pre>
      <p className="state-text">It appears here as soon as it is added.</p>
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
