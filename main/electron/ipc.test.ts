import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineEvent } from '../../common/contract';
import {
  asElectron,
  ipcMain,
  NativeImage,
  resetElectron,
  WebContents,
  WebFrameMain,
} from '../../test/stand-ins/electron';
import { appEntryUrl } from './app-origin';
import {
  callChannel,
  dragChannel,
  eventChannel,
  forwardEvents,
  isTrustedSender,
  registerIpc,
  type IpcService,
} from './ipc';

let base: string;
/** The engine's drag cache, with two cached files. */
let cacheDir: string;

beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), 'skyfold-ipc-'));
  cacheDir = path.join(base, 'drag-cache');
  mkdirSync(path.join(cacheDir, 'a'), { recursive: true });
  writeFileSync(path.join(cacheDir, 'a', 'report.pdf'), 'pdf');
  writeFileSync(path.join(cacheDir, 'photo.jpg'), 'jpg');
  writeFileSync(path.join(base, 'secret.txt'), 'not for dragging');
  symlinkSync(path.join(base, 'secret.txt'), path.join(cacheDir, 'link-out.txt'));
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

/** A fake engine whose contract methods record their calls (the dispatch calls `service[method](args)`). */
function fakeService() {
  const calls: Array<{ method: string; args: unknown }> = [];
  const record =
    (method: string, value: unknown) =>
    async (args: unknown): Promise<unknown> => {
      calls.push({ method, args });
      return value;
    };
  const account = { id: 'acc1', name: 'Home', kind: 'local' };
  const service = {
    listAccounts: record('listAccounts', [account]),
    addLocalAccount: record('addLocalAccount', account),
    removeAccount: record('removeAccount', null),
    refreshAccount: record('refreshAccount', account),
    listFolder: record('listFolder', { rows: [], total: 0 }),
    stat: record('stat', { id: 'i1' }),
    resolvePath: record('resolvePath', { id: 'i1' }),
  };
  return { service: { ...service, dragCacheDir: cacheDir } as unknown as IpcService, calls, account };
}

/** A web-contents showing `url` in its main frame. */
function contentsAt(url: string): WebContents {
  const contents = new WebContents();
  contents.mainFrame.setUrl(url);
  return contents;
}

let engine: ReturnType<typeof fakeService>;

beforeEach(() => {
  resetElectron();
  engine = fakeService();
  registerIpc(engine.service, asElectron(ipcMain));
});

describe('registerIpc', () => {
  it('registers one handler on the call channel and one drag listener, and removes both on dispose', () => {
    resetElectron();
    const dispose = registerIpc(engine.service, asElectron(ipcMain));
    expect([...ipcMain.handlers.keys()]).toEqual(['skyfold:call']);
    expect(ipcMain.eventNames()).toEqual(['skyfold:start-drag']);
    expect(ipcMain.listenerCount('skyfold:start-drag')).toBe(1);
    dispose();
    expect(ipcMain.handlers.size).toBe(0);
    expect(ipcMain.eventNames()).toEqual([]);
  });

  it('a call from our top-level page reaches the service and returns its value', async () => {
    const contents = contentsAt(appEntryUrl);
    const outcome = await ipcMain.invokeFrom(contents.mainFrame, contents, callChannel, 'listAccounts', {});
    expect(outcome).toEqual({ ok: true, value: [engine.account] });
    expect(engine.calls).toEqual([{ method: 'listAccounts', args: {} }]);
  });

  it('passes validated arguments through', async () => {
    const contents = contentsAt(appEntryUrl);
    const outcome = await ipcMain.invokeFrom(contents.mainFrame, contents, callChannel, 'stat', {
      accountId: 'acc1',
      itemId: 'i1',
    });
    expect(outcome).toEqual({ ok: true, value: { id: 'i1' } });
    expect(engine.calls).toEqual([{ method: 'stat', args: { accountId: 'acc1', itemId: 'i1' } }]);
  });

  it.each([
    ['stat', { accountId: '', itemId: 'i1' }],
    ['stat', { accountId: 'acc1', itemId: 'i1', extra: true }],
    ['stat', { accountId: 42, itemId: 'i1' }],
    [
      'listFolder',
      { accountId: 'a', folderId: '', sort: { by: 'name', direction: 'asc' }, offset: 0, limit: 1e9 },
    ],
    ['addLocalAccount', 'not an object'],
  ])('refuses invalid arguments for %s without calling the service', async (method, args) => {
    const contents = contentsAt(appEntryUrl);
    const outcome = (await ipcMain.invokeFrom(contents.mainFrame, contents, callChannel, method, args)) as {
      ok: boolean;
      error?: { code: string };
    };
    expect(outcome.ok).toBe(false);
    expect(outcome.error?.code).toBe('invalid_argument');
    expect(engine.calls).toEqual([]);
  });

  it.each(['constructor', '__proto__', 'toString', 'close', 'startBackgroundSync', 42, null])(
    'refuses the non-contract method %s',
    async (method) => {
      const contents = contentsAt(appEntryUrl);
      const outcome = (await ipcMain.invokeFrom(contents.mainFrame, contents, callChannel, method, {})) as {
        ok: boolean;
        error?: { code: string };
      };
      expect(outcome).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
      expect(engine.calls).toEqual([]);
    },
  );

  it.each([
    'https://evil.example/',
    'http://localhost:5173/',
    'file:///opt/skyfold/out/renderer/index.html',
    'app://evil/index.html',
    'app://skyfold.evil.example/index.html',
    'about:blank',
    '',
  ])('rejects a call from a top-level page at %s without calling the service', async (url) => {
    const contents = contentsAt(url);
    const outcome = await ipcMain.invokeFrom(contents.mainFrame, contents, callChannel, 'listAccounts', {});
    expect(outcome).toEqual({ ok: false, error: { code: 'permanent', message: 'untrusted sender' } });
    expect(engine.calls).toEqual([]);
  });

  it('rejects a call from a subframe, even one showing our own origin', async () => {
    const contents = contentsAt(appEntryUrl);
    for (const url of ['https://evil.example/frame', appEntryUrl]) {
      const subframe = new WebFrameMain(url, contents.mainFrame);
      const outcome = await ipcMain.invokeFrom(subframe, contents, callChannel, 'removeAccount', {
        accountId: 'acc1',
      });
      expect(outcome).toEqual({ ok: false, error: { code: 'permanent', message: 'untrusted sender' } });
    }
    expect(engine.calls).toEqual([]);
  });

  it('rejects a call whose frame is gone (senderFrame null) or detached', async () => {
    const contents = contentsAt(appEntryUrl);
    const gone = await ipcMain.invokeFrom(null, contents, callChannel, 'listAccounts', {});
    expect(gone).toMatchObject({ ok: false, error: { message: 'untrusted sender' } });
    contents.mainFrame.detached = true;
    const detached = await ipcMain.invokeFrom(contents.mainFrame, contents, callChannel, 'listAccounts', {});
    expect(detached).toMatchObject({ ok: false, error: { message: 'untrusted sender' } });
    expect(engine.calls).toEqual([]);
  });

  it("rejects a top-level frame that is not the sender's main frame", async () => {
    const ours = contentsAt(appEntryUrl);
    const other = contentsAt(appEntryUrl);
    const outcome = await ipcMain.invokeFrom(other.mainFrame, ours, callChannel, 'listAccounts', {});
    expect(outcome).toMatchObject({ ok: false, error: { message: 'untrusted sender' } });
    expect(engine.calls).toEqual([]);
  });

  it('rejects our URL with a mismatched origin (e.g. an opaque-origin sandboxed document)', async () => {
    const contents = contentsAt(appEntryUrl);
    contents.mainFrame.origin = 'null';
    const outcome = await ipcMain.invokeFrom(contents.mainFrame, contents, callChannel, 'listAccounts', {});
    expect(outcome).toMatchObject({ ok: false, error: { message: 'untrusted sender' } });
    expect(engine.calls).toEqual([]);
  });

  it('never rejects: a service error comes back as its coded outcome', async () => {
    resetElectron();
    const failing = {
      ...(engine.service as object),
      listAccounts: async () => {
        throw new Error('disk on fire');
      },
    } as unknown as IpcService;
    registerIpc(failing, asElectron(ipcMain));
    const contents = contentsAt(appEntryUrl);
    const outcome = await ipcMain.invokeFrom(contents.mainFrame, contents, callChannel, 'listAccounts', {});
    expect(outcome).toEqual({ ok: false, error: { code: 'permanent', message: 'disk on fire' } });
  });
});

describe('dragging files out', () => {
  let warnings: string[];

  beforeEach(() => {
    warnings = [];
    vi.spyOn(console, 'warn').mockImplementation((message: string) => void warnings.push(message));
    return () => vi.restoreAllMocks();
  });

  const inCache = (...parts: string[]) => path.join(cacheDir, ...parts);

  it('starts a native drag of cached files, with an icon', async () => {
    const contents = contentsAt(appEntryUrl);
    const paths = [inCache('a', 'report.pdf'), inCache('photo.jpg')];
    await ipcMain.sendFrom(contents.mainFrame, contents, dragChannel, paths);
    expect(contents.drags).toHaveLength(1);
    const [drag] = contents.drags;
    const realCache = realpathSync(cacheDir);
    expect(drag?.file).toBe(path.join(realCache, 'a', 'report.pdf'));
    expect(drag?.files).toEqual([path.join(realCache, 'a', 'report.pdf'), path.join(realCache, 'photo.jpg')]);
    expect(drag?.icon).toBeInstanceOf(NativeImage);
    expect((drag?.icon as NativeImage).getSize()).toEqual({ width: 32, height: 32 });
    expect(warnings).toEqual([]);
  });

  it.each([
    ['a file outside the cache', () => [path.join(base, 'secret.txt')]],
    ['a way out through ..', () => [inCache('a', '..', '..', 'secret.txt')]],
    ['a link in the cache that points outside', () => [inCache('link-out.txt')]],
    ['a cached file beside one outside', () => [inCache('photo.jpg'), path.join(base, 'secret.txt')]],
    ['the cache folder itself', () => [cacheDir]],
    ['a folder in the cache', () => [inCache('a')]],
    ['a missing file', () => [inCache('gone.txt')]],
    ['a relative path', () => ['photo.jpg']],
    ['no paths', () => []],
    ['too many paths', () => Array.from({ length: 101 }, () => inCache('photo.jpg'))],
    ['a non-string', () => [42]],
    ['a string instead of a list', () => inCache('photo.jpg')],
    ['nothing', () => undefined],
  ])('refuses %s, with a log line and no drag', async (_case, paths) => {
    const contents = contentsAt(appEntryUrl);
    await ipcMain.sendFrom(contents.mainFrame, contents, dragChannel, paths());
    expect(contents.drags).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^skyfold: drag refused: /);
  });

  it('refuses a drag from a foreign page or a subframe', async () => {
    const foreign = contentsAt('https://evil.example/');
    await ipcMain.sendFrom(foreign.mainFrame, foreign, dragChannel, [inCache('photo.jpg')]);
    const ours = contentsAt(appEntryUrl);
    const subframe = new WebFrameMain(appEntryUrl, ours.mainFrame);
    await ipcMain.sendFrom(subframe, ours, dragChannel, [inCache('photo.jpg')]);
    await ipcMain.sendFrom(null, ours, dragChannel, [inCache('photo.jpg')]);
    expect(foreign.drags).toEqual([]);
    expect(ours.drags).toEqual([]);
    expect(warnings).toEqual(Array(3).fill('skyfold: drag refused: untrusted sender'));
  });

  it('does not drag for a page that navigated away or closed while the files were checked', async () => {
    const navigated = contentsAt(appEntryUrl);
    const pending = ipcMain.sendFrom(navigated.mainFrame, navigated, dragChannel, [inCache('photo.jpg')]);
    navigated.mainFrame.setUrl('https://evil.example/');
    await pending;
    const closed = contentsAt(appEntryUrl);
    const closing = ipcMain.sendFrom(closed.mainFrame, closed, dragChannel, [inCache('photo.jpg')]);
    closed.destroy();
    await closing;
    expect(navigated.drags).toEqual([]);
    expect(closed.drags).toEqual([]);
  });
});

describe('isTrustedSender', () => {
  it('accepts exactly the main frame of a contents showing app://skyfold', () => {
    const contents = contentsAt('app://skyfold/index.html#/accounts');
    expect(isTrustedSender(asElectron({ sender: contents, senderFrame: contents.mainFrame }))).toBe(true);
    contents.mainFrame.setUrl('https://evil.example/');
    expect(isTrustedSender(asElectron({ sender: contents, senderFrame: contents.mainFrame }))).toBe(false);
  });
});

describe('forwardEvents', () => {
  function eventSource() {
    const listeners = new Set<(event: EngineEvent) => void>();
    return {
      listeners,
      onEvent(listener: (event: EngineEvent) => void) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      emit(event: EngineEvent) {
        for (const listener of [...listeners]) listener(event);
      },
    };
  }

  it('sends each engine event to the page on the event channel', () => {
    const source = eventSource();
    const contents = contentsAt(appEntryUrl);
    forwardEvents(source, asElectron(contents));
    source.emit({ type: 'index-changed', accountId: 'acc1' });
    source.emit({ type: 'accounts-changed' });
    expect(contents.sent).toEqual([
      [eventChannel, { type: 'index-changed', accountId: 'acc1' }],
      [eventChannel, { type: 'accounts-changed' }],
    ]);
  });

  it('unsubscribes when the contents is destroyed', () => {
    const source = eventSource();
    const contents = contentsAt(appEntryUrl);
    forwardEvents(source, asElectron(contents));
    expect(source.listeners.size).toBe(1);
    contents.destroy();
    expect(source.listeners.size).toBe(0);
    expect(() => source.emit({ type: 'accounts-changed' })).not.toThrow();
    expect(contents.sent).toEqual([]);
  });

  it('sends nothing to a contents that is not showing our page', () => {
    const source = eventSource();
    const contents = contentsAt('https://evil.example/');
    forwardEvents(source, asElectron(contents));
    source.emit({ type: 'accounts-changed' });
    expect(contents.sent).toEqual([]);
  });
});
