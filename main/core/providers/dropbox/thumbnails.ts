/**
 * Thumbnails from `files/get_thumbnail_v2`
 * (https://www.dropbox.com/developers/documentation/http/documentation#files-get_thumbnail_v2), a
 * download-style route like files/download: `POST content.dropboxapi.com`, the ThumbnailV2Arg as
 * header-safe JSON in `Dropbox-API-Arg`, the picture as the body. Dropbox makes thumbnails of images
 * only (jpg, jpeg, png, tiff, tif, gif, webp, ppm, bmp; at most 20 MB) and answers 409
 * `unsupported_extension` / `unsupported_image` otherwise: "none" here, not an error.
 */
import { readErrorBody } from '../http-errors';
import { fitThumbnail, sizeAtLeast, type Thumbnail } from '../thumbnail-image';
import type { DropboxApi } from './api';
import { dropboxHttpError, errorTags } from './errors';
import { headerSafeJson } from './wire';

const thumbnailUrl = 'https://content.dropboxapi.com/2/files/get_thumbnail_v2';

/** ThumbnailSize values, by the longest side a `strict` thumbnail of any proportions can reach. */
const sizes = [
  { tag: 'w64h64', side: 64 },
  { tag: 'w128h128', side: 128 },
  { tag: 'w256h256', side: 256 },
  { tag: 'w640h480', side: 480 },
  { tag: 'w1024h768', side: 768 },
  { tag: 'w2048h1536', side: 1536 },
] as const;

/** ThumbnailV2Error tags meaning "Dropbox has no thumbnail of this file". */
const noThumbnailTags = new Set([
  'unsupported_extension',
  'unsupported_image',
  'conversion_error',
  'encrypted_content',
]);

/**
 * The thumbnail of the file at `path` (an `id:...`), from the smallest Dropbox size at least `size`,
 * scaled down to `size`; null when Dropbox has none. Paced and authorized like every request; safe to
 * repeat. Throws not_found, invalid_argument (a folder: `path/not_file`), and the usual mapped errors.
 */
export function fetchThumbnail(
  api: DropboxApi,
  path: string,
  size: number,
  what: string,
): Promise<Thumbnail | null> {
  const arg = {
    resource: { '.tag': 'path', path },
    format: 'jpeg',
    size: sizeAtLeast(sizes, size).tag,
    mode: 'strict',
  };
  return api.withToken(what, async (accessToken) => {
    const response = await api.fetch(thumbnailUrl, {
      method: 'POST',
      headers: { Authorization: `Bearer ${accessToken}`, 'Dropbox-API-Arg': headerSafeJson(arg) },
    });
    if (!response.ok) {
      const body = await readErrorBody(response);
      if (response.status === 409 && errorTags(body).some((tag) => noThumbnailTags.has(tag))) return null;
      throw dropboxHttpError(
        { status: response.status, body, headers: response.headers },
        `Dropbox, ${what}`,
      );
    }
    return fitThumbnail(Buffer.from(await response.arrayBuffer()), size);
  });
}
