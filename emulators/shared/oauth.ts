/**
 * A generic OAuth 2.0 authorization server for desktop clients (RFC 6749 code grant + RFC 7636 PKCE
 * S256 + RFC 8252 loopback redirects), independent of HTTP wiring: each emulator maps its service's
 * paths and response formats onto these operations.
 *
 * Contracts:
 * - authorize: validates the request; errors that cannot be sent back to the client (unknown client,
 *   bad redirect URI) become an error page, others redirect with `error=...&state=...`. A valid request
 *   shows the consent page (an account picker among the seeded users, Allow / Deny) or, with
 *   auto-consent, redirects at once with `code` and `state` (user: `login_hint` if seeded, else the first).
 *   Where the service allows a request without `redirect_uri` (`redirectUriOptional`, Dropbox), the
 *   code is shown on a page for the user to copy instead, and errors go to the error page.
 * - redirect URIs: a registered client with `redirectUris` must use one of them exactly (RFC 6749
 *   3.1.2.3, string comparison: port and path included); otherwise `isAllowedRedirectUri` decides
 *   (default: any loopback URI with a port, RFC 8252 7.3). The token request repeats the authorize
 *   request's `redirect_uri`, or omits it when that request did.
 * - codes are single-use and expire (default 10 minutes); reusing one revokes what it granted (or, with
 *   `codeReuse: 'refuse'`, is only refused).
 * - access tokens expire after the configured lifetime; refresh tokens last until revoked (with
 *   rotation, a used refresh token is retired unless `keepUsedRefreshTokens`).
 * - revoking either token of a grant revokes the whole grant.
 * - a sign-in policy (`authorize(query, policy)`, `decide(form, policy)`) may refuse accounts (an
 *   error page instead of a code), e.g. personal accounts on a tenant of work accounts.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from './clock';

export interface OAuthUser {
  email: string;
  displayName: string;
}

export interface OAuthClient {
  id: string;
  /** When set, token requests must present it. */
  secret?: string;
  /** When set, the only redirect URIs the client may use, matched exactly (port and path included). */
  redirectUris?: readonly string[];
}

export interface OAuthServerOptions {
  /** Shown on the consent page ("Sign in with Google"). */
  serviceName: string;
  users: () => readonly OAuthUser[];
  clock: Clock;
  autoConsent: boolean;
  /** Registered clients; absent = any client id is accepted, with any secret. */
  clients?: readonly OAuthClient[];
  accessTokenLifetimeSeconds: number;
  codeLifetimeSeconds?: number;
  /** Prefixes that make tokens look like the service's (`ya29.`, `1//`, `4/0A`). */
  prefixes: { accessToken: string; refreshToken: string; code: string };
  /**
   * Allowed redirect URIs of clients without `redirectUris`; default:
   * `http://127.0.0.1|localhost|[::1]:PORT/...` (loopback with a port).
   */
  isAllowedRedirectUri?: (uri: URL, clientId: string) => boolean;
  /** The code flow may omit `redirect_uri`: the code is then shown on a page to copy (Dropbox). Default false. */
  redirectUriOptional?: boolean;
  /** Every refresh answers with a new refresh token and retires the old one (Microsoft). Default false. */
  rotateRefreshTokens?: boolean;
  /**
   * With rotation: the used refresh token is NOT retired and keeps working until the grant is revoked
   * (Microsoft "doesn't revoke old refresh tokens when used to fetch new access tokens"). Default false.
   */
  keepUsedRefreshTokens?: boolean;
  /**
   * A code redeemed a second time: `revoke` (default, RFC 6749 4.1.2) refuses it and revokes the tokens
   * it granted; `refuse` only refuses it (error description "Authorization code already redeemed.").
   */
  codeReuse?: 'revoke' | 'refuse';
  /** The success redirect carries `scope` besides `code` and `state` (Google). Default true. */
  redirectIncludesScope?: boolean;
  /** Adds an `id_token` to token responses when the grant's scope asks for one. */
  idToken?: (grant: Grant) => string | undefined;
  /** The scope granted when the authorize request names none; absent = `scope` is required (Google). */
  defaultScope?: string;
  /** The scope actually granted for a requested one (a service may add implied scopes). Default: as asked. */
  expandScope?: (scope: string) => string;
  /** Whether an authorize request asks for a refresh token. Default: `access_type` is not `online` (Google). */
  isOfflineRequest?: (query: URLSearchParams) => boolean;
  /**
   * Code challenge methods accepted (default `['S256']`). `pkceOptional`: a request may carry no
   * challenge at all; its code is then exchanged with a client secret instead of a verifier (Dropbox).
   */
  pkceMethods?: readonly ('S256' | 'plain')[];
  pkceOptional?: boolean;
  /**
   * A request may carry no challenge and its code is then exchanged with neither verifier nor secret
   * (a public native client, Microsoft: PKCE "recommended", required only for SPAs). Default false.
   */
  pkceOptionalForPublicClients?: boolean;
  /** Reshapes a token response (field names, token_type casing, extra fields) for the service. */
  shapeTokenResponse?: (
    tokens: IssuedTokens,
    grant: Grant,
    grantType: 'authorization_code' | 'refresh_token' | 'admin',
  ) => Record<string, unknown>;
}

/** The standard fields of a token response, before a service reshapes them. */
export interface IssuedTokens {
  access_token: string;
  expires_in: number;
  refresh_token?: string;
  scope: string;
  token_type: string;
  id_token?: string;
}

export interface Grant {
  readonly id: string;
  readonly user: OAuthUser;
  readonly clientId: string;
  readonly scope: string;
  refreshToken: string | undefined;
  revoked: boolean;
}

interface AccessTokenRecord {
  grant: Grant;
  expiresAt: number;
}

interface AuthorizationRequest {
  clientId: string;
  /** Absent when the service allows none: the code is then shown to the user. */
  redirectUri: string | undefined;
  scope: string;
  state: string | undefined;
  /** Absent when PKCE is optional and the request sent none (the exchange then needs a client secret). */
  codeChallenge: string | undefined;
  codeChallengeMethod: 'S256' | 'plain';
  offline: boolean;
  loginHint: string | undefined;
}

interface CodeRecord extends AuthorizationRequest {
  user: OAuthUser;
  expiresAt: number;
  used: boolean;
  grant: Grant | undefined;
}

/** Decides per authorize endpoint which accounts may sign in there. */
export interface SignInPolicy {
  /** A refusal (shown on the error page) for `user`, or undefined when the user may sign in. */
  refuse?(
    user: OAuthUser,
    clientId: string,
  ): { status: number; error: string; description: string } | undefined;
}

export type AuthorizeOutcome =
  | { type: 'error-page'; status: number; error: string; description: string }
  | { type: 'redirect'; location: string }
  /** A request without redirect URI was approved: show the code for the user to copy into the app. */
  | { type: 'code'; code: string }
  | {
      type: 'consent';
      requestId: string;
      clientId: string;
      scope: string;
      users: readonly OAuthUser[];
      selected: string | undefined;
    };

export interface TokenResult {
  status: number;
  body: Record<string, unknown>;
}

export type Authentication =
  { ok: true; grant: Grant; expiresAt: number } | { ok: false; reason: 'invalid' | 'expired' };

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
const CHALLENGE = /^[A-Za-z0-9\-_]{43}$/;
const MAX_PENDING = 1000;
const MAX_ACCESS_TOKENS = 20_000;

/** The default redirect rule of RFC 8252 §7.3: http on a loopback host, any port. */
export function isLoopbackRedirect(uri: URL): boolean {
  return (
    uri.protocol === 'http:' &&
    (uri.hostname === '127.0.0.1' || uri.hostname === 'localhost' || uri.hostname === '[::1]') &&
    uri.port !== '' &&
    uri.username === '' &&
    uri.password === '' &&
    uri.hash === ''
  );
}

const tokenError = (status: number, error: string, description: string): TokenResult => ({
  status,
  body: { error, error_description: description },
});

export class OAuthServer {
  private readonly pending = new Map<string, { request: AuthorizationRequest; expiresAt: number }>();
  private readonly codes = new Map<string, CodeRecord>();
  private readonly accessTokens = new Map<string, AccessTokenRecord>();
  private readonly refreshTokens = new Map<string, Grant>();

  constructor(private readonly options: OAuthServerOptions) {}

  /** GET authorize: validates the query and decides between an error, a redirect and the consent page. */
  authorize(query: URLSearchParams, policy?: SignInPolicy): AuthorizeOutcome {
    const clientId = query.get('client_id');
    if (!clientId) return this.errorPage(400, 'invalid_request', 'Missing required parameter: client_id');
    const client = this.options.clients?.find((c) => c.id === clientId);
    if (this.options.clients && !client)
      return this.errorPage(401, 'invalid_client', 'The OAuth client was not found.');
    const redirectUri = query.get('redirect_uri') ?? undefined;
    if (redirectUri === undefined) {
      if (!this.options.redirectUriOptional)
        return this.errorPage(400, 'invalid_request', 'Missing required parameter: redirect_uri');
    } else {
      const refusal = this.checkRedirectUri(redirectUri, clientId, client);
      if (refusal) return refusal;
    }
    const state = query.get('state') ?? undefined;
    const fail = (error: string, description: string): AuthorizeOutcome =>
      redirectUri === undefined
        ? this.errorPage(400, error, description)
        : {
            type: 'redirect',
            location: withQuery(redirectUri, { error, error_description: description, state }),
          };
    if (query.get('response_type') !== 'code')
      return fail('unsupported_response_type', 'Only response_type=code is supported.');
    const requested = (query.get('scope') ?? '').trim().split(/\s+/).filter(Boolean).join(' ');
    const asked = requested || this.options.defaultScope;
    if (!asked) return this.errorPage(400, 'invalid_request', 'Missing required parameter: scope');
    const scope = this.options.expandScope ? this.options.expandScope(asked) : asked;
    const codeChallenge = query.get('code_challenge') || undefined;
    const method = query.get('code_challenge_method') ?? (codeChallenge ? 'plain' : undefined);
    const methods = this.options.pkceMethods ?? ['S256'];
    if (codeChallenge === undefined) {
      if (!this.options.pkceOptional && !this.options.pkceOptionalForPublicClients)
        return fail('invalid_request', 'Missing required parameter: code_challenge');
    } else {
      if (!methods.includes(method as 'S256' | 'plain'))
        return fail('invalid_request', `code_challenge_method must be ${methods.join(' or ')}.`);
      if (!(method === 'S256' ? CHALLENGE : VERIFIER).test(codeChallenge))
        return fail('invalid_request', 'Invalid code_challenge.');
    }
    const request: AuthorizationRequest = {
      clientId,
      redirectUri,
      scope,
      state,
      codeChallenge,
      codeChallengeMethod: method === 'plain' ? 'plain' : 'S256',
      offline: this.options.isOfflineRequest
        ? this.options.isOfflineRequest(query)
        : query.get('access_type') !== 'online',
      loginHint: query.get('login_hint') ?? undefined,
    };
    const users = this.options.users();
    const hinted = users.find((u) => u.email === request.loginHint);
    if (this.options.autoConsent) {
      const user = hinted ?? users[0];
      if (!user) return fail('access_denied', 'No account is available.');
      return this.refusal(policy, user, clientId) ?? this.approve(request, user);
    }
    const requestId = randomToken(18);
    this.prune();
    this.pending.set(requestId, { request, expiresAt: this.options.clock.now() + this.codeLifetimeMs() });
    return { type: 'consent', requestId, clientId, scope, users, selected: hinted?.email };
  }

  /** POST from the consent page: `request` (id), `user` (email), `decision` (`allow` or `deny`). */
  decide(form: URLSearchParams, policy?: SignInPolicy): AuthorizeOutcome {
    const requestId = form.get('request') ?? '';
    const pending = this.pending.get(requestId);
    if (!pending || pending.expiresAt <= this.options.clock.now())
      return this.errorPage(
        400,
        'invalid_request',
        'This sign-in request has expired. Start again from the app.',
      );
    this.pending.delete(requestId);
    const { request } = pending;
    if (form.get('decision') !== 'allow') {
      const description = 'The user denied access.';
      if (request.redirectUri === undefined) return this.errorPage(403, 'access_denied', description);
      return {
        type: 'redirect',
        location: withQuery(request.redirectUri, {
          error: 'access_denied',
          error_description: description,
          state: request.state,
        }),
      };
    }
    const user = this.options.users().find((u) => u.email === form.get('user'));
    if (!user) return this.errorPage(400, 'invalid_request', 'Choose an account.');
    return this.refusal(policy, user, request.clientId) ?? this.approve(request, user);
  }

  /** The error page of a policy refusing `user`, or undefined. */
  private refusal(
    policy: SignInPolicy | undefined,
    user: OAuthUser,
    clientId: string,
  ): AuthorizeOutcome | undefined {
    const refused = policy?.refuse?.(user, clientId);
    return refused && this.errorPage(refused.status, refused.error, refused.description);
  }

  /** The error page for a redirect URI the client may not use, or undefined when it may. */
  private checkRedirectUri(
    redirectUri: string,
    clientId: string,
    client: OAuthClient | undefined,
  ): AuthorizeOutcome | undefined {
    let parsed: URL;
    try {
      parsed = new URL(redirectUri);
    } catch {
      return this.errorPage(
        400,
        'invalid_request',
        `Invalid parameter value for redirect_uri: ${redirectUri}`,
      );
    }
    const allowed = client?.redirectUris
      ? client.redirectUris.includes(redirectUri)
      : (this.options.isAllowedRedirectUri ?? isLoopbackRedirect)(parsed, clientId);
    if (!allowed)
      return this.errorPage(400, 'redirect_uri_mismatch', `The redirect URI ${redirectUri} is not allowed.`);
    return undefined;
  }

  /** Issues a code: a redirect with it, or the page showing it when the request had no redirect URI. */
  private approve(request: AuthorizationRequest, user: OAuthUser): AuthorizeOutcome {
    const code = this.options.prefixes.code + randomToken(48);
    this.codes.set(code, {
      ...request,
      user,
      expiresAt: this.options.clock.now() + this.codeLifetimeMs(),
      used: false,
      grant: undefined,
    });
    if (request.redirectUri === undefined) return { type: 'code', code };
    return {
      type: 'redirect',
      location: withQuery(request.redirectUri, {
        code,
        scope: this.options.redirectIncludesScope === false ? undefined : request.scope,
        state: request.state,
      }),
    };
  }

  /**
   * The token endpoint: `grant_type` authorization_code (code, redirect_uri, code_verifier, client_id)
   * or refresh_token (refresh_token, client_id). Client credentials come from the form or HTTP Basic.
   */
  token(params: URLSearchParams, basic?: { id: string; secret: string }): TokenResult {
    const clientId = params.get('client_id') ?? basic?.id;
    if (!clientId) return tokenError(400, 'invalid_request', 'Could not determine client ID from request.');
    const clientError = this.checkClient(clientId, params.get('client_secret') ?? basic?.secret);
    if (clientError) return clientError;
    const grantType = params.get('grant_type');
    if (grantType === 'authorization_code') return this.exchangeCode(params, clientId, basic?.secret);
    if (grantType === 'refresh_token') return this.refresh(params, clientId);
    if (!grantType) return tokenError(400, 'invalid_request', 'Missing required parameter: grant_type');
    return tokenError(400, 'unsupported_grant_type', `Invalid grant_type: ${grantType}`);
  }

  private checkClient(clientId: string, secret: string | undefined | null): TokenResult | undefined {
    if (!this.options.clients) return undefined;
    const client = this.options.clients.find((c) => c.id === clientId);
    if (!client) return tokenError(401, 'invalid_client', 'The OAuth client was not found.');
    if (client.secret !== undefined && client.secret !== secret)
      return tokenError(401, 'invalid_client', 'Unauthorized');
    return undefined;
  }

  private exchangeCode(params: URLSearchParams, clientId: string, basicSecret?: string): TokenResult {
    const code = params.get('code');
    if (!code) return tokenError(400, 'invalid_request', 'Missing required parameter: code');
    const record = this.codes.get(code);
    if (!record || record.expiresAt <= this.options.clock.now() || record.clientId !== clientId)
      return tokenError(400, 'invalid_grant', 'Bad Request');
    if (record.used) {
      if (this.options.codeReuse === 'refuse')
        return tokenError(400, 'invalid_grant', 'Authorization code already redeemed.');
      // RFC 6749 §4.1.2: a reused code revokes the tokens it granted.
      if (record.grant) this.revokeGrant(record.grant);
      return tokenError(400, 'invalid_grant', 'Bad Request');
    }
    if ((params.get('redirect_uri') ?? undefined) !== record.redirectUri)
      return tokenError(400, 'redirect_uri_mismatch', 'Bad Request');
    const verifier = params.get('code_verifier');
    if (record.codeChallenge === undefined) {
      // No PKCE: the client authenticates with its secret instead (checked against registered clients),
      // unless public clients may go without (then nothing more is needed).
      const secret = params.get('client_secret') ?? basicSecret;
      if (!secret && !this.options.pkceOptionalForPublicClients)
        return tokenError(400, 'invalid_request', 'No auth function available for given request');
    } else {
      if (!verifier) return tokenError(400, 'invalid_grant', 'Missing code verifier.');
      const expected = record.codeChallengeMethod === 'plain' ? verifier : s256(verifier);
      if (!VERIFIER.test(verifier) || expected !== record.codeChallenge)
        return tokenError(400, 'invalid_grant', 'Invalid code verifier.');
    }
    record.used = true;
    const grant: Grant = {
      id: randomToken(12),
      user: record.user,
      clientId,
      scope: record.scope,
      refreshToken: record.offline ? this.options.prefixes.refreshToken + randomToken(64) : undefined,
      revoked: false,
    };
    record.grant = grant;
    if (grant.refreshToken) this.refreshTokens.set(grant.refreshToken, grant);
    return { status: 200, body: this.tokenResponse(grant, true, 'authorization_code') };
  }

  private refresh(params: URLSearchParams, clientId: string): TokenResult {
    const token = params.get('refresh_token');
    if (!token) return tokenError(400, 'invalid_request', 'Missing required parameter: refresh_token');
    const grant = this.refreshTokens.get(token);
    if (!grant || grant.revoked)
      return tokenError(400, 'invalid_grant', 'Token has been expired or revoked.');
    if (grant.clientId !== clientId) return tokenError(401, 'unauthorized_client', 'Unauthorized');
    if (this.options.rotateRefreshTokens) {
      if (!this.options.keepUsedRefreshTokens) this.refreshTokens.delete(token);
      grant.refreshToken = this.options.prefixes.refreshToken + randomToken(64);
      this.refreshTokens.set(grant.refreshToken, grant);
    }
    return {
      status: 200,
      body: this.tokenResponse(grant, this.options.rotateRefreshTokens === true, 'refresh_token'),
    };
  }

  private tokenResponse(
    grant: Grant,
    withRefreshToken: boolean,
    grantType: 'authorization_code' | 'refresh_token' | 'admin',
  ): Record<string, unknown> {
    const accessToken = this.options.prefixes.accessToken + randomToken(96);
    this.pruneAccessTokens();
    this.accessTokens.set(accessToken, {
      grant,
      expiresAt: this.options.clock.now() + this.options.accessTokenLifetimeSeconds * 1000,
    });
    const tokens: IssuedTokens = {
      access_token: accessToken,
      expires_in: this.options.accessTokenLifetimeSeconds,
      scope: grant.scope,
      token_type: 'Bearer',
    };
    if (withRefreshToken && grant.refreshToken) tokens.refresh_token = grant.refreshToken;
    const idToken = this.options.idToken?.(grant);
    if (idToken) tokens.id_token = idToken;
    if (this.options.shapeTokenResponse) return this.options.shapeTokenResponse(tokens, grant, grantType);
    const body: Record<string, unknown> = {
      access_token: tokens.access_token,
      expires_in: tokens.expires_in,
    };
    if (tokens.refresh_token) body.refresh_token = tokens.refresh_token;
    body.scope = tokens.scope;
    body.token_type = tokens.token_type;
    if (tokens.id_token) body.id_token = tokens.id_token;
    return body;
  }

  /** Revokes the grant behind an access or refresh token. False when the token is unknown or already dead. */
  revoke(token: string): boolean {
    const access = this.accessTokens.get(token);
    if (access && access.expiresAt <= this.options.clock.now()) return false;
    const grant = this.refreshTokens.get(token) ?? access?.grant;
    if (!grant || grant.revoked) return false;
    this.revokeGrant(grant);
    return true;
  }

  private revokeGrant(grant: Grant): void {
    grant.revoked = true;
    if (grant.refreshToken) this.refreshTokens.delete(grant.refreshToken);
    // Refresh tokens kept after use (keepUsedRefreshTokens) go with the grant.
    if (this.options.keepUsedRefreshTokens)
      for (const [token, owner] of this.refreshTokens) if (owner === grant) this.refreshTokens.delete(token);
    for (const [token, record] of this.accessTokens)
      if (record.grant === grant) this.accessTokens.delete(token);
  }

  /**
   * The account behind a token request's `code` (authorization_code) or `refresh_token`, when it is a
   * live one; nothing is consumed (a service can refuse the account before `token` runs).
   */
  userOf(params: URLSearchParams): OAuthUser | undefined {
    const grantType = params.get('grant_type');
    if (grantType === 'authorization_code') {
      const record = this.codes.get(params.get('code') ?? '');
      return record && record.expiresAt > this.options.clock.now() ? record.user : undefined;
    }
    if (grantType === 'refresh_token') {
      const grant = this.refreshTokens.get(params.get('refresh_token') ?? '');
      return grant && !grant.revoked ? grant.user : undefined;
    }
    return undefined;
  }

  /** Checks a bearer token. */
  authenticate(accessToken: string): Authentication {
    const record = this.accessTokens.get(accessToken);
    if (!record || record.grant.revoked) return { ok: false, reason: 'invalid' };
    if (record.expiresAt <= this.options.clock.now()) return { ok: false, reason: 'expired' };
    return { ok: true, grant: record.grant, expiresAt: record.expiresAt };
  }

  /** Makes access tokens expire now (all, or one user's); refresh tokens keep working. */
  expireAccessTokens(email?: string): number {
    let count = 0;
    const now = this.options.clock.now();
    for (const record of this.accessTokens.values()) {
      if (email !== undefined && record.grant.user.email !== email) continue;
      if (record.expiresAt > now) count++;
      record.expiresAt = Math.min(record.expiresAt, now);
    }
    return count;
  }

  /** Expires one access token (fault `expire-token`). */
  expireAccessToken(accessToken: string): void {
    const record = this.accessTokens.get(accessToken);
    if (record) record.expiresAt = Math.min(record.expiresAt, this.options.clock.now());
  }

  /** Revokes grants (all, or one user's): refreshing then fails with invalid_grant. */
  revokeGrants(email?: string): number {
    const grants = new Set<Grant>();
    for (const grant of this.refreshTokens.values()) grants.add(grant);
    for (const record of this.accessTokens.values()) grants.add(record.grant);
    let count = 0;
    for (const grant of grants) {
      if (grant.revoked || (email !== undefined && grant.user.email !== email)) continue;
      this.revokeGrant(grant);
      count++;
    }
    return count;
  }

  /** Issues tokens for a user without the browser flow (admin endpoint, tests). */
  issue(email: string, options: { clientId?: string; scope: string }): TokenResult {
    const user = this.options.users().find((u) => u.email === email);
    if (!user) return tokenError(400, 'invalid_request', `unknown user ${email}`);
    const grant: Grant = {
      id: randomToken(12),
      user,
      clientId: options.clientId ?? this.options.clients?.[0]?.id ?? 'emulator-client',
      scope: options.scope,
      refreshToken: this.options.prefixes.refreshToken + randomToken(64),
      revoked: false,
    };
    this.refreshTokens.set(grant.refreshToken as string, grant);
    return { status: 200, body: this.tokenResponse(grant, true, 'admin') };
  }

  /** Forgets every code, pending consent, token and grant. */
  reset(): void {
    this.pending.clear();
    this.codes.clear();
    this.accessTokens.clear();
    this.refreshTokens.clear();
  }

  private codeLifetimeMs(): number {
    return (this.options.codeLifetimeSeconds ?? 600) * 1000;
  }

  private errorPage(status: number, error: string, description: string): AuthorizeOutcome {
    return { type: 'error-page', status, error, description };
  }

  private prune(): void {
    const now = this.options.clock.now();
    for (const [id, pending] of this.pending) if (pending.expiresAt <= now) this.pending.delete(id);
    for (const [code, record] of this.codes) if (record.expiresAt <= now) this.codes.delete(code);
    while (this.pending.size >= MAX_PENDING) this.pending.delete(this.pending.keys().next().value as string);
  }

  private pruneAccessTokens(): void {
    if (this.accessTokens.size < MAX_ACCESS_TOKENS) return;
    const now = this.options.clock.now();
    for (const [token, record] of this.accessTokens)
      if (record.expiresAt <= now) this.accessTokens.delete(token);
    this.prune();
  }
}

/** base64url(SHA-256(verifier)), the S256 code challenge. */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

function withQuery(base: string, params: Record<string, string | undefined>): string {
  const url = new URL(base);
  for (const [key, value] of Object.entries(params))
    if (value !== undefined) url.searchParams.set(key, value);
  return url.toString();
}
