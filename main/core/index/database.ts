/**
 * Opening SQLite databases the one way Skyfold does it: WAL, numbered migrations applied in one
 * transaction and tracked by `PRAGMA user_version`, and a refusal to open a database written by a
 * newer Skyfold (its schema may mean something this version does not know).
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { SkyfoldError } from '../../../common/errors';

export type SqliteDatabase = Database.Database;

/** Migration N (1-based) brings the schema from version N-1 to N. Never edit a shipped one; append. */
export type Migration = (db: SqliteDatabase) => void;

export interface OpenOptions {
  migrations: readonly Migration[];
  /**
   * `FULL` where a commit must survive power loss (accounts, transfer journal); `NORMAL` for caches
   * (the index), which can be rebuilt from the providers.
   */
  synchronous: 'FULL' | 'NORMAL';
}

/**
 * Opens (creating if needed) and migrates a database file; ':memory:' works for tests.
 * Throws SkyfoldError `permanent` when the file comes from a newer version.
 */
export function openDatabase(file: string, options: OpenOptions): SqliteDatabase {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous}`);
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, options.migrations, file);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function migrate(db: SqliteDatabase, migrations: readonly Migration[], file: string): void {
  const check = (version: number) => {
    if (version > migrations.length) {
      throw new SkyfoldError(
        'permanent',
        `${file} was written by a newer Skyfold (schema ${version}, this version knows ${migrations.length}); update Skyfold`,
      );
    }
  };
  const readVersion = () => db.pragma('user_version', { simple: true }) as number;
  check(readVersion());
  if (readVersion() === migrations.length) return;
  // Re-read under the write lock: another process may have migrated since the first read.
  db.transaction(() => {
    const current = readVersion();
    check(current);
    for (let version = current; version < migrations.length; version++) {
      migrations[version]!(db);
    }
    db.pragma(`user_version = ${migrations.length}`);
  }).immediate();
}
