/**
 * How the hosts move file bytes that do not fit the contract (which carries JSON only):
 *
 * - web host: files dropped from the desktop are announced with `beginUpload`, their bytes sent as
 *   `PUT uploadUrl(uploadId, index)` (same origin, the session cookie; `Content-Length` = the
 *   announced size), then `finishUpload` starts the transfer. A file is downloaded from
 *   `downloadUrl(accountId, itemId)` (a normal browser download, `Content-Disposition: attachment`).
 * - Electron: the preload adds `pathForFile` (a dropped File's path, `webUtils.getPathForFile`) and
 *   `startDrag` (drags local files, from `cacheForDrag`, out to the desktop) to `window.skyfold`.
 */

export const uploadPathPrefix = '/upload/';
export const downloadPath = '/download';

export function uploadUrl(uploadId: string, index: number): string {
  return `${uploadPathPrefix}${encodeURIComponent(uploadId)}/${index}`;
}

export function downloadUrl(accountId: string, itemId: string): string {
  const query = new URLSearchParams({ account: accountId, item: itemId });
  return `${downloadPath}?${query.toString()}`;
}

/** What the Electron preload adds beside the contract transport (absent in the web host). */
export interface DesktopBridge {
  /** The absolute path of a File dropped from the desktop ("" when it has none). */
  pathForFile(file: File): string;
  /** Starts dragging these local files (paths from `cacheForDrag`) out of the window. */
  startDrag(paths: string[]): void;
}
