/**
 * Thumbnails as every provider hands them over (`Provider.thumbnail`): a JPEG or PNG whose longest
 * side is at most the size asked for. The clouds' thumbnail services offer a few fixed sizes (the
 * provider asks for the one just above) and formats; local folders have only the picture. Both go
 * through `fitThumbnail`, which decodes with sharp (libvips).
 */
import sharp from 'sharp';
import { SkyfoldError } from '../../../common/errors';

export interface Thumbnail {
  mimeType: 'image/jpeg' | 'image/png';
  bytes: Buffer;
}

/**
 * Formats decoded for a thumbnail: raster images only. SVG is left out on purpose: rendering it
 * would run an untrusted document through librsvg (external references, entity tricks).
 */
const rasterFormats = new Set(['jpeg', 'png', 'webp', 'gif', 'avif', 'heif', 'tiff']);
/** A decompression bomb (a tiny file declaring a huge picture) is refused before decoding. */
const maxInputPixels = 100_000_000;
const jpegQuality = 80;

/**
 * `bytes` as a thumbnail no longer than `size` pixels on its longest side: returned unchanged when it
 * already is a JPEG or PNG that fits (and needs no EXIF rotation), else turned upright, scaled down
 * inside a `size` x `size` box (never enlarged) and encoded as PNG when it has transparency, JPEG
 * otherwise (an animation keeps its first frame). Null when `bytes` are not a raster image that can
 * be decoded (a document, SVG, a truncated or corrupt file, a bomb). Pure: no I/O, never throws.
 */
export async function fitThumbnail(bytes: Buffer, size: number): Promise<Thumbnail | null> {
  try {
    const options = { limitInputPixels: maxInputPixels, failOn: 'error' as const };
    const meta = await sharp(bytes, options).metadata();
    if (!rasterFormats.has(meta.format)) return null;
    const upright = (meta.orientation ?? 1) === 1;
    if (
      (meta.format === 'jpeg' || meta.format === 'png') &&
      upright &&
      Math.max(meta.width, meta.height) <= size
    )
      return { mimeType: meta.format === 'png' ? 'image/png' : 'image/jpeg', bytes };
    const scaled = sharp(bytes, options)
      .rotate()
      .resize(size, size, { fit: 'inside', withoutEnlargement: true });
    return meta.hasAlpha
      ? { mimeType: 'image/png', bytes: await scaled.png().toBuffer() }
      : { mimeType: 'image/jpeg', bytes: await scaled.jpeg({ quality: jpegQuality }).toBuffer() };
  } catch {
    return null;
  }
}

/**
 * A provider's answer as a Thumbnail (null stays null). Throws permanent for another type than the
 * JPEG or PNG every provider promises.
 */
export function checkedThumbnail(answer: { mimeType: string; bytes: Buffer } | null): Thumbnail | null {
  if (answer === null) return null;
  const { mimeType, bytes } = answer;
  if (mimeType !== 'image/jpeg' && mimeType !== 'image/png')
    throw new SkyfoldError('permanent', `a thumbnail came as ${mimeType}, not as JPEG or PNG`);
  return { mimeType, bytes };
}

/** Extensions of the raster images thumbnails are made of (sharp decodes them; SVG is not one). */
const imageExtensions = new Set([
  'jpg',
  'jpeg',
  'jpe',
  'png',
  'gif',
  'webp',
  'avif',
  'heic',
  'heif',
  'tif',
  'tiff',
]);

/**
 * Whether a file may have a thumbnail: a raster image by its MIME type or its extension. Callers ask
 * the provider only for these (a request per file of every other type would be spent for nothing).
 */
export function mayHaveThumbnail(name: string, mimeType: string | null): boolean {
  if (mimeType?.startsWith('image/') && !mimeType.startsWith('image/svg')) return true;
  const dot = name.lastIndexOf('.');
  return dot > 0 && imageExtensions.has(name.slice(dot + 1).toLowerCase());
}

/** Of the sizes a service offers (longest sides, ascending), the smallest at least `size`, else the largest. */
export function sizeAtLeast<T extends { side: number }>(offered: readonly T[], size: number): T {
  const pick = offered.find((candidate) => candidate.side >= size) ?? offered[offered.length - 1];
  if (!pick) throw new Error('no sizes offered');
  return pick;
}
