/**
 * A provider's OAuth client built from its configuration: the pieces runAuthorizationCodeFlow and the
 * TokenManager need (authorize URL, code exchange, refresh) plus revoke. The same code serves Google,
 * Dropbox and Microsoft; what differs lives in OAuthClientConfig.
 */
import { SkyfoldError } from '../../../common/errors';
import type { OAuthClientConfig } from './client-config';
import { OAuthError } from './errors';
import { runAuthorizationCodeFlow } from './flow';
import {
  exchangeAuthorizationCode,
  refreshAccessToken,
  type TokenEndpointResult,
  type TokenRequestOptions,
} from './token-endpoint';
import type { RefreshFunction } from './token-manager';
import type { Tokens } from './tokens';

export interface OAuthClientOptions {
  /** Injected for tests and emulators. */
  fetch?: typeof fetch;
  now?: () => number;
}

export type RevokeOutcome =
  /** The provider revoked the grant. */
  | 'revoked'
  /** The provider said the token was not valid any more (nothing left to revoke). */
  | 'already_invalid'
  /** The provider has no revoke endpoint for this client (Microsoft): deleting the tokens is all there is. */
  | 'unsupported';

export interface OAuthClient {
  readonly config: OAuthClientConfig;
  /** The authorize URL (response_type=code, PKCE S256, scopes, the provider's offline parameters). */
  buildAuthorizeUrl(redirectUri: string, state: string, codeChallenge: string): string;
  /** See exchangeAuthorizationCode: not idempotent; throws OAuthError. */
  exchangeCode(code: string, redirectUri: string, codeVerifier: string): Promise<TokenEndpointResult>;
  /** For TokenManager: throws InvalidGrantError when the refresh token is dead. */
  refresh: RefreshFunction;
  /**
   * Revokes the grant at the provider (Google: the refresh token; Dropbox: the access token, which also
   * kills the refresh token - refreshed once first if it is rejected). Idempotent. Throws SkyfoldError
   * `transient` when the provider cannot be reached, `permanent` for other refusals. Delete the stored
   * tokens whatever the outcome.
   */
  revoke(tokens: Tokens): Promise<RevokeOutcome>;
}

export function createOAuthClient(config: OAuthClientConfig, options: OAuthClientOptions = {}): OAuthClient {
  const doFetch = options.fetch ?? fetch;
  const requestOptions = (signal?: AbortSignal): TokenRequestOptions => ({
    fetch: doFetch,
    ...(options.now ? { now: options.now } : {}),
    ...(signal ? { signal } : {}),
  });
  const scope = config.scopes.join(' ');

  const refresh: RefreshFunction = async (refreshToken, context) =>
    (
      await refreshAccessToken(
        {
          tokenUrl: config.tokenUrl,
          clientId: config.clientId,
          clientSecret: config.clientSecret,
          refreshToken,
          // Microsoft issues the refreshed token for the scopes asked again; the others ignore it.
          ...(config.kind === 'onedrive' ? { scope } : {}),
        },
        requestOptions(context.signal),
      )
    ).tokens;

  return {
    config,
    buildAuthorizeUrl(redirectUri, state, codeChallenge) {
      const url = new URL(config.authorizationUrl);
      const params: Record<string, string> = {
        client_id: config.clientId,
        response_type: 'code',
        redirect_uri: redirectUri,
        scope,
        state,
        code_challenge: codeChallenge,
        code_challenge_method: 'S256',
        ...config.authorizeParams,
      };
      for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
      return url.toString();
    },
    exchangeCode(code, redirectUri, codeVerifier) {
      return exchangeAuthorizationCode(
        {
          tokenUrl: config.tokenUrl,
          clientId: config.clientId,
          clientSecret: config.clientSecret,
          code,
          redirectUri,
          codeVerifier,
        },
        requestOptions(),
      );
    },
    refresh,
    async revoke(tokens) {
      if (!config.revokeUrl) return 'unsupported';
      const revokeUrl = config.revokeUrl;
      if (config.kind === 'dropbox') {
        let outcome = await post(doFetch, revokeUrl, { authorization: `Bearer ${tokens.accessToken}` });
        if (outcome.status === 401 && tokens.refreshToken) {
          let fresh: Tokens;
          try {
            fresh = await refresh(tokens.refreshToken, { signal: AbortSignal.timeout(60_000) });
          } catch (error) {
            if (error instanceof SkyfoldError && error.code === 'needs_reconnect') return 'already_invalid';
            throw error;
          }
          outcome = await post(doFetch, revokeUrl, { authorization: `Bearer ${fresh.accessToken}` });
        }
        if (outcome.ok) return 'revoked';
        if (outcome.status === 401) return 'already_invalid';
        throw revokeError(revokeUrl, outcome.status, outcome.body);
      }
      // Google (RFC 7009 style): revoking the refresh token ends the whole grant.
      const token = tokens.refreshToken ?? tokens.accessToken;
      const outcome = await post(doFetch, revokeUrl, {}, new URLSearchParams({ token }).toString());
      if (outcome.ok) return 'revoked';
      if (outcome.status === 400 && /invalid_token|invalid_grant/.test(outcome.body))
        return 'already_invalid';
      throw revokeError(revokeUrl, outcome.status, outcome.body);
    },
  };
}

export interface SignInOptions {
  openBrowser(url: string): Promise<void>;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * One interactive sign-in with `client` (runAuthorizationCodeFlow with the client's redirect settings).
 * Resolves the tokens and the token endpoint's whole answer. Throws as runAuthorizationCodeFlow and
 * exchangeAuthorizationCode do.
 */
export function signIn(client: OAuthClient, options: SignInOptions): Promise<TokenEndpointResult> {
  return runAuthorizationCodeFlow({
    buildAuthorizeUrl: (redirectUri, state, codeChallenge) =>
      client.buildAuthorizeUrl(redirectUri, state, codeChallenge),
    exchangeCode: (code, redirectUri, codeVerifier) => client.exchangeCode(code, redirectUri, codeVerifier),
    openBrowser: options.openBrowser,
    port: client.config.redirectPort,
    redirectHost: client.config.redirectHost,
    redirectPath: client.config.redirectPath,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

async function post(
  doFetch: typeof fetch,
  url: string,
  headers: Record<string, string>,
  form?: string,
): Promise<{ ok: boolean; status: number; body: string }> {
  try {
    const response = await doFetch(url, {
      method: 'POST',
      headers:
        form === undefined ? headers : { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
      ...(form === undefined ? {} : { body: form }),
      redirect: 'error',
      signal: AbortSignal.timeout(60_000),
    });
    return { ok: response.ok, status: response.status, body: await response.text() };
  } catch (error) {
    throw new OAuthError(
      'transient',
      `Could not reach ${new URL(url).origin} to revoke the sign-in: ${(error as Error).message}`,
      {
        oauthError: null,
        status: null,
        cause: error,
      },
    );
  }
}

function revokeError(url: string, status: number, body: string): OAuthError {
  return new OAuthError(
    status >= 500 || status === 429 ? 'transient' : 'permanent',
    `${new URL(url).origin} refused to revoke the sign-in (HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ''}).`,
    { oauthError: null, status },
  );
}
