/**
 * The IPC side of the contract: one invoke channel for calls, one push channel for engine events.
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
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { EngineEvent } from '../../common/contract';
import type { ErrorDto } from '../../common/errors';
import { invokeContract, type CallOutcome } from '../core/contract-dispatch';
import type { ContractHandlers } from '../core/service';
import { appOrigin, isAppUrl } from './app-origin';

export const callChannel = 'skyfold:call';
export const eventChannel = 'skyfold:event';

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

/** What the router needs of the engine: the contract methods, and events for forwarding. */
export type IpcService = ContractHandlers;

/**
 * Registers the contract call handler. Returns a function that removes it (used on quit).
 * The handler resolves with a CallOutcome and never rejects.
 */
export function registerIpc(
  service: IpcService,
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
): () => void {
  ipcMain.handle(callChannel, async (event, method: unknown, args: unknown): Promise<CallOutcome> => {
    if (!isTrustedSender(event)) return { ok: false, error: { ...untrustedSenderError } };
    return invokeContract(service, method, args);
  });
  return () => ipcMain.removeHandler(callChannel);
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
