/**
 * How the Dropbox provider talks to Dropbox: the official SDK (`dropbox`) for every RPC and upload
 * call, raw fetch for what the SDK cannot stream (downloads), both through the account's pacer and
 * with a fresh access token per request.
 *
 * The SDK keeps one access token inside its `DropboxAuth`; sharing one client between concurrent
 * calls would mean swapping that token under calls in flight. So each request gets a throw-away
 * `Dropbox` client holding exactly the token it was sent with (cheap: the SDK only copies its route
 * table), and a 401 invalidates precisely that token before the one retry. The SDK's own refresh is
 * unused: tokens come from the injected `AccessTokenSource` (the TokenManager).
 */
import { Dropbox } from 'dropbox';
import { SkyfoldError } from '../../../../common/errors';
import { withAccessToken } from '../access-token';
import type { Pacer } from '../pacer';
import type { AccessTokenSource } from '../types';
import { toDropboxError } from './errors';
import { dropboxFetch } from './hosts';

export interface DropboxApiOptions {
  /** null = the real Dropbox hosts; an emulator's origin otherwise (reached through dropboxFetch). */
  apiBaseUrl: string | null;
  tokens: AccessTokenSource;
  pacer: Pacer;
  fetch?: typeof fetch;
}

export class DropboxApi {
  /** A fetch that reaches the configured Dropbox hosts (request URLs name the real hosts). */
  readonly fetch: typeof fetch;
  private readonly tokens: AccessTokenSource;
  private readonly pacer: Pacer;

  constructor(options: DropboxApiOptions) {
    const inner = options.fetch ?? fetch;
    this.fetch = options.apiBaseUrl === null ? inner : dropboxFetch(options.apiBaseUrl, inner);
    this.tokens = options.tokens;
    this.pacer = options.pacer;
  }

  /**
   * One SDK request, paced (so `request` must be safe to repeat: it is run again on rate limits and
   * transient errors) and authorized. Returns the response's `result`. Throws mapped SkyfoldErrors.
   */
  rpc<T>(what: string, request: (client: Dropbox) => Promise<{ result: T }>): Promise<T> {
    return this.call(what, async (client) => (await request(client)).result);
  }

  /** Like `rpc`, for callers that inspect the SDK's answer or error themselves; returns what `request` returns. */
  call<T>(what: string, request: (client: Dropbox) => Promise<T>): Promise<T> {
    return this.withToken(what, (token) => request(this.client(token)));
  }

  /**
   * Runs `request` with a bearer token, through the pacer; on 401 `expired_access_token` (or
   * `invalid_access_token`) the token is invalidated and the request repeated once with a fresh one.
   * Whatever `request` throws is mapped to a SkyfoldError (`what` names the operation).
   */
  withToken<T>(what: string, request: (accessToken: string) => Promise<T>): Promise<T> {
    return this.pacer.call(() =>
      withAccessToken(this.tokens, (error) => toDropboxError(error, `Dropbox, ${what}`), request),
    );
  }

  /**
   * An SDK request on a route without authentication (list_folder/longpoll), neither paced nor
   * retried: it may wait for minutes and must not hold one of the account's request slots meanwhile.
   */
  async unauthenticated<T>(what: string, request: (client: Dropbox) => Promise<{ result: T }>): Promise<T> {
    try {
      return (await request(this.client(null))).result;
    } catch (error) {
      throw toDropboxError(error, `Dropbox, ${what}`);
    }
  }

  private client(accessToken: string | null): Dropbox {
    return new Dropbox({ ...(accessToken === null ? {} : { accessToken }), fetch: this.fetch });
  }
}

/** Checks that an answer is a JSON object (the SDK hands over the raw text when it is not JSON). */
export function expectObject(value: unknown, what: string): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new SkyfoldError('permanent', `Dropbox sent a malformed answer for ${what}`);
  }
  return value as Record<string, unknown>;
}
