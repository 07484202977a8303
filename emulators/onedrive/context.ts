/**
 * What the Graph route modules share: their dependencies (kept narrow so routes do not depend on the
 * service class), the caller's drive from the bearer token, a request's view (origin, signer, time),
 * JSON bodies, `If-Match`, write throttling, and the driveItem answer.
 */
import type { OffsetClock } from '../shared/clock';
import { BodyTooLargeError, readBody, type RequestContext } from '../shared/http';
import type { OAuthServer } from '../shared/oauth';
import type { WriteThrottle } from '../shared/throttle';
import type { Address } from './addressing';
import type { BlobStore } from './content';
import type { CopyJobs } from './copy';
import { GraphError, preconditionFailed, sendGraphJson, throttled } from './errors';
import type { Links } from './links';
import { cTagOf, driveItemJson, eTagOf, itemContext, parseSelect, project, type View } from './render';
import type { Item, OnedriveStore } from './store';
import type { Thumbnails } from './thumbnails';
import type { UploadSessions } from './upload-sessions';

export interface GraphDeps {
  oauth: OAuthServer;
  clock: OffsetClock;
  throttle: WriteThrottle;
  store(email: string): OnedriveStore | undefined;
  /** The store of a drive id (download, upload and thumbnail hosts). */
  storeByDrive(driveId: string): OnedriveStore | undefined;
  blobs: BlobStore;
  sessions: UploadSessions;
  links: Links;
  copies: CopyJobs;
  thumbnails: Thumbnails;
  /** Delta tokens older than this read as expired (410 resyncRequired). */
  deltaRetentionMs: number;
  /** `ignored`: download URLs answer a `Range` with 200 and the whole body (admin `setDownloadRanges`). */
  readonly downloadRanges: { readonly ignored: boolean };
}

/** One request on a drive: the caller's store, the parsed address, rendering context. */
export interface DriveRequest {
  ctx: RequestContext;
  deps: GraphDeps;
  store: OnedriveStore;
  address: Address;
  view: View;
}

const WWW_AUTHENTICATE = {
  'WWW-Authenticate':
    'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
};

export const unauthenticated = (message: string) =>
  new GraphError(401, 'InvalidAuthenticationToken', message, WWW_AUTHENTICATE);

/** The caller's drive (store), from the bearer token. */
export function authenticate(ctx: RequestContext, deps: GraphDeps): OnedriveStore {
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

export function viewOf(ctx: RequestContext, deps: GraphDeps): View {
  return { origin: ctx.url.origin, links: deps.links, now: deps.clock.now() };
}

/** Bytes a JSON request body may have. */
const JSON_LIMIT = 4 * 1024 * 1024;

/** Graph's answer to a body that is not a JSON object. */
const unreadableJson = () =>
  new GraphError(
    400,
    'BadRequest',
    'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
  );

/** The request's JSON object body; an empty body is `{}` when `optional`. */
export async function readJson(ctx: RequestContext, optional = false): Promise<Record<string, unknown>> {
  let body: Buffer;
  try {
    body = await readBody(ctx.body, JSON_LIMIT);
  } catch (error) {
    if (error instanceof BodyTooLargeError)
      throw new GraphError(413, 'invalidRequest', 'The request body is too large.');
    throw error;
  }
  if (body.length === 0) {
    if (optional) return {};
    throw unreadableJson();
  }
  try {
    const value = JSON.parse(body.toString('utf8')) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw unreadableJson();
}

/** `If-Match`: 412 unless it names the item's eTag or cTag (or `*`); `item` undefined: nothing there. */
export function checkIfMatch(ctx: RequestContext, item: Item | undefined): void {
  const header = ctx.req.headers['if-match'];
  if (header === undefined) return;
  if (!item) throw preconditionFailed();
  const tags = header.split(',').map((t) => t.trim().replace(/^W\//, ''));
  if (tags.includes('*')) return;
  if (!tags.includes(eTagOf(item)) && !tags.includes(cTagOf(item))) throw preconditionFailed();
}

/**
 * `If-None-Match` on a write (createUploadSession docs: "If ... the eTag (or cTag) provided matches the
 * current etag on the item, a 412"): 412 when it names the item's eTag or cTag, or is `*` and the item
 * exists (?); nothing there: no precondition.
 */
export function checkIfNoneMatch(ctx: RequestContext, item: Item | undefined): void {
  const header = ctx.req.headers['if-none-match'];
  if (header === undefined || !item) return;
  const tags = header.split(',').map((t) => t.trim().replace(/^W\//, ''));
  if (tags.includes('*') || tags.includes(eTagOf(item)) || tags.includes(cTagOf(item)))
    throw new GraphError(412, 'resourceModified', "ETag matches the current item's value");
}

/** Per-user write throttling (admin `setWriteRate`): 429 `activityLimitReached`, Retry-After 1 (?). */
export function takeWrite(deps: GraphDeps, store: OnedriveStore): void {
  if (!deps.throttle.take(store.account.email)) throw throttled(1);
}

/** Answers a driveItem (`$select` applied) with its `@odata.context`. */
export function sendDriveItem(req: DriveRequest, status: number, item: Item, headers = {}): void {
  const select = parseSelect(req.ctx);
  const json = driveItemJson(req.view, req.store, item);
  sendGraphJson(
    req.ctx,
    status,
    { '@odata.context': itemContext(req.ctx, req.store, select), ...project(json, select) },
    { ETag: json.eTag as string, ...headers },
  );
}
