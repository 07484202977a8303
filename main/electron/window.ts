/**
 * The hardened main window and the guards every web-contents and the session get. Follows the
 * Electron security checklist (docs: tutorial/security): isolated, sandboxed, no Node in the page,
 * no navigation away from our origin, no new windows, no <webview>, no permissions.
 */
import { BrowserWindow, type Session, type WebContents, type WebPreferences } from 'electron';
import { appEntryUrl, isAppUrl } from './app-origin';

/** The renderer's preferences. Every security-relevant default is spelled out so a test can pin it. */
export function secureWebPreferences(options: { preloadPath: string; devTools: boolean }): WebPreferences {
  return {
    preload: options.preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools: options.devTools,
  };
}

export interface MainWindowOptions {
  /** Absolute path of the bundled preload (out/preload/index.cjs). */
  preloadPath: string;
  /** DevTools are for development builds only. */
  devTools: boolean;
  /** What to load; our app origin only. Defaults to app://skyfold/index.html. */
  url?: string;
}

/** Creates the window, guards it, loads our entry page, and shows it once painted. */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const url = options.url ?? appEntryUrl;
  if (!isAppUrl(url)) throw new Error(`refusing to load a page that is not ours: ${url}`);
  const win = new BrowserWindow({
    title: 'Skyfold',
    width: 1280,
    height: 800,
    minWidth: 640,
    minHeight: 400,
    show: false,
    backgroundColor: '#f7f8fa',
    webPreferences: secureWebPreferences(options),
  });
  // app.on('web-contents-created') guards every contents too; guarding here as well keeps the window
  // safe even when it is created by code that did not install the global hook.
  secureWebContents(win.webContents);
  win.once('ready-to-show', () => win.show());
  win.loadURL(url).catch((error: unknown) => console.error(`skyfold: could not load ${url}:`, error));
  return win;
}

type Guardable = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;
const guarded = new WeakSet<object>();

/**
 * Guards one web-contents (idempotent): navigations and redirects that leave our origin are cancelled,
 * window.open / target=_blank are denied (nothing is handed to the OS browser: links may come from
 * clouds), and <webview> attachment is prevented.
 */
export function secureWebContents(contents: Guardable): void {
  if (guarded.has(contents)) return;
  guarded.add(contents);
  const stayOnOrigin = (event: { url: string; preventDefault(): void }): void => {
    if (!isAppUrl(event.url)) event.preventDefault();
  };
  contents.on('will-navigate', stayOnOrigin);
  contents.on('will-frame-navigate', stayOnOrigin);
  contents.on('will-redirect', stayOnOrigin);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

type Hardenable = Pick<
  Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'
>;

/** The app needs no web permission (camera, notifications, HID, clipboard-read, ...): deny them all. */
export function hardenSession(session: Hardenable): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
