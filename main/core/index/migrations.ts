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
];
