/**
 * files.list: filter by `q`, sort by `orderBy`, page by `pageSize`/`pageToken`.
 *
 * Paging is stable under concurrent changes: a page token holds the sort key of the last item
 * returned (plus a hash of q and orderBy), and the next page starts strictly after it. Without
 * `orderBy`, items come in creation order. Results of a (q, orderBy) pair are cached until the drive
 * changes, so walking a million-item drive page by page stays linear.
 */
import { createHash } from 'node:crypto';
import { invalidParameter } from './errors';
import { FOLDER } from './mime';
import { compileQuery, hasFullText, parentConstraint, parseQuery } from './query';
import type { DriveStore, FileRecord } from './store';
import { contentSize } from './content';

type Key = number | string;

const ORDER_KEYS: Record<string, (record: FileRecord) => Key> = {
  createdTime: (r) => r.createdTime,
  folder: (r) => (r.mimeType === FOLDER ? 0 : 1),
  modifiedByMeTime: (r) => r.modifiedTime,
  modifiedTime: (r) => r.modifiedTime,
  name: (r) => r.name.toLowerCase(),
  name_natural: (r) => r.name.toLowerCase().replace(/\d+/g, (digits) => digits.padStart(20, '0')),
  quotaBytesUsed: (r) => (r.content && r.content.kind !== 'native' ? contentSize(r.content) : 0),
  recency: (r) => Math.max(r.modifiedTime, r.createdTime, r.viewedByMeTime ?? 0),
  sharedWithMeTime: () => 0,
  starred: (r) => (r.starred ? 1 : 0),
  viewedByMeTime: (r) => r.viewedByMeTime ?? 0,
};

interface Order {
  keys: ((record: FileRecord) => Key)[];
  descending: boolean[];
}

function parseOrder(orderBy: string | null): Order {
  const order: Order = { keys: [], descending: [] };
  for (const part of (orderBy ?? '').split(',')) {
    const words = part.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) continue;
    const key = ORDER_KEYS[words[0] as string];
    const direction = words[1]?.toLowerCase();
    if (!key || words.length > 2 || (direction !== undefined && direction !== 'desc' && direction !== 'asc'))
      throw invalidParameter('orderBy');
    order.keys.push(key);
    order.descending.push(direction === 'desc');
  }
  return order;
}

const keyOf = (order: Order, record: FileRecord): Key[] => [...order.keys.map((k) => k(record)), record.seq];

function compareKeys(order: Order, a: readonly Key[], b: readonly Key[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as Key;
    const y = b[i] as Key;
    if (x === y) continue;
    const sign = x < y ? -1 : 1;
    return order.descending[i] ? -sign : sign;
  }
  return 0;
}

interface CacheEntry {
  mutations: number;
  records: FileRecord[];
}

const CACHE_ENTRIES = 8;
const caches = new WeakMap<DriveStore, Map<string, CacheEntry>>();

export interface ListRequest {
  q: string | null;
  orderBy: string | null;
  pageSize: string | null;
  pageToken: string | null;
}

export interface ListPage {
  records: FileRecord[];
  nextPageToken: string | undefined;
}

/** Parses pageSize the Drive way: default 100, above 1000 coerced to 1000, below 1 refused. */
export function parsePageSize(text: string | null, fallback = 100): number {
  if (text === null) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value)) throw invalidParameter('pageSize');
  if (value < 1)
    throw invalidParameter('pageSize', `Invalid value '${text}'. Values must be within the range: [1, 1000]`);
  return Math.min(value, 1000);
}

function tokenHash(q: string, orderBy: string): string {
  return createHash('sha256').update(`${q}\0${orderBy}`).digest('base64url').slice(0, 10);
}

function matching(store: DriveStore, q: string, order: Order): FileRecord[] {
  let records: FileRecord[];
  if (q.trim() === '') {
    records = [...store.all()];
  } else {
    const query = parseQuery(q);
    const predicate = compileQuery(query, { rootId: store.root.id, email: store.user.email });
    const parent = parentConstraint(query, store.root.id);
    if (parent !== undefined) {
      records = [...store.childrenOf(parent)].filter(predicate).sort((a, b) => a.seq - b.seq);
    } else {
      records = [];
      for (const record of store.all()) if (predicate(record)) records.push(record);
    }
  }
  if (order.keys.length > 0) {
    const keyed = records.map((record) => ({ record, key: keyOf(order, record) }));
    keyed.sort((a, b) => compareKeys(order, a.key, b.key));
    records = keyed.map((k) => k.record);
  }
  return records;
}

/** One page of files.list. Throws 400 for a bad q, orderBy, pageSize or pageToken. */
export function listFiles(store: DriveStore, request: ListRequest): ListPage {
  const q = request.q ?? '';
  const orderBy = request.orderBy ?? '';
  const pageSize = parsePageSize(request.pageSize);
  const order = parseOrder(orderBy);
  if (order.keys.length > 0 && q && hasFullText(parseQuery(q)))
    throw invalidParameter(
      'orderBy',
      'Sorting is not supported for queries with fullText terms. Results are always in descending relevance order.',
    );
  const hash = tokenHash(q, orderBy);
  let after: Key[] | undefined;
  if (request.pageToken) {
    try {
      const token = JSON.parse(Buffer.from(request.pageToken, 'base64url').toString()) as {
        h: string;
        k: Key[];
      };
      if (token.h !== hash || !Array.isArray(token.k) || token.k.length !== order.keys.length + 1)
        throw new Error();
      after = token.k;
    } catch {
      throw invalidParameter('pageToken');
    }
  }
  let cache = caches.get(store);
  if (!cache) {
    cache = new Map();
    caches.set(store, cache);
  }
  const cacheKey = `${q}\0${orderBy}`;
  let entry = cache.get(cacheKey);
  if (!entry || entry.mutations !== store.mutations) {
    entry = { mutations: store.mutations, records: matching(store, q, order) };
    cache.delete(cacheKey);
    if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
    cache.set(cacheKey, entry);
  }
  const { records } = entry;
  let start = 0;
  if (after) {
    let lo = 0;
    let hi = records.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareKeys(order, keyOf(order, records[mid] as FileRecord), after) <= 0) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const page = records.slice(start, start + pageSize);
  const last = page[page.length - 1];
  const nextPageToken =
    start + pageSize < records.length && last
      ? Buffer.from(JSON.stringify({ h: hash, k: keyOf(order, last) })).toString('base64url')
      : undefined;
  return { records: page, nextPageToken };
}
