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
import { decodePng, pngSize, placeholder, scaleDown, type RgbImage } from '../shared/png';
import { hashString } from '../shared/prng';
import { contentHead, readContent, type Content } from './content';

const MAX_SOURCE_BYTES = 20 * 1024 * 1024;
const MAX_DECODED_SIDE = 2048;
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

/** Dimensions of a recognised image ('unknown': an image whose size this emulator cannot read). */
function sniff(head: Buffer): { width: number; height: number } | 'unknown' | undefined {
  const png = pngSize(head);
  if (png) return png;
  if (head[0] === 0xff && head[1] === 0xd8) return 'unknown';
  const text = head.toString('latin1', 0, 6);
  if (text === 'GIF87a' || text === 'GIF89a')
    return { width: head.readUInt16LE(6), height: head.readUInt16LE(8) };
  if (text.startsWith('BM') && head.length >= 26)
    return { width: head.readInt32LE(18), height: Math.abs(head.readInt32LE(22)) };
  return undefined;
}

function crop(image: RgbImage, width: number, height: number): RgbImage {
  const w = Math.min(width, image.width);
  const h = Math.min(height, image.height);
  if (w === image.width && h === image.height) return image;
  const left = Math.floor((image.width - w) / 2);
  const top = Math.floor((image.height - h) / 2);
  const pixels = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    pixels.set(
      image.pixels.subarray(((top + y) * image.width + left) * 3, ((top + y) * image.width + left + w) * 3),
      y * w * 3,
    );
  return { width: w, height: h, pixels };
}

/** Scales (and, for crops, fills then crops) an image into a size's box. */
export function fit(image: RgbImage, spec: SizeSpec): RgbImage {
  const { width: w, height: h } = image;
  if (!spec.crop) {
    const scale = Math.min(spec.width / w, spec.height / h);
    return scale >= 1 ? image : scaleDown(image, Math.max(1, Math.round(Math.max(w, h) * scale)));
  }
  const scale = Math.max(spec.width / w, spec.height / h);
  const scaled = scale >= 1 ? image : scaleDown(image, Math.max(1, Math.round(Math.max(w, h) * scale)));
  return crop(scaled, spec.width, spec.height);
}

export class Thumbnails {
  private readonly decoded = new Map<string, RgbImage>();

  /** The picture of `content` (cached by `cacheKey`), or undefined when it is not an image. */
  async source(cacheKey: string, content: Content): Promise<RgbImage | undefined> {
    const cached = this.decoded.get(cacheKey);
    if (cached) return cached;
    if (content.size > MAX_SOURCE_BYTES) return undefined;
    const size = sniff(contentHead(content));
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
      image ??= placeholder(
        Math.max(1, Math.min(dims?.width ?? 256, dims?.height ?? 256, 1024)),
        hashString(cacheKey),
      );
    }
    if (!image) {
      const side = size === 'unknown' ? 256 : Math.max(1, Math.min(size.width, size.height, 1024));
      image = placeholder(side, hashString(cacheKey));
    }
    if (this.decoded.size >= CACHE_SIZE) this.decoded.delete(this.decoded.keys().next().value as string);
    this.decoded.set(cacheKey, image);
    return image;
  }

  /** The JPEG of one size. */
  render(image: RgbImage, spec: SizeSpec): Buffer {
    return encodeJpeg(fit(image, spec), 80);
  }
}
