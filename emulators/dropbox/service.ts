/**
 * The Dropbox emulator's state and wiring. One origin serves the paths of every Dropbox host:
 * www.dropbox.com (`/oauth2/authorize`), api.dropboxapi.com (`/oauth2/token`, RPC routes `/2/...`),
 * content.dropboxapi.com (upload, download, thumbnails) and notify.dropboxapi.com (longpoll), plus the
 * admin surface (`/__admin/...`). Order per request (shared/pipeline.ts): admin (no faults) | faults
 * (may answer, delay, reset or break the response) | route (Content-Type, auth, argument, throttle,
 * operation) | errors rendered in Dropbox's formats.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  createAdmin,
  registerAdminRoutes,
  registerQuotaRoute,
  seededStore,
  type AdminTarget,
  type EmulatorAdmin,
  type QuotaAdmin,
} from '../shared/admin';
import type { OffsetClock } from '../shared/clock';
import { oauthServerOptions, type ServiceOptions } from '../shared/emulator';
import { FaultEngine, type FaultHooks } from '../shared/faults';
import { Router, type RequestContext } from '../shared/http';
import { OAuthServer } from '../shared/oauth';
import { requestListener } from '../shared/pipeline';
import { WriteThrottle } from '../shared/throttle';
import { BlobStore } from './content';
import { REQUEST_PAYLOAD_LIMIT, type ContentDeps } from './context';
import {
  AuthError,
  BadRequestError,
  DropboxError,
  RateLimitError,
  ServerError,
  sendDropboxError,
  sendDropboxText,
  tag,
} from './errors';
import { Longpolls, registerLongpollRoute } from './longpoll';
import { registerAccountRoutes } from './routes-account';
import { registerContentRoutes } from './routes-content';
import { registerFileRoutes } from './routes-files';
import { registerOAuthRoutes } from './routes-oauth';
import { registerRevisionRoutes } from './routes-revisions';
import { registerSearchRoutes } from './routes-search';
import { registerSessionRoutes } from './routes-sessions';
import { registerThumbnailRoutes } from './routes-thumbnails';
import { bearerToken, unknownRoute } from './rpc';
import { DROPBOX_SCOPES, expandScope, shapeTokenResponse } from './scopes';
import { buildStores } from './seed';
import type { DropboxStore } from './store';
import { Thumbnails } from './thumbnails';
import { UploadSessions } from './upload-sessions';

export class DropboxService {
  readonly clock: OffsetClock;
  readonly oauth: OAuthServer;
  readonly faults: FaultEngine;
  readonly throttle: WriteThrottle;
  readonly admin: EmulatorAdmin & QuotaAdmin;
  private stores = new Map<string, DropboxStore>();
  private readonly blobs: BlobStore;
  private readonly sessions: UploadSessions;
  private readonly longpolls: Longpolls;
  private readonly router = new Router();
  private readonly adminRouter = new Router();
  private readonly faultHooks: FaultHooks;
  /** The node:http request listener (shared/pipeline.ts). */
  readonly handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>;

  constructor(private readonly options: ServiceOptions) {
    this.clock = options.clock;
    this.blobs = new BlobStore(options.dataDir);
    // Routes that can run out of space register themselves (RouteSpec.spaceError); quota faults fire there only.
    const spaceRoutes = new Set<string>();
    this.faults = new FaultEngine(
      (path) => path.startsWith('/2/'),
      options.faults,
      (kind, path) => kind !== 'quota' || spaceRoutes.has(path),
    );
    this.throttle = new WriteThrottle(this.clock, options.writesPerSecond);
    this.oauth = new OAuthServer({
      ...oauthServerOptions(options),
      serviceName: 'Dropbox',
      prefixes: { accessToken: 'sl.u.', refreshToken: '', code: '' },
      defaultScope: DROPBOX_SCOPES.join(' '),
      expandScope,
      isOfflineRequest: (query) => query.get('token_access_type') === 'offline',
      pkceMethods: ['S256', 'plain'],
      pkceOptional: true,
      // "The redirect_uri is optional with the code flow": the code is then shown to the user (OAuth guide).
      redirectUriOptional: true,
      shapeTokenResponse: (tokens, grant, grantType) =>
        shapeTokenResponse(tokens, grantType, this.stores.get(grant.user.email)?.account),
    });
    this.sessions = new UploadSessions(
      () => this.blobs.sessionsDir,
      this.clock,
      () => options.uploadSessionLifetimeSeconds * 1000,
    );
    this.longpolls = new Longpolls(this.clock, options.sleep);
    this.faultHooks = {
      render: (rule, ctx) =>
        sendDropboxError(ctx.res, this.faultError(rule.kind, rule.status, rule.retryAfter, ctx)),
      expireToken: (ctx) => {
        try {
          this.oauth.expireAccessToken(bearerToken(ctx));
        } catch {
          // No usable token on the request: nothing to expire.
        }
      },
      sleep: options.sleep,
      quotaInRoute: true,
    };
    const deps: ContentDeps = {
      oauth: this.oauth,
      throttle: this.throttle,
      store: (email) => this.stores.get(email),
      spaceRoutes,
      blobs: this.blobs,
      sessions: this.sessions,
      payloadLimit: REQUEST_PAYLOAD_LIMIT,
    };
    registerOAuthRoutes(this.router, this.oauth);
    registerAccountRoutes(this.router, deps);
    registerFileRoutes(this.router, deps);
    registerRevisionRoutes(this.router, deps);
    registerSearchRoutes(this.router, deps);
    registerContentRoutes(this.router, deps);
    registerSessionRoutes(this.router, deps);
    registerThumbnailRoutes(this.router, deps, new Thumbnails());
    registerLongpollRoute(this.router, deps, this.longpolls, (ns) => this.storeByNamespace(ns));
    const target: AdminTarget = {
      faults: this.faults,
      oauth: this.oauth,
      clock: this.clock,
      throttle: this.throttle,
      defaultScope: DROPBOX_SCOPES.join(' '),
      initial: options,
      users: () => this.users,
      restoreSeed: () => this.restoreSeed(),
    };
    const admin = createAdmin(target);
    this.admin = {
      ...admin,
      advanceClock: (ms) => {
        admin.advanceClock(ms);
        this.longpolls.wake();
      },
      setQuota: (user, limit) => {
        seededStore(this.stores, user).quotaLimit = limit;
      },
    };
    registerAdminRoutes(this.adminRouter, target, this.admin);
    registerQuotaRoute(this.adminRouter, this.admin);
    this.handle = requestListener({
      admin: this.adminRouter,
      routes: this.router,
      faults: this.faults,
      faultHooks: this.faultHooks,
      unmatched: (ctx, match) => {
        if (match.kind === 'method-not-allowed')
          sendDropboxText(ctx.res, 405, `Method ${ctx.method} not allowed; use ${match.allow.join(', ')}.`, {
            Allow: match.allow.join(', '),
          });
        else if (ctx.url.pathname.startsWith('/2/')) sendDropboxError(ctx.res, unknownRoute(ctx));
        else sendDropboxText(ctx.res, 404, 'Not Found');
      },
      renderError: (ctx, error) => {
        if (error instanceof DropboxError) sendDropboxError(ctx.res, error);
        else sendDropboxText(ctx.res, 500, 'Internal Server Error');
      },
    });
  }

  get users(): string[] {
    return this.options.seed.users.map((u) => u.email);
  }

  /** Prepares the data directory and builds the seeded accounts. */
  async init(): Promise<void> {
    await this.blobs.clear();
    this.stores = this.build();
  }

  private build(): Map<string, DropboxStore> {
    return buildStores(this.options.seed, {
      clock: this.clock,
      defaultQuotaBytes: this.options.defaultQuotaBytes,
    });
  }

  /** Back to the seed: data (every old cursor then reads `reset`) and sessions; waiting longpolls answer. */
  private async restoreSeed(): Promise<void> {
    this.sessions.clear();
    await this.blobs.clear();
    this.stores = this.build();
    this.longpolls.wake();
  }

  private storeByNamespace(namespaceId: string): DropboxStore | undefined {
    for (const store of this.stores.values()) if (store.account.namespaceId === namespaceId) return store;
    return undefined;
  }

  /** The Dropbox answer of a rendered fault (see README: faults); `quota` faults are answered by the routes. */
  private faultError(
    kind: string,
    status: number | undefined,
    retryAfter: number | undefined,
    ctx: RequestContext,
  ): DropboxError {
    if (kind === 'rate-limit') return new RateLimitError('too_many_requests', retryAfter ?? 1);
    if (kind === 'user-rate-limit') return new RateLimitError('too_many_write_operations', retryAfter ?? 1);
    const code = status ?? 503;
    if (code === 401) return new AuthError(tag('invalid_access_token'));
    if (code === 429) return new RateLimitError('too_many_requests', retryAfter ?? 1);
    if (code === 400)
      return new BadRequestError(
        `Error in call to API function "${ctx.url.pathname.slice(3)}": fault injected`,
      );
    return new ServerError(code, retryAfter);
  }
}
