import { beforeEach, describe, expect, it } from 'vitest';
import {
  asElectron,
  BrowserWindow as StandInWindow,
  resetElectron,
  Session,
  WebContents,
} from '../../test/stand-ins/electron';
import { appEntryUrl } from './app-origin';
import { createMainWindow, hardenSession, secureWebContents } from './window';

const preloadPath = '/opt/skyfold/resources/app.asar/out/preload/index.cjs';

beforeEach(() => resetElectron());

function lastWindow(): { window: StandInWindow; options: Record<string, unknown> } {
  const last = StandInWindow.created.at(-1);
  if (!last) throw new Error('no window was created');
  return last;
}

function guardedContents(): WebContents {
  const contents = new WebContents();
  secureWebContents(asElectron(contents));
  contents.mainFrame.setUrl(appEntryUrl);
  return contents;
}

describe('createMainWindow', () => {
  it('creates exactly one window with every security setting of the checklist', () => {
    createMainWindow({ preloadPath, devTools: false });
    expect(StandInWindow.created).toHaveLength(1);
    const prefs = lastWindow().options.webPreferences as Record<string, unknown>;
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.navigateOnDragDrop).toBe(false);
    expect(prefs.devTools).toBe(false);
    expect(prefs.preload).toBe(preloadPath);
    // Nothing that switches on Blink features or relaxes the defaults sneaks in.
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs).not.toHaveProperty('additionalArguments');
    expect(prefs).not.toHaveProperty('enableRemoteModule');
  });

  it('loads our app origin and nothing else', () => {
    const win = createMainWindow({ preloadPath, devTools: true });
    const contents = asElectron<WebContents>(win.webContents);
    expect(contents.loadedUrls).toEqual(['app://skyfold/index.html']);
    expect(() => createMainWindow({ preloadPath, devTools: false, url: 'https://example.com/' })).toThrow(
      /not ours/,
    );
    expect(() => createMainWindow({ preloadPath, devTools: false, url: 'file:///etc/passwd' })).toThrow();
    expect(StandInWindow.created).toHaveLength(1);
  });

  it('stays hidden until the first paint, then shows', async () => {
    const win = asElectron<StandInWindow>(createMainWindow({ preloadPath, devTools: false }));
    expect(lastWindow().options.show).toBe(false);
    expect(win.visible).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(win.visible).toBe(true);
  });

  it('guards its own web-contents even without the app-wide hook', () => {
    const win = createMainWindow({ preloadPath, devTools: false });
    const contents = asElectron<WebContents>(win.webContents);
    expect(contents.userNavigate('https://evil.example/')).toBe(false);
    expect(contents.pageOpensWindow('https://evil.example/')).toBe('deny');
  });
});

describe('secureWebContents', () => {
  it('without guards the stand-in lets everything through (so the tests below can fail)', () => {
    const contents = new WebContents();
    expect(contents.userNavigate('https://evil.example/')).toBe(true);
    expect(contents.pageOpensWindow('https://evil.example/')).toBe('allow');
    expect(contents.pageAttachesWebview('https://evil.example/')).toBe(true);
  });

  it.each([
    'https://evil.example/',
    'http://localhost:5173/',
    'file:///etc/passwd',
    'app://evil/index.html',
    'app://skyfold.evil.example/index.html',
    'app://user@skyfold/index.html',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'about:blank',
  ])('prevents navigating to %s', (url) => {
    const contents = guardedContents();
    expect(contents.userNavigate(url)).toBe(false);
    expect(contents.getURL()).toBe(appEntryUrl);
  });

  it('prevents server redirects to a foreign page', () => {
    const contents = guardedContents();
    expect(contents.serverRedirect('https://evil.example/')).toBe(false);
  });

  it('lets the page move within its own origin', () => {
    const contents = guardedContents();
    expect(contents.userNavigate('app://skyfold/index.html?view=search')).toBe(true);
  });

  it('denies window.open for every URL, including our own', () => {
    const contents = guardedContents();
    expect(contents.windowOpenHandler).not.toBeNull();
    expect(contents.pageOpensWindow('https://evil.example/')).toBe('deny');
    expect(contents.pageOpensWindow('app://skyfold/index.html')).toBe('deny');
  });

  it('prevents attaching a <webview>', () => {
    const contents = guardedContents();
    expect(contents.pageAttachesWebview('https://evil.example/')).toBe(false);
  });

  it('is idempotent (one listener per event)', () => {
    const contents = guardedContents();
    secureWebContents(asElectron(contents));
    expect(contents.listenerCount('will-navigate')).toBe(1);
    expect(contents.listenerCount('will-attach-webview')).toBe(1);
  });
});

describe('hardenSession', () => {
  const permissions = [
    'media',
    'geolocation',
    'notifications',
    'clipboard-read',
    'openExternal',
    'fullscreen',
  ];

  it('the stand-in grants permissions by default, like Electron', async () => {
    const session = new Session();
    expect(await session.requestPermission(new WebContents(), 'media')).toBe(true);
  });

  it.each(permissions)('denies the %s permission request and check', async (permission) => {
    const session = new Session();
    hardenSession(asElectron(session));
    const contents = new WebContents({}, session);
    contents.mainFrame.setUrl(appEntryUrl);
    expect(await session.requestPermission(contents, permission)).toBe(false);
    expect(session.checkPermission(contents, permission, 'app://skyfold')).toBe(false);
  });

  it('denies HID / serial / USB device access', () => {
    const session = new Session();
    hardenSession(asElectron(session));
    expect(session.checkDevicePermission('hid', 'app://skyfold')).toBe(false);
    expect(session.checkDevicePermission('usb', 'app://skyfold')).toBe(false);
  });
});
