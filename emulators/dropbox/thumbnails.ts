/**
 * Thumbnails for files/get_thumbnail_v2 (and v1): real JPEG or PNG bytes.
 * - Only names with Dropbox's image extensions qualify (jpg, jpeg, png, tiff, tif, gif, webp, ppm, bmp),
 *   else `unsupported_extension`; content over 20 MB or not an image is `unsupported_image`.
 * - PNGs are decoded and scaled (a real thumbnail of the picture); other recognised images (JPEG, GIF,
 *   BMP, TIFF, WebP, PPM) get a flat square placeholder tile (no decoder for them here) (?).
 * - Modes: `strict` fits inside the size, `bestfit` inside the size or its transpose, `fitone_bestfit`
 *   covers it (cropped to it) (?), `original` keeps the image as is. Images are never enlarged.
 * - Formats: `jpeg` (quality 80, or 90 with `quality_90`), `png`; `webp` cannot be produced here and
 *   answers `conversion_error` (?).
 */
import { readFile } from 'node:fs/promises';
import { encodeJpeg } from '../shared/jpeg';
import { decodePng, encodePng, pngSize, type RgbImage } from '../shared/png';
import { BoundedCache, fitInto, placeholderFor, sniffImage, type ImageSize } from '../shared/thumbnails';
import { contentHead, contentSize, type Content } from './content';

export const THUMBNAIL_EXTENSIONS = ['jpg', 'jpeg', 'png', 'tiff', 'tif', 'gif', 'webp', 'ppm', 'bmp'];
const MAX_SOURCE_BYTES = 20 * 1024 * 1024;
const MAX_PLACEHOLDER_SIDE = 2048;
const CACHE_SIZE = 64;

export const THUMBNAIL_SIZES: Record<string, readonly [number, number]> = {
  w32h32: [32, 32],
  w64h64: [64, 64],
  w128h128: [128, 128],
  w256h256: [256, 256],
  w480h320: [480, 320],
  w640h480: [640, 480],
  w960h640: [960, 640],
  w1024h768: [1024, 768],
  w2048h1536: [2048, 1536],
};

export interface ThumbnailRequest {
  format: 'jpeg' | 'png' | 'webp';
  size: string;
  mode: 'strict' | 'bestfit' | 'fitone_bestfit' | 'original';
  quality: 'quality_80' | 'quality_90';
}

export type ThumbnailOutcome =
  | { ok: true; bytes: Buffer }
  | { ok: false; error: 'unsupported_extension' | 'unsupported_image' | 'conversion_error' };

/** Dimensions of the image formats the emulator recognises (undefined: not an image). */
function imageSize(head: Buffer): ImageSize | undefined {
  const known = sniffImage(head);
  if (known) return known;
  const text = head.toString('latin1', 0, 12);
  if (text.startsWith('II*\0') || text.startsWith('MM\0*') || /^P[36]\s/.test(text)) return 'unknown';
  if (text.startsWith('RIFF') && text.slice(8, 12) === 'WEBP') return 'unknown';
  return undefined;
}

/** Scales (and for fitone_bestfit crops) an image for a requested box and mode. */
export function fit(
  image: RgbImage,
  box: readonly [number, number],
  mode: ThumbnailRequest['mode'],
): RgbImage {
  if (mode === 'original') return image;
  const { width: w, height: h } = image;
  const transposeFits = w > h !== box[0] > box[1] && box[0] !== box[1];
  const [bw, bh] = mode !== 'strict' && transposeFits ? [box[1], box[0]] : box;
  return fitInto(image, bw, bh, mode === 'fitone_bestfit' ? 'cover' : 'inside');
}

export class Thumbnails {
  private readonly decoded = new BoundedCache<RgbImage>(CACHE_SIZE);

  /** A thumbnail of `content` (named `name`), or the ThumbnailError tag that applies. */
  async render(
    cacheKey: string,
    name: string,
    content: Content,
    request: ThumbnailRequest,
  ): Promise<ThumbnailOutcome> {
    const extension = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '';
    if (!THUMBNAIL_EXTENSIONS.includes(extension)) return { ok: false, error: 'unsupported_extension' };
    const source = contentSize(content) > MAX_SOURCE_BYTES ? undefined : await this.decode(cacheKey, content);
    if (!source) return { ok: false, error: 'unsupported_image' };
    if (request.format === 'webp') return { ok: false, error: 'conversion_error' };
    const image = fit(source, THUMBNAIL_SIZES[request.size] ?? [64, 64], request.mode);
    const bytes =
      request.format === 'png'
        ? encodePng(image)
        : encodeJpeg(image, request.quality === 'quality_90' ? 90 : 80);
    return { ok: true, bytes };
  }

  private async decode(cacheKey: string, content: Content): Promise<RgbImage | undefined> {
    const cached = this.decoded.get(cacheKey);
    if (cached) return cached;
    const head = contentHead(content);
    const size = imageSize(head);
    if (size === undefined) return undefined;
    let image: RgbImage | undefined;
    if (pngSize(head)) {
      const bytes =
        content.kind === 'bytes'
          ? content.data
          : content.kind === 'blob'
            ? await readFile(content.blob.path)
            : undefined;
      image = bytes ? decodePng(bytes) : undefined;
    }
    return this.decoded.set(cacheKey, image ?? placeholderFor(size, MAX_PLACEHOLDER_SIDE, cacheKey));
  }
}
