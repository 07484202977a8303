import { describe, expect, it } from 'vitest';
import { syncSummary } from './accounts';

describe('syncSummary', () => {
  it('describes each sync state', () => {
    expect(syncSummary({ state: 'idle', itemCount: 12_345, lastSyncedAt: 1 })).toBe(
      `${(12_345).toLocaleString()} items`,
    );
    expect(syncSummary({ state: 'idle', itemCount: 1, lastSyncedAt: null })).toBe('1 item');
    expect(syncSummary({ state: 'crawling', itemCount: 0, lastSyncedAt: null })).toBe('Indexing… 0 items');
    expect(syncSummary({ state: 'error', itemCount: 3, lastSyncedAt: null, message: 'EACCES' })).toBe(
      'Sync failed: EACCES',
    );
  });
});
