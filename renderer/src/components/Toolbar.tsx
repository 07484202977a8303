import type { ReactNode } from 'react';
import type { Crumb } from '../lib/breadcrumbs';
import { displayName } from '../lib/format';
import { ChevronIcon, RefreshIcon, UpIcon } from './Icons';

export function Breadcrumbs({
  crumbs,
  onNavigate,
}: {
  crumbs: readonly Crumb[];
  onNavigate: (folderId: string) => void;
}) {
  return (
    <nav aria-label="Breadcrumbs" className="breadcrumbs">
      <ol>
        {crumbs.map((crumb, index) => (
          <li key={`${index}:${crumb.id}`}>
            {index > 0 ? <ChevronIcon /> : null}
            <button
              type="button"
              className="crumb"
              aria-current={crumb.current ? 'page' : undefined}
              onClick={() => onNavigate(crumb.id)}
            >
              {displayName(crumb.label)}
            </button>
          </li>
        ))}
      </ol>
    </nav>
  );
}

export function Toolbar({
  crumbs,
  canGoUp,
  onGoUp,
  onNavigate,
  onRefresh,
  refreshing,
  search,
}: {
  crumbs: readonly Crumb[];
  canGoUp: boolean;
  onGoUp: () => void;
  onNavigate: (folderId: string) => void;
  onRefresh: () => void;
  refreshing: boolean;
  /** The search box, at the toolbar's end. */
  search?: ReactNode;
}) {
  return (
    <div className="toolbar">
      <button
        type="button"
        className="icon-button"
        aria-label="Go up"
        title="Go up (Backspace)"
        disabled={!canGoUp}
        onClick={onGoUp}
      >
        <UpIcon />
      </button>
      <Breadcrumbs crumbs={crumbs} onNavigate={onNavigate} />
      <button
        type="button"
        className="icon-button"
        aria-label="Refresh account"
        title={refreshing ? 'Indexing…' : 'Re-read this account'}
        disabled={refreshing}
        onClick={onRefresh}
      >
        <RefreshIcon spinning={refreshing} />
      </button>
      {search}
    </div>
  );
}
