/**
 * The search engine over the index: as-you-type substring search on names, over every account, from
 * the index alone (no network).
 *
 * Design: a compact in-memory index rebuilt from `items` and kept current by replaying the
 * `search_changes` log of updates and deletes (written by triggers, so any connection's writes are
 * seen) and reading the rows numbered above the last ones it read (inserts, see migration 4). Per item
 * it keeps the folded name (search-fold.ts) inside one `\n`-joined string per segment of 4,096 items,
 * plus typed arrays for the filters (kind, account, category, extension, size, modified, parent). A
 * query runs V8's native `String.indexOf` over the segment strings (Boyer-Moore-Horspool for longer
 * terms, a vectorised scan for one character) with the LONGEST term, maps each hit to its item by
 * moving forward from the previous hit's item, checks the other terms and the filters on that item
 * only, and keeps the top `offset + limit` in a bounded heap of typed arrays (no allocation per match;
 * a match that cannot beat the worst kept one even at its best possible tier is only counted). Every
 * query is one pass over ~20 MB for 1,000,000 names.
 *
 * Why not SQLite FTS5 (trigram): measured on 1,000,000 names, (a) the trigram tokenizer gives nothing
 * for 1- and 2-character queries (prefix queries on trigram tokens return no rows), so those need a
 * second structure anyway; (b) with `detail=none` (the small variant) queries longer than 3 characters
 * are phrase queries, which it refuses, so they become AND-of-trigrams plus a re-check; (c) maintaining
 * it costs ~2.5x a plain insert of the same rows, which alone breaks the ingest goal; (d) counting the
 * matches of a broad query walks whole doclists. The in-memory scan serves every query length the same
 * way, counts exactly, and costs ~70 bytes per item (about 70 MB for 1,000,000 items).
 *
 * Costs and bounds:
 * - Building from `items` (first search after open, or after more than `rebuildThreshold` logged
 *   changes) is one read of the table; later searches replay only the new log entries.
 * - Relevance is exact over ALL matches, and bounded per match (O(1), no allocation): the tier comes
 *   from where the hit lies in the name (exact name 0 < prefix 1 < word start 2 < substring 3; the best
 *   tier over the terms counts), then shorter names, then the name order. `total` is always exact
 *   (`totalExact: true`); the field exists so a future bounded scan can say when it is not.
 * - Name order is the folded name compared with digit runs as numbers (`file2` < `file10`).
 * - Size and modified orders put items without a value (folders, unknown dates) last in both
 *   directions; ties fall back to name order. Relevance ignores the direction (best first).
 */
import type { SearchHitDto, SearchQuery, SearchResultDto, SearchSortKey } from '../../../common/search';
import { searchCategories } from '../../../common/search';
import { categoryOf, extensionOf } from '../../../common/search-categories';
import type { SqliteDatabase } from './database';
import { itemColumns, toDto, type ItemRow } from './item-store';
import { foldForSearch } from './search-fold';

/** What the account filter (`in:dropbox`) matches against. */
export interface SearchAccount {
  id: string;
  name: string;
  /** Provider kind: `dropbox`, `gdrive`, `onedrive`, `local`. */
  provider: string;
}

export interface SearchPage {
  offset?: number;
  /** Default 100. */
  limit?: number;
}

const segmentBits = 12;
const segmentSize = 1 << segmentBits;
const flagAlive = 1;
const flagFolder = 2;
/** scanCandidates: only for terms with this many mask bits, and at most 1/candidateShare of the entries. */
const candidateMinBits = 3;
const candidateShare = 16;
/** Folder paths remembered for hits (a few MB at most). */
const maxFolderPaths = 20_000;
/** Beyond this many logged changes since the last read, rebuilding is cheaper than replaying. */
const rebuildThreshold = 200_000;
/** The log is trimmed when it holds more than this many rows the engine has already read. */
const trimThreshold = 50_000;

type Row = [
  itemNo: number,
  accountId: string | null,
  name: string | null,
  isFolder: number | null,
  size: number | null,
  modifiedAt: number | null,
  mimeType: string | null,
  targetId: string | null,
  parentNo: number | null,
];

/** One query's state while scanning. */
interface Scan {
  /** Folded, longest first. */
  terms: readonly string[];
  accept: (entry: number) => boolean;
  top: TopK;
  /** The entry's sort key (see keyOf), `null` for relevance. */
  key: ((entry: number) => number) | null;
  total: number;
}

/**
 * Relevance as one number: tier first, then the folded name's length, then the start of the name
 * (`namePrefix`), so that the heap rarely needs the full name comparison for ties. Without the
 * prefix (0) it is the least key the name can have: a bound for skipping hopeless hits.
 */
const relevanceKey = (tier: number, length: number, prefix = 0) =>
  tier * 2 ** 48 + Math.min(length, 0xffff) * 2 ** 32 + prefix;

/**
 * The first four characters of `text[start, stop)` as a number in the engine's name order: the end
 * of the name is 0; from a digit on, every position is the least digit (digit runs compare by value,
 * which a prefix cannot tell); a code unit above 255 is 255 and what follows 0. Whatever the prefix
 * cannot order becomes a tie, which the full name comparison decides.
 */
function namePrefix(text: string, start: number, stop: number): number {
  let prefix = 0;
  // After a digit: the least digit; after a clamped code unit: 0 (both leave the order to the tie).
  let filler = -1;
  for (let i = 0; i < 4; i++) {
    let code = filler === -1 ? (start + i < stop ? text.charCodeAt(start + i) : 0) : filler;
    if (filler === -1 && code >= 0x30 && code <= 0x39) filler = code = 0x30;
    else if (filler === -1 && code > 0xff) {
      code = 0xff;
      filler = 0;
    }
    prefix = prefix * 256 + code;
  }
  return prefix;
}

const rowColumns = `i.item_no, i.account_id, i.name, i.is_folder, i.size, i.modified_at, i.mime_type, i.target_id,
  p.item_no AS parent_no`;

export class SearchEngine {
  private built = false;
  private lastSeq = 0;
  private count = 0;
  private capacity = 0;
  /** The highest item_no in `items` at the last read (rows above it are new). */
  private lastItemNo = 0;
  private itemNo = new Uint32Array(0);
  private flags = new Uint8Array(0);
  private account = new Uint16Array(0);
  private category = new Uint8Array(0);
  private extension = new Int32Array(0);
  private size = new Float64Array(0);
  private modified = new Float64Array(0);
  /** The parent's item_no, -1 for none. */
  private parentNo = new Int32Array(0);
  /** Offset of each entry's name in its segment's text. */
  private starts = new Uint32Array(0);
  /** Per entry: which letters a-z (bits 0-25) and digits (bits 26-31, shared) its folded name holds. */
  private charMask = new Uint32Array(0);
  /** Per entry: the folded name's first code unit and length (capped at 65,535), for scanByMask. */
  private firstCode = new Uint16Array(0);
  private nameLength = new Uint16Array(0);
  private entryOfItem = new Int32Array(0);
  private segments: string[] = [];
  /** How many entries each segment's text holds (entries appended since then wait in pendingNames). */
  private builtCounts: number[] = [];
  /** Names of entries whose segment text is stale (changed or added since the text was built). */
  private readonly pendingNames = new Map<number, string>();
  private readonly dirtySegments = new Set<number>();
  private readonly accountIds: string[] = [];
  private readonly accountIndex = new Map<string, number>();
  private readonly extensions: string[] = [''];
  private readonly extensionIndex = new Map<string, number>([['', 0]]);
  /** Depth-first numbering for "within a folder" (walkTree), valid until the tree changes. */
  private tourPre = new Int32Array(0);
  private tourEnd = new Int32Array(0);
  private tourValid = false;

  private readonly maxSeqStatement;
  private readonly sizeStatement;
  private readonly maxItemNoStatement;
  private readonly newRowsStatement;
  private readonly trimmedStatement;
  private readonly allRowsStatement;
  private readonly changedRowsStatement;
  private readonly childrenStatement;
  private readonly itemNoStatement;
  private readonly itemStatement;
  private readonly nameStatement;
  private readonly itemsStatement;
  /** Folder paths shown with hits (folderPath), by item number; emptied when the index changes. */
  private readonly folderPaths = new Map<number, string>();

  constructor(
    private readonly db: SqliteDatabase,
    private readonly accounts: () => readonly SearchAccount[] = () => [],
  ) {
    this.maxSeqStatement = db.prepare('SELECT coalesce(max(seq), 0) FROM search_changes').pluck();
    this.maxItemNoStatement = db.prepare('SELECT coalesce(max(item_no), 0) FROM items').pluck();
    this.sizeStatement = db.prepare('SELECT count(*), coalesce(max(item_no), 0) FROM items').raw();
    this.newRowsStatement = db
      .prepare(
        `SELECT ${rowColumns} FROM items i
         LEFT JOIN items p ON p.account_id = i.account_id AND p.id = i.parent_id
         WHERE i.item_no > ?`,
      )
      .raw();
    this.trimmedStatement = db.prepare('SELECT trimmed_through FROM search_meta').pluck();
    this.allRowsStatement = db
      .prepare(
        `SELECT ${rowColumns} FROM items i
         LEFT JOIN items p ON p.account_id = i.account_id AND p.id = i.parent_id`,
      )
      .raw();
    this.changedRowsStatement = db
      .prepare(
        `SELECT c.item_no, ${rowColumns.replace('i.item_no, ', '')}
         FROM (SELECT DISTINCT item_no FROM search_changes WHERE seq > ?) c
         LEFT JOIN items i ON i.item_no = c.item_no
         LEFT JOIN items p ON p.account_id = i.account_id AND p.id = i.parent_id`,
      )
      .raw();
    this.childrenStatement = db
      .prepare('SELECT item_no FROM items WHERE account_id = ? AND parent_id = ?')
      .pluck();
    this.itemNoStatement = db.prepare('SELECT item_no FROM items WHERE account_id = ? AND id = ?').pluck();
    this.itemStatement = db.prepare(`SELECT ${itemColumns} FROM items WHERE item_no = ?`);
    this.nameStatement = db.prepare('SELECT name FROM items WHERE item_no = ?').pluck();
    this.itemsStatement = db.prepare(
      `SELECT ${itemColumns}, item_no FROM items WHERE item_no IN (SELECT value FROM json_each(?))`,
    );
  }

  /**
   * Runs a query: items matching ALL terms (substrings of the folded name) and every filter, sorted,
   * one page. Reads the index's latest committed state (catching up with any writes first).
   */
  search(query: SearchQuery, page: SearchPage = {}): SearchResultDto {
    const offset = Math.max(0, page.offset ?? 0);
    const limit = Math.max(0, page.limit ?? 100);
    this.refresh();
    const terms = [...new Set(query.terms.map(foldForSearch).filter((term) => term.length > 0))].sort(
      (a, b) => b.length - a.length,
    );
    const sortBy: SearchSortKey = query.sort?.by ?? (terms.length > 0 ? 'relevance' : 'name');
    const descending = query.sort?.direction === 'desc';
    // Within an account's root folder: the same as the account (no subtree check per hit).
    let filters: SearchQuery = query;
    const { within } = query;
    if (within && !(query.accounts && query.accounts.length > 0)) {
      const folder = this.itemNoStatement.get(within.accountId, within.folderId) as number | undefined;
      const folderEntry =
        folder !== undefined && folder < this.entryOfItem.length ? this.entryOfItem[folder]! : -1;
      if (folderEntry >= 0 && this.parentNo[folderEntry]! < 0) {
        filters = { ...query, within: undefined, accounts: [within.accountId] };
      }
    }
    const accept = this.filter(filters);
    const nameSign = sortBy === 'name' && descending ? -1 : 1;
    const top = new TopK(offset + limit, (a, b) => nameSign * this.byName(a, b));
    const scan: Scan = {
      terms,
      accept: accept ?? (() => false),
      top,
      key: this.keyOf(sortBy, descending),
      total: 0,
    };
    const maskBit = terms.length === 1 && terms[0]!.length === 1 ? charBit(terms[0]!.charCodeAt(0)) : 0;
    if (accept === null) {
      // Nothing can match.
    } else if (maskBit !== 0) this.scanByMask(maskBit, scan);
    else if (!this.scanCandidates(scan)) {
      for (let segment = 0; segment < this.segments.length; segment++) this.scanSegment(segment, scan);
    }
    return { total: scan.total, totalExact: true, offset, items: this.hits(top.sorted().slice(offset)) };
  }

  /** Drops the in-memory index (the next search rebuilds it). */
  invalidate(): void {
    this.built = false;
  }

  // ---- scanning

  /**
   * Offers every match of one segment. The entry holding a hit is found by moving forward from the
   * previous one (a few steps, then a binary search for long jumps). For relevance, a hit that cannot
   * beat the worst kept candidate even at its best possible tier is only counted.
   */
  private scanSegment(segment: number, scan: Scan): void {
    const text = this.segments[segment]!;
    const first = segment << segmentBits;
    const last = Math.min(this.count, first + segmentSize); // exclusive
    const { starts, flags } = this;
    const { terms, accept } = scan;
    if (terms.length === 0) {
      for (let entry = first; entry < last; entry++) {
        if (flags[entry]! & flagAlive && accept(entry))
          this.offerUnfiltered(scan, entry, this.endOf(entry) - starts[entry]!);
      }
      return;
    }
    const primary = terms[0]!;
    let entry = first;
    let position = text.indexOf(primary);
    while (position !== -1) {
      // The entry holding the hit: the last one starting at or before it (at or after `entry`).
      if (entry + 1 < last && starts[entry + 1]! <= position) {
        entry++;
        let steps = 0;
        while (entry + 1 < last && starts[entry + 1]! <= position) {
          if (++steps === 8) {
            let low = entry + 1;
            let high = last - 1;
            while (low < high) {
              const middle = (low + high + 1) >>> 1;
              if (starts[middle]! <= position) low = middle;
              else high = middle - 1;
            }
            entry = low;
            break;
          }
          entry++;
        }
      }
      const start = starts[entry]!;
      const stop = (entry + 1 < last ? starts[entry + 1]! : text.length) - 1;
      if (flags[entry]! & flagAlive && accept(entry)) this.consider(scan, text, entry, start, stop, position);
      entry++;
      if (entry >= last) break;
      position = text.indexOf(primary, starts[entry]!);
    }
  }

  /**
   * Counts and offers an entry whose name `[start, stop)` in `text` holds the longest term at
   * `position` (alive and accepted by the filters: the caller checked). Checks the other terms. For
   * relevance, a hit that cannot beat the worst kept candidate even at its best possible tier is only
   * counted.
   */
  private consider(
    scan: Scan,
    text: string,
    entry: number,
    start: number,
    stop: number,
    position: number,
  ): void {
    const { terms, top, key } = scan;
    const keep = top.capacity > 0;
    const primaryLength = terms[0]!.length;
    const length = stop - start;
    if (terms.length === 1) {
      scan.total++;
      if (!keep) return;
      if (key !== null) {
        top.offer(entry, key(entry));
        return;
      }
      // Tiers 0 and 1 show at once; anything else is at least a word start (tier 2).
      const floor = position === start ? (length === primaryLength ? 0 : 1) : 2;
      if (!top.full || relevanceKey(floor, length) <= top.worstKey()) {
        const tier = floor < 2 ? floor : tierAt(text, start, stop, position, primaryLength);
        top.offer(entry, relevanceKey(tier, length, namePrefix(text, start, stop)));
      }
      return;
    }
    let tier = tierAt(text, start, stop, position, primaryLength);
    const name = text.slice(start, stop);
    for (let t = 1; t < terms.length; t++) {
      const at = name.indexOf(terms[t]!);
      if (at === -1) return;
      if (tier > 0) tier = Math.min(tier, tierAt(name, 0, name.length, at, terms[t]!.length));
    }
    scan.total++;
    if (keep)
      top.offer(entry, key === null ? relevanceKey(tier, length, namePrefix(text, start, stop)) : key(entry));
  }

  /**
   * One-character queries of a letter or digit: every entry's character mask (`charBits`) says
   * whether its name can hold the character, so entries are visited directly in one pass over the
   * typed arrays instead of finding ~every name with indexOf. Digits share bits, so those are
   * checked in the name.
   */
  private scanByMask(bit: number, scan: Scan): void {
    const { flags, charMask, firstCode, nameLength, count } = this;
    const code = scan.terms[0]!.charCodeAt(0);
    const exactBit = code >= 0x61 && code <= 0x7a;
    const { top, key, accept } = scan;
    const keep = top.capacity > 0;
    // Hits that are not prefixes are at best word starts (tier 2): counted without reading the name
    // while they cannot beat the worst kept one.
    let bound = top.full ? top.worstKey() : Infinity;
    for (let entry = 0; entry < count; entry++) {
      if (!(charMask[entry]! & bit) || !(flags[entry]! & flagAlive) || !accept(entry)) continue;
      const isPrefix = firstCode[entry] === code;
      if (!exactBit && !isPrefix && !this.holds(entry, scan.terms[0]!)) continue;
      if (!keep || (key === null && !isPrefix && relevanceKey(2, nameLength[entry]!) > bound)) {
        scan.total++;
        continue;
      }
      const text = this.segments[entry >> segmentBits]!;
      const start = this.starts[entry]!;
      const position = isPrefix ? start : text.indexOf(scan.terms[0]!, start);
      this.consider(scan, text, entry, start, this.endOf(entry), position);
      if (top.full) bound = top.worstKey();
    }
  }

  /**
   * Terms whose characters are rare together (`xylophone`, `quarterly`): the entries whose character
   * masks hold every letter and digit of the longest term are collected first (one pass over the
   * masks), and only their names are searched. Returns false, having done nothing, when that would
   * not pay: the term has fewer than `candidateMinBits` mask bits, or more than 1/`candidateShare`
   * of the entries qualify (then one indexOf over whole segments is faster).
   */
  private scanCandidates(scan: Scan): boolean {
    const term = scan.terms[0];
    if (term === undefined) return false;
    const need = charMaskOf(term) >>> 0;
    let bits = 0;
    for (let rest = need; rest !== 0; rest &= rest - 1) bits++;
    if (bits < candidateMinBits) return false;
    const { charMask, count } = this;
    const candidates = new Int32Array(Math.ceil(count / candidateShare));
    let found = 0;
    for (let entry = 0; entry < count; entry++) {
      if ((charMask[entry]! & need) >>> 0 !== need) continue;
      if (found === candidates.length) return false;
      candidates[found++] = entry;
    }
    const { flags, starts } = this;
    for (let i = 0; i < found; i++) {
      const entry = candidates[i]!;
      if (!(flags[entry]! & flagAlive) || !scan.accept(entry)) continue;
      const text = this.segments[entry >> segmentBits]!;
      const start = starts[entry]!;
      const stop = this.endOf(entry);
      const at = text.slice(start, stop).indexOf(term);
      if (at !== -1) this.consider(scan, text, entry, start, stop, start + at);
    }
    return true;
  }

  /** Whether the entry's folded name holds `term`. */
  private holds(entry: number, term: string): boolean {
    const at = this.segments[entry >> segmentBits]!.indexOf(term, this.starts[entry]!);
    return at !== -1 && at + term.length <= this.endOf(entry);
  }

  /** Counts and offers an entry when there are no terms (filters only). */
  private offerUnfiltered(scan: Scan, entry: number, length: number): void {
    scan.total++;
    if (scan.top.capacity > 0)
      scan.top.offer(entry, scan.key === null ? relevanceKey(3, length) : scan.key(entry));
  }

  /** `null` when nothing can match (e.g. an unknown account or folder). */
  private filter(query: SearchQuery): ((entry: number) => boolean) | null {
    const checks: Array<(entry: number) => boolean> = [];
    const { flags, size, modified } = this;
    if (query.kind) {
      const want = query.kind === 'folder' ? flagFolder : 0;
      checks.push((entry) => (flags[entry]! & flagFolder) === want);
    }
    if (query.categories && query.categories.length > 0) {
      const allowed = new Uint8Array(searchCategories.length + 1);
      for (const category of query.categories) allowed[searchCategories.indexOf(category) + 1] = 1;
      allowed[0] = 0;
      const category = this.category;
      checks.push((entry) => allowed[category[entry]!] === 1);
    }
    if (query.extensions && query.extensions.length > 0) {
      const allowed = new Set<number>();
      for (const extension of query.extensions) {
        const index = this.extensionIndex.get(extension.toLowerCase().replace(/^\./, ''));
        if (index !== undefined && index !== 0) allowed.add(index);
      }
      if (allowed.size === 0) return null;
      const extension = this.extension;
      checks.push((entry) => allowed.has(extension[entry]!));
    }
    if (query.size) {
      const min = query.size.min ?? -Infinity;
      const max = query.size.max ?? Infinity;
      // NaN (no size: folders) fails both comparisons.
      checks.push((entry) => size[entry]! >= min && size[entry]! <= max);
    }
    if (query.modified) {
      const from = query.modified.from ?? -Infinity;
      const to = query.modified.to ?? Infinity;
      checks.push((entry) => modified[entry]! >= from && modified[entry]! < to);
    }
    if (query.accounts && query.accounts.length > 0) {
      const wanted = new Set<string>();
      const known = this.accounts();
      for (const typed of query.accounts) {
        const lower = typed.toLowerCase();
        for (const account of known) {
          if (account.id === typed || account.name.toLowerCase() === lower || account.provider === lower) {
            wanted.add(account.id);
          }
        }
        wanted.add(typed); // an account id the account list does not know (yet) still works
      }
      const allowed = new Uint8Array(this.accountIds.length);
      let any = false;
      for (const id of wanted) {
        const index = this.accountIndex.get(id);
        if (index !== undefined) {
          allowed[index] = 1;
          any = true;
        }
      }
      if (!any) return null;
      const account = this.account;
      checks.push((entry) => allowed[account[entry]!] === 1);
    }
    if (query.within) {
      const folder = this.itemNoStatement.get(query.within.accountId, query.within.folderId) as
        number | undefined;
      const inside = folder === undefined ? null : this.insideCheck(folder);
      if (inside === null) return null;
      checks.push(inside);
    }
    // Small fixed combinations: the check runs once per hit, up to a million times per query.
    const [first, second, third] = checks;
    if (!first) return () => true;
    if (!second) return first;
    if (!third) return (entry) => first(entry) && second(entry);
    if (checks.length === 3) return (entry) => first(entry) && second(entry) && third(entry);
    return (entry) => {
      for (let i = 0; i < checks.length; i++) if (!checks[i]!(entry)) return false;
      return true;
    };
  }

  /**
   * Whether an entry lies below the folder, at any depth: its position in a depth-first walk of the
   * whole tree falls inside the folder's interval (O(1) per hit). The walk is made on the first
   * such query after the tree changed (about 50 ms for 1,000,000 items), then reused while people
   * type.
   */
  private insideCheck(folder: number): ((entry: number) => boolean) | null {
    const folderEntry = folder < this.entryOfItem.length ? this.entryOfItem[folder]! : -1;
    if (folderEntry < 0) return null;
    if (!this.tourValid) this.walkTree();
    const { tourPre, tourEnd } = this;
    const from = tourPre[folderEntry]!;
    const to = tourEnd[folderEntry]!;
    if (from < 0) return null;
    return (entry) => {
      const at = tourPre[entry]!;
      return at > from && at < to;
    };
  }

  /**
   * Numbers the live entries in depth-first order from every top (an account's root, or an entry
   * whose parent is not known): `tourPre` is an entry's number, `tourEnd` one past its last
   * descendant's. Entries caught in a parent cycle are not reached (-1: inside nothing).
   */
  private walkTree(): void {
    const { count, flags, parentNo, entryOfItem } = this;
    const parentEntry = new Int32Array(count);
    const childStart = new Int32Array(count + 1);
    for (let entry = 0; entry < count; entry++) {
      const parent = parentNo[entry]!;
      const up =
        flags[entry]! & flagAlive && parent >= 0 && parent < entryOfItem.length ? entryOfItem[parent]! : -1;
      parentEntry[entry] = up >= 0 && flags[up]! & flagAlive ? up : -1;
      if (parentEntry[entry]! >= 0) childStart[parentEntry[entry]! + 1]!++;
    }
    for (let entry = 0; entry < count; entry++) childStart[entry + 1]! += childStart[entry]!;
    const children = new Int32Array(childStart[count]!);
    const fill = childStart.slice(0, count);
    for (let entry = 0; entry < count; entry++) {
      const up = parentEntry[entry]!;
      if (up >= 0) children[fill[up]!++] = entry;
    }
    const pre = new Int32Array(count).fill(-1);
    const end = new Int32Array(count).fill(-1);
    const stack = new Int32Array(count);
    const next = new Int32Array(count);
    let counter = 0;
    for (let top = 0; top < count; top++) {
      if (parentEntry[top]! >= 0 || !(flags[top]! & flagAlive)) continue;
      let depth = 0;
      stack[0] = top;
      pre[top] = counter++;
      next[top] = childStart[top]!;
      while (depth >= 0) {
        const entry = stack[depth]!;
        if (next[entry]! < childStart[entry + 1]!) {
          const child = children[next[entry]!++]!;
          if (pre[child] !== -1) continue;
          pre[child] = counter++;
          next[child] = childStart[child]!;
          stack[++depth] = child;
        } else {
          end[entry] = counter;
          depth--;
        }
      }
    }
    this.tourPre = pre;
    this.tourEnd = end;
    this.tourValid = true;
  }

  /**
   * The sort key of an entry for size and modified order (smaller first; no value is +Infinity, last
   * both ways) or name order (0: the names decide), `null` for relevance (tier and length, computed
   * while scanning). Equal keys fall back to name order.
   */
  private keyOf(by: SearchSortKey, descending: boolean): ((entry: number) => number) | null {
    const sign = descending ? -1 : 1;
    switch (by) {
      case 'relevance':
        return null;
      case 'name':
        return () => 0;
      case 'size':
      case 'modified': {
        const values = by === 'size' ? this.size : this.modified;
        return (entry) => {
          const value = values[entry]!;
          return Number.isNaN(value) ? Infinity : sign * value;
        };
      }
    }
  }

  /** Name order, ties by entry (a total order). */
  private byName(a: number, b: number): number {
    return this.compareNames(a, b) || a - b;
  }

  /** Folded names in natural order (digit runs compared as numbers), without copying them. */
  private compareNames(a: number, b: number): number {
    const textA = this.segments[a >> segmentBits]!;
    const textB = this.segments[b >> segmentBits]!;
    return naturalCompare(textA, this.starts[a]!, this.endOf(a), textB, this.starts[b]!, this.endOf(b));
  }

  private endOf(entry: number): number {
    const segment = entry >> segmentBits;
    const next = entry + 1;
    if (next < this.count && next >> segmentBits === segment) return this.starts[next]! - 1;
    return this.segments[segment]!.length - 1;
  }

  /** The result rows of `entries`: the items (one read) and their folders' paths (memoized). */
  private hits(entries: readonly number[]): SearchHitDto[] {
    if (entries.length === 0) return [];
    const itemNos = entries.map((entry) => this.itemNo[entry]!);
    const rows = new Map<number, ItemRow>();
    for (const row of this.itemsStatement.all(JSON.stringify(itemNos)) as Array<
      ItemRow & { item_no: number }
    >)
      rows.set(row.item_no, row);
    return entries.map((entry, i) => ({
      item: toDto(rows.get(itemNos[i]!)!),
      folderPath: this.folderPath(this.parentNo[entry]!) || '/',
    }));
  }

  /**
   * The path of a folder from its account's root (`/a/b`; the root itself ""), with the names as
   * stored. Kept in `folderPaths` until the index changes: hits share folders, and typing a query
   * letter by letter shows the same ones again.
   */
  private folderPath(itemNo: number, depth = 0): string {
    const known = this.folderPaths.get(itemNo);
    if (known !== undefined) return known;
    const entry = itemNo >= 0 && itemNo < this.entryOfItem.length ? this.entryOfItem[itemNo]! : -1;
    const parent = entry < 0 ? -1 : this.parentNo[entry]!;
    // The root (no parent), an unknown item, or a parent cycle: nothing above counts.
    if (entry < 0 || parent < 0 || depth > 10_000) return '';
    const path = `${this.folderPath(parent, depth + 1)}/${this.nameStatement.get(itemNo) as string}`;
    if (this.folderPaths.size >= maxFolderPaths) this.folderPaths.clear();
    this.folderPaths.set(itemNo, path);
    return path;
  }

  // ---- keeping the in-memory index current

  private refresh(): void {
    this.db.transaction(() => {
      const maxSeq = this.maxSeqStatement.get() as number;
      const maxItemNo = this.maxItemNoStatement.get() as number;
      const trimmed = this.trimmedStatement.get() as number;
      const backlog = maxSeq - this.lastSeq + Math.max(0, maxItemNo - this.lastItemNo);
      if (!this.built || trimmed > this.lastSeq || backlog > rebuildThreshold) {
        this.rebuild(maxSeq, maxItemNo);
      } else if (maxSeq > this.lastSeq || maxItemNo !== this.lastItemNo) {
        this.applyChanges(maxSeq, maxItemNo);
      }
    })();
    this.flushSegments();
    this.trim();
  }

  private rebuild(maxSeq: number, maxItemNo: number): void {
    this.tourValid = false;
    this.folderPaths.clear();
    const [rows] = this.sizeStatement.get() as [number, number];
    this.count = 0;
    this.capacity = 0;
    this.grow(rows); // exact: no growth while reading
    this.entryOfItem = new Int32Array(maxItemNo + 1).fill(-1);
    this.segments = [];
    this.builtCounts = [];
    this.pendingNames.clear();
    this.dirtySegments.clear();
    let names: string[] = [];
    for (const row of this.allRowsStatement.iterate() as IterableIterator<Row>) {
      const entry = this.addEntry(row[0]);
      this.setEntry(entry, row);
      const folded = foldForSearch(row[2]!);
      this.setNameFacts(entry, folded);
      names.push(folded);
      if (names.length === segmentSize) {
        this.buildSegment(this.segments.length, names);
        names = [];
      }
    }
    if (names.length > 0) this.buildSegment(this.segments.length, names);
    this.lastSeq = maxSeq;
    this.lastItemNo = maxItemNo;
    this.built = true;
  }

  /**
   * Replays the log (updates and deletes) and reads the rows inserted since the last read: those
   * numbered above the highest item that was alive then and has not changed since (a new row gets a
   * number above every row alive when it is inserted; see migration 4).
   */
  private applyChanges(maxSeq: number, maxItemNo: number): void {
    const changed = this.changedRowsStatement.all(this.lastSeq) as Row[];
    const logged = new Set<number>();
    for (const row of changed) logged.add(row[0]);
    let stable = this.lastItemNo;
    while (stable > 0) {
      const entry = stable < this.entryOfItem.length ? this.entryOfItem[stable]! : -1;
      if (entry >= 0 && this.flags[entry]! & flagAlive && !logged.has(stable)) break;
      stable--;
    }
    for (const row of changed) this.applyRow(row);
    if (maxItemNo > stable) {
      for (const row of this.newRowsStatement.iterate(stable) as IterableIterator<Row>) {
        if (!logged.has(row[0])) this.applyRow(row);
      }
    }
    this.lastSeq = maxSeq;
    this.lastItemNo = maxItemNo;
  }

  private applyRow(row: Row): void {
    this.tourValid = false;
    this.folderPaths.clear();
    const itemNo = row[0];
    let entry = itemNo < this.entryOfItem.length ? this.entryOfItem[itemNo]! : -1;
    if (row[1] === null) {
      if (entry >= 0) {
        this.flags[entry] = 0;
        this.entryOfItem[itemNo] = -1;
        this.setName(entry, '');
      }
      return;
    }
    const added = entry < 0;
    if (added) entry = this.addEntry(itemNo);
    this.setEntry(entry, row);
    this.setName(entry, foldForSearch(row[2]!));
    if (added && row[3] === 1) {
      // Children listed before their folder (whole-drive listings do that) point to it from now on.
      for (const child of this.childrenStatement.iterate(
        row[1],
        this.idOf(itemNo),
      ) as IterableIterator<number>) {
        const childEntry = child < this.entryOfItem.length ? this.entryOfItem[child]! : -1;
        if (childEntry >= 0) this.parentNo[childEntry] = itemNo;
      }
    }
  }

  private idOf(itemNo: number): string {
    return (this.itemStatement.get(itemNo) as ItemRow).id;
  }

  private trim(): void {
    const trimmed = this.trimmedStatement.get() as number;
    if (this.lastSeq - trimmed <= trimThreshold) return;
    try {
      // The newest row stays, so seq numbers never restart below what engines have already read.
      this.db.transaction(() => {
        this.db.prepare('DELETE FROM search_changes WHERE seq < ?').run(this.lastSeq);
        this.db
          .prepare('UPDATE search_meta SET trimmed_through = max(trimmed_through, ?)')
          .run(this.lastSeq - 1);
      })();
    } catch {
      // Read-only or busy: trimming is housekeeping, the next search tries again.
    }
  }

  private addEntry(itemNo: number): number {
    if (this.count === this.capacity) {
      this.grow(Math.max(this.capacity + segmentSize, Math.ceil(this.capacity * 1.25)));
    }
    if (itemNo >= this.entryOfItem.length) {
      const length = Math.max(itemNo + 1, Math.ceil(this.entryOfItem.length * 1.25), 1024);
      const bigger = new Int32Array(length).fill(-1);
      bigger.set(this.entryOfItem);
      this.entryOfItem = bigger;
    }
    const entry = this.count++;
    this.entryOfItem[itemNo] = entry;
    this.itemNo[entry] = itemNo;
    return entry;
  }

  private setEntry(entry: number, row: Row): void {
    const [, accountId, name, isFolder, size, modifiedAt, mimeType, targetId, parentNo] = row;
    let account = this.accountIndex.get(accountId!);
    if (account === undefined) {
      account = this.accountIds.push(accountId!) - 1;
      this.accountIndex.set(accountId!, account);
    }
    this.account[entry] = account;
    this.flags[entry] = flagAlive | (isFolder ? flagFolder : 0);
    this.size[entry] = isFolder || size === null ? NaN : size;
    this.modified[entry] = modifiedAt ?? NaN;
    this.parentNo[entry] = parentNo ?? -1;
    const isFile = !isFolder && targetId === null;
    const category = isFile ? categoryOf(name!, mimeType) : null;
    this.category[entry] = category === null ? 0 : searchCategories.indexOf(category) + 1;
    const extension = isFolder ? null : extensionOf(name!);
    let index = 0;
    if (extension !== null) {
      const known = this.extensionIndex.get(extension);
      if (known !== undefined) index = known;
      else {
        index = this.extensions.push(extension) - 1;
        this.extensionIndex.set(extension, index);
      }
    }
    this.extension[entry] = index;
  }

  private setNameFacts(entry: number, folded: string): void {
    this.charMask[entry] = charMaskOf(folded);
    this.firstCode[entry] = folded.length > 0 ? folded.charCodeAt(0) : 0;
    this.nameLength[entry] = Math.min(folded.length, 0xffff);
  }

  private setName(entry: number, folded: string): void {
    this.setNameFacts(entry, folded);
    this.pendingNames.set(entry, folded);
    this.dirtySegments.add(entry >> segmentBits);
  }

  private flushSegments(): void {
    if (this.dirtySegments.size === 0) return;
    for (const segment of this.dirtySegments) {
      const first = segment << segmentBits;
      const last = Math.min(this.count, first + segmentSize);
      const names: string[] = [];
      const old = this.segments[segment];
      for (let entry = first; entry < last; entry++) {
        const pending = this.pendingNames.get(entry);
        if (pending !== undefined) names.push(pending);
        else if (
          old !== undefined &&
          this.flags[entry]! & flagAlive &&
          entry < first + (this.builtCounts[segment] ?? 0)
        ) {
          names.push(old.slice(this.starts[entry]!, this.oldEnd(old, entry)));
        } else names.push('');
      }
      this.buildSegment(segment, names);
    }
    this.pendingNames.clear();
    this.dirtySegments.clear();
  }

  /** End of an entry's name in its segment's current text (built before the pending changes). */
  private oldEnd(old: string, entry: number): number {
    const segment = entry >> segmentBits;
    const built = (segment << segmentBits) + (this.builtCounts[segment] ?? 0);
    return entry + 1 < built ? this.starts[entry + 1]! - 1 : old.length - 1;
  }

  private buildSegment(segment: number, names: readonly string[]): void {
    const first = segment << segmentBits;
    let offset = 0;
    for (let i = 0; i < names.length; i++) {
      this.starts[first + i] = offset;
      offset += names[i]!.length + 1;
    }
    // One join, with the final '\n' as an empty last element: a flat string at once (a template
    // around the join would be a rope, flattened into a second copy by the first search).
    this.segments[segment] = names.length > 0 ? [...names, ''].join('\n') : '';
    this.builtCounts[segment] = names.length;
  }

  private grow(capacity: number): void {
    const grow = <T extends Float64Array | Uint8Array | Uint16Array | Int32Array | Uint32Array>(
      array: T,
      make: (n: number) => T,
    ): T => {
      const bigger = make(capacity);
      bigger.set(array.subarray(0, Math.min(this.count, capacity)));
      return bigger;
    };
    this.itemNo = grow(this.itemNo, (n) => new Uint32Array(n));
    this.flags = grow(this.flags, (n) => new Uint8Array(n));
    this.account = grow(this.account, (n) => new Uint16Array(n));
    this.category = grow(this.category, (n) => new Uint8Array(n));
    this.extension = grow(this.extension, (n) => new Int32Array(n));
    this.size = grow(this.size, (n) => new Float64Array(n));
    this.modified = grow(this.modified, (n) => new Float64Array(n));
    this.parentNo = grow(this.parentNo, (n) => new Int32Array(n));
    this.starts = grow(this.starts, (n) => new Uint32Array(n));
    this.charMask = grow(this.charMask, (n) => new Uint32Array(n));
    this.firstCode = grow(this.firstCode, (n) => new Uint16Array(n));
    this.nameLength = grow(this.nameLength, (n) => new Uint16Array(n));
    this.capacity = capacity;
  }
}

/** The mask bit of a letter or digit (digits share six bits), 0 for anything else. */
function charBit(code: number): number {
  if (code >= 0x61 && code <= 0x7a) return 1 << (code - 0x61);
  if (code >= 0x30 && code <= 0x39) return 1 << (26 + ((code - 0x30) % 6));
  return 0;
}

function charMaskOf(folded: string): number {
  let mask = 0;
  for (let i = 0; i < folded.length; i++) mask |= charBit(folded.charCodeAt(i));
  return mask;
}

const isWordChar = (code: number) =>
  (code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x7a) || code > 0x7f;

/**
 * Relevance tier of a term found at `position` of the name `[start, stop)` in `text`: 0 the whole
 * name, 1 a prefix, 2 the start of a word (after a non-alphanumeric character or a lower-to-digit
 * change), 3 anywhere else. Later occurrences are looked at when the first is mid-word.
 */
function tierAt(text: string, start: number, stop: number, position: number, length: number): number {
  if (position === start) return stop - start === length ? 0 : 1;
  let at = position;
  while (at !== -1 && at + length <= stop) {
    const before = text.charCodeAt(at - 1);
    const here = text.charCodeAt(at);
    if (!isWordChar(before) || isDigit(before) !== isDigit(here)) return 2;
    at = text.indexOf(text.slice(position, position + length), at + 1);
  }
  return 3;
}

const isDigit = (code: number) => code >= 0x30 && code <= 0x39;

/** Compares `a[aStart, aEnd)` with `b[bStart, bEnd)`: code units, except digit runs by numeric value. */
function naturalCompare(
  a: string,
  aStart: number,
  aEnd: number,
  b: string,
  bStart: number,
  bEnd: number,
): number {
  let i = aStart;
  let j = bStart;
  while (i < aEnd && j < bEnd) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(j);
    if (isDigit(x) && isDigit(y)) {
      let i0 = i;
      let j0 = j;
      while (i0 < aEnd && a.charCodeAt(i0) === 0x30) i0++;
      while (j0 < bEnd && b.charCodeAt(j0) === 0x30) j0++;
      let i1 = i0;
      let j1 = j0;
      while (i1 < aEnd && isDigit(a.charCodeAt(i1))) i1++;
      while (j1 < bEnd && isDigit(b.charCodeAt(j1))) j1++;
      if (i1 - i0 !== j1 - j0) return i1 - i0 - (j1 - j0);
      for (let k = 0; k < i1 - i0; k++) {
        const d = a.charCodeAt(i0 + k) - b.charCodeAt(j0 + k);
        if (d !== 0) return d;
      }
      i = i1;
      j = j1;
      continue;
    }
    if (x !== y) return x - y;
    i++;
    j++;
  }
  return aEnd - i - (bEnd - j);
}

/**
 * The best `capacity` entries by (key, then `tie`), in a max-heap of typed arrays (the worst kept on
 * top), so offering a match allocates nothing.
 */
class TopK {
  private readonly entries: Int32Array;
  private readonly keys: Float64Array;
  private size = 0;

  constructor(
    readonly capacity: number,
    private readonly tie: (a: number, b: number) => number,
  ) {
    this.entries = new Int32Array(capacity);
    this.keys = new Float64Array(capacity);
  }

  get full(): boolean {
    return this.size === this.capacity;
  }

  worstKey(): number {
    return this.keys[0]!;
  }

  offer(entry: number, key: number): void {
    if (this.size < this.capacity) {
      this.siftUp(this.size++, entry, key);
    } else if (this.capacity > 0 && this.compare(key, entry, this.keys[0]!, this.entries[0]!) < 0) {
      this.siftDown(entry, key);
    }
  }

  /** The kept entries, best first. */
  sorted(): number[] {
    const order = Array.from({ length: this.size }, (_, i) => i);
    order.sort((i, j) => this.compare(this.keys[i]!, this.entries[i]!, this.keys[j]!, this.entries[j]!));
    return order.map((i) => this.entries[i]!);
  }

  /** Equal keys (or two +Infinity keys: NaN difference) go to the tie-break. */
  private compare(keyA: number, a: number, keyB: number, b: number): number {
    const difference = keyA - keyB;
    return difference < 0 ? -1 : difference > 0 ? 1 : this.tie(a, b);
  }

  private siftUp(index: number, entry: number, key: number): void {
    const { entries, keys } = this;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (this.compare(key, entry, keys[parent]!, entries[parent]!) <= 0) break;
      entries[index] = entries[parent]!;
      keys[index] = keys[parent]!;
      index = parent;
    }
    entries[index] = entry;
    keys[index] = key;
  }

  /** Replaces the top. */
  private siftDown(entry: number, key: number): void {
    const { entries, keys } = this;
    const n = this.size;
    let index = 0;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= n) break;
      if (
        child + 1 < n &&
        this.compare(keys[child + 1]!, entries[child + 1]!, keys[child]!, entries[child]!) > 0
      )
        child++;
      if (this.compare(keys[child]!, entries[child]!, key, entry) <= 0) break;
      entries[index] = entries[child]!;
      keys[index] = keys[child]!;
      index = child;
    }
    entries[index] = entry;
    keys[index] = key;
  }
}
