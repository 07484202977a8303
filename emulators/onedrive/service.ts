/**
 * The OneDrive emulator's state and wiring. One origin serves the paths of both Microsoft hosts:
 * login.microsoftonline.com (`/{tenant}/oauth2/v2.0/authorize|token`) and graph.microsoft.com
 * (`/v1.0/...`), plus the admin surface (`/__admin/...`). Order per request (shared/pipeline.ts):
 * admin (no faults) | faults on `/v1.0/*` (may answer, delay, reset or break the response) | route
 * (auth, parameters, operation) | errors rendered in Graph's format.
 */
import { randomBytes, randomUUID } from 'node:crypto';
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
import { FaultEngine, type FaultHooks, type FaultRule } from '../shared/faults';
import { Router, sendText, type HeaderMap } from '../shared/http';
import { OAuthServer, type Grant, type IssuedTokens } from '../shared/oauth';
import { requestListener } from '../shared/pipeline';
import { WriteThrottle } from '../shared/throttle';
import { GraphError, invalidRequest, itemNotFound, sendGraphError } from './errors';
import { registerGraphRoutes } from './routes-graph';
import { registerIdentityRoutes } from './routes-oauth';
import { buildStores } from './seed';
import type { OnedriveStore } from './store';

/** The scopes a Skyfold-like desktop app asks for (admin-issued tokens get them, minus `openid profile`). */
export const ONEDRIVE_SCOPES = ['Files.ReadWrite.All', 'User.Read', 'offline_access'] as const;

/** The tenant id of personal Microsoft accounts (the `tid` of their id tokens). */
export const CONSUMERS_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';

/** Scopes the identity platform handles itself: granted, but not listed in a token response's `scope`. */
const OIDC_SCOPES = new Set(['offline_access', 'openid', 'profile', 'email']);

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export class OnedriveService {
  readonly clock: OffsetClock;
  readonly oauth: OAuthServer;
  readonly faults: FaultEngine;
  readonly throttle: WriteThrottle;
  readonly admin: EmulatorAdmin & QuotaAdmin;
  private stores = new Map<string, OnedriveStore>();
  private readonly router = new Router();
  private readonly adminRouter = new Router();
  private readonly faultHooks: FaultHooks;
  /** The node:http request listener (shared/pipeline.ts). */
  readonly handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>;

  constructor(private readonly options: ServiceOptions) {
    this.clock = options.clock;
    this.faults = new FaultEngine((path) => path.startsWith('/v1.0/'), options.faults);
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
      rotateRefreshTokens: true,
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
    registerGraphRoutes(this.router, {
      oauth: this.oauth,
      clock: this.clock,
      store: (email) => this.stores.get(email),
    });
    const target: AdminTarget = {
      faults: this.faults,
      oauth: this.oauth,
      clock: this.clock,
      throttle: this.throttle,
      defaultScope: ONEDRIVE_SCOPES.join(' '),
      initial: options,
      users: () => this.users,
      restoreSeed: async () => {
        this.stores = this.build();
      },
    };
    const admin = createAdmin(target);
    this.admin = {
      ...admin,
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
        if (!ctx.url.pathname.startsWith('/v1.0/')) {
          sendText(ctx.res, 404, 'Not Found');
          return;
        }
        if (match.kind === 'method-not-allowed')
          sendGraphError(
            ctx,
            new GraphError(
              405,
              'BadRequest',
              `The request method '${ctx.method}' is not supported for this resource.`,
              {
                Allow: match.allow.join(', '),
              },
            ),
            this.clock.now(),
          );
        else {
          const segment = ctx.url.pathname.split('/')[2] ?? '';
          sendGraphError(
            ctx,
            new GraphError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`),
            this.clock.now(),
          );
        }
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
    this.stores = this.build();
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
    if (rule.kind === 'rate-limit' || rule.kind === 'user-rate-limit')
      return new GraphError(
        429,
        'activityLimitReached',
        'The request has been throttled',
        retry(rule.retryAfter),
      );
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
    if (status === 429)
      return new GraphError(
        429,
        'activityLimitReached',
        'The request has been throttled',
        retry(rule.retryAfter),
      );
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
