/**
 * `GET {folder}/delta` (`root/delta`, `items/{id}/delta`; `?token=...` or `delta(token='...')`).
 *
 * Tokens are opaque base64url JSON: the store's epoch, the folder, a change-log position, when the
 * token was issued, and for paging links the phase:
 * - no token: the full enumeration of the folder (itself first, then pre-order, children by name),
 *   as it is while paging; each nextLink resumes after the last item returned (stable under changes:
 *   what changes meanwhile comes in the next round). Its deltaLink points at the log position of the
 *   first page, so changes made while enumerating come again (the docs: an item may appear twice);
 * - a deltaLink token: the items changed since its position, each once, in its state now (latest
 *   state), ordered by their last change; an item changed then deleted reads as deleted. Folders whose
 *   subtree changed come too (their size and cTag changed), before the item, unless the request has a
 *   `deltaExcludeParent` header (or `Prefer: deltaExcludeParent`). A move is the same id with a new
 *   parentReference; its descendants do not come ("renaming a folder does not result in any
 *   descendants of the folder being returned"). A deleted folder brings each item of its subtree;
 * - `token=latest`: no items, a deltaLink for now.
 * Items carry no `parentReference.path` (delta docs). Deleted items: the driveItem without `cTag`,
 * `size` (omitted on delete for OneDrive consumer, delta docs) and download URL, `file {}` or `folder
 * {childCount: 0}` (?), `deleted {state: "deleted"}` (render.ts).
 *
 * 410 Gone, `resyncRequired` (innerError `resyncChangesApplyDifferences`, or
 * `resyncChangesUploadDifferences` after an admin expiry asking for it), `Location` = a link starting
 * a fresh enumeration: tokens of another build of the store (admin reset, restart), tokens older than
 * the retention window (default 30 days (?)), tokens issued before an admin `expireDeltaTokens`.
 * A token that does not decode, or belongs to another folder: 400 `invalidRequest` (?).
 */
import type { RequestContext } from '../shared/http';
import { findItem } from './addressing';
import type { DriveRequest } from './context';
import { GraphError, invalidRequest, sendGraphJson } from './errors';
import { BY_NAME, parseTop, sortedChildren } from './listing';
import { driveItemJson, metadataBase, parseSelect, project } from './render';
import type { FolderItem, Item, OnedriveStore } from './store';

/** Default retention of delta tokens (?: OneDrive does not say). */
export const DEFAULT_DELTA_RETENTION_MS = 30 * 24 * 3600 * 1000;

export type ResyncKind = 'resyncChangesApplyDifferences' | 'resyncChangesUploadDifferences';

interface TokenState {
  /** Store epoch. */
  e: string;
  /** The folder the token enumerates. */
  f: string;
  /** Log position: the changes after it are still to come. */
  p: number;
  /** When the round began (retention). */
  t: number;
  /** The store's delta generation when issued (admin expiry). */
  g: number;
  /** Phase: `l` listing (`a`: key of the last item returned), `c` changes (`u`: window end, `o`: offset). */
  ph: 'l' | 'c';
  a?: string[];
  u?: number;
  o?: number;
}

const encode = (state: TokenState): string => Buffer.from(JSON.stringify(state)).toString('base64url');

function decode(text: string): TokenState | undefined {
  try {
    const state = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as TokenState;
    if (
      typeof state === 'object' &&
      state !== null &&
      typeof state.e === 'string' &&
      typeof state.p === 'number'
    )
      return state;
  } catch {
    // not a token
  }
  return undefined;
}

/** The `.../delta` path the client used, canonical (`delta(token='x')` becomes `delta`). */
function deltaPath(ctx: RequestContext): string {
  const path = ctx.url.pathname;
  const at = path.toLowerCase().lastIndexOf('/delta');
  return `${path.slice(0, at)}/delta`;
}

function link(ctx: RequestContext, token?: string): string {
  const url = new URL(deltaPath(ctx), ctx.url.origin);
  for (const [key, value] of ctx.url.searchParams) if (key !== 'token') url.searchParams.set(key, value);
  if (token !== undefined) url.searchParams.set('token', token);
  return url.toString();
}

export function resyncError(ctx: RequestContext, kind: ResyncKind): GraphError {
  const message =
    kind === 'resyncChangesApplyDifferences'
      ? "Resync required. Replace any local items with the server's version (including deletes) if you're sure that the service was up to date with your local changes when you last sync'd. Upload any local changes that the server doesn't know about."
      : "Resync required. Upload any local items that the service did not return, and upload any files that differ from the server's version (keeping both copies if you're not sure which one is more up-to-date).";
  return new GraphError(410, 'resyncRequired', message, { Location: link(ctx) }, kind);
}

/** Names (lower-cased) from `scope` down to `item`. */
function keyOf(scope: Item, item: Item): string[] {
  const key: string[] = [];
  for (let node: Item | undefined = item; node && node !== scope; node = node.parent)
    key.unshift(node.name.toLowerCase());
  return key;
}

/** Pre-order below `folder`, children by name; `after` (constrained): resume after that key. */
function* below(
  store: OnedriveStore,
  folder: FolderItem,
  after: string[] | undefined,
  depth: number,
): Generator<Item> {
  const children = sortedChildren(store, folder, BY_NAME);
  let start = 0;
  if (after && depth < after.length) {
    const key = after[depth] as string;
    let lo = 0;
    let hi = children.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((children[mid] as Item).name.toLowerCase() < key) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
    const at = children[lo];
    if (at && at.name.toLowerCase() === key) {
      if (at.kind === 'folder')
        yield* below(store, at, depth === after.length - 1 ? undefined : after, depth + 1);
      start = lo + 1;
    }
  }
  for (let i = start; i < children.length; i++) {
    const child = children[i] as Item;
    yield child;
    if (child.kind === 'folder') yield* below(store, child, undefined, depth + 1);
  }
}

function* enumerate(store: OnedriveStore, scope: FolderItem, after: string[] | undefined): Generator<Item> {
  if (after === undefined) yield scope;
  yield* below(store, scope, after, 0);
}

/** An item deleted (or, in a folder's delta, moved out of it) as delta reports it (render.ts). */
function deletedJson(req: DriveRequest, id: string): Record<string, unknown> | undefined {
  const { store } = req;
  const live = store.get(id);
  const tombstone = store.tombstone(id);
  const item = live ?? tombstone?.item;
  if (!item) return undefined;
  const parentId = live ? live.parent?.id : tombstone?.parentId;
  return driveItemJson(req.view, store, item, { parentPath: false, deleted: { parentId } });
}

export function sendDelta(req: DriveRequest): void {
  const { ctx, store, deps, view } = req;
  const scope = findItem(store, req.address);
  if (scope.kind !== 'folder') throw invalidRequest('Delta is only supported on folders.');
  const select = parseSelect(ctx);
  const top = parseTop(ctx);
  const now = deps.clock.now();
  const raw = req.address.params.token ?? ctx.url.searchParams.get('token');
  const context = `${metadataBase(ctx)}#Collection(driveItem)`;
  const send = (value: Record<string, unknown>[], next: { nextLink?: string; deltaLink?: string }) =>
    sendGraphJson(ctx, 200, {
      '@odata.context': context,
      ...(next.nextLink ? { '@odata.nextLink': next.nextLink } : { '@odata.deltaLink': next.deltaLink }),
      value: value.map((json) => project(json, select)),
    });
  const base = { e: store.epoch, f: scope.id, g: store.deltaGeneration } as const;
  const render = (item: Item) => driveItemJson(view, store, item, { parentPath: false });

  if (raw === 'latest') {
    send([], { deltaLink: link(ctx, encode({ ...base, p: store.position, t: now, ph: 'c' })) });
    return;
  }
  let state: TokenState;
  if (raw === null || raw === '') state = { ...base, p: store.position, t: now, ph: 'l' };
  else {
    const decoded = decode(raw);
    if (!decoded) throw invalidRequest('Invalid delta token.');
    if (
      decoded.f !== undefined &&
      decoded.f.toLowerCase() !== scope.id.toLowerCase() &&
      decoded.e === store.epoch
    )
      throw invalidRequest('The delta token belongs to another folder.');
    const expired = decoded.e === store.epoch && decoded.g !== store.deltaGeneration;
    if (
      decoded.e !== store.epoch ||
      decoded.p > store.position ||
      expired ||
      decoded.t + deps.deltaRetentionMs < now
    )
      throw resyncError(ctx, expired ? store.resyncKind : 'resyncChangesApplyDifferences');
    state = decoded;
  }

  if (state.ph === 'l') {
    const page: Record<string, unknown>[] = [];
    const walker = enumerate(store, scope, state.a);
    let last: Item | undefined;
    let step = walker.next();
    while (!step.done && page.length < top) {
      last = step.value;
      page.push(render(step.value));
      step = walker.next();
    }
    if (!step.done && last) send(page, { nextLink: link(ctx, encode({ ...state, a: keyOf(scope, last) })) });
    else send(page, { deltaLink: link(ctx, encode({ ...base, p: state.p, t: state.t, ph: 'c' })) });
    return;
  }

  const until = state.u ?? store.position;
  const excludeParents =
    ctx.req.headers.deltaexcludeparent !== undefined ||
    /deltaExcludeParent/i.test(String(ctx.req.headers.prefer ?? ''));
  const changes = changedIds(store, scope, state.p, until, excludeParents);
  const offset = state.o ?? 0;
  const page: Record<string, unknown>[] = [];
  for (const id of changes.slice(offset, offset + top)) {
    const live = store.get(id);
    const json = live && store.contains(scope, live) ? render(live) : deletedJson(req, id);
    if (json) page.push(json);
  }
  if (offset + top < changes.length)
    send(page, { nextLink: link(ctx, encode({ ...state, u: until, o: offset + top })) });
  else send(page, { deltaLink: link(ctx, encode({ ...base, p: until, t: now, ph: 'c' })) });
}

/** Ids changed in the log window [from, to) in `scope`, each once, ordered by its last change. */
function changedIds(
  store: OnedriveStore,
  scope: Item,
  from: number,
  to: number,
  excludeParents: boolean,
): string[] {
  const last = new Map<string, { index: number; direct: boolean; id: string }>();
  const events = store.eventsBetween(from, to);
  const scopeId = scope.id;
  events.forEach((event, i) => {
    if (event.id !== scopeId && !event.scopes.includes(scopeId)) return;
    const key = event.id.toLowerCase();
    const seen = last.get(key);
    last.set(key, { index: i, direct: (seen?.direct ?? false) || event.direct, id: event.id });
  });
  return [...last.values()]
    .filter((entry) => !excludeParents || entry.direct)
    .sort((a, b) => a.index - b.index)
    .map((entry) => entry.id);
}
