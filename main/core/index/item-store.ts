/**
 * Reads and writes the items of the index. One writer: all writes are short synchronous
 * transactions (never held across an await). Statements are prepared once.
 */
import type { Statement } from 'better-sqlite3';
import type { Sort } from '../../../common/contract';
import type { DiskUsageDto, ItemDto } from '../../../common/dto';
import { fileTypeKey } from '../../../common/file-types';
import { nameSortKey } from '../../../common/names';
import type { ProviderItem } from '../providers/types';
import type { SqliteDatabase } from './database';

/** An `items` row as `itemColumns` selects it. */
export interface ItemRow {
  account_id: string;
  id: string;
  parent_id: string | null;
  name: string;
  is_folder: number;
  size: number | null;
  modified_at: number | null;
  mime_type: string | null;
  target_id: string | null;
}

export const itemColumns =
  'account_id, id, parent_id, name, is_folder, size, modified_at, mime_type, target_id';
/**
 * The column each sort orders a folder's rows by (ties: name, then `item_no`); each has a browse index
 * `(account_id, parent_id, is_folder, <column>, name_key)`. In one account's folder, `account` is `name`.
 */
export const sortColumn: Record<Sort['by'], 'name_key' | 'size' | 'modified_at' | 'type_key'> = {
  name: 'name_key',
  size: 'size',
  modified: 'modified_at',
  type: 'type_key',
  account: 'name_key',
};

/** Page cache during bulk writes (beginBulkWrites): 1M-item crawls write ~3x faster than with 2 MB. */
const bulkCacheKiB = 64 * 1024;

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
  private readonly upsertMany: (
    accountId: string,
    items: readonly ProviderItem[],
    generation: number,
  ) => void;
  /**
   * Child counts per folder ("account\0parent" -> [folders, files]). Counting a 100,000-entry folder
   * costs milliseconds and every page needs it, so counts are kept until this connection writes or
   * another connection commits (`PRAGMA data_version` changes).
   */
  private readonly childCountCache = new Map<string, [number, number]>();
  private seenDataVersion = -1;
  private readonly dataVersionStatement;
  private readonly deleteSubtreeStatement;
  private readonly deleteFileStatement;
  private readonly childIdsStatement;
  private readonly hasStatement;
  private readonly hashesStatement;

  constructor(private readonly db: SqliteDatabase) {
    this.upsertStatement = db.prepare(`
      INSERT INTO items (account_id, id, parent_id, name, name_key, type_key, is_folder, size, modified_at, mime_type, target_id, hashes, crawl_gen)
      VALUES (@accountId, @id, @parentId, @name, @nameKey, @typeKey, @isFolder, @size, @modifiedAt, @mimeType, @targetId, @hashes, @generation)
      ON CONFLICT (account_id, id) DO UPDATE SET
        parent_id = excluded.parent_id, name = excluded.name, name_key = excluded.name_key, type_key = excluded.type_key,
        is_folder = excluded.is_folder, size = excluded.size, modified_at = excluded.modified_at,
        mime_type = excluded.mime_type, target_id = excluded.target_id,
        -- Known hashes (the provider's, and those Skyfold computed while transferring) survive a
        -- listing, merged with what it carries, but only while the content looks the same.
        -- A hash the listing reports that differs from the known one means other content.
        hashes = CASE
          WHEN items.hashes IS NOT NULL AND items.size IS excluded.size
            AND items.modified_at IS excluded.modified_at
            AND NOT EXISTS (
              SELECT 1 FROM json_each(coalesce(excluded.hashes, '{}')) AS reported
              WHERE json_extract(items.hashes, '$.' || reported.key) <> reported.value)
            THEN json_patch(items.hashes, coalesce(excluded.hashes, '{}'))
          ELSE excluded.hashes END,
        -- A late write from an older crawl must not pull a row back into an older generation.
        crawl_gen = max(items.crawl_gen, excluded.crawl_gen)`);
    this.dataVersionStatement = db.prepare('PRAGMA data_version').pluck();
    this.deleteSubtreeStatement = db.prepare(
      `WITH RECURSIVE subtree(id) AS (
         SELECT @id
         UNION SELECT items.id FROM subtree CROSS JOIN items ON items.account_id = @accountId AND items.parent_id = subtree.id AND items.is_folder IN (1, 0))
       DELETE FROM items WHERE account_id = @accountId AND id IN (SELECT id FROM subtree)`,
    );
    this.deleteFileStatement = db.prepare(
      'DELETE FROM items WHERE account_id = ? AND id = ? AND is_folder = 0',
    );
    this.childIdsStatement = db
      .prepare('SELECT id FROM items WHERE account_id = ? AND parent_id = ? AND is_folder IN (1, 0)')
      .pluck();
    this.hasStatement = db.prepare('SELECT 1 FROM items WHERE account_id = ? AND id = ?').pluck();
    this.hashesStatement = db.prepare('SELECT hashes FROM items WHERE account_id = ? AND id = ?').pluck();
    this.getStatement = db.prepare(`SELECT ${itemColumns} FROM items WHERE account_id = ? AND id = ?`);
    this.countStatement = db.prepare(
      'SELECT count(*) AS n FROM items WHERE account_id = ? AND parent_id = ? AND is_folder = ?',
    );
    this.childByKeyStatement = db.prepare(
      `SELECT ${itemColumns} FROM items WHERE account_id = ? AND parent_id = ? AND is_folder IN (1, 0) AND name_key = ?
       ORDER BY is_folder DESC`,
    );
    this.upsertMany = db.transaction(
      (accountId: string, items: readonly ProviderItem[], generation: number) => {
        for (const item of items) {
          this.upsertStatement.run({
            accountId,
            id: item.id,
            parentId: item.parentId,
            name: item.name,
            nameKey: nameSortKey(item.name),
            typeKey: fileTypeKey(item),
            isFolder: item.kind === 'folder' ? 1 : 0,
            size: item.size,
            modifiedAt: item.modifiedAt,
            mimeType: item.mimeType,
            targetId: item.targetId,
            hashes: Object.keys(item.hashes).length > 0 ? JSON.stringify(item.hashes) : null,
            generation,
          });
        }
      },
    );
  }

  /** Inserts or updates items (one transaction), tagging them with the crawl generation. Idempotent. */
  upsert(accountId: string, items: readonly ProviderItem[], generation: number): void {
    this.upsertMany(accountId, items, generation);
    this.childCountCache.clear();
  }

  /** Removes the account's rows not seen by crawl `generation` (deleted since the last crawl). Returns the count. */
  deleteOlderThan(accountId: string, generation: number): number {
    this.childCountCache.clear();
    return this.db
      .prepare('DELETE FROM items WHERE account_id = ? AND crawl_gen < ?')
      .run(accountId, generation).changes;
  }

  /**
   * Tags a folder's whole subtree with `generation`, so a sweep keeps it: used for folders a crawl
   * could not read (their last known content stays).
   */
  keepSubtree(accountId: string, folderId: string, generation: number): void {
    this.childCountCache.clear();
    this.db
      .prepare(
        `WITH RECURSIVE subtree(id) AS (
           SELECT @folderId
           UNION SELECT items.id FROM subtree CROSS JOIN items ON items.account_id = @accountId AND items.parent_id = subtree.id AND items.is_folder IN (1, 0))
         UPDATE items SET crawl_gen = max(crawl_gen, @generation)
         WHERE account_id = @accountId AND id IN (SELECT id FROM subtree)`,
      )
      .run({ accountId, folderId, generation });
  }

  /**
   * Removes an item and everything under it; returns the number of rows removed (0 when it is not in
   * the index). Idempotent.
   */
  deleteSubtree(accountId: string, id: string): number {
    this.childCountCache.clear();
    // Most removals are files: one indexed delete, without walking a subtree.
    const file = this.deleteFileStatement.run(accountId, id).changes;
    return file > 0 ? file : this.deleteSubtreeStatement.run({ accountId, id }).changes;
  }

  /**
   * Removes the account's items that cannot be reached from `rootId` by following parents (a
   * listing's strays: Drive files shared with the user, items of folders that went away). Returns
   * the number of rows removed.
   */
  deleteUnreachable(accountId: string, rootId: string): number {
    this.childCountCache.clear();
    return this.db
      .prepare(
        `WITH RECURSIVE reachable(id) AS (
           SELECT @rootId
           UNION ALL SELECT items.id FROM reachable CROSS JOIN items ON items.account_id = @accountId AND items.parent_id = reachable.id AND items.is_folder IN (1, 0))
         DELETE FROM items WHERE account_id = @accountId AND id NOT IN (SELECT id FROM reachable)`,
      )
      .run({ accountId, rootId }).changes;
  }

  /** The ids of a folder's children in the index. */
  childIds(accountId: string, parentId: string): string[] {
    return this.childIdsStatement.all(accountId, parentId) as string[];
  }

  /**
   * Adds hashes computed from a file's bytes (a transfer's) to its row, when the row is that file
   * and still has `size` bytes. Returns whether a row took them. Idempotent.
   */
  addHashes(accountId: string, id: string, size: number | null, hashes: Record<string, string>): boolean {
    return (
      this.db
        .prepare(
          `UPDATE items SET hashes = json_patch(coalesce(hashes, '{}'), ?)
           WHERE account_id = ? AND id = ? AND is_folder = 0 AND size IS ?`,
        )
        .run(JSON.stringify(hashes), accountId, id, size).changes === 1
    );
  }

  /** The hashes the index knows for an item, by type ({} when none, or not in the index). */
  hashes(accountId: string, id: string): Record<string, string> {
    const json = this.hashesStatement.get(accountId, id) as string | null | undefined;
    return json ? (JSON.parse(json) as Record<string, string>) : {};
  }

  /** Whether the item is in the index. */
  has(accountId: string, id: string): boolean {
    return this.hasStatement.get(accountId, id) !== undefined;
  }

  /**
   * Files, folders and bytes below a folder (the folder itself not counted). Throws nothing; an
   * unknown folder has nothing below it.
   */
  diskUsage(accountId: string, folderId: string): DiskUsageDto {
    return this.db
      .prepare(
        `WITH RECURSIVE subtree(id, is_folder, size) AS (
           SELECT id, is_folder, size FROM items WHERE account_id = @accountId AND parent_id = @folderId AND is_folder IN (1, 0)
           UNION ALL SELECT items.id, items.is_folder, items.size FROM subtree CROSS JOIN items
             ON subtree.is_folder = 1 AND items.account_id = @accountId AND items.parent_id = subtree.id AND items.is_folder IN (1, 0))
         SELECT count(*) FILTER (WHERE is_folder = 0) AS files, count(*) FILTER (WHERE is_folder = 1) AS folders,
                coalesce(sum(size) FILTER (WHERE is_folder = 0), 0) AS bytes
         FROM subtree`,
      )
      .get({ accountId, folderId }) as DiskUsageDto;
  }

  /**
   * Lets the connection's page cache grow to `bulkCacheKiB` for a bulk write (a crawl) and returns
   * the function that shrinks it back (SQLite frees the pages above the limit then). Random inserts
   * into the secondary indexes touch pages all over them: with the default 2 MB cache, each batch
   * reads and writes most of them again.
   */
  beginBulkWrites(): () => void {
    const previous = this.db.pragma('cache_size', { simple: true }) as number;
    this.db.pragma(`cache_size = -${bulkCacheKiB}`);
    return () => {
      this.db.pragma(`cache_size = ${previous}`);
    };
  }

  /** Runs `work` in one transaction (nested calls become savepoints). */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  deleteAccount(accountId: string): void {
    this.childCountCache.clear();
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
    return (
      this.db.prepare('SELECT count(*) AS n FROM items WHERE account_id = ?').get(accountId) as { n: number }
    ).n;
  }

  /**
   * The children named `name`, folders first. Several can exist where the provider allows duplicate
   * names. Exact matches only, unless `caseInsensitive` (the provider's names are) and there is no
   * exact match: then the children whose names differ from `name` in case only.
   */
  childrenNamed(
    accountId: string,
    parentId: string,
    name: string,
    options: { caseInsensitive?: boolean } = {},
  ): ItemDto[] {
    const rows = this.childByKeyStatement.all(accountId, parentId, nameSortKey(name)) as ItemRow[];
    const exact = rows.filter((row) => row.name === name);
    if (exact.length > 0 || !options.caseInsensitive) return exact.map(toDto);
    const folded = name.toLowerCase();
    return rows.filter((row) => row.name.toLowerCase() === folded).map(toDto);
  }

  /**
   * The ids of every child of `parentId` that has `name` (compared case-insensitively when
   * `caseInsensitive`): all the items that name would refer to on a provider with unique names.
   */
  namesakes(accountId: string, parentId: string, name: string, caseInsensitive: boolean): string[] {
    const rows = this.childByKeyStatement.all(accountId, parentId, nameSortKey(name)) as ItemRow[];
    const folded = name.toLowerCase();
    return rows
      .filter((row) => (caseInsensitive ? row.name.toLowerCase() === folded : row.name === name))
      .map((row) => row.id);
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
   * (`sortColumn`; ties broken by name, then by row). Each group is one index range walk, so any page
   * of any size of folder costs about the same.
   */
  listChildren(accountId: string, parentId: string, sort: Sort, offset: number, limit: number): ChildrenPage {
    // One read transaction: the counts and the page come from the same snapshot.
    return this.db.transaction(() => this.readChildren(accountId, parentId, sort, offset, limit))();
  }

  private readChildren(
    accountId: string,
    parentId: string,
    sort: Sort,
    offset: number,
    limit: number,
  ): ChildrenPage {
    const [folderCount, fileCount] = this.childCounts(accountId, parentId);
    const items: ItemDto[] = [];
    if (offset < folderCount) {
      items.push(...this.range(accountId, parentId, 1, folderCount, sort, offset, limit));
    }
    const remaining = limit - items.length;
    if (remaining > 0) {
      items.push(
        ...this.range(accountId, parentId, 0, fileCount, sort, Math.max(0, offset - folderCount), remaining),
      );
    }
    return { total: folderCount + fileCount, items };
  }

  /** How many folders and files the folder has: [folders, files]. Cached until the index changes. */
  childCounts(accountId: string, parentId: string): [number, number] {
    const dataVersion = this.dataVersionStatement.get() as number;
    if (dataVersion !== this.seenDataVersion) {
      this.childCountCache.clear();
      this.seenDataVersion = dataVersion;
    }
    const key = `${accountId}\0${parentId}`;
    let counts = this.childCountCache.get(key);
    if (!counts) {
      counts = [
        (this.countStatement.get(accountId, parentId, 1) as { n: number }).n,
        (this.countStatement.get(accountId, parentId, 0) as { n: number }).n,
      ];
      this.childCountCache.set(key, counts);
    }
    return counts;
  }

  /**
   * Rows [offset, offset+limit) of one group (`groupSize` rows). Pages in the second half are read
   * walking the index from the other end, so no page skips more than half the group.
   */
  private range(
    accountId: string,
    parentId: string,
    isFolder: 0 | 1,
    groupSize: number,
    sort: Sort,
    offset: number,
    limit: number,
  ): ItemDto[] {
    const end = Math.min(groupSize, offset + limit);
    if (end <= offset) return [];
    if (offset <= groupSize - end)
      return this.page(accountId, parentId, isFolder, sort, offset, end - offset);
    const reversed: Sort = { by: sort.by, direction: sort.direction === 'asc' ? 'desc' : 'asc' };
    return this.page(accountId, parentId, isFolder, reversed, groupSize - end, end - offset).reverse();
  }

  private page(
    accountId: string,
    parentId: string,
    isFolder: 0 | 1,
    sort: Sort,
    offset: number,
    limit: number,
  ): ItemDto[] {
    const key = `${sort.by}:${sort.direction}`;
    let statement = this.pageStatements.get(key);
    if (!statement) {
      const column = sortColumn[sort.by];
      const direction = sort.direction === 'asc' ? 'ASC' : 'DESC';
      // Ties end on the row's number (`item_no`, which every browse index ends with), so the order is
      // total, exactly reversed in the other direction, and OFFSET is skipped inside the index.
      const order =
        column === 'name_key'
          ? `name_key ${direction}, item_no ${direction}`
          : `${column} ${direction}, name_key ${direction}, item_no ${direction}`;
      const outerOrder = order.replaceAll(/(\w+) (ASC|DESC)/g, 'page.$1 $2');
      // Skipping OFFSET rows is done in the covering index alone (no table lookups); only the rows
      // of the page itself are then read from the table.
      statement = this.db.prepare(
        `WITH page AS MATERIALIZED (
           SELECT ${column === 'name_key' ? 'item_no, name_key' : `item_no, ${column}, name_key`} FROM items
           WHERE account_id = @accountId AND parent_id = @parentId AND is_folder = @isFolder
           ORDER BY ${order} LIMIT @limit OFFSET @offset)
         SELECT ${itemColumns
           .split(', ')
           .map((c) => `items.${c}`)
           .join(', ')}
         FROM page JOIN items ON items.item_no = page.item_no
         ORDER BY ${outerOrder}`,
      );
      this.pageStatements.set(key, statement);
    }
    return (statement.all({ accountId, parentId, isFolder, limit, offset }) as ItemRow[]).map(toDto);
  }
}

/** The contract's shape of an `items` row. */
export function toDto(row: ItemRow): ItemDto {
  return {
    accountId: row.account_id,
    id: row.id,
    parentId: row.parent_id,
    name: row.name,
    kind: row.is_folder ? 'folder' : 'file',
    size: row.size,
    modifiedAt: row.modified_at,
    mimeType: row.mime_type,
    targetId: row.target_id,
  };
}
