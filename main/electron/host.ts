/**
 * The desktop host's lifecycle, wiring the pieces together (no business logic here):
 *
 *   before ready   privileged `app:` scheme, renderer sandbox for all, single-instance lock, data dir,
 *                  guards for every web-contents created from now on
 *   ready          deny all permissions, serve out/renderer on app://skyfold, open the engine, answer
 *                  IPC (contract calls, drags out of the drag cache), refresh every account in the
 *                  background, open the window
 *   quit           stop answering IPC, close the engine (databases)
 *
 * A start-up failure (e.g. a database from a newer Skyfold) is shown in a dialog and exits with 1.
 */
import { app, BrowserWindow, dialog, ipcMain, protocol, session } from 'electron';
import type { EngineEvent } from '../../common/contract';
import type { MediaSource } from '../core/media/media-responses';
import type { ContractHandlers } from '../core/service';
import { appScheme } from './app-origin';
import { forwardEvents, registerIpc, type DragCacheHost } from './ipc';
import { createAppProtocolHandler, registerAppScheme } from './protocol';
import { createMainWindow, hardenSession, secureWebContents } from './window';

/** The engine as the host uses it (SkyfoldService in production, a fake in tests). */
export interface HostService extends ContractHandlers, DragCacheHost, MediaSource {
  onEvent(listener: (event: EngineEvent) => void): () => void;
  startBackgroundSync(): void;
  close(): void;
}

export interface HostOptions {
  /** Where the engine keeps its databases; also Electron's userData (one folder per user). */
  dataDir: string;
  /** Absolute path of the built renderer (out/renderer). */
  rendererDir: string;
  /** Absolute path of the bundled preload (out/preload/index.cjs). */
  preloadPath: string;
  /** Opens the engine. Called once, after `ready`. */
  openService: (options: { dataDir: string }) => HostService;
  /** DevTools on (development builds). */
  devTools: boolean;
}

export interface Host {
  /** Settles once start-up has finished (window created) or failed (app exiting). */
  readonly started: Promise<void>;
  /** The engine while the app runs; undefined before ready and after quit. */
  service(): HostService | undefined;
}

/** Call once, synchronously, at the top of the main entry (before `ready`). */
export function launch(options: HostOptions): Host {
  let service: HostService | undefined;
  let disposeIpc: (() => void) | undefined;
  let mainWindow: BrowserWindow | undefined;

  registerAppScheme(protocol);
  app.enableSandbox();
  app.setPath('userData', options.dataDir);

  if (!app.requestSingleInstanceLock()) {
    // Another Skyfold owns the databases; it focuses its window (below) and this one leaves.
    app.quit();
    return { started: Promise.resolve(), service: () => undefined };
  }

  app.on('web-contents-created', (_event, contents) => secureWebContents(contents));

  const openWindow = (): void => {
    if (!service) return;
    const win = createMainWindow({ preloadPath: options.preloadPath, devTools: options.devTools });
    forwardEvents(service, win.webContents);
    mainWindow = win;
    win.on('closed', () => {
      if (mainWindow === win) mainWindow = undefined;
    });
  };

  app.on('second-instance', () => {
    if (!mainWindow) return openWindow();
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });

  app.on('will-quit', () => {
    disposeIpc?.();
    disposeIpc = undefined;
    service?.close();
    service = undefined;
  });

  const started = app.whenReady().then(() => {
    try {
      hardenSession(session.defaultSession);
      protocol.handle(
        appScheme,
        createAppProtocolHandler({ root: options.rendererDir, media: () => service }),
      );
      service = options.openService({ dataDir: options.dataDir });
      disposeIpc = registerIpc(service, ipcMain);
      service.startBackgroundSync();
      openWindow();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      dialog.showErrorBox('Skyfold could not start', message);
      disposeIpc?.();
      disposeIpc = undefined;
      service?.close();
      service = undefined;
      app.exit(1);
    }
  });

  return { started, service: () => service };
}
