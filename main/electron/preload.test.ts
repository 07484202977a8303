/**
 * The preload (preload/index.ts) as the page sees it through the stand-in contextBridge. It lives here
 * because the 'electron-host' Vitest project runs main/electron/**.
 */
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { methodNames, type EngineEvent } from '../../common/contract';
import type { ContractTransport } from '../../common/rpc';
import { createContractClient } from '../../common/rpc';
import type { DesktopBridge } from '../../common/uploads';
import { contextBridge, ipcRenderer, resetElectron, webUtils } from '../../test/stand-ins/electron';
import * as preload from '../../preload/index';
import * as ipc from './ipc';

// Importing the preload ran it once; keep what it exposed before the per-test resets.
const exposedKeys = [...contextBridge.exposed.keys()];
const skyfold = contextBridge.exposed.get('skyfold') as ContractTransport & DesktopBridge;

beforeEach(() => resetElectron());

describe('preload', () => {
  it('exposes one object, window.skyfold, with exactly call, onEvent, pathForFile and startDrag', () => {
    expect(exposedKeys).toEqual(['skyfold']);
    expect(Object.keys(skyfold).sort()).toEqual(['call', 'onEvent', 'pathForFile', 'startDrag']);
    for (const value of Object.values(skyfold)) expect(typeof value).toBe('function');
  });

  it('never hands ipcRenderer (or anything of it) to the page', () => {
    for (const value of Object.values(skyfold)) {
      expect(value).not.toBe(ipcRenderer);
      expect(typeof value).toBe('function');
    }
    expect(Object.values(skyfold)).not.toContain(ipcRenderer.invoke);
    expect(Object.values(skyfold)).not.toContain(ipcRenderer.on);
  });

  it('uses the same channel names as the main-process router', () => {
    expect(preload.callChannel).toBe(ipc.callChannel);
    expect(preload.eventChannel).toBe(ipc.eventChannel);
    expect(preload.dragChannel).toBe(ipc.dragChannel);
  });

  it('imports nothing at runtime but electron and the dependency-free method list (a sandboxed preload cannot require packages such as zod)', () => {
    const source = readFileSync(new URL('../../preload/index.ts', import.meta.url), 'utf8');
    const runtimeImports = [...source.matchAll(/^import\s+(?!type\s)[^;]*?from\s+'([^']+)'/gms)].map(
      (m) => m[1],
    );
    expect(runtimeImports).toEqual(['electron', '../common/methods']);
    expect(source).not.toMatch(/\brequire\(/);
    const methods = readFileSync(new URL('../../common/methods.ts', import.meta.url), 'utf8');
    expect(methods).not.toMatch(/^import\s/m);
  });

  it('forwards every contract method, and only those', async () => {
    ipcRenderer.invokeHandler = async () => ({ ok: true, value: null });
    for (const method of methodNames) {
      expect(await skyfold.call(method, {})).toEqual({ ok: true, value: null });
    }
    expect(ipcRenderer.invocations.map(([, method]) => method)).toEqual(methodNames);
  });

  it('sends a contract call over the call channel and returns main’s outcome', async () => {
    ipcRenderer.invokeHandler = async (_channel, method) => ({
      ok: true,
      value: [`answer to ${String(method)}`],
    });
    const outcome = await skyfold.call('listAccounts', {});
    expect(outcome).toEqual({ ok: true, value: ['answer to listAccounts'] });
    expect(ipcRenderer.invocations).toEqual([['skyfold:call', 'listAccounts', {}]]);
  });

  it.each(['evalInMain', 'constructor', '__proto__', 'toString', 'onEvent', '', 42, null, undefined])(
    'refuses the non-contract method %s without calling ipcRenderer.invoke',
    async (method) => {
      ipcRenderer.invokeHandler = async () => ({ ok: true, value: 'should not happen' });
      const outcome = await skyfold.call(method as never, {});
      expect(outcome).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
      expect(ipcRenderer.invocations).toEqual([]);
    },
  );

  it('turns an IPC failure (e.g. uncloneable arguments) into a coded outcome instead of throwing', async () => {
    ipcRenderer.invokeHandler = async () => ({ ok: true, value: null });
    const outcome = await skyfold.call('listAccounts', { callback: () => undefined });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'permanent' } });
  });

  it('works under createContractClient: errors become SkyfoldErrors with their code', async () => {
    ipcRenderer.invokeHandler = async () => ({ ok: false, error: { code: 'not_found', message: 'gone' } });
    const client = createContractClient(skyfold);
    await expect(client.stat({ accountId: 'a', itemId: 'b' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('onEvent passes only the event payload, never the IPC event', () => {
    const received: unknown[][] = [];
    skyfold.onEvent((...args: unknown[]) => received.push(args));
    const event: EngineEvent = { type: 'index-changed', accountId: 'acc1' };
    ipcRenderer.deliverFromMain('skyfold:event', event);
    expect(received).toEqual([[event]]);
    const [payload] = received[0] ?? [];
    expect(payload).not.toHaveProperty('sender');
    expect(payload).not.toHaveProperty('ports');
  });

  it('onEvent ignores other channels and unsubscribes cleanly', () => {
    const received: unknown[] = [];
    const unsubscribe = skyfold.onEvent((event) => received.push(event));
    expect(ipcRenderer.listenerCount('skyfold:event')).toBe(1);
    ipcRenderer.deliverFromMain('something-else', { type: 'accounts-changed' });
    expect(received).toEqual([]);
    unsubscribe();
    expect(ipcRenderer.listenerCount('skyfold:event')).toBe(0);
    ipcRenderer.deliverFromMain('skyfold:event', { type: 'accounts-changed' });
    expect(received).toEqual([]);
  });

  it('unsubscribing one listener leaves the others', () => {
    const first: unknown[] = [];
    const second: unknown[] = [];
    const stopFirst = skyfold.onEvent((event) => first.push(event));
    skyfold.onEvent((event) => second.push(event));
    stopFirst();
    ipcRenderer.deliverFromMain('skyfold:event', { type: 'accounts-changed' });
    expect(first).toEqual([]);
    expect(second).toEqual([{ type: 'accounts-changed' }]);
  });

  it('onEvent refuses a non-function listener', () => {
    expect(() => skyfold.onEvent('alert(1)' as never)).toThrow(TypeError);
  });

  it('pathForFile gives a dropped file its path on disk, "" for anything else', () => {
    const dropped = new File(['hello'], 'notes.txt');
    webUtils.filePaths.set(dropped, '/home/ana/notes.txt');
    expect(skyfold.pathForFile(dropped)).toBe('/home/ana/notes.txt');
    expect(skyfold.pathForFile(new File(['made in the page'], 'blob.txt'))).toBe('');
    expect(skyfold.pathForFile({ name: 'notes.txt' } as never)).toBe('');
    expect(skyfold.pathForFile('/etc/passwd' as never)).toBe('');
  });

  it('startDrag sends the paths to main on the drag channel, without waiting for an answer', () => {
    const paths = ['/data/drag-cache/a/report.pdf', '/data/drag-cache/b/photo.jpg'];
    expect(skyfold.startDrag(paths)).toBeUndefined();
    expect(ipcRenderer.invocations).toEqual([['skyfold:start-drag', paths]]);
  });
});
