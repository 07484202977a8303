/**
 * Minimal PNG support on node:zlib: encode RGB images, decode the common PNG forms (8-bit gray, RGB,
 * palette, gray+alpha, RGBA; not interlaced), scale down for thumbnails, and draw deterministic
 * "photos" for the seeds. Enough for real, viewable images without an image library.
 */
import { crc32, deflateSync, inflateSync } from 'node:zlib';
import { Prng } from './prng';

export interface RgbImage {
  width: number;
  height: number;
  /** width * height * 3 bytes, row-major RGB. */
  pixels: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data, crc32(head.subarray(4))), 0);
  return Buffer.concat([head, data, crc]);
}

/** Encodes an 8-bit RGB PNG (filter type 0 on every row). */
export function encodePng(image: RgbImage): Buffer {
  const { width, height, pixels } = image;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // color type RGB
  const stride = width * 3;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++)
    raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Width and height from a PNG header, or undefined when the bytes are not a PNG. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < 24 || !buffer.subarray(0, 8).equals(SIGNATURE)) return undefined;
  if (buffer.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { width: buffer.readUInt32BE(16), height: buffer.readUInt32BE(20) };
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Decodes a PNG to RGB (alpha composited on white); undefined for forms it does not support. */
export function decodePng(bytes: Buffer): RgbImage | undefined {
  if (!bytes.subarray(0, 8).equals(SIGNATURE)) return undefined;
  let offset = 8;
  let width = 0;
  let height = 0;
  let colorType = -1;
  let palette: Buffer | undefined;
  let alphaTable: Buffer | undefined;
  const data: Buffer[] = [];
  while (offset + 8 <= bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    offset += 12 + length;
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const depth = body[8];
      colorType = body[9] ?? -1;
      if (depth !== 8 || body[12] !== 0 || CHANNELS[colorType] === undefined) return undefined;
    } else if (type === 'PLTE') palette = body;
    else if (type === 'tRNS') alphaTable = body;
    else if (type === 'IDAT') data.push(body);
    else if (type === 'IEND') break;
  }
  const channels = CHANNELS[colorType];
  if (!channels || width === 0 || height === 0 || width * height > 40_000_000) return undefined;
  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(data));
  } catch {
    return undefined;
  }
  const stride = width * channels;
  if (raw.length < (stride + 1) * height) return undefined;
  const rows = unfilter(raw, stride, height, channels);
  const pixels = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    const at = i * channels;
    let r: number, g: number, b: number, a: number;
    if (colorType === 3) {
      const index = rows[at] as number;
      r = palette?.[index * 3] ?? 0;
      g = palette?.[index * 3 + 1] ?? 0;
      b = palette?.[index * 3 + 2] ?? 0;
      a = alphaTable?.[index] ?? 255;
    } else if (channels <= 2) {
      r = g = b = rows[at] as number;
      a = channels === 2 ? (rows[at + 1] as number) : 255;
    } else {
      r = rows[at] as number;
      g = rows[at + 1] as number;
      b = rows[at + 2] as number;
      a = channels === 4 ? (rows[at + 3] as number) : 255;
    }
    pixels[i * 3] = (r * a + 255 * (255 - a)) / 255;
    pixels[i * 3 + 1] = (g * a + 255 * (255 - a)) / 255;
    pixels[i * 3 + 2] = (b * a + 255 * (255 - a)) / 255;
  }
  return { width, height, pixels };
}

function unfilter(raw: Buffer, stride: number, height: number, bpp: number): Uint8Array {
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    for (let x = 0; x < stride; x++) {
      const value = raw[src + x] as number;
      const left = x >= bpp ? (out[row + x - bpp] as number) : 0;
      const up = y > 0 ? (out[row - stride + x] as number) : 0;
      const upLeft = x >= bpp && y > 0 ? (out[row - stride + x - bpp] as number) : 0;
      let predicted = 0;
      if (filter === 1) predicted = left;
      else if (filter === 2) predicted = up;
      else if (filter === 3) predicted = (left + up) >> 1;
      else if (filter === 4) predicted = paeth(left, up, upLeft);
      out[row + x] = (value + predicted) & 0xff;
    }
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Box-filter scale so the longest side is at most `maxSide` (never enlarges). */
export function scaleDown(image: RgbImage, maxSide: number): RgbImage {
  const factor = Math.max(image.width, image.height) / maxSide;
  if (factor <= 1) return image;
  const width = Math.max(1, Math.round(image.width / factor));
  const height = Math.max(1, Math.round(image.height / factor));
  const pixels = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor((y * image.height) / height);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * image.height) / height));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor((x * image.width) / width);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * image.width) / width));
      let r = 0;
      let g = 0;
      let b = 0;
      for (let sy = y0; sy < y1; sy++) {
        for (let sx = x0; sx < x1; sx++) {
          const at = (sy * image.width + sx) * 3;
          r += image.pixels[at] as number;
          g += image.pixels[at + 1] as number;
          b += image.pixels[at + 2] as number;
        }
      }
      const n = (y1 - y0) * (x1 - x0);
      const at = (y * width + x) * 3;
      pixels[at] = r / n;
      pixels[at + 1] = g / n;
      pixels[at + 2] = b / n;
    }
  }
  return { width, height, pixels };
}

function hsl(h: number, s: number, l: number): [number, number, number] {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return [Math.round(f(0) * 255), Math.round(f(8) * 255), Math.round(f(4) * 255)];
}

/**
 * Draws a deterministic landscape-like picture (sky gradient, sun, hills) from a seed: a real image
 * whose thumbnail is recognisably the same picture.
 */
export function drawPicture(width: number, height: number, seed: number): RgbImage {
  const prng = new Prng(seed);
  const hue = prng.int(360);
  const sun = {
    x: width * (0.2 + 0.6 * prng.next()),
    y: height * (0.15 + 0.25 * prng.next()),
    r: height * 0.1,
  };
  const hills = Array.from({ length: 3 }, (_, i) => ({
    base: height * (0.55 + 0.13 * i),
    amplitude: height * (0.04 + 0.06 * prng.next()),
    frequency: (1 + 3 * prng.next()) / width,
    phase: prng.next() * Math.PI * 2,
    color: hsl((hue + 90 + i * 25) % 360, 0.45, 0.35 - i * 0.07),
  }));
  const pixels = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const sky = hsl(hue, 0.6, 0.75 - (0.3 * y) / height);
    for (let x = 0; x < width; x++) {
      let color = sky;
      if (Math.hypot(x - sun.x, y - sun.y) < sun.r) color = hsl((hue + 40) % 360, 0.9, 0.7);
      for (const hill of hills) {
        if (y > hill.base + hill.amplitude * Math.sin(x * hill.frequency * Math.PI * 2 + hill.phase))
          color = hill.color;
      }
      const at = (y * width + x) * 3;
      pixels[at] = color[0];
      pixels[at + 1] = color[1];
      pixels[at + 2] = color[2];
    }
  }
  return { width, height, pixels };
}

/** A flat tile of one colour derived from `seed`: the placeholder thumbnail for undecodable images. */
export function placeholder(size: number, seed: number): RgbImage {
  const [r, g, b] = hsl(seed % 360, 0.35, 0.8);
  const pixels = new Uint8Array(size * size * 3);
  for (let i = 0; i < size * size; i++) pixels.set([r, g, b], i * 3);
  return { width: size, height: size, pixels };
}
