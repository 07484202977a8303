/**
 * The IPC side of the contract: one invoke channel for calls, one push channel for engine events, and
 * one send channel that starts a native drag of files out of the window (a DesktopBridge call,
 * common/uploads.ts).
 *
 * Every call is checked in two steps before it can touch the engine:
 *   1. the sender: a live, top-level frame of ours (`app://skyfold`), never a subframe, a foreign page
 *      or a frame that has navigated away; an untrusted sender gets
 *      `{ ok: false, error: { code: 'permanent', message: 'untrusted sender' } }` (the handler never
 *      throws, so no stack or internal message leaks to the page) and the service is not called;
 *   2. the method name and arguments, against the contract's schemas (`invokeContract`).
 *
 * The channel names are repeated in preload/index.ts (the preload may not import main/); a test keeps
 * the two in step.
 */
import {
  nativeImage,
  type IpcMain,
  type IpcMainInvokeEvent,
  type NativeImage,
  type WebContents,
} from 'electron';
import { realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { EngineEvent } from '../../common/contract';
import type { ErrorDto } from '../../common/errors';
import { invokeContract, type CallOutcome } from '../core/contract-dispatch';
import type { ContractHandlers } from '../core/service';
import { appOrigin, isAppUrl } from './app-origin';

export const callChannel = 'skyfold:call';
export const eventChannel = 'skyfold:event';
export const dragChannel = 'skyfold:start-drag';
/** Most files one drag may carry (as many as cacheForDrag prepares at once). */
export const maxDragFiles = 100;

export const untrustedSenderError: Readonly<ErrorDto> = Object.freeze({
  code: 'permanent',
  message: 'untrusted sender',
});

type SenderEvent = Pick<IpcMainInvokeEvent, 'senderFrame' | 'sender'>;

/**
 * True only for a message from the top-level frame of a web-contents, currently showing one of our
 * pages. A subframe (even one of ours), a frame that was detached or navigated away (`senderFrame`
 * null), and any other origin are refused.
 */
export function isTrustedSender(event: SenderEvent): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.detached) return false;
  if (frame.parent !== null) return false;
  const mainFrame = event.sender?.mainFrame;
  if (!mainFrame) return false;
  if (frame !== mainFrame && frame.frameTreeNodeId !== mainFrame.frameTreeNodeId) return false;
  return isAppUrl(frame.url) && frame.origin === appOrigin;
}

/** Where the engine keeps the files it downloaded for dragging out (cacheForDrag). */
export interface DragCacheHost {
  /** Absolute folder that cacheForDrag writes into; only files inside it may be dragged out. */
  readonly dragCacheDir: string;
}

/** What the router needs of the engine: the contract methods and the drag cache. */
export type IpcService = ContractHandlers & DragCacheHost;

/**
 * Registers the contract call handler and the drag listener. Returns a function that removes both
 * (used on quit). The call handler resolves with a CallOutcome and never rejects.
 */
export function registerIpc(
  service: IpcService,
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler' | 'on' | 'removeListener'>,
): () => void {
  ipcMain.handle(callChannel, async (event, method: unknown, args: unknown): Promise<CallOutcome> => {
    if (!isTrustedSender(event)) return { ok: false, error: { ...untrustedSenderError } };
    return invokeContract(service, method, args);
  });
  const onDrag = (event: SenderEvent, paths: unknown): Promise<void> =>
    startDrag(service.dragCacheDir, event, paths);
  ipcMain.on(dragChannel, onDrag);
  return () => {
    ipcMain.removeHandler(callChannel);
    ipcMain.removeListener(dragChannel, onDrag);
  };
}

/**
 * Starts a native drag of `paths` out of the sender's window. Only for a trusted sender, and only for
 * 1..maxDragFiles absolute paths that each resolve (links followed) to a regular file inside
 * `cacheDir`: the page may name cache entries, never arbitrary files. Anything else is refused with a
 * log line and no drag (the page gets no answer either way). Never rejects.
 */
export async function startDrag(cacheDir: string, event: SenderEvent, paths: unknown): Promise<void> {
  if (!isTrustedSender(event)) return refuseDrag('untrusted sender');
  if (!isPathList(paths)) return refuseDrag(`expected 1 to ${maxDragFiles} absolute paths`);
  let files: string[];
  try {
    files = await cachedFiles(cacheDir, paths);
  } catch (error) {
    return refuseDrag(error instanceof Error ? error.message : String(error));
  }
  // The page may have navigated away or closed while the files were checked.
  if (event.sender.isDestroyed() || !isTrustedSender(event)) return refuseDrag('the sender went away');
  event.sender.startDrag({ file: files[0]!, files, icon: dragIcon() });
}

function isPathList(paths: unknown): paths is string[] {
  return (
    Array.isArray(paths) &&
    paths.length >= 1 &&
    paths.length <= maxDragFiles &&
    paths.every((entry) => typeof entry === 'string' && entry.length <= 4096 && path.isAbsolute(entry))
  );
}

/** Each path resolved (links followed); throws unless every one is a regular file inside `cacheDir`. */
async function cachedFiles(cacheDir: string, paths: string[]): Promise<string[]> {
  const root = await realpath(cacheDir);
  return Promise.all(
    paths.map(async (candidate) => {
      const file = await realpath(candidate);
      const relative = path.relative(root, file);
      if (
        !relative ||
        relative === '..' ||
        relative.startsWith(`..${path.sep}`) ||
        path.isAbsolute(relative)
      ) {
        throw new Error(`${candidate} is not in the drag cache`);
      }
      if (!(await stat(file)).isFile()) throw new Error(`${candidate} is not a file`);
      return file;
    }),
  );
}

function refuseDrag(reason: string): void {
  console.warn(`skyfold: drag refused: ${reason}`);
}

let icon: NativeImage | undefined;

/** The image under the pointer while files are dragged out: a 32×32 rounded square in Skyfold blue. */
function dragIcon(): NativeImage {
  if (icon) return icon;
  const size = 32;
  const radius = 7;
  const pixels = Buffer.alloc(size * size * 4); // BGRA, transparent
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // Distance from the pixel centre to the square shrunk by `radius`: inside when within `radius`.
      const dx = Math.max(radius - (x + 0.5), x + 0.5 - (size - radius), 0);
      const dy = Math.max(radius - (y + 0.5), y + 0.5 - (size - radius), 0);
      if (Math.hypot(dx, dy) <= radius) pixels.set([246, 130, 59, 255], (y * size + x) * 4);
    }
  }
  icon = nativeImage.createFromBitmap(pixels, { width: size, height: size });
  return icon;
}

type EventSource = { onEvent(listener: (event: EngineEvent) => void): () => void };
type EventTarget = Pick<WebContents, 'send' | 'isDestroyed' | 'getURL' | 'once'>;

/**
 * Pushes every engine event to one web-contents while it shows our page; stops (unsubscribes) when the
 * contents is destroyed. Returns the unsubscribe function as well.
 */
export function forwardEvents(service: EventSource, contents: EventTarget): () => void {
  let unsubscribe: (() => void) | undefined = service.onEvent((event) => {
    if (contents.isDestroyed()) {
      stop();
      return;
    }
    // Never hand engine data to a page that is not ours (the navigation guards should make this moot).
    if (isAppUrl(contents.getURL())) contents.send(eventChannel, event);
  });
  function stop(): void {
    unsubscribe?.();
    unsubscribe = undefined;
  }
  contents.once('destroyed', stop);
  return stop;
}
