/**
 * A small baseline JPEG encoder (JFIF, 8-bit YCbCr 4:4:4, the standard quantisation and Huffman
 * tables of ITU T.81 Annex K, quality scaled as libjpeg does), for thumbnails that must be real JPEG
 * files. Plus `jpegSize`, which reads the dimensions of any baseline or progressive JPEG.
 */
import type { RgbImage } from './png';

const ZIGZAG = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7,
  14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46,
  53, 60, 61, 54, 47, 55, 62, 63,
];

const LUMA_QUANT = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22,
  29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103,
  121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];

const CHROMA_QUANT = [
  17,
  18,
  24,
  47,
  99,
  99,
  99,
  99,
  18,
  21,
  26,
  66,
  99,
  99,
  99,
  99,
  24,
  26,
  56,
  99,
  99,
  99,
  99,
  99,
  47,
  66,
  99,
  99,
  ...new Array<number>(36).fill(99),
];

interface HuffmanSpec {
  counts: number[];
  symbols: number[];
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const acSymbols = (hex: string) => hex.match(/../g)!.map((h) => parseInt(h, 16));

const DC_LUMA: HuffmanSpec = { counts: [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0], symbols: range(12) };
const DC_CHROMA: HuffmanSpec = {
  counts: [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0],
  symbols: range(12),
};
const AC_LUMA: HuffmanSpec = {
  counts: [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d],
  symbols: acSymbols(
    '01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9fa',
  ),
};
const AC_CHROMA: HuffmanSpec = {
  counts: [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77],
  symbols: acSymbols(
    '000102031104052131061241510761711322328108144291a1b1c109233352f0156272d10a162434e125f11718191a262728292a35363738393a434445464748494a535455565758595a636465666768696a737475767778797a82838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae2e3e4e5e6e7e8e9eaf2f3f4f5f6f7f8f9fa',
  ),
};

/** Canonical codes: symbol -> [code, length]. */
function huffmanCodes(spec: HuffmanSpec): Map<number, [number, number]> {
  const codes = new Map<number, [number, number]>();
  let code = 0;
  let k = 0;
  for (let length = 1; length <= 16; length++) {
    for (let i = 0; i < (spec.counts[length - 1] as number); i++)
      codes.set(spec.symbols[k++] as number, [code++, length]);
    code <<= 1;
  }
  return codes;
}

function scaledTable(base: readonly number[], quality: number): number[] {
  const q = Math.min(100, Math.max(1, Math.round(quality)));
  const scale = q < 50 ? 5000 / q : 200 - q * 2;
  return base.map((v) => Math.min(255, Math.max(1, Math.floor((v * scale + 50) / 100))));
}

class BitWriter {
  private readonly bytes: number[] = [];
  private buffer = 0;
  private count = 0;

  write(code: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) {
      this.buffer = (this.buffer << 1) | ((code >> i) & 1);
      if (++this.count === 8) {
        this.bytes.push(this.buffer);
        if (this.buffer === 0xff) this.bytes.push(0);
        this.buffer = 0;
        this.count = 0;
      }
    }
  }

  finish(): Buffer {
    if (this.count > 0) this.write((1 << (8 - this.count)) - 1, 8 - this.count);
    return Buffer.from(this.bytes);
  }
}

const COS = Array.from({ length: 64 }, (_, i) => Math.cos(((2 * (i >> 3) + 1) * (i & 7) * Math.PI) / 16));
const C = (u: number) => (u === 0 ? Math.SQRT1_2 : 1);

/** The 2-D DCT of an 8x8 block (values centred on 0), in natural order. */
function dct(block: Float64Array): Float64Array {
  const rows = new Float64Array(64);
  for (let y = 0; y < 8; y++)
    for (let u = 0; u < 8; u++) {
      let sum = 0;
      for (let x = 0; x < 8; x++) sum += (block[y * 8 + x] as number) * (COS[x * 8 + u] as number);
      rows[y * 8 + u] = (sum * C(u)) / 2;
    }
  const out = new Float64Array(64);
  for (let u = 0; u < 8; u++)
    for (let v = 0; v < 8; v++) {
      let sum = 0;
      for (let y = 0; y < 8; y++) sum += (rows[y * 8 + u] as number) * (COS[y * 8 + v] as number);
      out[v * 8 + u] = (sum * C(v)) / 2;
    }
  return out;
}

const magnitude = (value: number) => (value === 0 ? 0 : 32 - Math.clz32(Math.abs(value)));

function segment(marker: number, data: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(data.length + 2, 2);
  return Buffer.concat([head, data]);
}

function huffmanSegment(tables: [number, HuffmanSpec][]): Buffer {
  return segment(
    0xc4,
    Buffer.concat(tables.map(([id, spec]) => Buffer.from([id, ...spec.counts, ...spec.symbols]))),
  );
}

/** Encodes an RGB image as a baseline JFIF JPEG (`quality` 1-100, default 80). */
export function encodeJpeg(image: RgbImage, quality = 80): Buffer {
  const { width, height, pixels } = image;
  const tables = [scaledTable(LUMA_QUANT, quality), scaledTable(CHROMA_QUANT, quality)];
  const dc = [huffmanCodes(DC_LUMA), huffmanCodes(DC_CHROMA)];
  const ac = [huffmanCodes(AC_LUMA), huffmanCodes(AC_CHROMA)];
  const bits = new BitWriter();
  const previous = [0, 0, 0];
  const block = new Float64Array(64);
  const emit = (code: [number, number] | undefined) => bits.write(code![0], code![1]);
  for (let by = 0; by < height; by += 8)
    for (let bx = 0; bx < width; bx += 8)
      for (let component = 0; component < 3; component++) {
        for (let i = 0; i < 64; i++) {
          const x = Math.min(width - 1, bx + (i & 7));
          const y = Math.min(height - 1, by + (i >> 3));
          const at = (y * width + x) * 3;
          const [r, g, b] = [pixels[at] as number, pixels[at + 1] as number, pixels[at + 2] as number];
          block[i] =
            component === 0
              ? 0.299 * r + 0.587 * g + 0.114 * b - 128
              : component === 1
                ? -0.168736 * r - 0.331264 * g + 0.5 * b
                : 0.5 * r - 0.418688 * g - 0.081312 * b;
        }
        const table = component === 0 ? 0 : 1;
        const coefficients = dct(block);
        const quantised = ZIGZAG.map((index) =>
          Math.round((coefficients[index] as number) / (tables[table]![index] as number)),
        );
        const diff = (quantised[0] as number) - (previous[component] as number);
        previous[component] = quantised[0] as number;
        const size = magnitude(diff);
        emit(dc[table]!.get(size));
        if (size > 0) bits.write(diff < 0 ? diff + (1 << size) - 1 : diff, size);
        let run = 0;
        for (let k = 1; k < 64; k++) {
          const value = quantised[k] as number;
          if (value === 0) {
            run++;
            continue;
          }
          while (run > 15) {
            emit(ac[table]!.get(0xf0));
            run -= 16;
          }
          const bitsNeeded = magnitude(value);
          emit(ac[table]!.get((run << 4) | bitsNeeded));
          bits.write(value < 0 ? value + (1 << bitsNeeded) - 1 : value, bitsNeeded);
          run = 0;
        }
        if (run > 0) emit(ac[table]!.get(0x00));
      }
  const frame = Buffer.from([
    8,
    height >> 8,
    height & 255,
    width >> 8,
    width & 255,
    3,
    1,
    0x11,
    0,
    2,
    0x11,
    1,
    3,
    0x11,
    1,
  ]);
  const scan = Buffer.from([3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, Buffer.from([0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0])),
    segment(
      0xdb,
      Buffer.from([
        0,
        ...ZIGZAG.map((i) => tables[0]![i] as number),
        1,
        ...ZIGZAG.map((i) => tables[1]![i] as number),
      ]),
    ),
    segment(0xc0, frame),
    huffmanSegment([
      [0x00, DC_LUMA],
      [0x10, AC_LUMA],
      [0x01, DC_CHROMA],
      [0x11, AC_CHROMA],
    ]),
    segment(0xda, scan),
    bits.finish(),
    Buffer.from([0xff, 0xd9]),
  ]);
}

/** Width and height from a JPEG's frame header (SOF0-SOF15 except DHT/JPG/DAC), or undefined. */
export function jpegSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < 4 || buffer[0] !== 0xff || buffer[1] !== 0xd8) return undefined;
  let offset = 2;
  while (offset + 9 < buffer.length) {
    if (buffer[offset] !== 0xff) return undefined;
    const marker = buffer[offset + 1] as number;
    const length = buffer.readUInt16BE(offset + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return { height: buffer.readUInt16BE(offset + 5), width: buffer.readUInt16BE(offset + 7) };
    offset += 2 + length;
  }
  return undefined;
}
