/**
 * The Graph client's middleware chain (https://github.com/microsoftgraph/msgraph-sdk-javascript,
 * docs/CustomMiddlewareChain.md): a bearer step, then a fetch step.
 *
 * - `BearerTokenMiddleware` sets `Authorization: Bearer <token>` from the request's `BearerToken`
 *   option (api.ts obtains the token per request, so that a 401 invalidates exactly the token the
 *   request carried), and only on URLs of the configured Graph origin: a request anywhere else fails
 *   before anything is sent, so the token cannot leak to another host. Unlike the client's own
 *   AuthenticationHandler it accepts an `http://` origin (the emulator).
 * - `FetchMiddleware` sends the request with the injected fetch (the client's HTTPMessageHandler
 *   always uses the global one).
 *
 * Failures are thrown as GraphClientError with the original error as `customError`: the client passes
 * GraphClientErrors through untouched (anything else it rewraps, losing the cause), and api.ts unwraps
 * them.
 */
import {
  GraphClientError,
  type Context,
  type Middleware,
  type MiddlewareOptions,
} from '@microsoft/microsoft-graph-client';
import { SkyfoldError } from '../../../../common/errors';

/** A request's access token, handed to `BearerTokenMiddleware` through the request's middleware options. */
export class BearerToken implements MiddlewareOptions {
  constructor(readonly accessToken: string) {}
}

/** Wraps `error` so the Graph client passes it through unchanged (api.ts unwraps it). */
export function clientError(error: unknown): GraphClientError {
  const wrapped = new GraphClientError(error instanceof Error ? error.message : String(error));
  wrapped.customError = error;
  return wrapped;
}

function requestUrl(context: Context): string {
  return typeof context.request === 'string' ? context.request : context.request.url;
}

export class BearerTokenMiddleware implements Middleware {
  private next: Middleware | undefined;

  /** `origin`: the only origin (`https://graph.microsoft.com`, or an emulator's) that gets the token. */
  constructor(private readonly origin: string) {}

  async execute(context: Context): Promise<void> {
    const option = context.middlewareControl?.getMiddlewareOptions(BearerToken) as BearerToken | undefined;
    const url = requestUrl(context);
    let origin: string | null;
    try {
      origin = new URL(url).origin;
    } catch {
      origin = null;
    }
    if (origin !== this.origin) {
      throw clientError(new SkyfoldError('permanent', `refusing to send a OneDrive token to ${url}`));
    }
    if (!option) throw clientError(new SkyfoldError('permanent', 'a OneDrive request without a token'));
    const options = (context.options ??= {});
    const headers = new Headers(options.headers as ConstructorParameters<typeof Headers>[0]);
    headers.set('Authorization', `Bearer ${option.accessToken}`);
    options.headers = Object.fromEntries(headers);
    if (!this.next) throw clientError(new SkyfoldError('permanent', 'the Graph middleware chain has no end'));
    await this.next.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

export class FetchMiddleware implements Middleware {
  constructor(private readonly fetchImpl: typeof fetch) {}

  async execute(context: Context): Promise<void> {
    try {
      context.response = await this.fetchImpl(context.request, context.options);
    } catch (error) {
      throw clientError(error);
    }
  }
}
