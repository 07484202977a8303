/**
 * Microsoft Graph v1.0 routes of a personal OneDrive (graph.microsoft.com), where {drive} is
 * `/v1.0/me/drive` or `/v1.0/drives/{driveId}` (only the caller's own drive; another id: 404):
 *   GET /v1.0/me                                   the signed-in user
 *   GET /v1.0/me/drive, /v1.0/drives/{driveId}     the drive, with its quota
 *   GET /v1.0/me/drives                            `{value: [the drive]}` (a personal account has one)
 *   {drive}/root | items/{id} [:/a/b:] [/action]   a driveItem (addressing.ts), dispatched by method and
 *                                                  action to the reads here and to routes-write.ts,
 *                                                  routes-content.ts, routes-sessions.ts, delta.ts
 * and the copy monitor `GET /monitor/{job}` (api.onedrive.com, no Authorization needed).
 * Reads: GET {item} (`$select`; `If-None-Match` = eTag -> 304), GET {item}/children ($top, $select,
 * $orderby, $skiptoken, an ABSOLUTE @odata.nextLink on every page but the last), GET
 * {item}/search(q='...') (names containing q, case-insensitively, in the item's subtree (?)).
 */
import type { RequestContext, Router } from '../shared/http';
import { sendJson } from '../shared/http';
import { findItem, parseAddress, unknownSegment, type Action } from './addressing';
import { authenticate, viewOf, type DriveRequest, type GraphDeps } from './context';
import { COPY_MS } from './copy';
import { GraphError, itemNotFound, sendGraphError, sendGraphJson } from './errors';
import { sendDelta } from './delta';
import {
  BY_NAME,
  decodeSkipToken,
  encodeSkipToken,
  linkWith,
  parseOrderBy,
  parseTop,
  sortedChildren,
} from './listing';
import { driveItemJson, driveJson, eTagOf, itemContext, metadataBase, parseSelect, project } from './render';
import { getContent, getThumbnails } from './routes-content';
import { commitUploadSession, createUploadSession } from './routes-sessions';
import { copyItem, createChild, deleteItem, putContent, restoreItem, updateItem } from './routes-write';
import type { Item, OnedriveStore } from './store';

export type { GraphDeps } from './context';

type Handler = (req: DriveRequest) => Promise<void> | void;

function getItem(req: DriveRequest): void {
  const { ctx, store } = req;
  const item = findItem(store, req.address);
  const select = parseSelect(ctx);
  const json = driveItemJson(req.view, store, item);
  const inm = ctx.req.headers['if-none-match'];
  if (inm !== undefined && inm === json.eTag) {
    ctx.res.writeHead(304, { ETag: json.eTag as string });
    ctx.res.end();
    return;
  }
  sendGraphJson(
    ctx,
    200,
    { '@odata.context': itemContext(ctx, store, select), ...project(json, select) },
    { ETag: eTagOf(item) },
  );
}

function sendPage(
  req: DriveRequest,
  context: string,
  all: readonly Item[],
  options: { parentPath?: boolean } = {},
): void {
  const { ctx, store, view } = req;
  const select = parseSelect(ctx);
  const top = parseTop(ctx);
  const offset = decodeSkipToken(ctx.url.searchParams.get('$skiptoken'));
  const page = all.slice(offset, offset + top);
  const body: Record<string, unknown> = { '@odata.context': context };
  if (offset + top < all.length)
    body['@odata.nextLink'] = linkWith(ctx, '$skiptoken', encodeSkipToken(offset + top));
  body.value = page.map((child) => project(driveItemJson(view, store, child, options), select));
  sendGraphJson(ctx, 200, body);
}

function listChildren(req: DriveRequest): void {
  const { ctx, store } = req;
  const item = findItem(store, req.address);
  const select = parseSelect(ctx);
  const order = parseOrderBy(ctx);
  const all = item.kind === 'folder' ? sortedChildren(store, item, order) : [];
  const context = `${metadataBase(ctx)}#drives('${store.account.driveId}')/items('${item.id}')/children${select ? `(${select.join(',')})` : ''}`;
  sendPage(req, context, all);
}

function search(req: DriveRequest): void {
  const { ctx, store } = req;
  const scope = findItem(store, req.address);
  const query = (req.address.params.q ?? ctx.url.searchParams.get('q') ?? '').trim().toLowerCase();
  const found: Item[] = [];
  const visit = (folder: Item) => {
    if (folder.kind !== 'folder') return;
    for (const child of sortedChildren(store, folder, BY_NAME)) {
      if (query !== '' && child.name.toLowerCase().includes(query)) found.push(child);
      visit(child);
    }
  };
  visit(scope);
  sendPage(req, `${metadataBase(ctx)}#Collection(driveItem)`, found);
}

/** Method -> handler, per action. */
const ACTION_HANDLERS: Record<Action, Partial<Record<string, Handler>>> = {
  '': { GET: getItem, PATCH: updateItem, DELETE: deleteItem, PUT: commitUploadSession },
  children: { GET: listChildren, POST: createChild },
  content: { GET: getContent, PUT: putContent },
  delta: { GET: sendDelta },
  search: { GET: search },
  createUploadSession: { POST: createUploadSession },
  copy: { POST: copyItem },
  restore: { POST: restoreItem },
  thumbnails: { GET: getThumbnails },
};

async function serveDrive(
  ctx: RequestContext,
  deps: GraphDeps,
  store: OnedriveStore,
  rest: string,
): Promise<void> {
  deps.copies.settle(store, deps.clock.now());
  if (rest === '' || rest === '/') {
    if (ctx.method !== 'GET') throw methodNotAllowed(ctx.method, ['GET']);
    sendGraphJson(ctx, 200, { '@odata.context': `${metadataBase(ctx)}#drives/$entity`, ...driveJson(store) });
    return;
  }
  const address = parseAddress(rest);
  const handlers = ACTION_HANDLERS[address.action];
  const handler = handlers[ctx.method];
  if (!handler) throw methodNotAllowed(ctx.method, Object.keys(handlers));
  await handler({ ctx, deps, store, address, view: viewOf(ctx, deps) });
}

const methodNotAllowed = (method: string, allow: string[]) =>
  new GraphError(405, 'BadRequest', `The request method '${method}' is not supported for this resource.`, {
    Allow: allow.join(', '),
  });

const METHODS = ['GET', 'PUT', 'POST', 'PATCH', 'DELETE'];

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
  router.on('GET', '/v1.0/me/drives', (ctx) => {
    const store = authenticate(ctx, deps);
    deps.copies.settle(store, deps.clock.now());
    sendGraphJson(ctx, 200, { '@odata.context': `${metadataBase(ctx)}#drives`, value: [driveJson(store)] });
  });
  router.on(METHODS, '/v1.0/me/drive/*', async (ctx) => {
    const store = authenticate(ctx, deps);
    await serveDrive(ctx, deps, store, ctx.params['*'] ?? '');
  });
  router.on(METHODS, '/v1.0/drives/:driveId/*', async (ctx) => {
    const store = authenticate(ctx, deps);
    // Only the caller's own drive exists here: another id is not found.
    if ((ctx.params.driveId as string).toLowerCase() !== store.account.driveId) throw itemNotFound();
    await serveDrive(ctx, deps, store, ctx.params['*'] ?? '');
  });

  // The copy monitor (api.onedrive.com): no Authorization needed.
  router.on('GET', '/monitor/:job', (ctx) => {
    const job = deps.copies.get(ctx.params.job as string);
    const store = job && deps.storeByDrive(job.driveId);
    if (!job || !store) {
      sendGraphError(ctx, itemNotFound(), deps.clock.now());
      return;
    }
    deps.copies.poll(job, store, deps.clock.now());
    if (job.status === 'inProgress') {
      const elapsed = deps.clock.now() - job.createdAt;
      const percentageComplete = Math.max(50, Math.min(99, Math.round((elapsed / COPY_MS) * 100)));
      sendJson(ctx.res, 202, { operation: 'ItemCopy', percentageComplete, status: 'inProgress' });
    } else if (job.status === 'completed')
      sendJson(ctx.res, 200, {
        operation: 'ItemCopy',
        percentageComplete: 100,
        resourceId: job.resourceId,
        status: 'completed',
      });
    else
      sendJson(ctx.res, 200, {
        operation: 'ItemCopy',
        percentageComplete: 0,
        status: 'failed',
        errorCode: job.error?.code,
        error: job.error,
      });
  });
}

export { unknownSegment };
