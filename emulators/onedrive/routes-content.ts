/**
 * Downloads and thumbnails.
 *
 * Graph (bearer token):
 *   GET {item}/content                        302, `Location` = the item's download URL (links.ts);
 *                                             `If-None-Match` = eTag or cTag -> 304; a folder: 404 (?).
 *                                             A `Range` sent here is not answered here: clients that follow
 *                                             the redirect (fetch does) send it again to the download URL.
 *   GET {item}/thumbnails                     `{value: [{id: "0", small, medium, large}]}` (images) or
 *                                             `{value: []}`; `$select=medium,c300x400_Crop` picks sizes
 *   GET {item}/thumbnails/0                   that set; `/thumbnails/0/{size}`: `{height, width, url}`
 *   GET {item}/thumbnails/0/{size}/content    302 to the thumbnail's URL (thumbnail docs)
 * Content host (no Authorization needed; one sent is ignored: on the emulator the redirect stays on
 * one origin, so fetch keeps the header that a real cross-host redirect drops):
 *   GET|HEAD /personal/{cid}/_layouts/15/download.aspx?...&tempauth=...   the bytes: 200 with
 *     Content-Length, `Accept-Ranges: bytes`, `Content-Disposition: attachment`; `Range: bytes=a-b|a-|-n`
 *     -> 206 + Content-Range, unsatisfiable -> 416 + `Content-Range: bytes * /size`; other Range forms
 *     are ignored (200), and every Range while the admin switch `setDownloadRanges('ignored')` is on
 *     (clients must cope with a 200). Expired link (default 1 hour): 401 `unauthenticated` (?); unknown
 *     token, or an item since deleted or whose content changed: 404 `itemNotFound` (?).
 *   GET /personal/{cid}/_api/v2.0/drive/items/{id}/thumbnails/0/{size}/content?tempauth=...  JPEG bytes.
 */
import { pipeline } from 'node:stream/promises';
import { parseRange, redirect, writeRangeHead, type RequestContext, type Router } from '../shared/http';
import { findItem } from './addressing';
import { openContent } from './content';
import type { DriveRequest, GraphDeps } from './context';
import { GraphError, itemNotFound, sendGraphError, sendGraphJson } from './errors';
import { cTagOf, downloadUrl, eTagOf, metadataBase } from './render';
import type { FileItem, Item, OnedriveStore } from './store';
import { STANDARD_SIZES, sizeSpec, fit } from './thumbnails';

export function getContent(req: DriveRequest): void {
  const item = findItem(req.store, req.address);
  if (item.kind !== 'file') throw itemNotFound();
  const inm = req.ctx.req.headers['if-none-match'];
  if (inm !== undefined) {
    const tags = inm.split(',').map((t) => t.trim().replace(/^W\//, ''));
    if (tags.includes(eTagOf(item)) || tags.includes(cTagOf(item))) {
      req.ctx.res.writeHead(304, { ETag: eTagOf(item) });
      req.ctx.res.end();
      return;
    }
  }
  redirect(req.ctx.res, downloadUrl(req.view, req.store, item));
}

/** The bytes of `file`; `ignoreRange`: a `Range` is answered with 200 and the whole body (admin switch). */
async function sendFile(ctx: RequestContext, file: FileItem, ignoreRange: boolean): Promise<void> {
  const size = file.content.size;
  const headers: Record<string, string | number> = {
    'Accept-Ranges': 'bytes',
    ETag: eTagOf(file),
    'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    'Cache-Control': 'no-cache',
  };
  const range = ignoreRange ? undefined : parseRange(ctx.req.headers.range, size);
  const bytes = writeRangeHead(ctx.res, range, size, 'application/octet-stream', headers);
  if (!bytes) return;
  if (ctx.method === 'HEAD') {
    ctx.res.end();
    return;
  }
  await pipeline(openContent(file.content, bytes.start, bytes.end), ctx.res);
}

// ---- thumbnails ------------------------------------------------------------------------------------

/** The picture behind an item's thumbnails, or undefined (not an image). */
async function sourceImage(deps: GraphDeps, store: OnedriveStore, item: Item) {
  if (item.kind !== 'file') return undefined;
  return deps.thumbnails.source(`${store.account.driveId}:${item.id}:${item.contentVersion}`, item.content);
}

export async function getThumbnails(req: DriveRequest): Promise<void> {
  const { ctx, store, deps, view } = req;
  const item = findItem(store, req.address);
  const [setId, size, content, ...extra] = req.address.args;
  if (extra.length > 0 || (content !== undefined && content !== 'content'))
    throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${extra[0] ?? content}'.`);
  const image = await sourceImage(deps, store, item);
  const thumbnail = (name: string) => {
    const spec = sizeSpec(name);
    if (!spec || !image) return undefined;
    const fitted = fit(image, spec);
    return {
      height: fitted.height,
      width: fitted.width,
      url: deps.links.thumbnailUrl(view.origin, {
        d: store.account.driveId,
        i: item.id,
        v: item.contentVersion,
        s: name,
      }),
    };
  };
  const selected = (ctx.url.searchParams.get('$select') ?? ctx.url.searchParams.get('select'))
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of selected ?? [])
    if (name !== 'id' && !sizeSpec(name))
      throw new GraphError(400, 'invalidRequest', `Invalid thumbnail size '${name}'.`);
  const set = () => {
    const out: Record<string, unknown> = { id: '0' };
    for (const name of (selected ?? STANDARD_SIZES).filter((n) => n !== 'id')) out[name] = thumbnail(name);
    return out;
  };
  const context = `${metadataBase(ctx)}#drives('${store.account.driveId}')/items('${item.id}')/thumbnails`;
  if (setId === undefined) {
    sendGraphJson(ctx, 200, { '@odata.context': context, value: image ? [set()] : [] });
    return;
  }
  if (setId !== '0' || !image) throw itemNotFound();
  if (size === undefined) {
    sendGraphJson(ctx, 200, { '@odata.context': `${context}/$entity`, ...set() });
    return;
  }
  const one = thumbnail(size);
  if (!one) throw itemNotFound();
  if (content === 'content') {
    redirect(ctx.res, one.url);
    return;
  }
  sendGraphJson(ctx, 200, { '@odata.context': `${context}('0')/${size}/$entity`, ...one });
}

// ---- the content host --------------------------------------------------------------------------------

export function registerContentHostRoutes(router: Router, deps: GraphDeps): void {
  const fail = (ctx: RequestContext, error: GraphError) => sendGraphError(ctx, error, deps.clock.now());

  router.on(['GET', 'HEAD'], '/personal/:cid/_layouts/15/download.aspx', async (ctx) => {
    const claims = deps.links.readDownload(ctx.url.searchParams);
    const store = claims && deps.storeByDrive(claims.d);
    if (!claims || !store || claims.d !== ctx.params.cid) return fail(ctx, itemNotFound());
    if (claims.e <= deps.clock.now())
      return fail(ctx, new GraphError(401, 'unauthenticated', 'The download URL has expired.'));
    const item = store.get(claims.i);
    if (!item || item.kind !== 'file' || item.contentVersion !== claims.v) return fail(ctx, itemNotFound());
    await sendFile(ctx, item, deps.downloadRanges.ignored);
  });

  router.on(
    'GET',
    '/personal/:cid/_api/v2.0/drive/items/:itemId/thumbnails/:set/:size/content',
    async (ctx) => {
      const claims = deps.links.readThumbnail(ctx.url.searchParams);
      const store = claims && deps.storeByDrive(claims.d);
      if (!claims || !store || claims.i !== ctx.params.itemId || claims.s !== ctx.params.size)
        return fail(ctx, itemNotFound());
      const item = store.get(claims.i);
      const spec = sizeSpec(claims.s);
      if (!item || item.contentVersion !== claims.v || !spec) return fail(ctx, itemNotFound());
      const image = await sourceImage(deps, store, item);
      if (!image) return fail(ctx, itemNotFound());
      const bytes = deps.thumbnails.render(image, spec);
      ctx.res.writeHead(200, {
        'Content-Type': 'image/jpeg',
        'Content-Length': bytes.length,
        'Cache-Control': 'public, max-age=31536000',
      });
      ctx.res.end(bytes);
    },
  );
}
