/**
 * The three kinds of Dropbox endpoint, wired once for every route (`POST /2/<namespace>/<route>`):
 * - `rpc`: JSON argument in the body (`Content-Type: application/json`, `application/json;
 *   charset=utf-8` or `text/plain; charset=dropbox-cors-hack`; a route without argument takes a bare
 *   POST without Content-Type or the body `null`, and an empty body with a JSON type is undecodable
 *   (?)), JSON result with `Content-Type: application/json` exactly (a void result is `null`);
 * - `upload`: argument in the `Dropbox-API-Arg` header (or `arg` URL parameter), bytes in the body
 *   (`application/octet-stream` or `text/plain; charset=dropbox-cors-hack`), JSON result;
 * - `download`: argument in the header or URL parameter, no body, GET allowed; the handler sends the
 *   bytes and the result goes in the `Dropbox-API-Result` header.
 * Order of checks: Content-Type, Authorization (400 when missing or malformed, 401 when unknown,
 * expired, revoked or lacking the route's scope; on a route without authentication, any Authorization
 * header or `authorization` parameter is a 400), argument (400 with stone's message; a body that is
 * not UTF-8 cannot be decoded (?)), write throttle (429 `too_many_write_operations`), then the route.
 * Errors are rendered in Dropbox's formats (errors.ts) with the route name in 400 messages; an upload
 * body is read to its end first. A `quota` fault reaches the route as `Call.overQuota`.
 */
import { drainBody, readBody, BodyTooLargeError, type RequestContext, type Router } from '../shared/http';
import type { OAuthServer } from '../shared/oauth';
import type { WriteThrottle } from '../shared/throttle';
import { ArgError, voidArg, type Decoder } from './args';
import {
  AuthError,
  BadRequestError,
  DropboxError,
  RateLimitError,
  sendDropboxError,
  sendDropboxJson,
  tag,
} from './errors';
import type { DropboxStore } from './store';

export type RouteStyle = 'rpc' | 'upload' | 'download';

export interface Call<A> {
  readonly ctx: RequestContext;
  readonly arg: A;
  /** The caller's Dropbox (routes with `auth: 'noauth'` get none). */
  readonly store: DropboxStore;
  /**
   * A `quota` fault fired on this request (only on routes with `spaceError`): the route fails its
   * write with its own space error instead of writing.
   */
  readonly overQuota: boolean;
}

export interface RouteSpec<A> {
  /** `files/list_folder`, `files/upload`, ... (the path after `/2/`). */
  name: string;
  style: RouteStyle;
  arg: Decoder<A>;
  /** Required token scope; absent for `noauth` routes and token/revoke. */
  scope?: string;
  auth?: 'user' | 'noauth';
  /** Counts against the per-user write throttle. */
  write?: boolean;
  /** The route can fail for lack of space: `quota` faults fire on it (and on no other route). */
  spaceError?: boolean;
  /**
   * rpc/upload: returns the result (undefined = `null`). download: sends the response itself.
   * noauth routes receive no store and must not use it.
   */
  handle(call: Call<A>): Promise<unknown> | unknown;
}

export interface RpcDeps {
  oauth: OAuthServer;
  throttle: WriteThrottle;
  store(email: string): DropboxStore | undefined;
  /** Filled by registerRoute: the paths (`/2/files/upload`) of the routes with `spaceError`. */
  spaceRoutes: Set<string>;
}

const RPC_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'text/plain; charset=dropbox-cors-hack',
];
const UPLOAD_TYPES = ['application/octet-stream', 'text/plain; charset=dropbox-cors-hack'];
const DOWNLOAD_TYPES = ['', 'application/octet-stream'];
const RPC_BODY_LIMIT = 1024 * 1024;
/** Strict UTF-8: a body with invalid sequences is not JSON (?). */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

const normalizedType = (value: string | undefined) =>
  (value ?? '')
    .split(';')
    .map((part) => part.trim().toLowerCase())
    .filter(Boolean)
    .join('; ');

function expecting(types: readonly string[]): string {
  return types.map((t) => `"${t}"`).join(', ');
}

/** Registers a route; rpc and upload routes answer POST, download routes POST and GET. */
export function registerRoute<A>(router: Router, deps: RpcDeps, spec: RouteSpec<A>): void {
  const methods = spec.style === 'download' ? ['POST', 'GET'] : ['POST'];
  if (spec.spaceError) deps.spaceRoutes.add(`/2/${spec.name}`);
  router.on(methods, `/2/${spec.name}`, async (ctx) => {
    try {
      await serve(ctx, deps, spec);
    } catch (error) {
      if (!(error instanceof DropboxError) || ctx.res.headersSent || ctx.bodyCut) throw error;
      if (spec.style === 'upload') await drainBody(ctx.body);
      sendDropboxError(ctx.res, error, spec.name);
    }
  });
}

async function serve<A>(ctx: RequestContext, deps: RpcDeps, spec: RouteSpec<A>): Promise<void> {
  const contentType = ctx.req.headers['content-type'];
  const raw = await rawArgument(ctx, spec, contentType);
  const store = spec.auth === 'noauth' ? refuseAuthorization(ctx) : authenticate(ctx, deps, spec.scope);
  const arg = decodeArgument(spec, raw);
  if (spec.write && store && !deps.throttle.take(store.account.email))
    throw new RateLimitError('too_many_write_operations');
  const call: Call<A> = { ctx, arg, store: store as DropboxStore, overQuota: ctx.quotaFault === true };
  const result = await spec.handle(call);
  if (spec.style !== 'download' && !ctx.res.headersSent) sendDropboxJson(ctx.res, 200, result ?? null);
}

/** The argument's JSON text (undefined = none given), after the Content-Type check. */
async function rawArgument(
  ctx: RequestContext,
  spec: RouteSpec<unknown>,
  contentType: string | undefined,
): Promise<{ text: string | undefined; source: string }> {
  const type = normalizedType(contentType);
  if (spec.style === 'rpc') {
    let body: Buffer;
    try {
      body = await readBody(ctx.body, RPC_BODY_LIMIT);
    } catch (error) {
      if (error instanceof BodyTooLargeError) throw new BadRequestError('request body: too large');
      throw error;
    }
    // A route without argument takes a bare POST (what the SDK sends); others need their JSON.
    if (body.length === 0 && contentType === undefined && spec.arg === voidArg)
      return { text: undefined, source: 'request body' };
    if (!RPC_TYPES.includes(type))
      throw new BadRequestError(
        `Bad HTTP "Content-Type" header: "${contentType ?? ''}".  Expecting one of ${expecting(RPC_TYPES)}.`,
      );
    let text: string;
    try {
      text = UTF8.decode(body);
    } catch {
      throw new BadRequestError('request body: could not decode input as JSON');
    }
    return { text, source: 'request body' };
  }
  const allowed = spec.style === 'upload' ? UPLOAD_TYPES : DOWNLOAD_TYPES;
  if (!allowed.includes(type) && !(spec.style === 'download' && contentType === undefined))
    throw new BadRequestError(
      `Bad HTTP "Content-Type" header: "${contentType ?? ''}".  Expecting one of ${expecting(allowed)}.`,
    );
  const header = ctx.req.headers['dropbox-api-arg'];
  if (typeof header === 'string') return { text: header, source: 'HTTP header "Dropbox-API-Arg"' };
  const param = ctx.url.searchParams.get('arg');
  if (param !== null) return { text: param, source: 'URL parameter "arg"' };
  return { text: undefined, source: 'HTTP header "Dropbox-API-Arg"' };
}

function decodeArgument<A>(spec: RouteSpec<A>, raw: { text: string | undefined; source: string }): A {
  let value: unknown = null;
  if (raw.text !== undefined) {
    // Header values must be ASCII: characters >= U+007F travel as \uXXXX escapes (the SDK's httpHeaderSafeJson).
    const nonAscii = raw.source.startsWith('HTTP header') && /[\u007f-\uffff]/.test(raw.text);
    try {
      if (nonAscii) throw new SyntaxError('non-ASCII header');
      value = JSON.parse(raw.text);
    } catch {
      throw new BadRequestError(`${raw.source}: could not decode input as JSON`);
    }
  } else if (spec.style !== 'rpc') {
    throw new BadRequestError('Must provide HTTP header "Dropbox-API-Arg" or URL parameter "arg".');
  }
  try {
    return spec.arg.decode(value);
  } catch (error) {
    if (error instanceof ArgError) throw new BadRequestError(`${raw.source}: ${error.describe()}`);
    throw error;
  }
}

/** The bearer token of a request: the Authorization header or the `authorization` URL parameter. */
export function bearerToken(ctx: RequestContext): string {
  const header = ctx.req.headers.authorization ?? ctx.url.searchParams.get('authorization') ?? undefined;
  if (header === undefined)
    throw new BadRequestError('Must provide HTTP header "Authorization" or URL parameter "authorization".');
  const match = /^Bearer (\S+)$/.exec(header.trim());
  if (!match)
    throw new BadRequestError(
      `Invalid authorization value in HTTP header "Authorization": "${header}".  Expecting "Bearer <oauth2-access-token>".`,
    );
  return match[1] as string;
}

/**
 * A route without authentication refuses credentials it would ignore (dropbox-sdk-java#35,
 * dropbox-sdk-rust#15); the `authorization` URL parameter is refused the same way (?).
 */
function refuseAuthorization(ctx: RequestContext): undefined {
  if (ctx.req.headers.authorization !== undefined || ctx.url.searchParams.has('authorization'))
    throw new BadRequestError(
      'Your request includes an Authorization header, but this function does not use it.',
    );
  return undefined;
}

function authenticate(ctx: RequestContext, deps: RpcDeps, scope: string | undefined): DropboxStore {
  const auth = deps.oauth.authenticate(bearerToken(ctx));
  if (!auth.ok)
    throw new AuthError(tag(auth.reason === 'expired' ? 'expired_access_token' : 'invalid_access_token'));
  if (scope && !auth.grant.scope.split(' ').includes(scope))
    throw new AuthError(tag('missing_scope', { required_scope: scope }));
  const store = deps.store(auth.grant.user.email);
  if (!store) throw new AuthError(tag('invalid_access_token'));
  return store;
}

/** A 400 for a path the route does not know (`Unknown API function`) (?). */
export function unknownRoute(ctx: RequestContext): BadRequestError {
  return new BadRequestError(`Unknown API function: "${ctx.url.pathname.replace(/^\/2\//, '')}"`);
}
