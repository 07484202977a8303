/**
 * Thumbnails of pictures in a local folder, made on this computer with sharp (thumbnail-image.ts):
 * no service to ask, so the file itself is read and scaled.
 */
import type { Readable } from 'node:stream';
import { SkyfoldError } from '../../../../common/errors';
import { fitThumbnail, mayHaveThumbnail, type Thumbnail } from '../thumbnail-image';
import type { ProviderItem } from '../types';

/** Pictures larger than this are not read for a thumbnail (as Dropbox, which stops at 20 MB). */
export const maxLocalThumbnailSource = 50 * 1024 * 1024;

/**
 * The thumbnail of `item` (longest side at most `size`), its bytes from `open`; null when it is not a
 * raster image (by name, then by content), or larger than `maxLocalThumbnailSource`. Throws
 * invalid_argument for a folder, and whatever `open` throws.
 */
export async function localThumbnail(
  item: ProviderItem,
  open: () => Promise<Readable>,
  size: number,
): Promise<Thumbnail | null> {
  if (item.kind !== 'file') throw new SkyfoldError('invalid_argument', `"${item.name}" is a folder`);
  if (!mayHaveThumbnail(item.name, null) || (item.size ?? 0) > maxLocalThumbnailSource) return null;
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of await open()) {
    total += (chunk as Buffer).length;
    if (total > maxLocalThumbnailSource) return null; // it grew since it was looked at
    chunks.push(chunk as Buffer);
  }
  return fitThumbnail(Buffer.concat(chunks), size);
}
