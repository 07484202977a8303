/**
 * The loopback redirect listener of a desktop OAuth sign-in (RFC 8252 §7.3, §8.3).
 *
 * Contract:
 * - Binds 127.0.0.1 ONLY (never 0.0.0.0 or ::), on an ephemeral port (0, the default) or on a fixed port
 *   when the provider only accepts an exactly registered redirect URI (Dropbox).
 * - Serves exactly one path (default `/callback`); any other path answers 404, any method but GET 405.
 * - Checks the Host header (`127.0.0.1:PORT` or `localhost:PORT`), refusing anything else with 400, so a
 *   web page cannot reach the listener through a DNS-rebinding name.
 * - Accepts exactly ONE callback whose `state` equals the expected one (constant-time comparison):
 *   with `code` it resolves `{code, redirectUri}`; with `error` (e.g. `access_denied`) it rejects with a
 *   SignInError. Either way the browser gets a small self-contained page and the listener then closes:
 *   `result` settles only after the port is released.
 * - A callback with a missing or wrong `state`, or without `code`/`error`, gets a 400 page and does NOT end
 *   the wait: a page that knows the redirect URI cannot cancel or hijack the sign-in.
 * - Times out (default 5 minutes) with SignInError(reason 'timeout', code 'transient'); an AbortSignal
 *   cancels with SignInError(reason 'cancelled', code 'permanent'). `close()` does the same as an abort.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SkyfoldError } from '../../../common/errors';
import { callbackPageHeaders, renderCallbackPage, type CallbackPageTone } from './callback-page';
import { SignInError } from './errors';
import { statesEqual } from './pkce';

export const defaultSignInTimeoutMs = 5 * 60_000;

/** The host name written into the redirect URI. The listener itself always binds 127.0.0.1. */
export type RedirectHost = '127.0.0.1' | 'localhost';

export interface LoopbackListenerOptions {
  /** The `state` sent in the authorization request; the only one accepted back. */
  state: string;
  /** 0 (default) = an ephemeral port chosen by the OS; otherwise this exact port. */
  port?: number;
  /** Path of the redirect URI (default `/callback`). Must start with `/`. */
  path?: string;
  /**
   * Host name of the redirect URI: `127.0.0.1` (default; RFC 8252's recommendation, Google, Dropbox) or
   * `localhost` (what Microsoft Entra lets you register in its portal). The browser resolves `localhost`
   * to the loopback interface; the listener still binds 127.0.0.1 only.
   */
  redirectHost?: RedirectHost;
  /** How long to wait for the browser, in ms (default 5 minutes). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface AuthorizationCallback {
  code: string;
  /** The exact redirect URI the listener was reached on (send the same one to the token endpoint). */
  redirectUri: string;
}

export interface LoopbackListener {
  /** `http://127.0.0.1:PORT/callback` (or `http://localhost:PORT/...`). */
  readonly redirectUri: string;
  readonly port: number;
  /** Settles once, after the listener has closed: the code, or a SignInError. */
  readonly result: Promise<AuthorizationCallback>;
  /** Stops waiting (result rejects with reason 'cancelled' unless it already settled). Idempotent. */
  close(): Promise<void>;
}

const bindHost = '127.0.0.1';

/**
 * Starts the listener. Resolves once it listens, so the caller can put `redirectUri` into the
 * authorization URL. Throws SignInError 'port_in_use' (code `conflict`) when a fixed port is taken,
 * 'listener_failed' for other bind errors, 'cancelled' when `signal` is already aborted, and
 * SkyfoldError `invalid_argument` for a bad path, port or timeout.
 */
export async function startLoopbackListener(options: LoopbackListenerOptions): Promise<LoopbackListener> {
  const path = options.path ?? '/callback';
  const requestedPort = options.port ?? 0;
  const timeoutMs = options.timeoutMs ?? defaultSignInTimeoutMs;
  const redirectHost = options.redirectHost ?? '127.0.0.1';
  if (!path.startsWith('/') || /[?#\s]/.test(path)) {
    throw new SkyfoldError(
      'invalid_argument',
      `the redirect path must start with "/" and have no query: ${path}`,
    );
  }
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
    throw new SkyfoldError('invalid_argument', `not a port number: ${requestedPort}`);
  }
  if (!(timeoutMs > 0)) throw new SkyfoldError('invalid_argument', 'the sign-in timeout must be positive');
  if (!options.state) throw new SkyfoldError('invalid_argument', 'a sign-in needs a non-empty state');
  if (options.signal?.aborted) throw cancelledError(options.signal.reason);

  let port = 0;
  let redirectUri = '';
  let settled = false;
  let resolveResult!: (value: AuthorizationCallback) => void;
  let rejectResult!: (error: unknown) => void;
  const result = new Promise<AuthorizationCallback>((resolve, reject) => {
    resolveResult = resolve;
    rejectResult = reject;
  });
  // The caller may not be awaiting yet (it is opening the browser) when a timeout fires.
  result.catch(() => undefined);

  const server = createServer({ requestTimeout: 30_000, headersTimeout: 30_000 }, (request, response) =>
    handle(request, response),
  );
  server.keepAliveTimeout = 1_000;
  const closed = new Promise<void>((resolve) => server.once('close', () => resolve()));

  let timer: NodeJS.Timeout | undefined = undefined;
  const onAbort = (): void => settle({ error: cancelledError(options.signal?.reason) });

  /** Ends the wait: no further callback is accepted; the listener closes once `response` is sent. */
  function settle(outcome: { code: string } | { error: SignInError }, response?: ServerResponse): void {
    if (settled) return;
    settled = true;
    if (timer) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    server.close(); // stop accepting connections now; 'close' fires when the last one is gone
    if (response) {
      // Flush the final page, then drop every socket (the browser keeps idle keep-alive ones open).
      response.once('finish', () => server.closeAllConnections());
      response.once('close', () => server.closeAllConnections());
    } else {
      server.closeAllConnections();
    }
    void closed.then(() => {
      if ('code' in outcome) resolveResult({ code: outcome.code, redirectUri });
      else rejectResult(outcome.error);
    });
  }

  function handle(request: IncomingMessage, response: ServerResponse): void {
    if (settled) {
      send(
        response,
        410,
        'error',
        'Sign-in already finished',
        'This sign-in has already finished. You can close this window.',
      );
      return;
    }
    const host = (request.headers.host ?? '').toLowerCase();
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      send(
        response,
        400,
        'error',
        'Bad request',
        'This address only answers sign-in redirects from this computer.',
      );
      return;
    }
    const rawUrl = request.url ?? '';
    if (!rawUrl.startsWith('/')) {
      send(response, 400, 'error', 'Bad request', 'Unexpected request.');
      return;
    }
    const url = new URL(rawUrl, `http://${bindHost}:${port}`);
    if (url.pathname !== path) {
      send(response, 404, 'error', 'Not found', 'There is nothing here.');
      return;
    }
    if (request.method !== 'GET') {
      response.setHeader('Allow', 'GET');
      send(response, 405, 'error', 'Method not allowed', 'Unexpected request.');
      return;
    }
    const params = url.searchParams;
    const single = (name: string): string | null | undefined => {
      const values = params.getAll(name);
      return values.length === 0 ? null : values.length === 1 ? values[0] : undefined;
    };
    const state = single('state');
    const code = single('code');
    const error = single('error');
    if (
      state === undefined ||
      code === undefined ||
      error === undefined ||
      !statesEqual(options.state, state)
    ) {
      // Not the redirect of the sign-in we started (stale tab, forged link): refuse it and keep waiting.
      send(
        response,
        400,
        'error',
        'Sign-in link not recognised',
        'This sign-in response does not belong to the sign-in Skyfold is waiting for. Start the sign-in again from Skyfold if it does not finish.',
      );
      return;
    }
    if (error !== null) {
      const description = sanitize(single('error_description') ?? '');
      const failure = providerError(error, description);
      send(
        response,
        200,
        'error',
        failure.reason === 'denied' ? 'Sign-in cancelled' : 'Sign-in failed',
        `${failure.message} You can close this window.`,
      );
      settle({ error: failure }, response);
      return;
    }
    if (!code) {
      send(response, 400, 'error', 'Bad request', 'The sign-in response carried no authorization code.');
      return;
    }
    send(response, 200, 'success', 'Signed in', 'You can close this window and return to Skyfold.');
    settle({ code }, response);
  }

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new SignInError(
            'conflict',
            'port_in_use',
            `Port ${requestedPort} on ${bindHost} is used by another program. The provider only accepts the redirect URI registered with this exact port; close that program (or configure another registered port) and try again.`,
            { cause: error },
          ),
        );
      } else {
        reject(
          new SignInError(
            'permanent',
            'listener_failed',
            `Could not listen on ${bindHost} for the sign-in: ${error.message}`,
            {
              cause: error,
            },
          ),
        );
      }
    };
    server.once('error', onError);
    server.listen({ host: bindHost, port: requestedPort, exclusive: true }, () => {
      server.off('error', onError);
      resolve();
    });
  });

  port = (server.address() as AddressInfo).port;
  redirectUri = `http://${redirectHost}:${port}${path}`;
  timer = setTimeout(
    () =>
      settle({
        error: new SignInError(
          'transient',
          'timeout',
          `The sign-in was not completed within ${formatDuration(timeoutMs)}. Start it again when you are ready.`,
        ),
      }),
    timeoutMs,
  );
  options.signal?.addEventListener('abort', onAbort, { once: true });
  // The signal may have fired while we were binding.
  if (options.signal?.aborted) onAbort();

  return {
    redirectUri,
    port,
    result,
    async close(): Promise<void> {
      settle({ error: cancelledError() });
      await closed;
    },
  };
}

function send(
  response: ServerResponse,
  status: number,
  tone: CallbackPageTone,
  title: string,
  message: string,
): void {
  for (const [name, value] of Object.entries(callbackPageHeaders)) response.setHeader(name, value);
  response.setHeader('Connection', 'close');
  response.statusCode = status;
  response.end(renderCallbackPage({ title, message, tone }));
}

function cancelledError(cause?: unknown): SignInError {
  return new SignInError(
    'permanent',
    'cancelled',
    'The sign-in was cancelled.',
    cause === undefined ? undefined : { cause },
  );
}

/** RFC 6749 §4.1.2.1 error codes -> a SignInError with a message a person can act on. */
function providerError(error: string, description: string): SignInError {
  const detail = description ? ` (${description})` : '';
  const oauthError = sanitize(error);
  if (error === 'access_denied') {
    return new SignInError('permanent', 'denied', `Access was not granted in the browser${detail}.`, {
      oauthError,
    });
  }
  const code = error === 'temporarily_unavailable' || error === 'server_error' ? 'transient' : 'permanent';
  return new SignInError(
    code,
    'provider_error',
    `The provider refused the sign-in: ${oauthError}${detail}.`,
    {
      oauthError,
    },
  );
}

/** Keeps text from the URL printable and short. */
function sanitize(text: string): string {
  // eslint-disable-next-line no-control-regex
  const printable = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim();
  return printable.length > 300 ? `${printable.slice(0, 300)}...` : printable;
}

function formatDuration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} minute${ms === 60_000 ? '' : 's'}`;
  if (ms >= 1000) return `${Math.round(ms / 1000)} seconds`;
  return `${ms} ms`;
}
