/**
 * Thumbnails of images (real JPEG bytes of the picture, scaled).
 * - Which items have thumbnails: files whose content is a PNG, JPEG, GIF or BMP (sniffed, not by
 *   name), at most 20 MB (?); others (folders, documents, PDFs) have none (?: OneDrive also renders
 *   office documents, PDFs and videos).
 * - PNGs and baseline JPEGs up to 2048 px a side are decoded and scaled; other images get a flat
 *   placeholder tile of their size (no decoder here).
 * - Sizes (thumbnail docs): `small` (longest side 96), `medium` (176), `large` (800), `smallSquare`
 *   (96x96 cropped), `mediumSquare` (176x176), `largeSquare` (800x800), custom `c{W}x{H}` (inside the
 *   box) and `c{W}x{H}_Crop` (filling it, cropped). Images are never enlarged (?).
 */
import { jpegSize, encodeJpeg } from '../shared/jpeg';
import { decodeJpeg } from '../shared/jpeg-decoder';
import { decodePng, pngSize, type RgbImage } from '../shared/png';
import { BoundedCache, fitInto, placeholderFor, sniffImage } from '../shared/thumbnails';
import { contentHead, readContent, type Content } from './content';

const MAX_SOURCE_BYTES = 20 * 1024 * 1024;
const MAX_DECODED_SIDE = 2048;
const MAX_PLACEHOLDER_SIDE = 1024;
const CACHE_SIZE = 64;

export const STANDARD_SIZES = ['small', 'medium', 'large'] as const;

interface SizeSpec {
  width: number;
  height: number;
  crop: boolean;
}

/** The box of a size name, or undefined for a name OneDrive does not know. */
export function sizeSpec(name: string): SizeSpec | undefined {
  const fixed: Record<string, SizeSpec> = {
    small: { width: 96, height: 96, crop: false },
    medium: { width: 176, height: 176, crop: false },
    large: { width: 800, height: 800, crop: false },
    smallsquare: { width: 96, height: 96, crop: true },
    mediumsquare: { width: 176, height: 176, crop: true },
    largesquare: { width: 800, height: 800, crop: true },
  };
  const known = fixed[name.toLowerCase()];
  if (known) return known;
  const custom = /^c(\d{1,4})x(\d{1,4})(_crop)?$/i.exec(name);
  if (!custom) return undefined;
  const width = Number(custom[1]);
  const height = Number(custom[2]);
  if (width < 1 || height < 1) return undefined;
  return { width, height, crop: custom[3] !== undefined };
}

/** Scales (and, for crops, fills then crops) an image into a size's box. */
export function fit(image: RgbImage, spec: SizeSpec): RgbImage {
  return fitInto(image, spec.width, spec.height, spec.crop ? 'cover' : 'inside');
}

export class Thumbnails {
  private readonly decoded = new BoundedCache<RgbImage>(CACHE_SIZE);

  /** The picture of `content` (cached by `cacheKey`), or undefined when it is not an image. */
  async source(cacheKey: string, content: Content): Promise<RgbImage | undefined> {
    const cached = this.decoded.get(cacheKey);
    if (cached) return cached;
    if (content.size > MAX_SOURCE_BYTES) return undefined;
    const size = sniffImage(contentHead(content));
    if (size === undefined) return undefined;
    let image: RgbImage | undefined;
    const bytes = await readContent(content);
    if (pngSize(bytes)) image = decodePng(bytes);
    else if (bytes[0] === 0xff && bytes[1] === 0xd8) {
      const dims = jpegSize(bytes);
      if (dims && dims.width <= MAX_DECODED_SIDE && dims.height <= MAX_DECODED_SIDE) {
        try {
          image = decodeJpeg(bytes);
        } catch {
          image = undefined;
        }
      }
      image ??= placeholderFor(dims ?? 'unknown', MAX_PLACEHOLDER_SIDE, cacheKey);
    }
    return this.decoded.set(cacheKey, image ?? placeholderFor(size, MAX_PLACEHOLDER_SIDE, cacheKey));
  }

  /** The JPEG of one size. */
  render(image: RgbImage, spec: SizeSpec): Buffer {
    return encodeJpeg(fit(image, spec), 80);
  }
}
