import type { SqliteDatabase } from './database';

export interface StoredSyncState {
  /** The latest crawl's generation (rows it wrote carry it); 0 before the first. */
  crawlGeneration: number;
  /** When the index was last known to match the account (a crawl or a change check completed). */
  lastSyncedAt: number | null;
  /** The change feed's cursor: changes after it are not in the index yet. Null: crawl first. */
  cursor: string | null;
  /** Where an unfinished full listing resumes (`ChangeFeed.listAll`); null when none is under way. */
  crawlNext: string | null;
}

/**
 * Per-account sync bookkeeping kept beside the items it describes, in the same database, so a part
 * of a listing or a batch of changes and the position after it commit together (or not at all).
 */
export class SyncStateStore {
  private readonly getStatement;

  constructor(private readonly db: SqliteDatabase) {
    this.getStatement = db.prepare(
      `SELECT crawl_gen AS crawlGeneration, last_synced_at AS lastSyncedAt, cursor, crawl_next AS crawlNext
       FROM sync_state WHERE account_id = ?`,
    );
  }

  get(accountId: string): StoredSyncState {
    const row = this.getStatement.get(accountId) as StoredSyncState | undefined;
    return row ?? { crawlGeneration: 0, lastSyncedAt: null, cursor: null, crawlNext: null };
  }

  /** Starts a new crawl generation for the account (forgetting any unfinished listing) and returns it. */
  nextGeneration(accountId: string): number {
    const row = this.db
      .prepare(
        `INSERT INTO sync_state (account_id, crawl_gen) VALUES (?, 1)
         ON CONFLICT (account_id) DO UPDATE SET crawl_gen = crawl_gen + 1, crawl_next = NULL
         RETURNING crawl_gen AS generation`,
      )
      .get(accountId) as { generation: number };
    return row.generation;
  }

  /** Records where the current crawl's listing resumes (call inside the transaction that wrote the part). */
  saveCrawlProgress(accountId: string, next: string): void {
    this.db.prepare('UPDATE sync_state SET crawl_next = ? WHERE account_id = ?').run(next, accountId);
  }

  /** Records the change feed's position after a batch was applied (call inside that batch's transaction). */
  saveCursor(accountId: string, cursor: string): void {
    this.db.prepare('UPDATE sync_state SET cursor = ? WHERE account_id = ?').run(cursor, accountId);
  }

  /**
   * Records that the index matches the account as of `at`, with the change feed's position when it
   * has one (null: no feed). Ends any listing under way.
   */
  markSynced(accountId: string, at: number, cursor: string | null = null): void {
    this.db
      .prepare('UPDATE sync_state SET last_synced_at = ?, cursor = ?, crawl_next = NULL WHERE account_id = ?')
      .run(at, cursor, accountId);
  }
}
