import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SkyfoldError } from '../../../common/errors';
import { createContractClient, type CallMessage } from '../../../common/rpc';
import type { ConnectionStatus } from './connection';
import { backoffDelay, createWebSocketTransport, rpcUrl, type WebSocketLike } from './websocket-transport';

/** A stand-in for the browser WebSocket that the test drives by hand. */
class FakeSocket implements WebSocketLike {
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code?: number; reason?: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  readonly sent: CallMessage[] = [];
  closed = false;

  constructor(readonly url: string) {}

  send(data: string): void {
    if (this.closed) throw new Error('socket is closed');
    this.sent.push(JSON.parse(data) as CallMessage);
  }
  close(): void {
    this.closed = true;
  }

  // --- driven by the test ---
  open(): void {
    this.onopen?.({});
  }
  receive(message: unknown): void {
    this.onmessage?.({ data: typeof message === 'string' ? message : JSON.stringify(message) });
  }
  reply(call: CallMessage, value: unknown): void {
    this.receive({ kind: 'result', id: call.id, ok: true, value });
  }
  drop(reason = ''): void {
    this.closed = true;
    this.onerror?.({});
    this.onclose?.({ code: 1006, reason });
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  class Socket extends FakeSocket {
    constructor(url: string) {
      super(url);
      sockets.push(this);
    }
  }
  const transport = createWebSocketTransport({
    url: 'ws://127.0.0.1:4321/rpc',
    WebSocket: Socket,
    backoff: (attempt) => 100 * 2 ** (attempt - 1),
  });
  const statuses: ConnectionStatus[] = [];
  transport.subscribe((status) => statuses.push(status));
  const last = () => {
    const socket = sockets[sockets.length - 1];
    if (!socket) throw new Error('no socket was created');
    return socket;
  };
  return { transport, sockets, statuses, last };
}

/** Lets promise callbacks run. */
const settle = () => new Promise<void>((resolve) => queueMicrotask(resolve));

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createWebSocketTransport', () => {
  it('connects lazily, queues calls while connecting, and sends them once open', async () => {
    const { transport, sockets, last, statuses } = setup();
    expect(sockets).toHaveLength(0);
    expect(transport.getStatus()).toBe('idle');

    const first = transport.call('listAccounts', {});
    const second = transport.call('stat', { accountId: 'a', itemId: 'x' });
    expect(sockets).toHaveLength(1);
    expect(last().url).toBe('ws://127.0.0.1:4321/rpc');
    expect(last().sent).toEqual([]);
    expect(transport.getStatus()).toBe('connecting');

    last().open();
    expect(last().sent).toEqual([
      { kind: 'call', id: 1, method: 'listAccounts', args: {} },
      { kind: 'call', id: 2, method: 'stat', args: { accountId: 'a', itemId: 'x' } },
    ]);
    // Results may come back in any order; they are matched by id.
    last().reply(last().sent[1]!, { id: 'x' });
    last().reply(last().sent[0]!, []);
    await expect(first).resolves.toEqual({ ok: true, value: [] });
    await expect(second).resolves.toEqual({ ok: true, value: { id: 'x' } });
    expect(statuses).toEqual(['connecting', 'open']);

    // Once open, later calls go straight out on the same socket.
    void transport.call('listAccounts', {});
    expect(sockets).toHaveLength(1);
    expect(last().sent).toHaveLength(3);
  });

  it('passes error results through with their shared code, and the client rejects with a SkyfoldError', async () => {
    const { transport, last } = setup();
    const api = createContractClient(transport);
    const pending = api.stat({ accountId: 'a', itemId: 'missing' });
    last().open();
    const call = last().sent[0]!;
    last().receive({
      kind: 'result',
      id: call.id,
      ok: false,
      error: { code: 'not_found', message: 'no such item' },
    });
    const error = await pending.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SkyfoldError);
    expect(error).toMatchObject({ code: 'not_found', message: 'no such item' });
  });

  it('turns a malformed error into a permanent one', async () => {
    const { transport, last } = setup();
    const pending = transport.call('listAccounts', {});
    last().open();
    last().receive({
      kind: 'result',
      id: last().sent[0]!.id,
      ok: false,
      error: { code: 'weird', message: 42 },
    });
    await expect(pending).resolves.toEqual({
      ok: false,
      error: { code: 'permanent', message: 'The engine reported an error' },
    });
  });

  it('delivers events to every listener until it unsubscribes, and ignores junk', () => {
    const { transport, last } = setup();
    const seen: unknown[] = [];
    const other: unknown[] = [];
    const unsubscribe = transport.onEvent((event) => seen.push(event));
    transport.onEvent((event) => other.push(event));
    last().open();

    last().receive({ kind: 'event', event: { type: 'index-changed', accountId: 'a' } });
    last().receive('not json');
    last().receive({ kind: 'event' });
    last().receive({ kind: 'result', id: 999, ok: true, value: 1 }); // nobody asked
    last().receive({ kind: 'event', event: { type: 'accounts-changed' } });
    unsubscribe();
    last().receive({ kind: 'event', event: { type: 'accounts-changed' } });

    expect(seen).toEqual([{ type: 'index-changed', accountId: 'a' }, { type: 'accounts-changed' }]);
    expect(other).toHaveLength(3);
  });

  it('connects when someone subscribes to events', () => {
    const { transport, sockets } = setup();
    transport.onEvent(() => undefined);
    expect(sockets).toHaveLength(1);
  });

  it('rejects every waiting call as transient when the socket closes, and reports the loss', async () => {
    const { transport, last, statuses } = setup();
    const sent = transport.call('refreshAccount', { accountId: 'a' });
    last().open();
    last().drop('server restarting');

    const error = await sent.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SkyfoldError);
    expect(error).toMatchObject({ code: 'transient' });
    expect((error as Error).message).toContain('server restarting');
    expect(transport.getStatus()).toBe('lost');
    expect(statuses).toEqual(['connecting', 'open', 'lost']);
  });

  it('rejects queued calls when the connection cannot be made', async () => {
    const { transport, last } = setup();
    const queued = transport.call('listAccounts', {});
    last().drop();
    await expect(queued).rejects.toMatchObject({ code: 'transient' });
    expect(transport.getStatus()).toBe('lost');
  });

  it('reconnects on a later call, after the backoff delay', async () => {
    const { transport, sockets, last } = setup();
    void transport.call('listAccounts', {}).catch(() => undefined);
    last().open();
    last().drop();
    await settle();

    // Straight after the loss, the call waits for the backoff (100 ms) instead of hammering.
    const later = transport.call('listAccounts', {});
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(99);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);

    last().open();
    expect(last().sent).toEqual([{ kind: 'call', id: 2, method: 'listAccounts', args: {} }]);
    last().reply(last().sent[0]!, ['ok']);
    await expect(later).resolves.toEqual({ ok: true, value: ['ok'] });
    expect(transport.getStatus()).toBe('open');
  });

  it('connects at once on a call made after the backoff has passed', () => {
    const { transport, sockets, last } = setup();
    void transport.call('listAccounts', {}).catch(() => undefined);
    last().drop();
    vi.advanceTimersByTime(5_000); // nobody listens for events: no retry on its own
    expect(sockets).toHaveLength(1);
    void transport.call('listAccounts', {});
    expect(sockets).toHaveLength(2);
  });

  it('retries on its own while events are wanted, backing off further after each failure', () => {
    const { transport, sockets, last, statuses } = setup();
    transport.onEvent(() => undefined);
    last().open();
    last().drop();
    expect(sockets).toHaveLength(1);

    vi.advanceTimersByTime(100); // 1st retry after 100 ms
    expect(sockets).toHaveLength(2);
    last().drop();
    vi.advanceTimersByTime(199);
    expect(sockets).toHaveLength(2);
    vi.advanceTimersByTime(1); // 2nd retry after 200 ms
    expect(sockets).toHaveLength(3);
    last().drop();
    vi.advanceTimersByTime(400); // 3rd after 400 ms
    expect(sockets).toHaveLength(4);

    last().open();
    expect(transport.getStatus()).toBe('open');
    expect(statuses).toEqual([
      'connecting',
      'open',
      'lost',
      'connecting',
      'lost',
      'connecting',
      'lost',
      'connecting',
      'open',
    ]);

    // A success resets the backoff.
    last().drop();
    vi.advanceTimersByTime(100);
    expect(sockets).toHaveLength(5);
  });

  it('reconnect() skips the backoff wait', () => {
    const { transport, sockets, last } = setup();
    transport.onEvent(() => undefined);
    last().drop();
    last(); // 1 socket
    transport.reconnect();
    expect(sockets).toHaveLength(2);
    vi.advanceTimersByTime(10_000); // the scheduled retry was cancelled
    expect(sockets).toHaveLength(2);
  });

  it('ignores a replaced socket’s late messages', async () => {
    const { transport, sockets, last } = setup();
    const first = transport.call('listAccounts', {});
    const old = last();
    old.open();
    const oldCall = old.sent[0]!;
    old.drop();
    await expect(first).rejects.toMatchObject({ code: 'transient' });
    vi.advanceTimersByTime(100);
    const second = transport.call('listAccounts', {});
    expect(sockets).toHaveLength(2);
    last().open();
    old.reply(oldCall, 'stale');
    old.onclose?.({ code: 1006 }); // detached: nothing happens
    expect(transport.getStatus()).toBe('open');
    last().reply(last().sent[0]!, 'fresh');
    await expect(second).resolves.toEqual({ ok: true, value: 'fresh' });
  });

  it('dispose() closes the socket, rejects waiting calls and refuses new ones', async () => {
    const { transport, last } = setup();
    transport.onEvent(() => undefined);
    const pending = transport.call('listAccounts', {});
    last().open();
    transport.dispose();
    expect(last().closed).toBe(true);
    await expect(pending).rejects.toMatchObject({ code: 'transient' });
    await expect(transport.call('listAccounts', {})).rejects.toMatchObject({ code: 'transient' });
    expect(transport.getStatus()).toBe('closed');
  });

  it('treats a constructor that throws as a failed connection', async () => {
    class Broken {
      constructor() {
        throw new Error('bad url');
      }
    }
    const transport = createWebSocketTransport({
      url: 'ws://x/rpc',
      WebSocket: Broken as unknown as new (url: string) => WebSocketLike,
      backoff: () => 100,
    });
    await expect(transport.call('listAccounts', {})).rejects.toMatchObject({ code: 'transient' });
    expect(transport.getStatus()).toBe('lost');
  });
});

describe('backoffDelay', () => {
  it('doubles from the base up to the cap, with jitter in the upper half', () => {
    const low = () => 0;
    const high = () => 1;
    expect(backoffDelay(1, { random: low })).toBe(125);
    expect(backoffDelay(1, { random: high })).toBe(250);
    expect(backoffDelay(3, { random: high })).toBe(1000);
    expect(backoffDelay(30, { random: high })).toBe(10_000);
    expect(backoffDelay(30, { random: low })).toBe(5_000);
  });
});

describe('rpcUrl', () => {
  it('uses ws for http and wss for https, on the page’s host', () => {
    expect(rpcUrl({ protocol: 'http:', host: '127.0.0.1:8123' })).toBe('ws://127.0.0.1:8123/rpc');
    expect(rpcUrl({ protocol: 'https:', host: 'box.example:443' })).toBe('wss://box.example:443/rpc');
  });
});
