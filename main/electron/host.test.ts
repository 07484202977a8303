import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../common/contract';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  protocol,
  resetElectron,
  session,
  WebContents,
} from '../../test/stand-ins/electron';
import { launch, type HostOptions, type HostService } from './host';

let base: string;
let rendererDir: string;

beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), 'skyfold-host-'));
  rendererDir = path.join(base, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Skyfold</title>');
  mkdirSync(path.join(base, 'drag-cache'));
  writeFileSync(path.join(base, 'drag-cache', 'report.pdf'), 'pdf');
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

beforeEach(() => resetElectron());

function fakeEngine() {
  const log: string[] = [];
  const listeners = new Set<(event: EngineEvent) => void>();
  const service = {
    async listAccounts() {
      log.push('listAccounts');
      return [];
    },
    onEvent(listener: (event: EngineEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    startBackgroundSync() {
      log.push('startBackgroundSync');
    },
    close() {
      log.push('close');
    },
    dragCacheDir: path.join(base, 'drag-cache'),
  } as unknown as HostService;
  const opened: Array<{ dataDir: string }> = [];
  return {
    log,
    listeners,
    opened,
    openService: (options: { dataDir: string }) => {
      opened.push(options);
      log.push('open');
      return service;
    },
  };
}

function options(engine: ReturnType<typeof fakeEngine>, overrides: Partial<HostOptions> = {}): HostOptions {
  return {
    dataDir: path.join(base, 'data'),
    rendererDir,
    preloadPath: '/app/out/preload/index.cjs',
    openService: engine.openService,
    devTools: false,
    ...overrides,
  };
}

async function started(engine: ReturnType<typeof fakeEngine>) {
  const host = launch(options(engine));
  app.emitReady();
  await host.started;
  await new Promise((resolve) => setTimeout(resolve, 0)); // let the window load and show
  return host;
}

describe('launch, before ready', () => {
  it('registers the privileged app: scheme, enables the sandbox and sets userData, touching nothing else', () => {
    const engine = fakeEngine();
    launch(options(engine));
    expect(protocol.privilegedSchemes.map((scheme) => scheme.scheme)).toEqual(['app']);
    expect(app.calls.enableSandbox).toBe(1);
    expect(app.getPath('userData')).toBe(path.join(base, 'data'));
    expect(engine.opened).toEqual([]);
    expect(BrowserWindow.created).toEqual([]);
    expect(protocol.handlers.size).toBe(0);
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('leaves when another instance holds the lock, without opening the engine', async () => {
    app.singleInstanceLockAvailable = false;
    const engine = fakeEngine();
    const host = launch(options(engine));
    expect(app.calls.quit).toBe(1);
    app.emitReady();
    await host.started;
    expect(engine.opened).toEqual([]);
    expect(BrowserWindow.created).toEqual([]);
  });
});

describe('launch, on ready', () => {
  it('opens the engine on the data dir, refreshes in background, and opens one hardened window', async () => {
    const engine = fakeEngine();
    const host = await started(engine);
    expect(engine.opened).toEqual([{ dataDir: path.join(base, 'data') }]);
    expect(engine.log).toEqual(['open', 'startBackgroundSync']);
    expect(host.service()).toBeDefined();
    expect(BrowserWindow.created).toHaveLength(1);
    const [{ window, options: windowOptions }] = BrowserWindow.created as [
      { window: BrowserWindow; options: Record<string, unknown> },
    ];
    expect(windowOptions.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    });
    expect(window.webContents.loadedUrls).toEqual(['app://skyfold/index.html']);
  });

  it('serves the renderer on app://skyfold', async () => {
    await started(fakeEngine());
    const response = await protocol.fetch('app://skyfold/index.html');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('denies permissions on the default session', async () => {
    await started(fakeEngine());
    const contents = new WebContents();
    expect(await session.defaultSession.requestPermission(contents, 'media')).toBe(false);
    expect(session.defaultSession.checkPermission(contents, 'notifications', 'app://skyfold')).toBe(false);
  });

  it('guards every web-contents created later (app-wide hook)', async () => {
    await started(fakeEngine());
    const later = new WebContents();
    expect(later.userNavigate('https://evil.example/')).toBe(false);
    expect(later.pageOpensWindow('https://evil.example/')).toBe('deny');
    expect(later.pageAttachesWebview('https://evil.example/')).toBe(false);
  });

  it('answers contract calls from the window and forwards engine events to it', async () => {
    const engine = fakeEngine();
    await started(engine);
    const contents = BrowserWindow.getAllWindows()[0]!.webContents;
    const outcome = await ipcMain.invokeFrom(
      contents.mainFrame,
      contents,
      'skyfold:call',
      'listAccounts',
      {},
    );
    expect(outcome).toEqual({ ok: true, value: [] });
    for (const listener of engine.listeners) listener({ type: 'accounts-changed' });
    expect(contents.sent).toEqual([['skyfold:event', { type: 'accounts-changed' }]]);
  });

  it('lets the window drag files of the drag cache out', async () => {
    await started(fakeEngine());
    const contents = BrowserWindow.getAllWindows()[0]!.webContents;
    const file = path.join(base, 'drag-cache', 'report.pdf');
    await ipcMain.sendFrom(contents.mainFrame, contents, 'skyfold:start-drag', [file]);
    expect(contents.drags.map((drag) => drag.files)).toEqual([[realpathSync(file)]]);
  });

  it('shows the error and exits with 1 when the engine cannot open', async () => {
    const host = launch({
      ...options(fakeEngine()),
      openService: () => {
        throw new Error('index.db is from a newer Skyfold');
      },
    });
    app.emitReady();
    await host.started;
    expect(dialog.errorBoxes).toEqual([
      { title: 'Skyfold could not start', content: 'index.db is from a newer Skyfold' },
    ]);
    expect(app.calls.exit).toEqual([1]);
    expect(BrowserWindow.created).toEqual([]);
    expect(ipcMain.handlers.size).toBe(0);
  });
});

describe('launch, windows and quit', () => {
  it('stops forwarding events to a closed window', async () => {
    const engine = fakeEngine();
    await started(engine);
    expect(engine.listeners.size).toBe(1);
    BrowserWindow.getAllWindows()[0]!.close();
    expect(engine.listeners.size).toBe(0);
  });

  it('closing the last window quits (not on macOS): IPC handler removed and engine closed', async () => {
    if (process.platform === 'darwin') return;
    const engine = fakeEngine();
    const host = await started(engine);
    BrowserWindow.getAllWindows()[0]!.close();
    expect(app.calls.quit).toBe(1);
    expect(engine.log.at(-1)).toBe('close');
    expect(ipcMain.handlers.size).toBe(0);
    expect(ipcMain.eventNames()).toEqual([]);
    expect(host.service()).toBeUndefined();
  });

  it('closes the engine exactly once on quit', async () => {
    const engine = fakeEngine();
    await started(engine);
    app.quit();
    app.quit();
    expect(engine.log.filter((entry) => entry === 'close')).toEqual(['close']);
  });

  it('a second launch attempt focuses the existing window instead of opening another', async () => {
    await started(fakeEngine());
    const [window] = BrowserWindow.getAllWindows();
    window!.minimized = true;
    window!.focused = false;
    app.emit('second-instance');
    expect(window!.isMinimized()).toBe(false);
    expect(window!.focused).toBe(true);
    expect(BrowserWindow.created).toHaveLength(1);
  });

  it('re-creates the window on activate when none is open', async () => {
    const engine = fakeEngine();
    await started(engine);
    app.on('before-quit', (event: { preventDefault(): void }) => event.preventDefault()); // stay alive
    BrowserWindow.getAllWindows()[0]!.close();
    app.emit('activate');
    expect(BrowserWindow.getAllWindows()).toHaveLength(1);
    expect(BrowserWindow.created).toHaveLength(2);
  });
});
