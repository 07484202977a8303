/**
 * Graph's JSON for drives and driveItems, `$select` and the OData context URLs.
 *
 * driveItem, in this order: `@microsoft.graph.downloadUrl` (files; only without `$select` or when
 * selected by name, as `$select=id,@microsoft.graph.downloadUrl`), `id`, `name`, `size` (folders: the
 * subtree's bytes), `createdDateTime`, `lastModifiedDateTime`, `eTag`, `cTag`, `webUrl`,
 * `description` (when set), `createdBy`, `lastModifiedBy`, `parentReference` (`path` left out in
 * delta), `fileSystemInfo`, `file {mimeType, hashes {quickXorHash}}` or `folder {childCount}`, `root`.
 * A deleted item (delta) is the same minus what the delta docs list as omitted for OneDrive consumer
 * (`cTag`, `size`) and the download URL, with `file: {}` (?) or `folder: {childCount: 0}` (?), a
 * `parentReference` without path, and `deleted: {state: "deleted"}` last.
 */
import type { RequestContext } from '../shared/http';
import { invalidRequest } from './errors';
import type { Links } from './links';
import type { Item, OnedriveStore } from './store';

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
    '@microsoft.graph.downloadUrl',
  ].map((p) => p.toLowerCase()),
);

export const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
const b64 = (text: string) => Buffer.from(text).toString('base64').replace(/=+$/, '');

export function identity(store: OnedriveStore) {
  return { user: { displayName: store.account.displayName, id: store.account.userId } };
}

/** What rendering needs besides the store: the origin the client used and the URL signer. */
export interface View {
  origin: string;
  links: Links;
  now: number;
}

export const eTagOf = (item: Item): string => `"${b64(`${item.id}.${item.version}`)}"`;
export const cTagOf = (item: Item): string => `"adDo${b64(`${item.id}.${item.contentVersion}`)}"`;

/** The item's web page on onedrive.live.com (?: the real form varies); `isRoot` false: never the root's. */
function webUrl(store: OnedriveStore, item: Item, isRoot = !item.parent): string {
  const cid = store.account.driveId;
  return !isRoot
    ? `https://onedrive.live.com/redir?resid=${encodeURIComponent(item.id)}&cid=${cid}`
    : `https://onedrive.live.com/?cid=${cid}`;
}

export function downloadUrl(view: View, store: OnedriveStore, item: Item): string {
  return view.links.downloadUrl(view.origin, {
    d: store.account.driveId,
    i: item.id,
    v: item.contentVersion,
    e: view.now + view.links.downloadLifetimeMs,
  });
}

/**
 * The full driveItem resource; `parentPath: false` leaves `parentReference.path` out (delta);
 * `deleted`: the item as delta reports it deleted, `parentId` the folder it was in.
 */
export function driveItemJson(
  view: View,
  store: OnedriveStore,
  item: Item,
  options: { parentPath?: boolean; deleted?: { parentId: string | undefined } } = {},
): Record<string, unknown> {
  const { driveId } = store.account;
  const { deleted } = options;
  const json: Record<string, unknown> = {};
  if (item.kind === 'file' && !deleted) json['@microsoft.graph.downloadUrl'] = downloadUrl(view, store, item);
  json.id = item.id;
  json.name = item.name;
  if (!deleted) json.size = store.size(item);
  json.createdDateTime = iso(item.createdDateTime);
  json.lastModifiedDateTime = iso(item.lastModifiedDateTime);
  json.eTag = eTagOf(item);
  if (!deleted) json.cTag = cTagOf(item);
  json.webUrl = webUrl(store, item, !deleted && !item.parent);
  if (item.description !== undefined) json.description = item.description;
  json.createdBy = identity(store);
  json.lastModifiedBy = identity(store);
  json.parentReference = deleted
    ? { driveId, driveType: 'personal', ...(deleted.parentId ? { id: deleted.parentId } : {}) }
    : item.parent
      ? {
          driveId,
          driveType: 'personal',
          id: item.parent.id,
          ...(options.parentPath === false ? {} : { path: `/drive/root:${store.pathOf(item.parent)}` }),
        }
      : { driveId, driveType: 'personal' };
  json.fileSystemInfo = {
    createdDateTime: iso(item.fsCreated ?? item.createdDateTime),
    lastModifiedDateTime: iso(item.fsModified ?? item.lastModifiedDateTime),
  };
  if (deleted) {
    if (item.kind === 'file') json.file = {};
    else json.folder = { childCount: 0 };
    json.deleted = { state: 'deleted' };
    return json;
  }
  if (item.kind === 'file')
    json.file = { mimeType: item.mimeType, hashes: { quickXorHash: store.quickXorHash(item) } };
  else json.folder = { childCount: item.children.size };
  if (!item.parent) json.root = {};
  return json;
}

/** The properties named by `$select` (undefined: all); 400 for a name driveItem does not have. */
export function parseSelect(ctx: RequestContext): string[] | undefined {
  const raw = ctx.url.searchParams.get('$select') ?? ctx.url.searchParams.get('select');
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

export function project(
  json: Record<string, unknown>,
  select: string[] | undefined,
): Record<string, unknown> {
  if (!select) return json;
  const out: Record<string, unknown> = {};
  const wanted = new Set(select.map((s) => s.toLowerCase()));
  for (const [key, value] of Object.entries(json)) if (wanted.has(key.toLowerCase())) out[key] = value;
  return out;
}

export function metadataBase(ctx: RequestContext): string {
  return `${ctx.url.origin}/v1.0/$metadata`;
}

/** `@odata.context` of one driveItem (`select`: the selected properties). */
export function itemContext(ctx: RequestContext, store: OnedriveStore, select?: string[]): string {
  return `${metadataBase(ctx)}#drives('${store.account.driveId}')/items${select ? `(${select.join(',')})` : ''}/$entity`;
}

export function quota(store: OnedriveStore) {
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

export function driveJson(store: OnedriveStore): Record<string, unknown> {
  return {
    id: store.account.driveId,
    driveType: 'personal',
    name: 'OneDrive',
    owner: identity(store),
    quota: quota(store),
  };
}
