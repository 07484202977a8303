/**
 * What the emulators' thumbnails have in common (each service keeps its sizes, formats and routes):
 * recognising an image by its first bytes, fitting a picture into a box, the flat placeholder of an
 * image that cannot be decoded here, and a small cache of decoded or rendered pictures.
 */
import { jpegSize } from './jpeg';
import { placeholder, pngSize, scaleDown, type RgbImage } from './png';
import { hashString } from './prng';

/** The pixel size of a recognised image; 'unknown': an image whose size cannot be read here. */
export type ImageSize = { width: number; height: number } | 'unknown';

/** The size of a PNG, JPEG, GIF or BMP from its first bytes; undefined: none of these. */
export function sniffImage(head: Buffer): ImageSize | undefined {
  const png = pngSize(head);
  if (png) return png;
  if (head[0] === 0xff && head[1] === 0xd8) return jpegSize(head) ?? 'unknown';
  const text = head.toString('latin1', 0, 6);
  if (text === 'GIF87a' || text === 'GIF89a')
    return { width: head.readUInt16LE(6), height: head.readUInt16LE(8) };
  if (text.startsWith('BM') && head.length >= 26)
    return { width: head.readInt32LE(18), height: Math.abs(head.readInt32LE(22)) };
  return undefined;
}

/**
 * The flat tile standing for an image that cannot be decoded: a square of its shorter side (at most
 * `maxSide`; 256 when its size is unknown), its colour from `key`.
 */
export function placeholderFor(size: ImageSize, maxSide: number, key: string): RgbImage {
  const side = size === 'unknown' ? 256 : Math.max(1, Math.min(size.width, size.height, maxSide));
  return placeholder(side, hashString(key));
}

/** The centre `width` x `height` of an image (no more than it has). */
export function cropCenter(image: RgbImage, width: number, height: number): RgbImage {
  if (image.width <= width && image.height <= height) return image;
  const w = Math.min(width, image.width);
  const h = Math.min(height, image.height);
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

/**
 * Scales an image down into a `width` x `height` box, never enlarging it: `inside` fits it within the
 * box, `cover` makes it fill the box and crops it to the box (centred).
 */
export function fitInto(image: RgbImage, width: number, height: number, mode: 'inside' | 'cover'): RgbImage {
  const { width: w, height: h } = image;
  const scale = mode === 'cover' ? Math.max(width / w, height / h) : Math.min(width / w, height / h);
  const scaled = scale >= 1 ? image : scaleDown(image, Math.max(1, Math.round(Math.max(w, h) * scale)));
  return mode === 'cover' ? cropCenter(scaled, width, height) : scaled;
}

/** A cache that forgets its oldest entry when full (decoded pictures, rendered thumbnails). */
export class BoundedCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly capacity: number) {}

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  /** Keeps `value` under `key` and returns it. */
  set(key: string, value: V): V {
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, value);
    return value;
  }
}
