/**
 * Paging and ordering shared by children listings, delta and search: `$top` (default 200, at most
 * 1000 served (?)), `$orderby` (children), opaque `$skiptoken`s, and the absolute `@odata.nextLink`
 * on the origin the client used (the same path and query, a new `$skiptoken`).
 */
import type { RequestContext } from '../shared/http';
import { invalidRequest } from './errors';
import type { FolderItem, Item, OnedriveStore } from './store';

/** Page size without `$top`, and the largest page served. */
export const DEFAULT_PAGE_SIZE = 200;
export const MAX_PAGE_SIZE = 1000;

const ORDER_KEYS = new Map([
  ['name', 'name'],
  ['lastmodifieddatetime', 'lastModifiedDateTime'],
  ['size', 'size'],
]);

export interface OrderKey {
  key: 'name' | 'lastModifiedDateTime' | 'size';
  desc: boolean;
}

export const BY_NAME: OrderKey[] = [{ key: 'name', desc: false }];

export function parseOrderBy(ctx: RequestContext): OrderKey[] {
  const raw = ctx.url.searchParams.get('$orderby');
  if (raw === null || raw.trim() === '') return BY_NAME;
  return raw.split(',').map((part) => {
    const [name = '', direction, extra] = part.trim().split(/\s+/);
    const key = ORDER_KEYS.get(name.toLowerCase());
    const dir = direction?.toLowerCase();
    if (!key || extra !== undefined || (dir !== undefined && dir !== 'asc' && dir !== 'desc'))
      throw invalidRequest(
        `Invalid $orderby: '${raw}'. Sortable properties: name, lastModifiedDateTime, size.`,
      );
    return { key: key as OrderKey['key'], desc: dir === 'desc' };
  });
}

/** A folder's children in `order` (name: case-insensitive, then id), cached until the folder changes. */
export function sortedChildren(store: OnedriveStore, folder: FolderItem, order: OrderKey[]): Item[] {
  const cacheKey = order.map((o) => `${o.key} ${o.desc ? 'desc' : 'asc'}`).join(',');
  folder.sorted ??= new Map();
  let list = folder.sorted.get(cacheKey);
  if (list) return list;
  const lower = new Map<Item, string>();
  for (const child of folder.children.values()) lower.set(child, child.name.toLowerCase());
  const compareBy = (a: Item, b: Item, key: OrderKey['key']): number => {
    if (key === 'size') return store.size(a) - store.size(b);
    if (key === 'lastModifiedDateTime') return a.lastModifiedDateTime - b.lastModifiedDateTime;
    const x = lower.get(a) as string;
    const y = lower.get(b) as string;
    return x < y ? -1 : x > y ? 1 : 0;
  };
  list = [...folder.children.values()].sort((a, b) => {
    for (const { key, desc } of order) {
      const c = compareBy(a, b, key);
      if (c !== 0) return desc ? -c : c;
    }
    const n = compareBy(a, b, 'name');
    return n !== 0 ? n : a.id < b.id ? -1 : 1;
  });
  folder.sorted.set(cacheKey, list);
  return list;
}

export function parseTop(ctx: RequestContext): number {
  const raw = ctx.url.searchParams.get('$top');
  if (raw === null) return DEFAULT_PAGE_SIZE;
  const top = Number(raw);
  if (!/^\d+$/.test(raw) || top < 1) throw invalidRequest(`Invalid value '${raw}' for $top.`);
  return Math.min(top, MAX_PAGE_SIZE);
}

export const encodeSkipToken = (offset: number): string => Buffer.from(`s!${offset}`).toString('base64url');

export function decodeSkipToken(token: string | null): number {
  if (token === null) return 0;
  const match = /^s!(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match) throw invalidRequest('Invalid skip token.');
  return Number(match[1]);
}

/** The request's URL with `name` set to `value` (absolute, on the origin the client used). */
export function linkWith(ctx: RequestContext, name: string, value: string, path = ctx.url.pathname): string {
  const next = new URL(path, ctx.url.origin);
  for (const [key, v] of ctx.url.searchParams) if (key !== name) next.searchParams.set(key, v);
  next.searchParams.set(name, value);
  return next.toString();
}
