/**
 * Microsoft Graph v1.0 reads of a personal OneDrive (graph.microsoft.com):
 *   GET /v1.0/me                                   the signed-in user
 *   GET /v1.0/me/drive, /v1.0/drives/{driveId}     the drive, with its quota
 *   GET {drive}/root, {drive}/items/{id}           an item
 *   GET {drive}/root:/a/b:, {drive}/items/{id}:/a/b:   an item by path (relative to the item)
 *   GET {item}/children                            children: $top, $select, $orderby, $skiptoken,
 *                                                  an ABSOLUTE @odata.nextLink on every page but the last
 * where {drive} is `/v1.0/me/drive` or `/v1.0/drives/{driveId}`. `$select` also applies to single items.
 */
import type { OffsetClock } from '../shared/clock';
import type { Router, RequestContext } from '../shared/http';
import type { OAuthServer } from '../shared/oauth';
import { GraphError, invalidRequest, itemNotFound, sendGraphJson } from './errors';
import type { FolderItem, Item, OnedriveStore } from './store';

export interface GraphDeps {
  oauth: OAuthServer;
  clock: OffsetClock;
  store(email: string): OnedriveStore | undefined;
}

/** Page size of a children listing without `$top`, and the largest page served. */
export const DEFAULT_PAGE_SIZE = 200;
export const MAX_PAGE_SIZE = 1000;

/** Every driveItem property Graph knows (selecting one this emulator does not model gives nothing). */
const DRIVE_ITEM_PROPERTIES = new Set(
  [
    'id',
    'name',
    'size',
    'createdDateTime',
    'lastModifiedDateTime',
    'eTag',
    'cTag',
    'webUrl',
    'webDavUrl',
    'description',
    'createdBy',
    'lastModifiedBy',
    'parentReference',
    'fileSystemInfo',
    'file',
    'folder',
    'root',
    'deleted',
    'image',
    'photo',
    'video',
    'audio',
    'package',
    'remoteItem',
    'shared',
    'specialFolder',
    'searchResult',
    'sharepointIds',
    'location',
    'malware',
    'publication',
    'bundle',
    'content',
    'children',
    'thumbnails',
    'permissions',
    'versions',
    'listItem',
  ].map((p) => p.toLowerCase()),
);

const ORDER_KEYS = new Map([
  ['name', 'name'],
  ['lastmodifieddatetime', 'lastModifiedDateTime'],
  ['size', 'size'],
]);

const WWW_AUTHENTICATE = {
  'WWW-Authenticate':
    'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
};

const unauthenticated = (message: string) =>
  new GraphError(401, 'InvalidAuthenticationToken', message, WWW_AUTHENTICATE);

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
const b64 = (text: string) => Buffer.from(text).toString('base64').replace(/=+$/, '');

/** The caller's drive (store), from the bearer token. */
function authenticate(ctx: RequestContext, deps: GraphDeps): OnedriveStore {
  const header = ctx.req.headers.authorization;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!header || !match) throw unauthenticated('Access token is empty.');
  const auth = deps.oauth.authenticate(match[1] as string);
  if (!auth.ok)
    throw unauthenticated(
      auth.reason === 'expired'
        ? 'Lifetime validation failed, the token is expired.'
        : 'CompactToken parsing failed with error code: 80049217',
    );
  const store = deps.store(auth.grant.user.email);
  if (!store) throw unauthenticated('Access token validation failure.');
  return store;
}

function identity(store: OnedriveStore) {
  return { user: { displayName: store.account.displayName, id: store.account.userId } };
}

/** The full driveItem resource. */
export function driveItemJson(store: OnedriveStore, item: Item): Record<string, unknown> {
  const { driveId } = store.account;
  const json: Record<string, unknown> = {
    id: item.id,
    name: item.name,
    size: store.size(item),
    createdDateTime: iso(item.createdDateTime),
    lastModifiedDateTime: iso(item.lastModifiedDateTime),
    eTag: `"${b64(`${item.id}.${item.version}`)}"`,
    cTag: `"adDo${b64(`${item.id}.${item.contentVersion}`)}"`,
    createdBy: identity(store),
    lastModifiedBy: identity(store),
    parentReference: item.parent
      ? {
          driveId,
          driveType: 'personal',
          id: item.parent.id,
          path: `/drive/root:${store.pathOf(item.parent)}`,
        }
      : { driveId, driveType: 'personal' },
    fileSystemInfo: {
      createdDateTime: iso(item.createdDateTime),
      lastModifiedDateTime: iso(item.lastModifiedDateTime),
    },
  };
  if (item.kind === 'file')
    json.file = { mimeType: item.mimeType, hashes: { quickXorHash: store.quickXorHash(item) } };
  else json.folder = { childCount: item.children.size };
  if (!item.parent) json.root = {};
  return json;
}

/** The properties named by `$select` (undefined: all); 400 for a name driveItem does not have. */
function parseSelect(ctx: RequestContext): string[] | undefined {
  const raw = ctx.url.searchParams.get('$select');
  if (raw === null) return undefined;
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of names)
    if (!DRIVE_ITEM_PROPERTIES.has(name.toLowerCase()))
      throw invalidRequest(`Could not find a property named '${name}' on type 'microsoft.graph.driveItem'.`);
  return names;
}

function project(json: Record<string, unknown>, select: string[] | undefined): Record<string, unknown> {
  if (!select) return json;
  const out: Record<string, unknown> = {};
  const wanted = new Set(select.map((s) => s.toLowerCase()));
  for (const [key, value] of Object.entries(json)) if (wanted.has(key.toLowerCase())) out[key] = value;
  return out;
}

interface OrderKey {
  key: 'name' | 'lastModifiedDateTime' | 'size';
  desc: boolean;
}

function parseOrderBy(ctx: RequestContext): OrderKey[] {
  const raw = ctx.url.searchParams.get('$orderby');
  if (raw === null || raw.trim() === '') return [{ key: 'name', desc: false }];
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

function sortedChildren(store: OnedriveStore, folder: FolderItem, order: OrderKey[]): Item[] {
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

function parseTop(ctx: RequestContext): number {
  const raw = ctx.url.searchParams.get('$top');
  if (raw === null) return DEFAULT_PAGE_SIZE;
  const top = Number(raw);
  if (!/^\d+$/.test(raw) || top < 1) throw invalidRequest(`Invalid value '${raw}' for $top.`);
  return Math.min(top, MAX_PAGE_SIZE);
}

const encodeSkipToken = (offset: number) => Buffer.from(`s!${offset}`).toString('base64url');

function decodeSkipToken(token: string | null): number {
  if (token === null) return 0;
  const match = /^s!(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match) throw invalidRequest('Invalid skip token.');
  return Number(match[1]);
}

/** Parses the part of a drive path after the drive: `root` or `items/{id}`, `:/path:`, `/children`. */
function resolve(
  store: OnedriveStore,
  rest: string,
): { item: Item; children: boolean; segment: string } | { unknown: string } {
  const match = /^(root|items\/([^/:]+))(.*)$/.exec(rest);
  if (!match) return { unknown: rest.split('/')[0] ?? rest };
  const base = match[2] === undefined ? store.root : store.get(decodeURIComponent(match[2]));
  let tail = match[3] as string;
  let path: string | undefined;
  if (tail.startsWith(':')) {
    const close = tail.indexOf(':', 1);
    path = close < 0 ? tail.slice(1) : tail.slice(1, close);
    tail = close < 0 ? '' : tail.slice(close + 1);
  }
  if (tail !== '' && tail !== '/' && tail !== '/children') return { unknown: tail.split('/')[1] ?? tail };
  if (!base) throw itemNotFound();
  const names = path === undefined ? [] : path.split('/').map((n) => decodeURIComponent(n));
  const item = store.walk(base, names);
  if (!item) throw itemNotFound();
  return { item, children: tail === '/children', segment: match[1] as string };
}

function metadataBase(ctx: RequestContext): string {
  return `${ctx.url.origin}/v1.0/$metadata`;
}

function sendItem(ctx: RequestContext, store: OnedriveStore, item: Item): void {
  const select = parseSelect(ctx);
  const json = driveItemJson(store, item);
  const inm = ctx.req.headers['if-none-match'];
  if (inm !== undefined && inm === json.eTag) {
    ctx.res.writeHead(304, { ETag: json.eTag as string });
    ctx.res.end();
    return;
  }
  const context = `${metadataBase(ctx)}#drives('${store.account.driveId}')/items${select ? `(${select.join(',')})` : ''}/$entity`;
  sendGraphJson(
    ctx,
    200,
    { '@odata.context': context, ...project(json, select) },
    { ETag: json.eTag as string },
  );
}

function sendChildren(ctx: RequestContext, store: OnedriveStore, item: Item): void {
  const select = parseSelect(ctx);
  const order = parseOrderBy(ctx);
  const top = parseTop(ctx);
  const offset = decodeSkipToken(ctx.url.searchParams.get('$skiptoken'));
  const all = item.kind === 'folder' ? sortedChildren(store, item, order) : [];
  const page = all.slice(offset, offset + top);
  const body: Record<string, unknown> = {
    '@odata.context': `${metadataBase(ctx)}#drives('${store.account.driveId}')/items('${item.id}')/children${select ? `(${select.join(',')})` : ''}`,
  };
  if (offset + top < all.length) {
    const next = new URL(ctx.url.pathname, ctx.url.origin);
    for (const [key, value] of ctx.url.searchParams)
      if (key !== '$skiptoken') next.searchParams.set(key, value);
    next.searchParams.set('$skiptoken', encodeSkipToken(offset + top));
    body['@odata.nextLink'] = next.toString();
  }
  body.value = page.map((child) => project(driveItemJson(store, child), select));
  sendGraphJson(ctx, 200, body);
}

function quota(store: OnedriveStore) {
  const used = store.usedBytes();
  // An unlimited drive reports a 1 PiB limit (?).
  const total = store.quotaLimit ?? 2 ** 50;
  const remaining = Math.max(0, total - used);
  const state =
    used >= total
      ? 'exceeded'
      : remaining <= total * 0.01
        ? 'critical'
        : remaining <= total * 0.1
          ? 'nearing'
          : 'normal';
  return { deleted: store.deletedBytes, remaining, state, total, used };
}

function driveJson(store: OnedriveStore): Record<string, unknown> {
  return {
    id: store.account.driveId,
    driveType: 'personal',
    name: 'OneDrive',
    owner: identity(store),
    quota: quota(store),
  };
}

function sendDrive(ctx: RequestContext, store: OnedriveStore, rest: string): void {
  if (rest === '' || rest === '/') {
    sendGraphJson(ctx, 200, { '@odata.context': `${metadataBase(ctx)}#drives/$entity`, ...driveJson(store) });
    return;
  }
  const resolved = resolve(store, rest);
  if ('unknown' in resolved)
    throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${resolved.unknown}'.`);
  if (resolved.children) sendChildren(ctx, store, resolved.item);
  else sendItem(ctx, store, resolved.item);
}

export function registerGraphRoutes(router: Router, deps: GraphDeps): void {
  router.on('GET', '/v1.0/me', (ctx) => {
    const store = authenticate(ctx, deps);
    const { displayName, email, userId } = store.account;
    const [givenName = displayName, ...rest] = displayName.split(' ');
    sendGraphJson(ctx, 200, {
      '@odata.context': `${metadataBase(ctx)}#users/$entity`,
      displayName,
      surname: rest.join(' ') || null,
      givenName,
      id: userId,
      userPrincipalName: email,
      businessPhones: [],
      jobTitle: null,
      mail: null,
      mobilePhone: null,
      officeLocation: null,
      preferredLanguage: null,
    });
  });
  router.on('GET', '/v1.0/me/drive/*', (ctx) => {
    const store = authenticate(ctx, deps);
    sendDrive(ctx, store, ctx.params['*'] ?? '');
  });
  router.on('GET', '/v1.0/drives/:driveId/*', (ctx) => {
    const store = authenticate(ctx, deps);
    // Only the caller's own drive exists here: another id is not found.
    if ((ctx.params.driveId as string).toLowerCase() !== store.account.driveId) throw itemNotFound();
    sendDrive(ctx, store, ctx.params['*'] ?? '');
  });
}
