import { fileTypeKey } from '../../../common/file-types';
import type { Migration } from './database';

/**
 * The index: a cache of every account's items, rebuildable from the providers at any time.
 * Secondary indexes serve each browse sort (folders and files are read as two separate ranges, so a
 * single index walk in either direction serves any page of a 100,000-entry folder).
 */
export const indexMigrations: readonly Migration[] = [
  (db) => {
    db.exec(`
      CREATE TABLE items (
        account_id  TEXT    NOT NULL,
        id          TEXT    NOT NULL,
        parent_id   TEXT,
        name        TEXT    NOT NULL,
        name_key    TEXT    NOT NULL,
        is_folder   INTEGER NOT NULL,
        size        INTEGER,
        modified_at INTEGER,
        mime_type   TEXT,
        hashes      TEXT,
        crawl_gen   INTEGER NOT NULL,
        PRIMARY KEY (account_id, id)
      ) WITHOUT ROWID;
      CREATE INDEX items_by_name     ON items (account_id, parent_id, is_folder, name_key);
      CREATE INDEX items_by_size     ON items (account_id, parent_id, is_folder, size, name_key);
      CREATE INDEX items_by_modified ON items (account_id, parent_id, is_folder, modified_at, name_key);

      CREATE TABLE sync_state (
        account_id     TEXT PRIMARY KEY,
        crawl_gen      INTEGER NOT NULL DEFAULT 0,
        last_synced_at INTEGER
      );
    `);
  },
  // Shortcuts (Google Drive): the id of the item a shortcut points to.
  (db) => {
    db.exec('ALTER TABLE items ADD COLUMN target_id TEXT');
  },
  // Search (search.ts): items get a stable integer key (`item_no`, an INTEGER PRIMARY KEY, so VACUUM
  // keeps it) that the in-memory search index refers to, and every write that matters to search is
  // logged in `search_changes` by triggers, whatever connection or process makes it. The search index
  // replays the log to stay current; `search_meta.trimmed_through` tells it when the log was trimmed
  // past the point it had read (then it rebuilds from `items`). The secondary indexes now end on the
  // 8-byte item_no instead of the (account_id, id) strings, which makes them smaller.
  (db) => {
    db.exec(`
      CREATE TABLE items_v3 (
        item_no     INTEGER PRIMARY KEY,
        account_id  TEXT    NOT NULL,
        id          TEXT    NOT NULL,
        parent_id   TEXT,
        name        TEXT    NOT NULL,
        name_key    TEXT    NOT NULL,
        is_folder   INTEGER NOT NULL,
        size        INTEGER,
        modified_at INTEGER,
        mime_type   TEXT,
        hashes      TEXT,
        crawl_gen   INTEGER NOT NULL,
        target_id   TEXT,
        UNIQUE (account_id, id)
      );
      INSERT INTO items_v3 (account_id, id, parent_id, name, name_key, is_folder, size, modified_at,
                            mime_type, hashes, crawl_gen, target_id)
        SELECT account_id, id, parent_id, name, name_key, is_folder, size, modified_at,
               mime_type, hashes, crawl_gen, target_id FROM items;
      DROP TABLE items;
      ALTER TABLE items_v3 RENAME TO items;
      CREATE INDEX items_by_name     ON items (account_id, parent_id, is_folder, name_key);
      CREATE INDEX items_by_size     ON items (account_id, parent_id, is_folder, size, name_key);
      CREATE INDEX items_by_modified ON items (account_id, parent_id, is_folder, modified_at, name_key);

      CREATE TABLE search_changes (seq INTEGER PRIMARY KEY, item_no INTEGER NOT NULL);
      CREATE TABLE search_meta (trimmed_through INTEGER NOT NULL);
      INSERT INTO search_meta (trimmed_through) VALUES (0);
      CREATE TRIGGER items_search_insert AFTER INSERT ON items BEGIN
        INSERT INTO search_changes (item_no) VALUES (new.item_no);
      END;
      CREATE TRIGGER items_search_update AFTER UPDATE ON items
        WHEN old.name IS NOT new.name OR old.parent_id IS NOT new.parent_id OR old.is_folder IS NOT new.is_folder
          OR old.size IS NOT new.size OR old.modified_at IS NOT new.modified_at
          OR old.mime_type IS NOT new.mime_type OR old.target_id IS NOT new.target_id
      BEGIN
        INSERT INTO search_changes (item_no) VALUES (new.item_no);
      END;
      CREATE TRIGGER items_search_delete AFTER DELETE ON items BEGIN
        INSERT INTO search_changes (item_no) VALUES (old.item_no);
      END;
    `);
  },
  // Inserts are no longer logged: `item_no` is an INTEGER PRIMARY KEY without AUTOINCREMENT, so a new
  // row gets a number above every row that exists when it is inserted, and the search index finds new
  // rows as the numbers above the highest one it has read. A number is reused only after the row that
  // held it was deleted, and that delete is logged, so the search index re-reads the number. Logging
  // every insert cost ~40% of a crawl's write time (a second table written per row, and a statement
  // journal per upsert). (SQLite picks random unused numbers only past 2^63 - 1 rows ever.)
  (db) => {
    db.exec('DROP TRIGGER items_search_insert');
  },
  // Sync (main/core/sync): where each account's change feed stands (`cursor`: changes after it are not
  // in the index yet), and the resume point of a full listing that has not finished (`crawl_next`:
  // null when no listing is under way).
  (db) => {
    db.exec(`
      ALTER TABLE sync_state ADD COLUMN cursor TEXT;
      ALTER TABLE sync_state ADD COLUMN crawl_next TEXT;
    `);
  },
  // The `type` sort (issue 8): each row's `fileTypeKey` (common/file-types.ts), written by every upsert,
  // with a browse index like the other sorts'. Ordering by a function of the row instead cost 54 ms
  // for the first page of a 100,000-file folder and 180 ms for a middle one (every row's key
  // computed and sorted on each page); the index serves any page in ~1 ms. Existing rows get their
  // key here; a later change to `fileTypeKey` needs a migration that recomputes it the same way.
  (db) => {
    db.function('skyfold_file_type_key', { deterministic: true }, (isFolder, name, mimeType) =>
      fileTypeKey({
        kind: isFolder ? 'folder' : 'file',
        name: String(name),
        mimeType: typeof mimeType === 'string' ? mimeType : null,
      }),
    );
    db.exec(`
      ALTER TABLE items ADD COLUMN type_key TEXT NOT NULL DEFAULT '';
      UPDATE items SET type_key = skyfold_file_type_key(is_folder, name, mime_type);
      CREATE INDEX items_by_type ON items (account_id, parent_id, is_folder, type_key, name_key);
    `);
  },
];

/** Durable state that is NOT a cache: accounts (later: tokens' metadata, the transfer journal). */
export const stateMigrations: readonly Migration[] = [
  (db) => {
    db.exec(`
      CREATE TABLE accounts (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
        provider   TEXT NOT NULL,
        location   TEXT NOT NULL,
        root_id    TEXT NOT NULL,
        config     TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
    `);
  },
  // The transfer journal (main/core/transfers/journal.ts; docs/design/transfers.md §1): batches, one
  // job per file or folder with everything needed to resume it after a crash, the lease that lets
  // one process run the queue, and settings (limits, remembered choices).
  (db) => {
    db.exec(`
      CREATE TABLE transfer_batches (
        id             TEXT PRIMARY KEY,
        op             TEXT NOT NULL CHECK (op IN ('copy', 'move')),
        origin         TEXT NOT NULL,
        dest           TEXT NOT NULL,
        dest_folder_id TEXT NOT NULL,
        conflict       TEXT CHECK (conflict IN ('rename', 'replace', 'skip')),
        state          TEXT NOT NULL,
        paused         INTEGER NOT NULL DEFAULT 0,
        created_at     INTEGER NOT NULL,
        finished_at    INTEGER,
        summary        TEXT
      );
      CREATE TABLE transfer_jobs (
        id              INTEGER PRIMARY KEY,
        batch_id        TEXT NOT NULL REFERENCES transfer_batches (id) ON DELETE CASCADE,
        parent_job      INTEGER REFERENCES transfer_jobs (id),
        kind            TEXT NOT NULL CHECK (kind IN ('file', 'folder')),
        method          TEXT NOT NULL CHECK (method IN ('stream', 'server-copy', 'server-move')),
        src             TEXT NOT NULL,
        src_id          TEXT NOT NULL,
        src_name        TEXT NOT NULL,
        src_size        INTEGER,
        src_modified    INTEGER,
        src_hashes      TEXT,
        dest_parent_id  TEXT,
        dest_name       TEXT NOT NULL,
        name_note       TEXT,
        conflict        TEXT NOT NULL CHECK (conflict IN ('rename', 'replace', 'skip')),
        state           TEXT NOT NULL,
        paused          TEXT,
        attempt         INTEGER NOT NULL DEFAULT 0,
        verify_failures INTEGER NOT NULL DEFAULT 0,
        not_before      INTEGER,
        checkpoint      TEXT,
        computed        TEXT,
        dest_id         TEXT,
        dest_hashes     TEXT,
        error           TEXT,
        note            TEXT,
        updated_at      INTEGER NOT NULL
      );
      CREATE INDEX transfer_jobs_open ON transfer_jobs (batch_id, id)
        WHERE state NOT IN ('done', 'skipped', 'failed', 'cancelled');
      CREATE INDEX transfer_jobs_children ON transfer_jobs (parent_job);
      CREATE TABLE transfer_runner (
        id           INTEGER PRIMARY KEY CHECK (id = 1),
        pid          INTEGER,
        host         TEXT,
        token        TEXT,
        heartbeat_at INTEGER
      );
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
  },
  // Names taken at the destination of a batch waiting for a decision (shown to the user), and
  // cancels asked for (any process may ask; the one running the queue carries them out).
  (db) => {
    db.exec(`
      ALTER TABLE transfer_batches ADD COLUMN conflicts TEXT;
      ALTER TABLE transfer_jobs ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX transfer_jobs_cancelling ON transfer_jobs (id) WHERE cancel_requested = 1;
    `);
  },
];
