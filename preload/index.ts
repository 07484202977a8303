/**
 * Sandboxed preload (bundled to out/preload/index.cjs). Exposes exactly one narrow object,
 * `window.skyfold = { call, onEvent, pathForFile, startDrag }`: a ContractTransport the renderer wraps
 * with `createContractClient`, plus the DesktopBridge (common/uploads.ts) for drag and drop with the
 * desktop. `ipcRenderer` itself never reaches the page.
 *
 * A sandboxed preload can `require` only `electron` (and a few Node built-ins): electron-vite leaves
 * package dependencies such as zod external, so at runtime this file imports only `electron` and the
 * dependency-free common/methods.ts (bundled in). The channel names mirror main/electron/ipc.ts; tests
 * keep them in step.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { EngineEvent } from '../common/contract';
import { isMethodName, type MethodName } from '../common/methods';
import type { ErrorDto } from '../common/errors';
import type { ContractTransport } from '../common/rpc';
import type { DesktopBridge } from '../common/uploads';

export const callChannel = 'skyfold:call';
export const eventChannel = 'skyfold:event';
export const dragChannel = 'skyfold:start-drag';

type Outcome = Awaited<ReturnType<ContractTransport['call']>>;

function refused(code: ErrorDto['code'], message: string): Outcome {
  return { ok: false, error: { code, message } };
}

export const api: ContractTransport & DesktopBridge = {
  /** Sends one contract call to main. Unknown method names are refused here, without any IPC. */
  async call(method: MethodName, args: unknown): Promise<Outcome> {
    if (!isMethodName(method)) return refused('invalid_argument', `unknown method ${JSON.stringify(method)}`);
    try {
      return (await ipcRenderer.invoke(callChannel, method, args)) as Outcome;
    } catch (error) {
      // e.g. arguments that cannot be cloned, or main not answering yet.
      return refused('permanent', error instanceof Error ? error.message : String(error));
    }
  },
  /** Delivers engine events (the payload only, never the IPC event). Returns the unsubscribe function. */
  onEvent(listener: (event: EngineEvent) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('onEvent needs a function');
    const relay = (_event: IpcRendererEvent, payload: EngineEvent): void => listener(payload);
    ipcRenderer.on(eventChannel, relay);
    return () => {
      ipcRenderer.removeListener(eventChannel, relay);
    };
  },
  /** A dropped File's absolute path; "" when it has none (or for anything that is not a File). */
  pathForFile(file: File): string {
    try {
      return webUtils.getPathForFile(file);
    } catch {
      return '';
    }
  },
  /** Asks main to drag these files out of the window; main checks each is in the drag cache. */
  startDrag(paths: string[]): void {
    ipcRenderer.send(dragChannel, paths);
  },
};

contextBridge.exposeInMainWorld('skyfold', api);
