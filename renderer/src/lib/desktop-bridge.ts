/** The Electron preload's extras beside the contract (common/uploads.ts), when the page runs in Electron. */
import type { DesktopBridge } from '../../../common/uploads';

/** `window.skyfold` as a DesktopBridge when it has `pathForFile` and `startDrag`, else null (web host). */
export function desktopBridge(value: unknown): DesktopBridge | null {
  if (typeof value !== 'object' || value === null) return null;
  const candidate = value as Partial<DesktopBridge>;
  if (typeof candidate.pathForFile !== 'function' || typeof candidate.startDrag !== 'function') return null;
  return {
    pathForFile: (file) => candidate.pathForFile!(file),
    startDrag: (paths) => candidate.startDrag!(paths),
  };
}
