/**
 * The merged view (issue 8): the same path in every account, listed as ONE folder, from the index.
 *
 * - A path resolves, in each account, to every folder at it: names compared with `mergeFold` (case
 *   and Unicode equivalents ignored), all of a Drive's same-named folders, folder shortcuts followed
 *   to their target (as listFolder does). "/" is each account's root.
 * - Their children are paged as one list: child folders with the same folded name are ONE row (every
 *   account's folder, in account order), files one row each; folders first, then files, each group in
 *   the sort's order with total tiebreaks, so pages are consistent with each other.
 *
 * Cost: files are never loaded whole. Each sort is served by a UNION ALL of one browse-index range
 * per (account, folder) that SQLite merges in order, skipping OFFSET inside the indexes; pages past
 * the middle walk from the other end (like ItemStore.listChildren). Folders are grouped by their
 * folded name in SQL on each page: proportional to the number of child folders (usually small).
 */
import type { Sort } from '../../../common/contract';
import type { ItemDto, MergedPage, MergedRowDto } from '../../../common/dto';
import { SkyfoldError } from '../../../common/errors';
import { nameSortKey, splitPath } from '../../../common/names';
import type { SqliteDatabase } from './database';
import { itemColumns, sortColumn, toDto, type ItemRow, type ItemStore } from './item-store';

/** An account as the merged view needs it. */
export interface MergedAccount {
  id: string;
  name: string;
  rootId: string;
}

const plainAscii = /^[\x20-\x7e]*$/;

/**
 * When two names are the same row of the merged view: equal after compatibility decomposition (NFKD:
 * an NFD name as macOS writes it equals its NFC form, `ﬁ` equals `fi`) and lower-casing. Accents are
 * kept: `Résumé` and `Resume` are two rows (unlike search's fold, which drops them). Two names with
 * equal folds always have equal `nameSortKey`s (the key is computed from the same NFKD lower case),
 * which lets a path segment be looked up through the name index.
 */
export function mergeFold(name: string): string {
  return plainAscii.test(name) ? name.toLowerCase() : name.normalize('NFKD').toLowerCase();
}

/** One (account, folder) whose children the merged folder shows. */
interface Source {
  accountId: string;
  folderId: string;
  /** The account's place in the order accounts were added. */
  position: number;
  /** The account's place in account-name order (the `account` sort). */
  rank: number;
}

interface GroupRow {
  members: string;
  folders: number;
}

/** Orders of a group of rows; `D` stands for the direction. */
const folderOrders: Record<Sort['by'], string> = {
  name: 'name_key D, fold D',
  size: 'name_key D, fold D',
  type: 'name_key D, fold D',
  modified: 'modified_at D, name_key D, fold D',
  account: 'rank D, name_key D, fold D',
};

/**
 * `mergeFold(name)` in SQL: names of printable ASCII only (most) are folded by SQLite's own `lower`
 * (ASCII-only, like mergeFold's fast path) without a call into JavaScript.
 */
const foldSql = "CASE WHEN name GLOB '*[^ -~]*' THEN skyfold_merge_fold(name) ELSE lower(name) END";

/** Account positions and ranks are packed into one number to take the first account's rank. */
const rankSpan = 1 << 20;

export class MergedView {
  private readonly statements = new Map<string, ReturnType<SqliteDatabase['prepare']>>();
  private readonly namedFolders;
  private readonly rowsByNumber;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly items: ItemStore,
  ) {
    db.function('skyfold_merge_fold', { deterministic: true }, (name) => mergeFold(String(name)));
    this.namedFolders = db.prepare(
      `SELECT ${itemColumns} FROM items
       WHERE account_id = ? AND parent_id = ? AND is_folder = 1 AND name_key = ? ORDER BY name_key, item_no`,
    );
    this.rowsByNumber = db.prepare(
      `SELECT item_no, ${itemColumns} FROM items WHERE item_no IN (SELECT value FROM json_each(?))`,
    );
  }

  /**
   * Rows [offset, offset + limit) of the merged folder at `path` over `accounts` (in the order they
   * were added). Reads one snapshot of the index; changes nothing. Throws invalid_argument (a
   * malformed path: `.` or `..`), not_found (no account has a folder at `path`).
   */
  list(
    accounts: readonly MergedAccount[],
    path: string,
    sort: Sort,
    offset: number,
    limit: number,
  ): MergedPage {
    let segments: string[];
    try {
      segments = splitPath(path);
    } catch (error) {
      throw new SkyfoldError('invalid_argument', (error as Error).message);
    }
    const normalized = `/${segments.join('/')}`;
    return this.db.transaction(() => {
      const ranks = accountRanks(accounts);
      const folders: ItemDto[] = [];
      const sources: Source[] = [];
      accounts.forEach((account, position) => {
        for (const folder of this.foldersAt(account, segments)) {
          folders.push(folder);
          sources.push({
            accountId: account.id,
            folderId: folder.id,
            position,
            rank: ranks.get(account.id)!,
          });
        }
      });
      if (folders.length === 0)
        throw new SkyfoldError('not_found', `no account has a folder at "${normalized}"`);
      const { groups, folderCount } = this.folderGroups(sources, sort, offset, limit);
      const fileCount = sources.reduce(
        (sum, source) => sum + this.items.childCounts(source.accountId, source.folderId)[1],
        0,
      );
      const rows = this.folderRows(groups);
      const remaining = limit - rows.length;
      if (remaining > 0) {
        const fileOffset = Math.max(0, offset - folderCount);
        for (const file of this.files(sources, fileCount, sort, fileOffset, remaining)) {
          rows.push({ name: file.name, kind: 'file', items: [file] });
        }
      }
      return { path: normalized, folders, total: folderCount + fileCount, offset, rows };
    })();
  }

  /** The account's folders at `segments` (none when its root is not indexed yet). */
  private foldersAt(account: MergedAccount, segments: readonly string[]): ItemDto[] {
    const root = this.items.get(account.id, account.rootId);
    let current = root ? [root] : [];
    for (const segment of segments) {
      const key = nameSortKey(segment);
      const fold = mergeFold(segment);
      const next = new Map<string, ItemDto>();
      for (const folder of current) {
        for (const row of this.namedFolders.all(account.id, folder.id, key) as ItemRow[]) {
          if (mergeFold(row.name) !== fold) continue;
          const opened = this.opened(account.id, toDto(row));
          if (opened) next.set(opened.id, opened);
        }
      }
      current = [...next.values()];
    }
    return current;
  }

  /** The folder a folder row opens: itself, or a shortcut's target (undefined when not indexed). */
  private opened(accountId: string, folder: ItemDto): ItemDto | undefined {
    if (folder.targetId === null) return folder;
    const target = this.items.get(accountId, folder.targetId);
    return target?.kind === 'folder' ? target : undefined;
  }

  /** The page's folder groups (their item numbers in row order) and the number of groups. */
  private folderGroups(
    sources: readonly Source[],
    sort: Sort,
    offset: number,
    limit: number,
  ): { groups: GroupRow[]; folderCount: number } {
    const params = sourceParams(sources);
    const children = sources
      .map(
        (_, i) =>
          `SELECT item_no, name, name_key, modified_at, @s${i} AS position, @r${i} AS rank FROM items
           WHERE account_id = @a${i} AND parent_id = @p${i} AND is_folder = 1`,
      )
      .join(' UNION ALL ');
    const direction = sort.direction === 'asc' ? 'ASC' : 'DESC';
    const groups = this.statement(
      `groups:${sources.length}:${sort.by}:${direction}`,
      () => `
        WITH children AS (${children})
        SELECT ${foldSql} AS fold, min(name_key) AS name_key, max(modified_at) AS modified_at,
               min(position * ${rankSpan} + rank) % ${rankSpan} AS rank,
               json_group_array(item_no ORDER BY position, name_key, item_no) AS members,
               count(*) OVER () AS folders
        FROM children GROUP BY fold
        ORDER BY ${folderOrders[sort.by].replaceAll(' D', ` ${direction}`)}
        LIMIT @limit OFFSET @offset`,
    ).all({ ...params, offset, limit }) as GroupRow[];
    const folderCount =
      groups[0]?.folders ??
      (this.statement(
        `group-count:${sources.length}`,
        () => `WITH children AS (${children}) SELECT count(DISTINCT ${foldSql}) FROM children`,
      )
        .pluck()
        .get(params) as number);
    return { groups, folderCount };
  }

  private folderRows(groups: readonly GroupRow[]): MergedRowDto[] {
    if (groups.length === 0) return [];
    const members = groups.map((group) => JSON.parse(group.members) as number[]);
    const rows = this.rowsByNumber.all(JSON.stringify(members.flat())) as Array<
      ItemRow & { item_no: number }
    >;
    const byNumber = new Map(rows.map((row) => [row.item_no, toDto(row)]));
    return members.map((numbers) => {
      const items = numbers.map((number) => byNumber.get(number)!);
      return { name: items[0]!.name, kind: 'folder', items };
    });
  }

  /** Files [offset, offset + limit) of the sources (`count` files in all), in `sort` order. */
  private files(
    sources: readonly Source[],
    count: number,
    sort: Sort,
    offset: number,
    limit: number,
  ): ItemDto[] {
    if (sort.by !== 'account') return this.mergedRange(sources, count, sort, offset, limit);
    // By account: each account's files in name order, the accounts in name order.
    const byAccount = new Map<string, Source[]>();
    for (const source of [...sources].sort((a, b) => a.rank - b.rank)) {
      byAccount.set(source.accountId, [...(byAccount.get(source.accountId) ?? []), source]);
    }
    const groups = [...byAccount.values()];
    if (sort.direction === 'desc') groups.reverse();
    const byName: Sort = { by: 'name', direction: sort.direction };
    const files: ItemDto[] = [];
    let skip = offset;
    for (const group of groups) {
      if (files.length >= limit) break;
      const size = group.reduce(
        (sum, source) => sum + this.items.childCounts(source.accountId, source.folderId)[1],
        0,
      );
      if (skip < size) files.push(...this.mergedRange(group, size, byName, skip, limit - files.length));
      skip = Math.max(0, skip - size);
    }
    return files;
  }

  /**
   * Files [offset, offset + limit) of the sources in `sort` order (not `account`). Pages in the second
   * half are read in the reverse order from the other end, so no page skips more than half the files.
   */
  private mergedRange(
    sources: readonly Source[],
    count: number,
    sort: Sort,
    offset: number,
    limit: number,
  ): ItemDto[] {
    const end = Math.min(count, offset + limit);
    if (end <= offset) return [];
    if (offset <= count - end) return this.filePage(sources, sort, offset, end - offset);
    const reversed: Sort = { by: sort.by, direction: sort.direction === 'asc' ? 'desc' : 'asc' };
    return this.filePage(sources, reversed, count - end, end - offset).reverse();
  }

  private filePage(sources: readonly Source[], sort: Sort, offset: number, limit: number): ItemDto[] {
    const column = sortColumn[sort.by];
    const direction = sort.direction === 'asc' ? 'ASC' : 'DESC';
    const columns = column === 'name_key' ? ['name_key', 'item_no'] : [column, 'name_key', 'item_no'];
    const order = (table: string) => columns.map((c) => `${table}${c} ${direction}`).join(', ');
    const statement = this.statement(`files:${sources.length}:${column}:${direction}`, () => {
      // Every part selects only its browse index's columns: SQLite merges the parts' index ranges in
      // order (no sort) and skips OFFSET rows without reading the table.
      const parts = sources
        .map(
          (_, i) =>
            `SELECT ${columns.join(', ')} FROM items WHERE account_id = @a${i} AND parent_id = @p${i} AND is_folder = 0`,
        )
        .join(' UNION ALL ');
      return `
        WITH page AS MATERIALIZED (${parts} ORDER BY ${order('')} LIMIT @limit OFFSET @offset)
        SELECT ${itemColumns
          .split(', ')
          .map((c) => `items.${c}`)
          .join(', ')}
        FROM page JOIN items ON items.item_no = page.item_no
        ORDER BY ${order('page.')}`;
    });
    return (statement.all({ ...sourceParams(sources), offset, limit }) as ItemRow[]).map(toDto);
  }

  private statement(key: string, sql: () => string): ReturnType<SqliteDatabase['prepare']> {
    let statement = this.statements.get(key);
    if (!statement) {
      statement = this.db.prepare(sql());
      this.statements.set(key, statement);
    }
    return statement;
  }
}

/** Each account's place in account-name order (natural order, then the order they were added). */
function accountRanks(accounts: readonly MergedAccount[]): Map<string, number> {
  const keyed = accounts.map((account, position) => ({
    id: account.id,
    key: nameSortKey(account.name),
    position,
  }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.position - b.position));
  return new Map(keyed.map((account, rank) => [account.id, rank]));
}

function sourceParams(sources: readonly Source[]): Record<string, string | number> {
  const params: Record<string, string | number> = {};
  sources.forEach((source, i) => {
    params[`a${i}`] = source.accountId;
    params[`p${i}`] = source.folderId;
    params[`s${i}`] = source.position;
    params[`r${i}`] = source.rank;
  });
  return params;
}
