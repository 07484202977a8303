/** Account display helpers (pure). */
import type { SyncState } from '../../../common/dto';
import { formatCount } from './format';

/** A one-line account status: its size in the index, indexing progress, or what went wrong. */
export function syncSummary(sync: SyncState): string {
  switch (sync.state) {
    case 'crawling':
      return `Indexing… ${formatCount(sync.itemCount, 'item')}`;
    case 'error':
      return `Sync failed: ${sync.message}`;
    default:
      return formatCount(sync.itemCount, 'item');
  }
}
