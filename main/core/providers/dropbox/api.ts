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
 *
 * Calls that are not safe to repeat (uploads, create, copy, move, delete) pass `idempotent: false`:
 * a failure that leaves open whether Dropbox acted (the connection broke after the request went out,
 * or a 500/502/504) is then not repeated by the pacer but thrown as an `UnconfirmedError`, so that the
 * caller first checks whether the call took effect (see `settle` in ../unconfirmed.ts). Failures
 * Dropbox documents as "not acted" (429, 503, 401, route errors) are paced and retried as for every
 * call.
 */
import { Dropbox } from 'dropbox';
import { SkyfoldError } from '../../../../common/errors';
import { withAccessToken } from '../access-token';
import { isNetworkFailure } from '../http-errors';
import type { Pacer } from '../pacer';
import type { AccessTokenSource } from '../types';
import { UnconfirmedError } from '../unconfirmed';
import { toDropboxError } from './errors';
import { dropboxFetch } from './hosts';

export interface DropboxApiOptions {
  /** null = the real Dropbox hosts; an emulator's origin otherwise (reached through dropboxFetch). */
  apiBaseUrl: string | null;
  tokens: AccessTokenSource;
  pacer: Pacer;
  fetch?: typeof fetch;
}

export interface CallOptions {
  /**
   * false: the request must not be repeated blindly. A failure after which Dropbox may have acted is
   * thrown as `UnconfirmedError` instead of being retried. Default true.
   */
  idempotent?: boolean;
}

/** Errnos of a connection that failed before the request was sent: Dropbox cannot have acted. */
const notSentErrnos = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Whether a failure (as the SDK or fetch threw it) leaves open whether Dropbox acted: a network
 * failure once the request may have reached Dropbox, or a 5xx other than 503 (which Dropbox
 * documents as "retry later", not acted) and 507 (insufficient storage).
 */
export function isAmbiguousFailure(error: unknown): boolean {
  if (error instanceof SkyfoldError) return false;
  const candidate = error as { status?: unknown; code?: unknown; cause?: { code?: unknown } } | null;
  if (candidate && typeof candidate.status === 'number' && 'error' in candidate) {
    return candidate.status >= 500 && candidate.status !== 503 && candidate.status !== 507;
  }
  const errno = typeof candidate?.code === 'string' ? candidate.code : candidate?.cause?.code;
  if (typeof errno === 'string' && notSentErrnos.has(errno)) return false;
  return isNetworkFailure(error);
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
   * One SDK request, paced (run again on rate limits and transient errors, so `request` must be safe
   * to repeat unless `idempotent: false`) and authorized. Returns the response's `result`. Throws
   * mapped SkyfoldErrors, and UnconfirmedError (see CallOptions).
   */
  rpc<T>(
    what: string,
    request: (client: Dropbox) => Promise<{ result: T }>,
    options: CallOptions = {},
  ): Promise<T> {
    return this.call(what, async (client) => (await request(client)).result, options);
  }

  /** Like `rpc`, for callers that inspect the SDK's answer or error themselves; returns what `request` returns. */
  call<T>(what: string, request: (client: Dropbox) => Promise<T>, options: CallOptions = {}): Promise<T> {
    return this.withToken(what, (token) => request(this.client(token)), options);
  }

  /**
   * Runs `request` with a bearer token, through the pacer; on 401 `expired_access_token` (or
   * `invalid_access_token`) the token is invalidated and the request repeated once with a fresh one.
   * Whatever `request` throws is mapped to a SkyfoldError (`what` names the operation).
   */
  async withToken<T>(
    what: string,
    request: (accessToken: string) => Promise<T>,
    options: CallOptions = {},
  ): Promise<T> {
    const mapError = (error: unknown) => toDropboxError(error, `Dropbox, ${what}`);
    if (options.idempotent !== false) {
      return this.pacer.call(() => withAccessToken(this.tokens, mapError, request));
    }
    // An ambiguous failure leaves the pacer as an outcome, not an error, so that it is not repeated.
    const outcome = await this.pacer.call(() =>
      withAccessToken(this.tokens, mapError, async (token) => {
        try {
          return { done: true as const, value: await request(token) };
        } catch (error) {
          if (isAmbiguousFailure(error)) return { done: false as const, error };
          throw error;
        }
      }),
    );
    if (!outcome.done) throw new UnconfirmedError('Dropbox', mapError(outcome.error));
    return outcome.value;
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
