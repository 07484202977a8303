/**
 * The OneDrive emulator's state and wiring. One origin serves the paths of every Microsoft host:
 * login.microsoftonline.com (`/{tenant}/oauth2/v2.0/authorize|token`), graph.microsoft.com
 * (`/v1.0/...`), the upload and monitor host api.onedrive.com (`/rup/...`, `/monitor/...`) and the
 * content host my.microsoftpersonalcontent.com (`/personal/...`: downloads, thumbnails), plus the
 * admin surface (`/__admin/...`). Order per request (shared/pipeline.ts): admin (no faults) | faults
 * on `/v1.0/*`, `/rup/*`, `/monitor/*`, `/personal/*` (may answer, delay, reset or break the response)
 * | route (auth, parameters, operation) | errors rendered in Graph's format.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  adminHandler,
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
import { FaultEngine, type FaultHooks, type FaultRule } from '../shared/faults';
import { Router, sendText, type HeaderMap } from '../shared/http';
import { OAuthServer, type Grant, type IssuedTokens } from '../shared/oauth';
import { requestListener } from '../shared/pipeline';
import { WriteThrottle } from '../shared/throttle';
import { BlobStore } from './content';
import { CopyJobs } from './copy';
import { DEFAULT_DELTA_RETENTION_MS, type ResyncKind } from './delta';
import { GraphError, invalidRequest, itemNotFound, sendGraphError, throttled } from './errors';
import { Links } from './links';
import { registerContentHostRoutes } from './routes-content';
import { registerGraphRoutes, type GraphDeps } from './routes-graph';
import { CONSUMERS_TENANT_ID, registerIdentityRoutes } from './routes-oauth';
import { registerUploadRoutes } from './routes-sessions';
import { buildStores } from './seed';
import type { OnedriveStore } from './store';
import { Thumbnails } from './thumbnails';
import { UploadSessions } from './upload-sessions';

/** OneDrive's own options (besides the shared ones), all optional. */
export interface OnedriveOptions {
  /**
   * A refresh token that was already used once: `allowed` (default: Microsoft rotates refresh tokens
   * but "doesn't revoke old refresh tokens when used to fetch new access tokens"), or `refused`
   * (strict rotation: 400 invalid_grant AADSTS70000, for clients that must keep the newest one).
   */
  refreshTokenReuse?: 'allowed' | 'refused';
  /** Lifetime of download URLs (`@microsoft.graph.downloadUrl`, the 302 of `/content`); default 3600. */
  downloadUrlLifetimeSeconds?: number;
  /** `honoured` (default), or `ignored`: download URLs answer a `Range` with 200 and the whole body. */
  downloadRanges?: DownloadRanges;
}

export type DownloadRanges = 'honoured' | 'ignored';

/** The OneDrive admin: the shared operations, quotas, delta-token expiry and download ranges. */
export interface OnedriveAdmin extends EmulatorAdmin, QuotaAdmin {
  /**
   * Makes every delta token issued so far need a resync (410 `resyncRequired`, innerError `kind`,
   * default `resyncChangesApplyDifferences`); for one user or all. Returns the users affected.
   */
  expireDeltaTokens(user?: string, kind?: ResyncKind): number;
  /** Whether download URLs honour `Range` (a reset restores the `downloadRanges` option). */
  setDownloadRanges(mode: DownloadRanges): void;
}

/** Paths the fault rules that name none apply to: Graph, the upload, monitor and content hosts. */
export const isApiPath = (path: string): boolean =>
  path.startsWith('/v1.0/') ||
  path.startsWith('/rup/') ||
  path.startsWith('/monitor/') ||
  path.startsWith('/personal/');

/** The scopes a Skyfold-like desktop app asks for (admin-issued tokens get them, minus `openid profile`). */
export const ONEDRIVE_SCOPES = ['Files.ReadWrite.All', 'User.Read', 'offline_access'] as const;

export { CONSUMERS_TENANT_ID };

/** Scopes the identity platform handles itself: granted, but not listed in a token response's `scope`. */
const OIDC_SCOPES = new Set(['offline_access', 'openid', 'profile', 'email']);

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export class OnedriveService {
  readonly clock: OffsetClock;
  readonly oauth: OAuthServer;
  readonly faults: FaultEngine;
  readonly throttle: WriteThrottle;
  readonly admin: OnedriveAdmin;
  private stores = new Map<string, OnedriveStore>();
  private readonly blobs: BlobStore;
  private readonly sessions: UploadSessions;
  private readonly copies: CopyJobs;
  private readonly router = new Router();
  private readonly adminRouter = new Router();
  private readonly faultHooks: FaultHooks;
  /** Whether download URLs ignore `Range` now (admin `setDownloadRanges`). */
  private readonly downloadRanges: { ignored: boolean };
  private readonly resetDownloadRanges: () => void;
  /** The node:http request listener (shared/pipeline.ts). */
  readonly handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>;

  constructor(
    private readonly options: ServiceOptions,
    own: OnedriveOptions = {},
  ) {
    this.clock = options.clock;
    this.faults = new FaultEngine(isApiPath, options.faults);
    this.blobs = new BlobStore(options.dataDir);
    this.sessions = new UploadSessions(
      () => this.blobs.sessionsDir,
      this.clock,
      () => options.uploadSessionLifetimeSeconds * 1000,
    );
    this.copies = new CopyJobs((content) => {
      if (content.kind === 'blob') content.blob.refs++;
      return content;
    });
    this.throttle = new WriteThrottle(this.clock, options.writesPerSecond);
    this.oauth = new OAuthServer({
      ...oauthServerOptions(options),
      serviceName: 'Microsoft',
      // Shaped like Microsoft-account tokens: compact access tokens `EwB...`, refresh tokens and codes `M.C5...`.
      prefixes: { accessToken: 'EwB', refreshToken: 'M.C5_BAY.', code: 'M.C5_BAY.' },
      // "Port is ignored for localhost redirect URIs"; [::1] is not supported (identity platform docs).
      isAllowedRedirectUri: (uri) =>
        uri.href.startsWith('https://login.microsoftonline.com/common/oauth2/nativeclient') ||
        (uri.protocol === 'http:' &&
          (uri.hostname === '127.0.0.1' || uri.hostname === 'localhost') &&
          uri.username === '' &&
          uri.password === '' &&
          uri.hash === ''),
      isOfflineRequest: (query) => (query.get('scope') ?? '').split(/\s+/).includes('offline_access'),
      pkceMethods: ['S256', 'plain'],
      // PKCE is "recommended" (required only for single-page apps): a native client may go without.
      pkceOptionalForPublicClients: true,
      rotateRefreshTokens: true,
      keepUsedRefreshTokens: own.refreshTokenReuse !== 'refused',
      // A second redemption is refused (AADSTS54005) without revoking what the first one granted (?).
      codeReuse: 'refuse',
      // The success redirect carries `code` and `state` only.
      redirectIncludesScope: false,
      idToken: (grant) => this.idToken(grant),
      shapeTokenResponse: (tokens) => this.tokenResponse(tokens),
    });
    this.faultHooks = {
      render: (rule, ctx) => sendGraphError(ctx, this.faultError(rule), this.clock.now()),
      expireToken: (ctx) => {
        const match = /^Bearer\s+(\S+)/i.exec(ctx.req.headers.authorization ?? '');
        if (match) this.oauth.expireAccessToken(match[1] as string);
      },
      sleep: options.sleep,
    };
    registerIdentityRoutes(this.router, this.oauth, () => this.clock.now());
    const initialRanges = own.downloadRanges ?? 'honoured';
    this.downloadRanges = { ignored: initialRanges === 'ignored' };
    this.resetDownloadRanges = () => {
      this.downloadRanges.ignored = initialRanges === 'ignored';
    };
    const deps: GraphDeps = {
      oauth: this.oauth,
      clock: this.clock,
      throttle: this.throttle,
      store: (email: string) => this.stores.get(email),
      storeByDrive: (driveId: string) => this.storeByDrive(driveId),
      blobs: this.blobs,
      sessions: this.sessions,
      links: new Links((own.downloadUrlLifetimeSeconds ?? 3600) * 1000),
      copies: this.copies,
      thumbnails: new Thumbnails(),
      deltaRetentionMs: DEFAULT_DELTA_RETENTION_MS,
      downloadRanges: this.downloadRanges,
    };
    registerGraphRoutes(this.router, deps);
    registerUploadRoutes(this.router, deps);
    registerContentHostRoutes(this.router, deps);
    const target: AdminTarget = {
      faults: this.faults,
      oauth: this.oauth,
      clock: this.clock,
      throttle: this.throttle,
      defaultScope: ONEDRIVE_SCOPES.join(' '),
      initial: options,
      users: () => this.users,
      restoreSeed: () => this.restoreSeed(),
    };
    const admin = createAdmin(target);
    this.admin = {
      ...admin,
      setQuota: (user, limit) => {
        seededStore(this.stores, user).quotaLimit = limit;
      },
      expireDeltaTokens: (user, kind = 'resyncChangesApplyDifferences') => {
        const stores = user === undefined ? [...this.stores.values()] : [seededStore(this.stores, user)];
        for (const store of stores) {
          store.deltaGeneration++;
          store.resyncKind = kind;
        }
        return stores.length;
      },
      setDownloadRanges: (mode) => {
        if (mode !== 'honoured' && mode !== 'ignored')
          throw new RangeError('"ranges" is honoured or ignored');
        this.downloadRanges.ignored = mode === 'ignored';
      },
    };
    registerAdminRoutes(this.adminRouter, target, this.admin);
    registerQuotaRoute(this.adminRouter, this.admin);
    this.adminRouter.on(
      'POST',
      '/__admin/delta/expire',
      adminHandler((_ctx, body) => {
        const kind = body.kind ?? 'resyncChangesApplyDifferences';
        if (kind !== 'resyncChangesApplyDifferences' && kind !== 'resyncChangesUploadDifferences')
          throw new RangeError('"kind" is resyncChangesApplyDifferences or resyncChangesUploadDifferences');
        const user = typeof body.user === 'string' ? body.user : undefined;
        return { expired: this.admin.expireDeltaTokens(user, kind) };
      }),
    );
    this.adminRouter.on(
      'POST',
      '/__admin/download-ranges',
      adminHandler((_ctx, body) => {
        this.admin.setDownloadRanges(body.ranges as DownloadRanges);
        return { ranges: body.ranges };
      }),
    );
    this.handle = requestListener({
      admin: this.adminRouter,
      routes: this.router,
      faults: this.faults,
      faultHooks: this.faultHooks,
      unmatched: (ctx, match) => {
        const path = ctx.url.pathname;
        if (!isApiPath(path)) {
          sendText(ctx.res, 404, 'Not Found');
          return;
        }
        let error: GraphError;
        if (match.kind === 'method-not-allowed')
          error = new GraphError(
            405,
            'BadRequest',
            `The request method '${ctx.method}' is not supported for this resource.`,
            { Allow: match.allow.join(', ') },
          );
        else if (path.startsWith('/v1.0/'))
          error = new GraphError(
            400,
            'BadRequest',
            `Resource not found for the segment '${path.split('/')[2] ?? ''}'.`,
          );
        else error = itemNotFound();
        sendGraphError(ctx, error, this.clock.now());
      },
      renderError: (ctx, error) => {
        if (error instanceof GraphError) sendGraphError(ctx, error, this.clock.now());
        else if (error instanceof URIError)
          sendGraphError(ctx, invalidRequest('Invalid path.'), this.clock.now());
        else
          sendGraphError(
            ctx,
            new GraphError(500, 'generalException', 'An unspecified error has occurred.'),
            this.clock.now(),
          );
      },
    });
  }

  get users(): string[] {
    return this.options.seed.users.map((u) => u.email);
  }

  async init(): Promise<void> {
    await this.blobs.clear();
    this.stores = this.build();
  }

  /** Back to the seed: data (old delta tokens then need a resync), sessions, copy jobs, blobs. */
  private async restoreSeed(): Promise<void> {
    this.resetDownloadRanges();
    this.sessions.clear();
    this.copies.clear();
    await this.blobs.clear();
    this.stores = this.build();
  }

  private storeByDrive(driveId: string): OnedriveStore | undefined {
    const wanted = driveId.toLowerCase();
    for (const store of this.stores.values()) if (store.account.driveId === wanted) return store;
    return undefined;
  }

  private build(): Map<string, OnedriveStore> {
    return buildStores(this.options.seed, {
      clock: this.clock,
      defaultQuotaBytes: this.options.defaultQuotaBytes,
    });
  }

  /** Microsoft's token response: field order and `ext_expires_in` as the v2.0 endpoint sends them. */
  private tokenResponse(tokens: IssuedTokens): Record<string, unknown> {
    const body: Record<string, unknown> = {
      token_type: 'Bearer',
      scope: tokens.scope
        .split(' ')
        .filter((s) => !OIDC_SCOPES.has(s))
        .join(' '),
      expires_in: tokens.expires_in,
      ext_expires_in: tokens.expires_in,
      access_token: tokens.access_token,
    };
    if (tokens.refresh_token) body.refresh_token = tokens.refresh_token;
    if (tokens.id_token) body.id_token = tokens.id_token;
    return body;
  }

  /** An id token (v2.0 claims) when the grant asked for `openid`; its signature is not verifiable (?). */
  private idToken(grant: Grant): string | undefined {
    if (!grant.scope.split(' ').includes('openid')) return undefined;
    const store = this.stores.get(grant.user.email);
    const now = Math.floor(this.clock.now() / 1000);
    const oid = store
      ? `00000000-0000-0000-${store.account.userId.slice(0, 4)}-${store.account.userId.slice(4)}`
      : randomUUID();
    const claims = {
      ver: '2.0',
      iss: `https://login.microsoftonline.com/${CONSUMERS_TENANT_ID}/v2.0`,
      sub: Buffer.from(`${grant.clientId}:${grant.user.email}`).toString('base64url').slice(0, 43),
      aud: grant.clientId,
      exp: now + 3600,
      iat: now,
      nbf: now,
      name: grant.user.displayName,
      preferred_username: grant.user.email,
      oid,
      tid: CONSUMERS_TENANT_ID,
    };
    return `${base64url({ typ: 'JWT', alg: 'RS256', kid: 'skyfold-emulator' })}.${base64url(claims)}.${randomBytes(32).toString('base64url')}`;
  }

  /** Graph's answer to a rendered fault (see README: faults). */
  private faultError(rule: FaultRule): GraphError {
    const retry = (seconds: number | undefined) => ({ 'Retry-After': String(seconds ?? 1) });
    if (rule.kind === 'rate-limit' || rule.kind === 'user-rate-limit') return throttled(rule.retryAfter ?? 1);
    if (rule.kind === 'quota')
      return new GraphError(
        507,
        'quotaLimitReached',
        'Insufficient Space Available',
        retryIf(rule.retryAfter),
      );
    const status = rule.status ?? 503;
    if (status === 401)
      return new GraphError(
        401,
        'InvalidAuthenticationToken',
        'Access token has expired or is not yet valid.',
      );
    if (status === 404) return itemNotFound();
    if (status === 400) return invalidRequest('Fault injected.');
    if (status === 429) return throttled(rule.retryAfter ?? 1);
    if (status === 503)
      return new GraphError(
        503,
        'serviceNotAvailable',
        'The service is not available. Try the request again after a delay.',
        retry(rule.retryAfter),
      );
    return new GraphError(
      status,
      'generalException',
      'An unspecified error has occurred.',
      retryIf(rule.retryAfter),
    );
  }
}

const retryIf = (seconds: number | undefined): HeaderMap =>
  seconds === undefined ? {} : { 'Retry-After': String(seconds) };
