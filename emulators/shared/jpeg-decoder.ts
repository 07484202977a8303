/**
 * A minimal baseline JPEG decoder (Huffman, 8-bit, every component sampled 1x1, no restart markers):
 * enough for tests to check that the emulators' JPEG thumbnails decode to the picture they show, and
 * for the OneDrive emulator to thumbnail uploaded JPEGs (it falls back to a placeholder when this throws).
 * Written from ITU T.81 independently of the encoder; throws on anything outside that subset.
 */
import type { RgbImage } from './png';

const ZIGZAG = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7,
  14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46,
  53, 60, 61, 54, 47, 55, 62, 63,
];

interface Component {
  id: number;
  quant: number;
  dc: number;
  ac: number;
  previous: number;
  plane: Float64Array;
}

/** Code tables: `length:code` -> symbol. */
type Table = Map<string, number>;

function buildTable(counts: Uint8Array, symbols: Uint8Array): Table {
  const table: Table = new Map();
  let code = 0;
  let k = 0;
  for (let length = 1; length <= 16; length++) {
    for (let i = 0; i < (counts[length - 1] as number); i++)
      table.set(`${length}:${code++}`, symbols[k++] as number);
    code <<= 1;
  }
  return table;
}

function idct(coefficients: Float64Array): Float64Array {
  const out = new Float64Array(64);
  for (let y = 0; y < 8; y++)
    for (let x = 0; x < 8; x++) {
      let sum = 0;
      for (let v = 0; v < 8; v++)
        for (let u = 0; u < 8; u++) {
          const cu = u === 0 ? Math.SQRT1_2 : 1;
          const cv = v === 0 ? Math.SQRT1_2 : 1;
          sum +=
            cu *
            cv *
            (coefficients[v * 8 + u] as number) *
            Math.cos(((2 * x + 1) * u * Math.PI) / 16) *
            Math.cos(((2 * y + 1) * v * Math.PI) / 16);
        }
      out[y * 8 + x] = sum / 4;
    }
  return out;
}

export function decodeJpeg(bytes: Buffer): RgbImage {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new Error('not a JPEG');
  const quant: number[][] = [];
  const tables = new Map<number, Table>();
  let width = 0;
  let height = 0;
  let components: Component[] = [];
  let offset = 2;
  for (;;) {
    if (bytes[offset] !== 0xff) throw new Error(`marker expected at ${offset}`);
    const marker = bytes[offset + 1] as number;
    const length = bytes.readUInt16BE(offset + 2);
    const data = bytes.subarray(offset + 4, offset + 2 + length);
    if (marker === 0xdb) {
      for (let i = 0; i < data.length; i += 65) {
        const table = new Array<number>(64);
        for (let k = 0; k < 64; k++) table[ZIGZAG[k] as number] = data[i + 1 + k] as number;
        quant[(data[i] as number) & 15] = table;
      }
    } else if (marker === 0xc4) {
      for (let i = 0; i < data.length;) {
        const counts = data.subarray(i + 1, i + 17);
        const total = counts.reduce((a, b) => a + b, 0);
        tables.set(data[i] as number, buildTable(counts, data.subarray(i + 17, i + 17 + total)));
        i += 17 + total;
      }
    } else if (marker === 0xc0) {
      height = data.readUInt16BE(1);
      width = data.readUInt16BE(3);
      components = [];
      for (let c = 0; c < (data[5] as number); c++) {
        if (data[7 + c * 3] !== 0x11) throw new Error('only 1x1 sampling is supported');
        const plane = new Float64Array(Math.ceil(width / 8) * 8 * Math.ceil(height / 8) * 8);
        components.push({
          id: data[6 + c * 3] as number,
          quant: data[8 + c * 3] as number,
          dc: 0,
          ac: 0,
          previous: 0,
          plane,
        });
      }
    } else if (marker === 0xda) {
      for (let c = 0; c < (data[0] as number); c++) {
        const component = components.find((x) => x.id === data[1 + c * 2]) as Component;
        component.dc = (data[2 + c * 2] as number) >> 4;
        component.ac = (data[2 + c * 2] as number) & 15;
      }
      offset += 2 + length;
      break;
    } else if (marker < 0xe0 && marker !== 0xfe) {
      throw new Error(`unsupported marker ${marker.toString(16)}`);
    }
    offset += 2 + length;
  }
  let bitBuffer = 0;
  let bitCount = 0;
  const bit = () => {
    if (bitCount === 0) {
      const byte = bytes[offset++] as number;
      if (byte === 0xff && bytes[offset++] !== 0) throw new Error('marker inside the scan');
      bitBuffer = byte;
      bitCount = 8;
    }
    return (bitBuffer >> --bitCount) & 1;
  };
  const receive = (size: number) => {
    let value = 0;
    for (let i = 0; i < size; i++) value = (value << 1) | bit();
    return value < 1 << (size - 1) ? value - (1 << size) + 1 : value;
  };
  const symbol = (table: Table) => {
    let code = 0;
    for (let length = 1; length <= 16; length++) {
      code = (code << 1) | bit();
      const found = table.get(`${length}:${code}`);
      if (found !== undefined) return found;
    }
    throw new Error('bad Huffman code');
  };
  const stride = Math.ceil(width / 8) * 8;
  for (let by = 0; by < height; by += 8)
    for (let bx = 0; bx < width; bx += 8)
      for (const component of components) {
        const coefficients = new Float64Array(64);
        const q = quant[component.quant] as number[];
        const size = symbol(tables.get(component.dc) as Table);
        component.previous += size === 0 ? 0 : receive(size);
        coefficients[0] = component.previous * (q[0] as number);
        for (let k = 1; k < 64;) {
          const rs = symbol(tables.get(0x10 | component.ac) as Table);
          if (rs === 0) break;
          k += rs >> 4;
          const index = ZIGZAG[k] as number;
          coefficients[index] = receive(rs & 15) * (q[index] as number);
          k++;
        }
        const block = idct(coefficients);
        for (let i = 0; i < 64; i++)
          component.plane[(by + (i >> 3)) * stride + bx + (i & 7)] = (block[i] as number) + 128;
      }
  const pixels = new Uint8Array(width * height * 3);
  const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const at = y * stride + x;
      const [Y, Cb, Cr] = components.map((c) => c.plane[at] as number) as [number, number, number];
      pixels.set(
        [
          clamp(Y + 1.402 * (Cr - 128)),
          clamp(Y - 0.344136 * (Cb - 128) - 0.714136 * (Cr - 128)),
          clamp(Y + 1.772 * (Cb - 128)),
        ],
        (y * width + x) * 3,
      );
    }
  return { width, height, pixels };
}
