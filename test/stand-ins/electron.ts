/**
 * A stand-in for the `electron` module (no Electron binary exists on these machines). Vitest aliases
 * `electron` to this file for the 'electron-host' project, so the host code runs unchanged against it.
 *
 * It is an honest fake: small EventEmitter-based objects that behave like Electron where the host relies
 * on it (events with preventDefault, ready ordering, one handler per IPC channel, protocol.handle only
 * after ready, scheme registration only before ready) and RECORD what the host did, so tests can assert
 * it. Test-only helpers are marked "test helper". Call `resetElectron()` before each test.
 */
import { EventEmitter } from 'node:events';

/** An Electron-style event: `preventDefault()` plus whatever details the event carries. */
export class StandInEvent {
  defaultPrevented = false;
  constructor(details: Record<string, unknown> = {}) {
    Object.assign(this, details);
  }
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

// --- frames ----------------------------------------------------------------------------------

let nextFrameTreeNodeId = 1;

/** How Chromium would serialize a URL's origin (standard schemes keep scheme://host[:port]). */
export function originOf(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:' || parsed.protocol === 'app:') {
      return `${parsed.protocol}//${parsed.host}`;
    }
  } catch {
    // fall through
  }
  return 'null';
}

export class WebFrameMain extends EventEmitter {
  readonly frameTreeNodeId = nextFrameTreeNodeId++;
  readonly frames: WebFrameMain[] = [];
  detached = false;
  url: string;
  origin: string;

  constructor(
    url: string,
    readonly parent: WebFrameMain | null = null,
  ) {
    super();
    this.url = url;
    this.origin = originOf(url);
    parent?.frames.push(this);
  }

  get top(): WebFrameMain {
    return this.parent ? this.parent.top : this;
  }

  /** Test helper: navigates this frame (no guards; use WebContents.userNavigate for guarded navigation). */
  setUrl(url: string): void {
    this.url = url;
    this.origin = originOf(url);
  }
}

// --- native images ---------------------------------------------------------------------------

/** An image held as its bitmap (BGRA, 4 bytes a pixel), like Electron's NativeImage. */
export class NativeImage {
  constructor(
    private readonly bitmap: Buffer,
    private readonly size: { width: number; height: number },
  ) {}

  isEmpty(): boolean {
    return this.size.width === 0 || this.size.height === 0;
  }

  getSize(): { width: number; height: number } {
    return { ...this.size };
  }

  toBitmap(): Buffer {
    return Buffer.from(this.bitmap);
  }
}

export const nativeImage = {
  createEmpty(): NativeImage {
    return new NativeImage(Buffer.alloc(0), { width: 0, height: 0 });
  },
  /** Like Electron: the buffer must hold exactly width × height BGRA pixels. */
  createFromBitmap(buffer: Buffer, options: { width: number; height: number }): NativeImage {
    if (buffer.length !== options.width * options.height * 4) throw new Error('Invalid buffer size');
    return new NativeImage(Buffer.from(buffer), { width: options.width, height: options.height });
  },
};

// --- web contents ----------------------------------------------------------------------------

export interface StandInDragItem {
  file: string;
  files?: string[];
  icon: NativeImage | string;
}

let nextWebContentsId = 1;
const allWebContents = new Set<WebContents>();

export interface WindowOpenDetails {
  url: string;
  frameName: string;
  features: string;
  disposition: string;
}

export class WebContents extends EventEmitter {
  readonly id = nextWebContentsId++;
  readonly mainFrame = new WebFrameMain('');
  /** Everything sent with `send`: [channel, ...args]. */
  readonly sent: unknown[][] = [];
  /** URLs passed to loadURL. */
  readonly loadedUrls: string[] = [];
  /** Every native drag started with `startDrag`. */
  readonly drags: StandInDragItem[] = [];
  windowOpenHandler: ((details: WindowOpenDetails) => { action: 'allow' | 'deny' }) | null = null;
  private destroyed = false;

  constructor(
    readonly webPreferences: Record<string, unknown> = {},
    readonly session: Session = defaultSession,
  ) {
    super();
    allWebContents.add(this);
    app.emit('web-contents-created', new StandInEvent(), this);
  }

  static getAllWebContents(): WebContents[] {
    return [...allWebContents];
  }

  loadURL(url: string): Promise<void> {
    if (this.destroyed) return Promise.reject(new Error('Object has been destroyed'));
    this.loadedUrls.push(url);
    this.mainFrame.setUrl(url);
    queueMicrotask(() => this.emit('did-finish-load'));
    return Promise.resolve();
  }

  getURL(): string {
    return this.mainFrame.url;
  }

  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    // Electron serializes IPC payloads with the structured clone algorithm.
    this.sent.push([channel, ...args.map((arg) => structuredClone(arg))]);
  }

  /** Like Electron: needs `file` or `files`, and a non-empty icon. Recorded in `drags`. */
  startDrag(item: StandInDragItem): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    if (!item.file && !item.files?.length) throw new Error("Must specify either 'file' or 'files' option");
    if (!(item.icon instanceof NativeImage) || item.icon.isEmpty()) {
      throw new Error("Must specify non-empty 'icon' option");
    }
    this.drags.push(item);
  }

  setWindowOpenHandler(handler: (details: WindowOpenDetails) => { action: 'allow' | 'deny' }): void {
    this.windowOpenHandler = handler;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    allWebContents.delete(this);
    this.emit('destroyed');
  }

  /**
   * Test helper: the page (or a user) starts navigating the main frame to `url`, as a link click would.
   * Emits 'will-frame-navigate' and 'will-navigate' like Electron; returns true when it went ahead.
   */
  userNavigate(url: string): boolean {
    const details = {
      url,
      isMainFrame: true,
      frame: this.mainFrame,
      initiator: this.mainFrame,
      isSameDocument: false,
    };
    const frameEvent = new StandInEvent(details);
    this.emit('will-frame-navigate', frameEvent);
    const event = new StandInEvent(details);
    this.emit('will-navigate', event, url, false, true, 1, 1);
    if (frameEvent.defaultPrevented || event.defaultPrevented) return false;
    this.mainFrame.setUrl(url);
    return true;
  }

  /** Test helper: a server-side redirect during navigation. Returns true when it went ahead. */
  serverRedirect(url: string): boolean {
    const event = new StandInEvent({ url, isMainFrame: true, frame: this.mainFrame, isSameDocument: false });
    this.emit('will-redirect', event, url, false, true, 1, 1);
    return !event.defaultPrevented;
  }

  /** Test helper: window.open(url) from the page. Without a handler Electron allows it. */
  pageOpensWindow(url: string): 'allow' | 'deny' {
    const details = { url, frameName: '', features: '', disposition: 'new-window' };
    return this.windowOpenHandler ? this.windowOpenHandler(details).action : 'allow';
  }

  /** Test helper: the page inserts a <webview src=url>. Returns true when it would be attached. */
  pageAttachesWebview(src: string): boolean {
    const event = new StandInEvent();
    const webPreferences: Record<string, unknown> = {};
    this.emit('will-attach-webview', event, webPreferences, { src });
    return !event.defaultPrevented;
  }
}

// --- windows ---------------------------------------------------------------------------------

let nextWindowId = 1;
const openWindows = new Set<BrowserWindow>();

export class BrowserWindow extends EventEmitter {
  /** Test helper: the options every BrowserWindow was constructed with, in order. */
  static readonly created: Array<{ window: BrowserWindow; options: Record<string, unknown> }> = [];

  readonly id = nextWindowId++;
  readonly webContents: WebContents;
  visible: boolean;
  focused = false;
  minimized = false;
  private destroyed = false;

  constructor(readonly options: Record<string, unknown> = {}) {
    super();
    const webPreferences = (options.webPreferences ?? {}) as Record<string, unknown>;
    this.webContents = new WebContents(webPreferences);
    this.visible = options.show !== false;
    openWindows.add(this);
    BrowserWindow.created.push({ window: this, options });
  }

  static getAllWindows(): BrowserWindow[] {
    return [...openWindows];
  }

  static fromWebContents(contents: WebContents): BrowserWindow | null {
    return [...openWindows].find((window) => window.webContents === contents) ?? null;
  }

  loadURL(url: string): Promise<void> {
    return this.webContents.loadURL(url).then(() => {
      queueMicrotask(() => this.emit('ready-to-show'));
    });
  }

  show(): void {
    this.visible = true;
    this.focused = true;
  }

  focus(): void {
    this.focused = true;
  }

  isMinimized(): boolean {
    return this.minimized;
  }

  restore(): void {
    this.minimized = false;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  /** Closes the window: 'close' (cancellable), then 'closed', and its web-contents is destroyed. */
  close(): void {
    if (this.destroyed) return;
    const event = new StandInEvent();
    this.emit('close', event);
    if (event.defaultPrevented) return;
    this.destroyed = true;
    openWindows.delete(this);
    this.webContents.destroy();
    this.emit('closed');
    if (openWindows.size === 0 && !app.quitting) app.emit('window-all-closed');
  }
}

// --- session ---------------------------------------------------------------------------------

type PermissionRequestHandler = (
  contents: WebContents,
  permission: string,
  callback: (granted: boolean) => void,
  details: Record<string, unknown>,
) => void;
type PermissionCheckHandler = (
  contents: WebContents | null,
  permission: string,
  requestingOrigin: string,
  details: Record<string, unknown>,
) => boolean;
type DevicePermissionHandler = (details: Record<string, unknown>) => boolean;

export class Session extends EventEmitter {
  permissionRequestHandler: PermissionRequestHandler | null = null;
  permissionCheckHandler: PermissionCheckHandler | null = null;
  devicePermissionHandler: DevicePermissionHandler | null = null;

  setPermissionRequestHandler(handler: PermissionRequestHandler | null): void {
    this.permissionRequestHandler = handler;
  }

  setPermissionCheckHandler(handler: PermissionCheckHandler | null): void {
    this.permissionCheckHandler = handler;
  }

  setDevicePermissionHandler(handler: DevicePermissionHandler | null): void {
    this.devicePermissionHandler = handler;
  }

  /**
   * Test helper: a page asks for a permission. Electron's default (no handler) grants most permissions,
   * so this resolves true when no handler is set.
   */
  requestPermission(contents: WebContents, permission: string): Promise<boolean> {
    const handler = this.permissionRequestHandler;
    if (!handler) return Promise.resolve(true);
    return new Promise((resolve) =>
      handler(contents, permission, resolve, { requestingUrl: contents.getURL(), isMainFrame: true }),
    );
  }

  /** Test helper: Chromium checks a permission synchronously (true when no handler is set). */
  checkPermission(contents: WebContents | null, permission: string, requestingOrigin: string): boolean {
    const handler = this.permissionCheckHandler;
    return handler
      ? handler(contents, permission, requestingOrigin, { requestingUrl: requestingOrigin })
      : true;
  }

  /** Test helper: a page asks for a HID/serial/USB device (true when no handler is set). */
  checkDevicePermission(deviceType: string, origin: string): boolean {
    const handler = this.devicePermissionHandler;
    return handler ? handler({ deviceType, origin, device: {} }) : true;
  }
}

export let defaultSession = new Session();

export const session = {
  get defaultSession(): Session {
    return defaultSession;
  },
};

// --- app -------------------------------------------------------------------------------------

class App extends EventEmitter {
  name = 'skyfold';
  isPackaged = false;
  /** Test helper: what requestSingleInstanceLock() answers. */
  singleInstanceLockAvailable = true;
  /** Test helper: calls the host made. */
  readonly calls = { enableSandbox: 0, quit: 0, exit: [] as number[], requestSingleInstanceLock: 0 };
  private ready = false;
  private readyWaiters: Array<() => void> = [];
  private readonly paths = new Map<string, string>([
    ['userData', '/stand-in/config/skyfold'],
    ['appData', '/stand-in/config'],
    ['temp', '/stand-in/tmp'],
  ]);

  isReady(): boolean {
    return this.ready;
  }

  whenReady(): Promise<void> {
    if (this.ready) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** Test helper: Electron finished initializing ('will-finish-launching', 'ready', whenReady()). */
  emitReady(): void {
    if (this.ready) throw new Error('stand-in: app is already ready');
    this.emit('will-finish-launching');
    this.ready = true;
    this.emit('ready', new StandInEvent(), {});
    for (const resolve of this.readyWaiters.splice(0)) resolve();
  }

  getName(): string {
    return this.name;
  }

  setName(name: string): void {
    this.name = name;
  }

  getPath(name: string): string {
    const value = this.paths.get(name);
    if (value === undefined) throw new Error(`Failed to get '${name}' path`);
    return value;
  }

  setPath(name: string, value: string): void {
    this.paths.set(name, value);
  }

  enableSandbox(): void {
    if (this.ready) throw new Error('app.enableSandbox() can only be called before app is ready');
    this.calls.enableSandbox += 1;
  }

  requestSingleInstanceLock(): boolean {
    this.calls.requestSingleInstanceLock += 1;
    return this.singleInstanceLockAvailable;
  }

  /** True while quit() closes the windows (Electron then does not emit 'window-all-closed'). */
  quitting = false;

  /** Like Electron: 'before-quit', windows close, then 'will-quit' and 'quit' (cancellable events). */
  quit(): void {
    this.calls.quit += 1;
    if (this.quitting) return;
    const beforeQuit = new StandInEvent();
    this.emit('before-quit', beforeQuit);
    if (beforeQuit.defaultPrevented) return;
    this.quitting = true;
    try {
      for (const window of BrowserWindow.getAllWindows()) window.close();
      if (BrowserWindow.getAllWindows().length > 0) return; // a window refused to close
      const willQuit = new StandInEvent();
      this.emit('will-quit', willQuit);
      if (willQuit.defaultPrevented) return;
      this.emit('quit', new StandInEvent(), 0);
    } finally {
      this.quitting = false;
    }
  }

  /** Exits at once without quit events (like Electron). Recorded; the test process keeps running. */
  exit(code = 0): void {
    this.calls.exit.push(code);
  }
}

export let app = new App();

// --- protocol --------------------------------------------------------------------------------

export interface StandInCustomScheme {
  scheme: string;
  privileges?: Record<string, boolean>;
}

class Protocol {
  /** Test helper: every scheme registered as privileged, in order. */
  readonly privilegedSchemes: StandInCustomScheme[] = [];
  readonly handlers = new Map<string, (request: Request) => Response | Promise<Response>>();

  registerSchemesAsPrivileged(schemes: StandInCustomScheme[]): void {
    if (app.isReady()) {
      throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    }
    this.privilegedSchemes.push(...schemes.map((scheme) => structuredClone(scheme)));
  }

  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
    if (!app.isReady()) throw new Error('protocol.handle can only be used after app is ready');
    if (this.handlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`);
    this.handlers.set(scheme, handler);
  }

  unhandle(scheme: string): void {
    this.handlers.delete(scheme);
  }

  isProtocolHandled(scheme: string): boolean {
    return this.handlers.has(scheme);
  }

  /** Test helper: what the page would get for `url` (a request through the registered handler). */
  async fetch(url: string, init?: RequestInit): Promise<Response> {
    const scheme = new URL(url).protocol.slice(0, -1);
    const handler = this.handlers.get(scheme);
    if (!handler) throw new Error(`stand-in: no handler for ${scheme}:`);
    return handler(new Request(url, init));
  }
}

export let protocol = new Protocol();

// --- IPC -------------------------------------------------------------------------------------

export interface StandInInvokeEvent {
  sender: WebContents;
  senderFrame: WebFrameMain | null;
  frameId: number;
  processId: number;
  type: 'frame';
}

type InvokeHandler = (event: StandInInvokeEvent, ...args: unknown[]) => unknown;

class IpcMain extends EventEmitter {
  readonly handlers = new Map<string, InvokeHandler>();

  handle(channel: string, handler: InvokeHandler): void {
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }

  handleOnce(channel: string, handler: InvokeHandler): void {
    this.handle(channel, (event, ...args) => {
      this.removeHandler(channel);
      return handler(event, ...args);
    });
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  /**
   * Test helper: a renderer frame calls `ipcRenderer.invoke(channel, ...args)`. Arguments and result are
   * structured-cloned like Electron's IPC; a missing handler or a throwing one rejects.
   */
  async invokeFrom(
    frame: WebFrameMain | null,
    sender: WebContents,
    channel: string,
    ...args: unknown[]
  ): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler)
      throw new Error(
        `Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`,
      );
    const event: StandInInvokeEvent = { sender, senderFrame: frame, frameId: 1, processId: 1, type: 'frame' };
    const result = await handler(event, ...args.map((arg) => structuredClone(arg)));
    return structuredClone(result);
  }

  /**
   * Test helper: a renderer frame calls `ipcRenderer.send(channel, ...args)`: every `on` listener gets
   * the event and structured-cloned arguments. Resolves once the promises the listeners returned (if
   * any; Electron ignores them) have settled, so a test can see what an async listener did.
   */
  async sendFrom(
    frame: WebFrameMain | null,
    sender: WebContents,
    channel: string,
    ...args: unknown[]
  ): Promise<void> {
    const event: StandInInvokeEvent = { sender, senderFrame: frame, frameId: 1, processId: 1, type: 'frame' };
    const listeners = this.listeners(channel) as Array<(...params: unknown[]) => unknown>;
    await Promise.allSettled(
      listeners.map((listener) => listener(event, ...args.map((arg) => structuredClone(arg)))),
    );
  }
}

export let ipcMain = new IpcMain();

export interface StandInIpcRendererEvent {
  sender: IpcRenderer;
  senderId: number;
  ports: unknown[];
}

class IpcRenderer extends EventEmitter {
  /** Test helper: every invoke: [channel, ...args]. */
  readonly invocations: unknown[][] = [];
  /** Test helper: answers invoke(); by default there is no main process, so invoke rejects. */
  invokeHandler: ((channel: string, ...args: unknown[]) => unknown) | null = null;

  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    const cloned = args.map((arg) => structuredClone(arg));
    this.invocations.push([channel, ...cloned]);
    if (!this.invokeHandler) throw new Error(`Error invoking remote method '${channel}': no main process`);
    return structuredClone(await this.invokeHandler(channel, ...cloned));
  }

  send(channel: string, ...args: unknown[]): void {
    this.invocations.push([channel, ...args]);
  }

  /** Test helper: main sends `webContents.send(channel, ...args)` to this renderer. */
  deliverFromMain(channel: string, ...args: unknown[]): StandInIpcRendererEvent {
    const event: StandInIpcRendererEvent = { sender: this, senderId: 0, ports: [] };
    this.emit(channel, event, ...args.map((arg) => structuredClone(arg)));
    return event;
  }
}

export let ipcRenderer = new IpcRenderer();

// --- contextBridge ---------------------------------------------------------------------------

class ContextBridge {
  /** Test helper: what the preload exposed, by key, as the page would see it. */
  readonly exposed = new Map<string, unknown>();

  exposeInMainWorld(key: string, api: unknown): void {
    if (this.exposed.has(key))
      throw new Error(`Cannot bind an API on top of an existing property on the window object`);
    // The real bridge copies the object: the page gets a frozen copy of the keys present now.
    this.exposed.set(key, api !== null && typeof api === 'object' ? Object.freeze({ ...api }) : api);
  }
}

export let contextBridge = new ContextBridge();

// --- webUtils --------------------------------------------------------------------------------

class WebUtils {
  /** Test helper: the path each dropped File has on disk (Files not listed have none). */
  readonly filePaths = new WeakMap<File, string>();

  /** Like Electron: the File's path, "" when it is not backed by a file; anything but a File throws. */
  getPathForFile(file: File): string {
    if (!(file instanceof File))
      throw new TypeError('Error processing argument at index 0, conversion failure');
    return this.filePaths.get(file) ?? '';
  }
}

export let webUtils = new WebUtils();

// --- dialog ----------------------------------------------------------------------------------

class Dialog {
  /** Test helper: every showErrorBox(title, content). */
  readonly errorBoxes: Array<{ title: string; content: string }> = [];

  showErrorBox(title: string, content: string): void {
    this.errorBoxes.push({ title, content });
  }
}

export let dialog = new Dialog();

// --- safeStorage -----------------------------------------------------------------------------

export type StandInStorageBackend =
  'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown';

/**
 * Like Electron's safeStorage: usable only after ready; ciphertext carries Chromium's OSCrypt-style
 * version prefix ("v10" for basic_text, "v11" for a keyring) and decrypting anything else throws.
 * The "encryption" is a keyed XOR: enough for tests to see that no plaintext reaches the disk.
 */
class SafeStorage {
  /** Test helper: the backend reported on Linux once the app is ready. */
  backend: Exclude<StandInStorageBackend, 'unknown'> = 'gnome_libsecret';
  /** Test helper: false = no key available (encrypt/decrypt fail, availability is false). */
  available = true;
  /** Test helper: bump to simulate a rotated key (old ciphertext decrypts with shouldReEncrypt). */
  keyVersion = 1;
  /** Test helper: every plaintext passed to an encrypt call. */
  readonly encrypted: string[] = [];
  private usePlainText = false;

  isEncryptionAvailable(): boolean {
    return app.isReady() && this.available;
  }

  async isAsyncEncryptionAvailable(): Promise<boolean> {
    return this.isEncryptionAvailable();
  }

  getSelectedStorageBackend(): StandInStorageBackend {
    return app.isReady() ? this.backend : 'unknown';
  }

  setUsePlainTextEncryption(usePlainText: boolean): void {
    this.usePlainText = usePlainText;
  }

  encryptString(plainText: string): Buffer {
    if (!this.isEncryptionAvailable() && !this.usePlainText) {
      throw new Error(
        'Error while encrypting the text provided to safeStorage.encryptString. Encryption is not available.',
      );
    }
    this.encrypted.push(plainText);
    const prefix = this.backend === 'basic_text' ? 'v10' : 'v11';
    const header = Buffer.from(`${prefix}${String.fromCharCode(this.keyVersion)}`, 'latin1');
    return Buffer.concat([header, this.xor(Buffer.from(plainText, 'utf8'), this.keyVersion)]);
  }

  decryptString(encrypted: Buffer): string {
    return this.decrypt(encrypted).result;
  }

  async encryptStringAsync(plainText: string): Promise<Buffer> {
    return this.encryptString(plainText);
  }

  async decryptStringAsync(encrypted: Buffer): Promise<{ shouldReEncrypt: boolean; result: string }> {
    return this.decrypt(encrypted);
  }

  private decrypt(encrypted: Buffer): { shouldReEncrypt: boolean; result: string } {
    if (!this.isEncryptionAvailable() && !this.usePlainText) {
      throw new Error(
        'Error while decrypting the ciphertext provided to safeStorage.decryptString. Decryption is not available.',
      );
    }
    const prefix = encrypted.subarray(0, 3).toString('latin1');
    if (encrypted.length < 4 || (prefix !== 'v10' && prefix !== 'v11')) {
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    }
    const version = encrypted[3] ?? 0;
    return {
      result: this.xor(encrypted.subarray(4), version).toString('utf8'),
      shouldReEncrypt: version !== this.keyVersion,
    };
  }

  private xor(bytes: Buffer, key: number): Buffer {
    return Buffer.from(bytes.map((byte, index) => byte ^ ((0x5a + key * 31 + index * 7) & 0xff)));
  }
}

export let safeStorage = new SafeStorage();

// --- reset -----------------------------------------------------------------------------------

/**
 * Test helper: a fresh Electron (not ready, no windows, no handlers). Module-level bindings are
 * reassigned, so code that imported `{ app, ... } from 'electron'` sees the new objects (ES live bindings).
 */
export function resetElectron(): void {
  for (const window of BrowserWindow.getAllWindows()) window.removeAllListeners();
  openWindows.clear();
  allWebContents.clear();
  BrowserWindow.created.length = 0;
  defaultSession = new Session();
  app = new App();
  protocol = new Protocol();
  ipcMain = new IpcMain();
  ipcRenderer = new IpcRenderer();
  contextBridge = new ContextBridge();
  webUtils = new WebUtils();
  dialog = new Dialog();
  safeStorage = new SafeStorage();
}

/** Helps TypeScript where host code expects the real Electron types. */
export function asElectron<T>(value: unknown): T {
  return value as T;
}
