/**
 * The contract over the web host's WebSocket (`/rpc`): JSON messages `{kind:'call', id, method, args}`
 * out, `{kind:'result', ...}` and `{kind:'event', ...}` in (types in common/rpc.ts).
 *
 * - Connects lazily, on the first call or event subscription; calls made while connecting are queued.
 * - When the socket closes, every call still waiting rejects with a `transient` SkyfoldError (a call
 *   may or may not have run; callers decide whether repeating it is safe), and the status becomes `lost`.
 * - Reconnects with capped exponential backoff: on the next call, and on its own while anyone listens
 *   for events (events sent while disconnected are lost: watch the status and refetch after `lost`).
 *
 * The WebSocket constructor and the timers are injectable so this runs under unit tests with a fake.
 */
import type { EngineEvent, MethodName } from '../../../common/contract';
import { SkyfoldError, errorCodes, type ErrorCode, type ErrorDto } from '../../../common/errors';
import type { CallMessage, ContractTransport } from '../../../common/rpc';
import type { ConnectionMonitor, ConnectionStatus } from './connection';

/** The part of the browser's WebSocket this transport uses. */
export interface WebSocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code?: number; reason?: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export type WebSocketFactory = new (url: string) => WebSocketLike;

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export interface WebSocketTransportOptions {
  url: string;
  /** Defaults to the global WebSocket. */
  WebSocket?: WebSocketFactory;
  /** Delay before reconnect attempt `attempt` (1 = the first after a failure). */
  backoff?: (attempt: number) => number;
  timers?: Timers;
}

export type WebSocketTransport = ContractTransport &
  ConnectionMonitor & {
    /** Closes the socket for good: pending calls reject, no more reconnects. */
    dispose(): void;
  };

type Outcome = { ok: true; value: unknown } | { ok: false; error: ErrorDto };

interface PendingCall {
  message: CallMessage;
  resolve: (outcome: Outcome) => void;
  reject: (error: unknown) => void;
  sent: boolean;
}

/** Capped exponential backoff with jitter: about 250 ms, 500 ms, 1 s, ... up to `maxMs`. */
export function backoffDelay(
  attempt: number,
  options: { baseMs?: number; maxMs?: number; random?: () => number } = {},
) {
  const { baseMs = 250, maxMs = 10_000, random = Math.random } = options;
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  // "Equal jitter": at least half the ceiling, so retries never hammer, never all at the same instant.
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

const defaultTimers: Timers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
  now: () => Date.now(),
};

/** The web host's RPC endpoint for the page's own origin. */
export function rpcUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/rpc`;
}

export function createWebSocketTransport(options: WebSocketTransportOptions): WebSocketTransport {
  const Socket = options.WebSocket ?? (globalThis.WebSocket as unknown as WebSocketFactory | undefined);
  if (!Socket) throw new Error('WebSocket is not available');
  const backoff = options.backoff ?? ((attempt: number) => backoffDelay(attempt));
  const timers = options.timers ?? defaultTimers;

  const eventListeners = new Set<(event: EngineEvent) => void>();
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  const pending = new Map<number, PendingCall>();
  let socket: WebSocketLike | null = null;
  let status: ConnectionStatus = 'idle';
  let nextId = 1;
  /** Consecutive failed connections (0 once a socket opens). */
  let failures = 0;
  let nextAttemptAt = 0;
  let retryTimer: unknown = null;

  const setStatus = (next: ConnectionStatus) => {
    if (next === status) return;
    status = next;
    for (const listener of [...statusListeners]) listener(next);
  };

  const connect = () => {
    cancelRetry();
    if (status === 'closed' || status === 'open' || status === 'connecting') return;
    setStatus('connecting');
    let created: WebSocketLike;
    try {
      created = new Socket(options.url);
    } catch (error) {
      fail(null, `Cannot connect to Skyfold: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    socket = created;
    created.onopen = () => {
      if (socket !== created) return;
      failures = 0;
      setStatus('open');
      for (const call of pending.values()) {
        if (!call.sent) send(created, call);
      }
    };
    created.onmessage = (event) => {
      if (socket === created) receive(event.data);
    };
    created.onerror = () => {
      // Browsers follow an error with a close event; the close handler does the work.
    };
    created.onclose = (event) => {
      if (socket !== created) return;
      const detail = event.reason ? `: ${event.reason}` : '';
      fail(created, `Lost the connection to Skyfold${detail}`);
    };
  };

  const send = (target: WebSocketLike, call: PendingCall) => {
    try {
      target.send(JSON.stringify(call.message));
      call.sent = true;
    } catch (error) {
      pending.delete(call.message.id);
      call.reject(new SkyfoldError('transient', `Could not send ${call.message.method}`, { cause: error }));
    }
  };

  /** The socket is gone: reject what waits, count the failure, and schedule the next attempt. */
  const fail = (dead: WebSocketLike | null, message: string) => {
    if (dead) {
      dead.onopen = dead.onmessage = dead.onclose = dead.onerror = null;
    }
    socket = null;
    const waiting = [...pending.values()];
    pending.clear();
    for (const call of waiting) call.reject(new SkyfoldError('transient', message));
    failures++;
    nextAttemptAt = timers.now() + backoff(failures);
    setStatus('lost');
    if (eventListeners.size > 0) scheduleRetry();
  };

  const cancelRetry = () => {
    if (retryTimer !== null) timers.clearTimeout(retryTimer);
    retryTimer = null;
  };

  const scheduleRetry = () => {
    if (retryTimer !== null || status === 'closed') return;
    retryTimer = timers.setTimeout(
      () => {
        retryTimer = null;
        connect();
      },
      Math.max(0, nextAttemptAt - timers.now()),
    );
  };

  /** Connects now, or when the backoff allows. */
  const ensureConnected = () => {
    if (status === 'open' || status === 'connecting' || status === 'closed') return;
    if (timers.now() >= nextAttemptAt) connect();
    else scheduleRetry();
  };

  const receive = (data: unknown) => {
    if (typeof data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return; // not ours
    }
    if (typeof message !== 'object' || message === null) return;
    const { kind } = message as { kind?: unknown };
    if (kind === 'result') {
      const result = message as { id?: unknown; ok?: unknown; value?: unknown; error?: unknown };
      const call = typeof result.id === 'number' ? pending.get(result.id) : undefined;
      if (!call) return;
      pending.delete(call.message.id);
      if (result.ok === true) call.resolve({ ok: true, value: result.value });
      else call.resolve({ ok: false, error: toErrorDto(result.error) });
    } else if (kind === 'event') {
      const { event } = message as { event?: unknown };
      if (
        typeof event !== 'object' ||
        event === null ||
        typeof (event as { type?: unknown }).type !== 'string'
      )
        return;
      for (const listener of [...eventListeners]) {
        try {
          listener(event as EngineEvent);
        } catch (error) {
          // One broken listener must not starve the others.
          console.error('skyfold: event listener failed', error);
        }
      }
    }
  };

  return {
    call(method: MethodName, args: unknown): Promise<Outcome> {
      if (status === 'closed') {
        return Promise.reject(new SkyfoldError('transient', 'The connection to Skyfold is closed'));
      }
      return new Promise<Outcome>((resolve, reject) => {
        const call: PendingCall = {
          message: { kind: 'call', id: nextId++, method, args },
          resolve,
          reject,
          sent: false,
        };
        pending.set(call.message.id, call);
        if (status === 'open' && socket) send(socket, call);
        else ensureConnected();
      });
    },

    onEvent(listener: (event: EngineEvent) => void): () => void {
      eventListeners.add(listener);
      ensureConnected();
      return () => {
        eventListeners.delete(listener);
      };
    },

    getStatus: () => status,

    subscribe(listener: (status: ConnectionStatus) => void): () => void {
      statusListeners.add(listener);
      return () => {
        statusListeners.delete(listener);
      };
    },

    reconnect() {
      if (status === 'open' || status === 'connecting' || status === 'closed') return;
      nextAttemptAt = 0;
      connect();
    },

    dispose() {
      cancelRetry();
      const dead = socket;
      socket = null;
      if (dead) {
        dead.onopen = dead.onmessage = dead.onclose = dead.onerror = null;
        try {
          dead.close(1000, 'disposed');
        } catch {
          // already closing
        }
      }
      const waiting = [...pending.values()];
      pending.clear();
      for (const call of waiting)
        call.reject(new SkyfoldError('transient', 'The connection to Skyfold was closed'));
      setStatus('closed');
    },
  };
}

/** A server's error object, defended against shapes that are not an ErrorDto. */
function toErrorDto(error: unknown): ErrorDto {
  if (typeof error === 'object' && error !== null) {
    const { code, message, retryAfterMs } = error as Partial<ErrorDto>;
    const dto: ErrorDto = {
      code: errorCodes.includes(code as ErrorCode) ? (code as ErrorCode) : 'permanent',
      message: typeof message === 'string' ? message : 'The engine reported an error',
    };
    if (typeof retryAfterMs === 'number') dto.retryAfterMs = retryAfterMs;
    return dto;
  }
  return { code: 'permanent', message: 'The engine reported an error' };
}
