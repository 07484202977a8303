import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../common/contract';
import { SkyfoldError } from '../../../common/errors';
import type { ContractTransport } from '../../../common/rpc';
import { createSkyfoldClient, isContractTransport } from './client';

describe('createSkyfoldClient', () => {
  it('uses the preload’s IPC transport when window.skyfold is there', async () => {
    const calls: Array<[string, unknown]> = [];
    const listeners: Array<(event: EngineEvent) => void> = [];
    const ipc: ContractTransport = {
      call: async (method, args) => {
        calls.push([method, args]);
        return method === 'stat'
          ? { ok: false, error: { code: 'not_found', message: 'gone' } }
          : { ok: true, value: [] };
      },
      onEvent: (listener) => {
        listeners.push(listener);
        return () => undefined;
      },
    };
    let socketsMade = 0;
    const client = createSkyfoldClient({
      skyfold: ipc,
      location: { protocol: 'app:', host: 'skyfold' },
      WebSocket: class {
        constructor() {
          socketsMade++;
        }
      },
    });
    expect(client.transport).toBe('ipc');
    expect(client.connection.getStatus()).toBe('open');
    await expect(client.api.listAccounts({})).resolves.toEqual([]);
    await expect(client.api.stat({ accountId: 'a', itemId: 'b' })).rejects.toBeInstanceOf(SkyfoldError);
    expect(calls).toEqual([
      ['listAccounts', {}],
      ['stat', { accountId: 'a', itemId: 'b' }],
    ]);
    const seen: EngineEvent[] = [];
    client.api.onEvent((event) => seen.push(event));
    listeners[0]?.({ type: 'accounts-changed' });
    expect(seen).toEqual([{ type: 'accounts-changed' }]);
    expect(socketsMade).toBe(0);
  });

  it('falls back to the WebSocket on the page’s own host, connecting only when used', () => {
    const urls: string[] = [];
    class Socket {
      onopen = null;
      onmessage = null;
      onclose = null;
      onerror = null;
      constructor(url: string) {
        urls.push(url);
      }
      send() {}
      close() {}
    }
    const client = createSkyfoldClient({
      location: { protocol: 'https:', host: 'localhost:5173' },
      WebSocket: Socket,
    });
    expect(client.transport).toBe('websocket');
    expect(urls).toEqual([]);
    void client.api.listAccounts({});
    expect(urls).toEqual(['wss://localhost:5173/rpc']);
    expect(client.connection.getStatus()).toBe('connecting');
  });
});

describe('isContractTransport', () => {
  it('accepts only objects with call and onEvent functions', () => {
    expect(isContractTransport({ call: () => 0, onEvent: () => 0 })).toBe(true);
    expect(isContractTransport({ call: () => 0 })).toBe(false);
    expect(isContractTransport(undefined)).toBe(false);
    expect(isContractTransport('skyfold')).toBe(false);
  });
});
