/**
 * The interactive desktop sign-in: authorization code + PKCE S256 + random state + loopback redirect,
 * provider-independent. The provider plugs in how to build its authorize URL and how to exchange the
 * code; the host plugs in how to open the system browser (Electron `shell.openExternal`, the CLI's
 * `createCliBrowserOpener`).
 */
import { SkyfoldError } from '../../../common/errors';
import { type RedirectHost, startLoopbackListener } from './loopback';
import { createPkcePair, createState } from './pkce';
import type { Tokens } from './tokens';

export interface AuthorizationCodeFlowOptions<T = Tokens> {
  /** The provider's authorize URL carrying `redirect_uri`, `state`, `code_challenge` (method S256). */
  buildAuthorizeUrl(redirectUri: string, state: string, codeChallenge: string): string;
  /**
   * Exchanges the code at the token endpoint (send the same `redirect_uri` and the `code_verifier`).
   * Whatever it resolves is what the flow resolves (tokens, or tokens plus account details).
   */
  exchangeCode(code: string, redirectUri: string, codeVerifier: string): Promise<T>;
  /** Opens the URL in the system browser (never an embedded window, RFC 8252 §8.12). */
  openBrowser(url: string): Promise<void>;
  /** Fixed loopback port (Dropbox); default 0 = ephemeral. */
  port?: number;
  /** Redirect URI path; default `/callback`. */
  redirectPath?: string;
  /** Host name in the redirect URI; default `127.0.0.1`. */
  redirectHost?: RedirectHost;
  /** How long to wait for the browser; default 5 minutes. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Runs one sign-in and resolves what `exchangeCode` resolved.
 *
 * Throws: SignInError from the listener (denied, provider_error, timeout, cancelled, port_in_use,
 * listener_failed); SkyfoldError `invalid_argument` when `buildAuthorizeUrl` returns something that is
 * not an http(s) URL; whatever `openBrowser` or `exchangeCode` throw. The listener is always closed
 * when this settles. Not idempotent: every call is a new sign-in with a new state and verifier.
 */
export async function runAuthorizationCodeFlow<T = Tokens>(
  options: AuthorizationCodeFlowOptions<T>,
): Promise<T> {
  const state = createState();
  const pkce = createPkcePair();
  const listener = await startLoopbackListener({
    state,
    port: options.port ?? 0,
    path: options.redirectPath ?? '/callback',
    redirectHost: options.redirectHost ?? '127.0.0.1',
    timeoutMs: options.timeoutMs,
    signal: options.signal,
  });
  try {
    const url = options.buildAuthorizeUrl(listener.redirectUri, state, pkce.codeChallenge);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new SkyfoldError('invalid_argument', `the authorize URL is not a URL: ${url}`);
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw new SkyfoldError('invalid_argument', `the authorize URL must be http(s): ${url}`);
    }
    await options.openBrowser(url);
    const callback = await listener.result;
    return await options.exchangeCode(callback.code, callback.redirectUri, pkce.codeVerifier);
  } finally {
    await listener.close();
  }
}
