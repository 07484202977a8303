import type { SqliteDatabase } from './database';

export interface StoredSyncState {
  crawlGeneration: number;
  lastSyncedAt: number | null;
}

/** Per-account crawl bookkeeping kept beside the items it describes (both are rebuildable). */
export class SyncStateStore {
  constructor(private readonly db: SqliteDatabase) {}

  get(accountId: string): StoredSyncState {
    const row = this.db
      .prepare(
        'SELECT crawl_gen AS crawlGeneration, last_synced_at AS lastSyncedAt FROM sync_state WHERE account_id = ?',
      )
      .get(accountId) as StoredSyncState | undefined;
    return row ?? { crawlGeneration: 0, lastSyncedAt: null };
  }

  /** Starts a new crawl generation for the account and returns it. */
  nextGeneration(accountId: string): number {
    const row = this.db
      .prepare(
        `INSERT INTO sync_state (account_id, crawl_gen) VALUES (?, 1)
         ON CONFLICT (account_id) DO UPDATE SET crawl_gen = crawl_gen + 1 RETURNING crawl_gen AS generation`,
      )
      .get(accountId) as { generation: number };
    return row.generation;
  }

  markSynced(accountId: string, at: number): void {
    this.db.prepare('UPDATE sync_state SET last_synced_at = ? WHERE account_id = ?').run(at, accountId);
  }
}
