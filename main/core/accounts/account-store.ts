/**
 * Accounts live in the durable state database (not the index cache): losing them would lose the
 * user's setup, so that database uses synchronous=FULL.
 */
import { randomBytes } from 'node:crypto';
import { SkyfoldError } from '../../../common/errors';
import type { ProviderKind } from '../../../common/dto';
import type { SqliteDatabase } from '../index/database';

export interface StoredAccount {
  id: string;
  name: string;
  provider: ProviderKind;
  location: string;
  /** The provider id of the account's root folder. */
  rootId: string;
  /** Provider-specific settings (a local account's folder path, a cloud account's endpoints). */
  config: Record<string, unknown>;
  createdAt: number;
}

interface AccountRow {
  id: string;
  name: string;
  provider: ProviderKind;
  location: string;
  root_id: string;
  config: string;
  created_at: number;
}

export class AccountStore {
  constructor(private readonly db: SqliteDatabase) {}

  list(): StoredAccount[] {
    const rows = this.db.prepare('SELECT * FROM accounts ORDER BY created_at, id').all() as AccountRow[];
    return rows.map(fromRow);
  }

  get(id: string): StoredAccount | undefined {
    const row = this.db.prepare('SELECT * FROM accounts WHERE id = ?').get(id) as AccountRow | undefined;
    return row && fromRow(row);
  }

  /** Finds by id, else by name (case-insensitive). */
  find(idOrName: string): StoredAccount | undefined {
    const row = this.db
      .prepare('SELECT * FROM accounts WHERE id = ? OR name = ? COLLATE NOCASE ORDER BY id = ? DESC LIMIT 1')
      .get(idOrName, idOrName, idOrName) as AccountRow | undefined;
    return row && fromRow(row);
  }

  /** Adds an account with a fresh id. Throws conflict when the name is taken. */
  add(account: Omit<StoredAccount, 'id' | 'createdAt'>): StoredAccount {
    const stored: StoredAccount = {
      ...account,
      id: `${account.provider}-${randomBytes(5).toString('hex')}`,
      createdAt: Date.now(),
    };
    try {
      this.db
        .prepare(
          'INSERT INTO accounts (id, name, provider, location, root_id, config, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
          stored.id,
          stored.name,
          stored.provider,
          stored.location,
          stored.rootId,
          JSON.stringify(stored.config),
          stored.createdAt,
        );
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new SkyfoldError('conflict', `an account named "${account.name}" already exists`);
      }
      throw error;
    }
    return stored;
  }

  /** Removes an account. Returns false when it did not exist. */
  remove(id: string): boolean {
    return this.db.prepare('DELETE FROM accounts WHERE id = ?').run(id).changes > 0;
  }
}

function fromRow(row: AccountRow): StoredAccount {
  return {
    id: row.id,
    name: row.name,
    provider: row.provider,
    location: row.location,
    rootId: row.root_id,
    config: JSON.parse(row.config) as Record<string, unknown>,
    createdAt: row.created_at,
  };
}
