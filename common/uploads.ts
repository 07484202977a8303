/**
 * How the hosts move file bytes that do not fit the contract (which carries JSON only):
 *
 * - web host: files dropped from the desktop are announced with `beginUpload`, their bytes sent as
 *   `PUT uploadUrl(uploadId, index)` (same origin, the session cookie; `Content-Length` = the
 *   announced size), then `finishUpload` starts the transfer. A file is downloaded from
 *   `downloadUrl(accountId, itemId)` (a normal browser download, `Content-Disposition: attachment`).
 * - Electron: the preload adds `pathForFile` (a dropped File's path, `webUtils.getPathForFile`) and
 *   `startDrag` (drags local files, from `cacheForDrag`, out to the desktop) to `window.skyfold`.
 * - both: thumbnails (`thumbnailUrl`) and preview bytes (`previewUrl`) are GET requests to the host.
 */

export const uploadPathPrefix = '/upload/';
export const downloadPath = '/download';
export const thumbnailPath = '/thumbnail';
export const previewPath = '/preview';

/** Thumbnail sizes the hosts serve (the longest side in pixels). */
export const thumbnailSizes = [96, 256] as const;
export type ThumbnailSize = (typeof thumbnailSizes)[number];

export function uploadUrl(uploadId: string, index: number): string {
  return `${uploadPathPrefix}${encodeURIComponent(uploadId)}/${index}`;
}

export function downloadUrl(accountId: string, itemId: string): string {
  const query = new URLSearchParams({ account: accountId, item: itemId });
  return `${downloadPath}?${query.toString()}`;
}

/**
 * A file's thumbnail (JPEG or PNG, cached on disk): 404 when the provider has none for it. Served
 * by both hosts (web host, Electron's app:// protocol) at the same relative address.
 */
export function thumbnailUrl(accountId: string, itemId: string, size: ThumbnailSize): string {
  const query = new URLSearchParams({ account: accountId, item: itemId, size: String(size) });
  return `${thumbnailPath}?${query.toString()}`;
}

/**
 * A file's bytes for the preview panel (images, plain text, PDF only: 415 for any other type), served
 * inline with `Content-Security-Policy: sandbox` and `nosniff` so that a file's content can never run
 * as the app.
 */
export function previewUrl(accountId: string, itemId: string): string {
  const query = new URLSearchParams({ account: accountId, item: itemId });
  return `${previewPath}?${query.toString()}`;
}

/** What the Electron preload adds beside the contract transport (absent in the web host). */
export interface DesktopBridge {
  /** The absolute path of a File dropped from the desktop ("" when it has none). */
  pathForFile(file: File): string;
  /** Starts dragging these local files (paths from `cacheForDrag`) out of the window. */
  startDrag(paths: string[]): void;
}
