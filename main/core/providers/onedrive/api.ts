/**
 * How the OneDrive provider talks to Microsoft Graph: the official `@microsoft/microsoft-graph-client`
 * for every Graph call, plain fetch for the pre-authenticated URLs Graph hands out (downloads, upload
 * sessions, copy monitors), everything through the account's pacer.
 *
 * The client is built with `Client.initWithMiddleware` and our own two-step chain
 * (middleware.ts), not `Client.init` with an auth provider: the built-in AuthenticationHandler only
 * attaches a token to `https://` URLs (and deletes one set by hand elsewhere), so it cannot reach a
 * plain-http emulator, and it cannot tell which token a request carried (needed to invalidate exactly
 * that one on a 401). Each request gets its access token here, through `withAccessToken` (a 401
 * invalidates that token and the request is repeated once with a fresh one); the bearer step sets it
 * on the request, and only for the configured Graph origin; the fetch step sends it with the
 * injected fetch. Links Graph returns (`@odata.nextLink`, `@odata.deltaLink`) are made relative
 * (links.ts), so the same code works against https://graph.microsoft.com and an emulator. Answers
 * are taken raw (`ResponseType.RAW`) and checked here: status, Graph error JSON, malformed JSON.
 *
 * Calls that are not safe to repeat (uploads, create, rename/move, copy, delete) pass
 * `idempotent: false`: a failure that leaves open whether OneDrive acted (the connection broke after
 * the request went out, a 500/502/504, an answer cut off) is then not repeated by the pacer but thrown
 * as an `UnconfirmedError`, so that the caller first checks whether the call took effect (`settle` in
 * ../unconfirmed.ts). Failures that say "not acted" (429, 503, 401, 4xx) are paced and retried as for
 * every call.
 */
import { Client, GraphClientError, GraphError, ResponseType } from '@microsoft/microsoft-graph-client';
import { SkyfoldError, type ErrorCode } from '../../../../common/errors';
import { withAccessToken } from '../access-token';
import { readErrorBody } from '../http-errors';
import type { Pacer } from '../pacer';
import type { AccessTokenSource } from '../types';
import { UnconfirmedError } from '../unconfirmed';
import { GraphAnswerError, isAmbiguousFailure, toOnedriveError } from './errors';
import { graphBaseOrigin, graphVersion, relativeLink } from './links';
import { BearerToken, BearerTokenMiddleware, FetchMiddleware } from './middleware';

export interface OnedriveApiOptions {
  /** null = https://graph.microsoft.com; else another origin serving `/v1.0` (an emulator). */
  apiBaseUrl: string | null;
  tokens: AccessTokenSource;
  pacer: Pacer;
  fetch?: typeof fetch;
}

export interface CallOptions {
  /**
   * false: the request must not be repeated blindly. A failure after which OneDrive may have acted is
   * thrown as `UnconfirmedError` instead of being retried. Default true.
   */
  idempotent?: boolean;
  /** Codes for error statuses where this call means something else than usual (e.g. a delta token Graph cannot read: invalid_argument). */
  statusCodes?: Readonly<Partial<Record<number, ErrorCode>>>;
}

/** One Graph request. */
export interface GraphCall {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The path below `/v1.0`, with its query (values already encoded): `/me/drive/items/x?$select=id`. */
  path: string;
  /** A JSON body (POST, PATCH; PUT of metadata). */
  json?: unknown;
  /** A byte body (PUT of content), sent as application/octet-stream. */
  bytes?: Buffer;
  headers?: Record<string, string>;
  /** `manual`: a redirect is an answer, not followed (downloads: the target must not get the token). */
  redirect?: 'manual';
}

export class OnedriveApi {
  /** Where Graph is (`https://graph.microsoft.com`, or the configured origin). */
  readonly origin: string;
  readonly fetch: typeof fetch;
  private readonly client: Client;
  private readonly tokens: AccessTokenSource;
  readonly pacer: Pacer;

  constructor(options: OnedriveApiOptions) {
    this.origin = graphBaseOrigin(options.apiBaseUrl);
    this.fetch = options.fetch ?? fetch;
    this.tokens = options.tokens;
    this.pacer = options.pacer;
    const bearer = new BearerTokenMiddleware(this.origin);
    bearer.setNext(new FetchMiddleware(this.fetch));
    this.client = Client.initWithMiddleware({
      baseUrl: this.origin,
      defaultVersion: graphVersion,
      middleware: bearer,
    });
  }

  /**
   * One Graph call whose answer is JSON (or nothing: 204): the parsed body, `undefined` when empty.
   * Paced, authorized, mapped (see `request`).
   */
  json(what: string, call: GraphCall, options: CallOptions = {}): Promise<unknown> {
    return this.request(what, call, (response) => readJson(response, what), options);
  }

  /**
   * One Graph call, paced (run again on rate limits and transient errors, unless `idempotent: false`)
   * and authorized (a 401 refreshes the token once). A success (2xx; with `redirect: 'manual'` also
   * 3xx) is handed to `read`, inside the paced attempt (so a body cut off while read counts as the
   * attempt failing). Throws mapped SkyfoldErrors (`what` names the operation), and UnconfirmedError.
   */
  async request<T>(
    what: string,
    call: GraphCall,
    read: (response: Response) => Promise<T>,
    options: CallOptions = {},
  ): Promise<T> {
    const label = `OneDrive, ${what}`;
    const mapError = (error: unknown) => {
      const mapped = toOnedriveError(error, label);
      const override = error instanceof GraphAnswerError ? options.statusCodes?.[error.status] : undefined;
      return override === undefined ? mapped : new SkyfoldError(override, mapped.message, { cause: error });
    };
    const attempt = async (token: string): Promise<T> => {
      const response = await this.send(call, token);
      const redirect = call.redirect === 'manual' && response.status >= 300 && response.status < 400;
      if (!response.ok && !redirect) {
        throw new GraphAnswerError(response.status, await readErrorBody(response), response.headers);
      }
      return read(response);
    };
    const outcome = await this.pacer.call(() =>
      withAccessToken(this.tokens, mapError, (token) => outcomeOf(() => attempt(token), options)),
    );
    return valueOf(outcome, mapError);
  }

  /**
   * A request to a pre-authenticated URL Graph handed out (upload session, download, copy monitor):
   * never with our token, paced like every call. Redirects are handed over as answers unless `init`
   * asks to follow them (safe: no credential is sent). A non-success answer is thrown mapped, except
   * the statuses `accept` takes (they are handed to `read`). Throws like `request`.
   */
  async preauthenticated<T>(
    what: string,
    url: string,
    init: RequestInit,
    read: (response: Response) => Promise<T>,
    options: CallOptions & { accept?: (status: number) => boolean } = {},
  ): Promise<T> {
    const label = `OneDrive, ${what}`;
    const mapError = (error: unknown) => {
      const mapped = toOnedriveError(error, label);
      // A refused pre-authenticated URL does not get better with a new token: not auth_expired.
      return mapped.code === 'auth_expired' ? new SkyfoldError('permanent', mapped.message) : mapped;
    };
    const attempt = async (): Promise<T> => {
      const response = await this.fetch(url, { redirect: 'manual', ...init });
      if (!response.ok && !options.accept?.(response.status)) {
        throw new GraphAnswerError(response.status, await readErrorBody(response), response.headers);
      }
      return read(response);
    };
    const outcome = await this.pacer.call(async () => {
      try {
        return await outcomeOf(attempt, options);
      } catch (error) {
        throw mapError(error);
      }
    });
    return valueOf(outcome, mapError);
  }

  /** A Graph link (`@odata.nextLink`...) as the path `request` takes. Throws permanent for a foreign link. */
  relative(link: string, what?: string): string {
    return relativeLink(link, this.origin, what);
  }

  private async send(call: GraphCall, token: string): Promise<Response> {
    let request = this.client
      .api(call.path)
      .middlewareOptions([new BearerToken(token)])
      .responseType(ResponseType.RAW);
    for (const [name, value] of Object.entries(call.headers ?? {})) request = request.header(name, value);
    if (call.redirect) request = request.option('redirect', call.redirect);
    try {
      switch (call.method) {
        case 'GET':
          return (await request.get()) as Response;
        case 'DELETE':
          return (await request.delete()) as Response;
        case 'POST':
          return (await request.post(call.json ?? {})) as Response;
        case 'PATCH':
          return (await request.patch(call.json ?? {})) as Response;
        case 'PUT':
          if (call.json !== undefined) return (await request.put(call.json)) as Response;
          request = request.header('Content-Type', 'application/octet-stream');
          return (await request.put(call.bytes ?? Buffer.alloc(0))) as Response;
      }
    } catch (error) {
      throw unwrapClientError(error);
    }
  }
}

/** An attempt's result, or (idempotent: false) the failure that left open whether OneDrive acted. */
type Outcome<T> = { done: true; value: T } | { done: false; error: unknown };

/**
 * Runs one attempt. With `idempotent: false`, an ambiguous failure becomes an outcome instead of an
 * error, so that it leaves the pacer (and withAccessToken) without being repeated.
 */
async function outcomeOf<T>(attempt: () => Promise<T>, options: CallOptions): Promise<Outcome<T>> {
  try {
    return { done: true, value: await attempt() };
  } catch (error) {
    if (options.idempotent === false && isAmbiguousFailure(error)) return { done: false, error };
    throw error;
  }
}

function valueOf<T>(outcome: Outcome<T>, mapError: (error: unknown) => SkyfoldError): T {
  if (!outcome.done) throw new UnconfirmedError('OneDrive', mapError(outcome.error));
  return outcome.value;
}

/**
 * What the Graph client threw, as it was first thrown: our middleware wraps its failures (a network
 * error, a refused host) in a GraphClientError (`customError`), which the client passes through
 * unchanged; anything else it turns into a GraphError.
 */
function unwrapClientError(error: unknown): unknown {
  if (error instanceof GraphClientError && error.customError !== undefined) return error.customError;
  if (error instanceof GraphError) {
    return new SkyfoldError('permanent', `the Graph client failed: ${error.message || error.code}`, {
      cause: error,
    });
  }
  return error;
}

/**
 * The JSON body of a successful answer; undefined for an empty one (204). Throws permanent when it
 * is not JSON; a body cut off while read throws the network error (transient, ambiguous for writes).
 */
export async function readJson(response: Response, what: string): Promise<unknown> {
  const text = await response.text();
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SkyfoldError(
      'permanent',
      `OneDrive sent malformed JSON for ${what} (HTTP ${response.status}): ${text.slice(0, 120)}`,
    );
  }
}
