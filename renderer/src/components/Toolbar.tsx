import type { ReactNode } from 'react';
import { useDropTarget } from '../hooks/use-drop-target';
import type { Crumb } from '../lib/breadcrumbs';
import { displayName } from '../lib/format';
import { ChevronIcon, RefreshIcon, UpIcon } from './Icons';
import { useTransferUi } from './TransferUi';

/** One breadcrumb: opens its folder, and takes drops into it. */
function CrumbButton({
  accountId,
  crumb,
  onNavigate,
}: {
  accountId: string;
  crumb: Crumb;
  onNavigate: (folderId: string) => void;
}) {
  const transferUi = useTransferUi();
  const drop = useDropTarget({ accountId, folderId: crumb.id }, transferUi.mac, transferUi.drop);
  return (
    <button
      type="button"
      className={drop.active ? 'crumb drop-target' : 'crumb'}
      aria-current={crumb.current ? 'page' : undefined}
      data-drop-target={drop.active || undefined}
      onClick={() => onNavigate(crumb.id)}
      {...drop.props}
    >
      {displayName(crumb.label)}
    </button>
  );
}

export function Breadcrumbs({
  accountId,
  crumbs,
  onNavigate,
}: {
  accountId: string;
  crumbs: readonly Crumb[];
  onNavigate: (folderId: string) => void;
}) {
  return (
    <nav aria-label="Breadcrumbs" className="breadcrumbs">
      <ol>
        {crumbs.map((crumb, index) => (
          <li key={`${index}:${crumb.id}`}>
            {index > 0 ? <ChevronIcon /> : null}
            <CrumbButton accountId={accountId} crumb={crumb} onNavigate={onNavigate} />
          </li>
        ))}
      </ol>
    </nav>
  );
}

export function Toolbar({
  accountId,
  crumbs,
  canGoUp,
  onGoUp,
  onNavigate,
  onRefresh,
  refreshing,
  search,
  actions,
}: {
  accountId: string;
  crumbs: readonly Crumb[];
  canGoUp: boolean;
  onGoUp: () => void;
  onNavigate: (folderId: string) => void;
  onRefresh: () => void;
  refreshing: boolean;
  /** The search box, at the toolbar's end. */
  search?: ReactNode;
  /** More buttons after the search box (the transfers toggle). */
  actions?: ReactNode;
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
      <Breadcrumbs accountId={accountId} crumbs={crumbs} onNavigate={onNavigate} />
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
      {actions}
    </div>
  );
}
