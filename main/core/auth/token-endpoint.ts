/**
 * Talking to an OAuth token endpoint (RFC 6749 §3.2, §4.1.3, §6): a form POST, a JSON answer, and the
 * mapping of every failure onto the shared error codes. Used by the per-provider OAuth clients for the
 * code exchange and for refreshes; works against Google, Dropbox and Microsoft (all accept a form body).
 *
 * Error mapping (all thrown errors are OAuthError, a SkyfoldError):
 * - no answer (DNS, refused, reset, timeout), 5xx, `temporarily_unavailable`/`server_error` -> `transient`
 * - 429 -> `rate_limited` (with `retryAfterMs` from Retry-After)
 * - refresh: `invalid_grant` and Microsoft's `interaction_required`/`consent_required`/`login_required`
 *   -> InvalidGrantError (`needs_reconnect`): the refresh token is dead, only a new sign-in helps
 * - code exchange: `invalid_grant` (code expired, already used, or PKCE verifier mismatch) -> `permanent`
 * - anything else (`invalid_client`, `unauthorized_client`, `invalid_request`, `invalid_scope`, a 200
 *   without an access token) -> `permanent`: a configuration problem no retry fixes.
 */
import { retryAfterHeaderMs } from '../providers/http-errors';
import { InvalidGrantError, OAuthError } from './errors';
import { type Tokens, tokensFromResponse } from './tokens';

export interface TokenRequestOptions {
  /** Injected for tests and emulators; defaults to the global fetch. */
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** Clock for `expiresAt` (epoch ms); defaults to Date.now. */
  now?: () => number;
}

export interface TokenEndpointResult {
  tokens: Tokens;
  /** The whole JSON answer, for provider extras (Dropbox `account_id`/`uid`, an `id_token`). */
  body: Record<string, unknown>;
}

export type TokenRequestPurpose = 'authorization_code' | 'refresh_token';

const reconnectErrors = new Set([
  'invalid_grant',
  'interaction_required',
  'consent_required',
  'login_required',
]);
const transientErrors = new Set(['temporarily_unavailable', 'server_error']);

/**
 * POSTs `params` form-encoded to `tokenUrl` and parses the answer into Tokens (`previous` fills in a
 * refresh answer's omitted refresh token and scope). Throws OAuthError as described above. Repeating a
 * refresh is safe; repeating a code exchange is not (codes are single-use).
 */
export async function requestTokens(
  tokenUrl: string,
  params: Record<string, string>,
  purpose: TokenRequestPurpose,
  options: TokenRequestOptions = {},
  previous?: Tokens,
): Promise<TokenEndpointResult> {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  let response: Response;
  let text: string;
  try {
    response = await doFetch(tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams(params).toString(),
      redirect: 'error',
      signal: options.signal ?? null,
    });
    text = await response.text();
  } catch (error) {
    throw new OAuthError(
      'transient',
      `Could not reach the token endpoint ${originOf(tokenUrl)}: ${describe(error)}`,
      {
        oauthError: null,
        status: null,
        cause: error,
      },
    );
  }

  const body = parseJson(text);
  const record =
    body !== null && typeof body === 'object' && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : null;

  if (response.ok) {
    try {
      return { tokens: tokensFromResponse(record, now(), previous), body: record ?? {} };
    } catch (error) {
      throw new OAuthError(
        'permanent',
        `The token endpoint ${originOf(tokenUrl)} answered without an access token.`,
        {
          oauthError: null,
          status: response.status,
          cause: error,
        },
      );
    }
  }
  throw tokenEndpointError(tokenUrl, response, record, purpose);
}

export interface CodeExchangeRequest {
  tokenUrl: string;
  clientId: string;
  /** Google desktop clients need their (non-secret) secret; Dropbox and Microsoft PKCE clients none. */
  clientSecret?: string | null;
  code: string;
  redirectUri: string;
  codeVerifier: string;
}

/** `grant_type=authorization_code` with the PKCE verifier. Not idempotent (a code works once). */
export function exchangeAuthorizationCode(
  request: CodeExchangeRequest,
  options?: TokenRequestOptions,
): Promise<TokenEndpointResult> {
  const params: Record<string, string> = {
    grant_type: 'authorization_code',
    code: request.code,
    redirect_uri: request.redirectUri,
    client_id: request.clientId,
    code_verifier: request.codeVerifier,
  };
  if (request.clientSecret) params.client_secret = request.clientSecret;
  return requestTokens(request.tokenUrl, params, 'authorization_code', options);
}

export interface RefreshRequest {
  tokenUrl: string;
  clientId: string;
  clientSecret?: string | null;
  refreshToken: string;
  /** Microsoft wants the scopes again on refresh; others ignore it. */
  scope?: string;
}

/**
 * `grant_type=refresh_token`. The result keeps `refreshToken` when the answer carries none (Google,
 * Dropbox) and holds the NEW one when it does (Microsoft rotates it on every refresh).
 * Throws InvalidGrantError (`needs_reconnect`) when the refresh token is dead. Safe to repeat.
 */
export function refreshAccessToken(
  request: RefreshRequest,
  options?: TokenRequestOptions,
): Promise<TokenEndpointResult> {
  const params: Record<string, string> = {
    grant_type: 'refresh_token',
    refresh_token: request.refreshToken,
    client_id: request.clientId,
  };
  if (request.clientSecret) params.client_secret = request.clientSecret;
  if (request.scope) params.scope = request.scope;
  const previous: Tokens = { accessToken: '', refreshToken: request.refreshToken, expiresAt: null };
  return requestTokens(request.tokenUrl, params, 'refresh_token', options, previous);
}

function tokenEndpointError(
  tokenUrl: string,
  response: Response,
  body: Record<string, unknown> | null,
  purpose: TokenRequestPurpose,
): OAuthError {
  const status = response.status;
  const oauthError = typeof body?.error === 'string' ? body.error : null;
  const rawDescription = typeof body?.error_description === 'string' ? body.error_description : '';
  // Microsoft's descriptions run over several lines with trace ids; the first line says it.
  const description = rawDescription.split(/\r?\n/)[0]?.slice(0, 300) ?? '';
  const what = `${oauthError ?? `HTTP ${status}`}${description ? `: ${description}` : ''}`;
  const where = originOf(tokenUrl);

  if (status === 429) {
    const retryAfterMs = retryAfterHeaderMs(response.headers.get('retry-after'));
    return new OAuthError('rate_limited', `The token endpoint ${where} asked to slow down (${what}).`, {
      oauthError,
      status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  if (status >= 500 || (oauthError !== null && transientErrors.has(oauthError))) {
    return new OAuthError('transient', `The token endpoint ${where} failed (${what}).`, {
      oauthError,
      status,
    });
  }
  if (oauthError !== null && reconnectErrors.has(oauthError) && purpose === 'refresh_token') {
    return new InvalidGrantError(`The sign-in is no longer valid (${what}). Reconnect the account.`, {
      oauthError,
      status,
    });
  }
  if (oauthError === 'invalid_grant') {
    return new OAuthError(
      'permanent',
      `The sign-in code was refused (${what}); it may have expired or been used already. Sign in again.`,
      { oauthError, status },
    );
  }
  const hint =
    oauthError === 'invalid_client' || oauthError === 'unauthorized_client'
      ? ' Check the OAuth client id and secret in the Skyfold configuration (see main/core/auth/README.md).'
      : '';
  return new OAuthError('permanent', `The token endpoint ${where} refused the request (${what}).${hint}`, {
    oauthError,
    status,
  });
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
