/**
 * Reads and writes the items of the index. One writer: all writes are short synchronous
 * transactions (never held across an await). Statements are prepared once.
 */
import type { Statement } from 'better-sqlite3';
import type { Sort } from '../../../common/contract';
import type { ItemDto } from '../../../common/dto';
import { nameSortKey } from '../../../common/names';
import type { ProviderItem } from '../providers/types';
import type { SqliteDatabase } from './database';

interface ItemRow {
  account_id: string;
  id: string;
  parent_id: string | null;
  name: string;
  is_folder: number;
  size: number | null;
  modified_at: number | null;
  mime_type: string | null;
}

const itemColumns = 'account_id, id, parent_id, name, is_folder, size, modified_at, mime_type';
const sortColumn: Record<Sort['by'], string> = {
  name: 'name_key',
  size: 'size',
  modified: 'modified_at',
};

export interface ChildrenPage {
  total: number;
  items: ItemDto[];
}

export class ItemStore {
  private readonly upsertStatement;
  private readonly getStatement;
  private readonly countStatement;
  private readonly childByKeyStatement;
  private readonly pageStatements = new Map<string, Statement<unknown[], unknown>>();
  private readonly upsertMany: (accountId: string, items: readonly ProviderItem[], generation: number) => void;

  constructor(private readonly db: SqliteDatabase) {
    this.upsertStatement = db.prepare(`
      INSERT INTO items (account_id, id, parent_id, name, name_key, is_folder, size, modified_at, mime_type, hashes, crawl_gen)
      VALUES (@accountId, @id, @parentId, @name, @nameKey, @isFolder, @size, @modifiedAt, @mimeType, @hashes, @generation)
      ON CONFLICT (account_id, id) DO UPDATE SET
        parent_id = excluded.parent_id, name = excluded.name, name_key = excluded.name_key,
        is_folder = excluded.is_folder, size = excluded.size, modified_at = excluded.modified_at,
        mime_type = excluded.mime_type, hashes = coalesce(excluded.hashes, items.hashes),
        crawl_gen = excluded.crawl_gen`);
    this.getStatement = db.prepare(`SELECT ${itemColumns} FROM items WHERE account_id = ? AND id = ?`);
    this.countStatement = db.prepare(
      'SELECT count(*) AS n FROM items WHERE account_id = ? AND parent_id = ? AND is_folder = ?',
    );
    this.childByKeyStatement = db.prepare(
      `SELECT ${itemColumns} FROM items WHERE account_id = ? AND parent_id = ? AND is_folder IN (1, 0) AND name_key = ?
       ORDER BY is_folder DESC`,
    );
    this.upsertMany = db.transaction((accountId: string, items: readonly ProviderItem[], generation: number) => {
      for (const item of items) {
        this.upsertStatement.run({
          accountId,
          id: item.id,
          parentId: item.parentId,
          name: item.name,
          nameKey: nameSortKey(item.name),
          isFolder: item.kind === 'folder' ? 1 : 0,
          size: item.size,
          modifiedAt: item.modifiedAt,
          mimeType: item.mimeType,
          hashes: Object.keys(item.hashes).length > 0 ? JSON.stringify(item.hashes) : null,
          generation,
        });
      }
    });
  }

  /** Inserts or updates items (one transaction), tagging them with the crawl generation. Idempotent. */
  upsert(accountId: string, items: readonly ProviderItem[], generation: number): void {
    this.upsertMany(accountId, items, generation);
  }

  /** Removes the account's rows not seen by crawl `generation` (deleted since the last crawl). Returns the count. */
  deleteOlderThan(accountId: string, generation: number): number {
    return this.db.prepare('DELETE FROM items WHERE account_id = ? AND crawl_gen < ?').run(accountId, generation).changes;
  }

  deleteAccount(accountId: string): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM items WHERE account_id = ?').run(accountId);
      this.db.prepare('DELETE FROM sync_state WHERE account_id = ?').run(accountId);
    })();
  }

  get(accountId: string, id: string): ItemDto | undefined {
    const row = this.getStatement.get(accountId, id) as ItemRow | undefined;
    return row && toDto(row);
  }

  countItems(accountId: string): number {
    return (this.db.prepare('SELECT count(*) AS n FROM items WHERE account_id = ?').get(accountId) as { n: number }).n;
  }

  /**
   * The children named `name` (exact match), folders first. Several can exist where the provider
   * allows duplicate names.
   */
  childrenNamed(accountId: string, parentId: string, name: string): ItemDto[] {
    const rows = this.childByKeyStatement.all(accountId, parentId, nameSortKey(name)) as ItemRow[];
    return rows.filter((row) => row.name === name).map(toDto);
  }

  /** The folder's ancestors from the root down to its parent. Stops at a cycle or a missing parent. */
  ancestors(accountId: string, item: ItemDto): ItemDto[] {
    const chain: ItemDto[] = [];
    const seen = new Set<string>([item.id]);
    let parentId = item.parentId;
    while (parentId !== null && !seen.has(parentId)) {
      seen.add(parentId);
      const parent = this.get(accountId, parentId);
      if (!parent) break;
      chain.unshift(parent);
      parentId = parent.parentId;
    }
    return chain;
  }

  /**
   * A row range of a folder's children: all folders, then all files, each group sorted by `sort`
   * (ties broken by name). Each group is one index range walk, so any page of any size of folder
   * costs about the same.
   */
  listChildren(accountId: string, parentId: string, sort: Sort, offset: number, limit: number): ChildrenPage {
    const folderCount = (this.countStatement.get(accountId, parentId, 1) as { n: number }).n;
    const fileCount = (this.countStatement.get(accountId, parentId, 0) as { n: number }).n;
    const items: ItemDto[] = [];
    if (offset < folderCount) {
      items.push(...this.page(accountId, parentId, 1, sort, offset, limit));
    }
    const remaining = limit - items.length;
    if (remaining > 0) {
      items.push(...this.page(accountId, parentId, 0, sort, Math.max(0, offset - folderCount), remaining));
    }
    return { total: folderCount + fileCount, items };
  }

  private page(accountId: string, parentId: string, isFolder: 0 | 1, sort: Sort, offset: number, limit: number): ItemDto[] {
    const key = `${sort.by}:${sort.direction}`;
    let statement = this.pageStatements.get(key);
    if (!statement) {
      const column = sortColumn[sort.by];
      const direction = sort.direction === 'asc' ? 'ASC' : 'DESC';
      const order = column === 'name_key' ? `name_key ${direction}` : `${column} ${direction}, name_key ${direction}`;
      statement = this.db.prepare(
        `SELECT ${itemColumns} FROM items WHERE account_id = ? AND parent_id = ? AND is_folder = ?
         ORDER BY ${order} LIMIT ? OFFSET ?`,
      );
      this.pageStatements.set(key, statement);
    }
    return (statement.all(accountId, parentId, isFolder, limit, offset) as ItemRow[]).map(toDto);
  }
}

function toDto(row: ItemRow): ItemDto {
  return {
    accountId: row.account_id,
    id: row.id,
    parentId: row.parent_id,
    name: row.name,
    kind: row.is_folder ? 'folder' : 'file',
    size: row.size,
    modifiedAt: row.modified_at,
    mimeType: row.mime_type,
  };
}
