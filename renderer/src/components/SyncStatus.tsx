/** An account's sync status line (sidebar, status bar): text first, an icon for the states that need attention. */
import type { SyncState } from '../../../common/dto';
import { useNow } from '../hooks/use-now';
import { syncDetails, syncSummary } from '../lib/accounts';
import { SyncStateIcon } from './Icons';

export function SyncStatus({
  sync,
  className,
  id,
  testId,
  hidden = false,
}: {
  sync: SyncState;
  className: string;
  id?: string;
  testId: string;
  /** Out of the accessibility tree (it is read as a description of its button instead, aria-describedby). */
  hidden?: boolean;
}) {
  // Its own clock subscription: "2 min ago" ticks without re-rendering the sidebar or the explorer.
  const now = useNow();
  return (
    <span
      className={className}
      id={id}
      data-testid={testId}
      data-sync={sync.state}
      title={syncDetails(sync)}
      aria-hidden={hidden || undefined}
    >
      <SyncStateIcon state={sync.state} />
      {syncSummary(sync, { now })}
    </span>
  );
}
