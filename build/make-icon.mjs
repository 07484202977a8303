#!/usr/bin/env node
/**
 * Draws build/icon.png (512x512 RGBA): a rounded blue square with a white cloud, anti-aliased with
 * signed distance fields, and writes it as a PNG using only node:zlib. electron-builder derives the
 * platform icons (.icns, .ico, Linux sizes) from it. Deterministic: same bytes on every run.
 *
 *   node build/make-icon.mjs [output.png]
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const size = 512;
const output = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), 'icon.png');

// --- shapes (signed distance: negative inside, positive outside, in pixels) -----------------------

function roundedRect(x, y, left, top, right, bottom, radius) {
  const cx = (left + right) / 2;
  const cy = (top + bottom) / 2;
  const qx = Math.abs(x - cx) - ((right - left) / 2 - radius);
  const qy = Math.abs(y - cy) - ((bottom - top) / 2 - radius);
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
  return outside + Math.min(Math.max(qx, qy), 0) - radius;
}

function circle(x, y, cx, cy, r) {
  return Math.hypot(x - cx, y - cy) - r;
}

/** The cloud: a flat-bottomed body and three puffs. */
function cloud(x, y) {
  return Math.min(
    roundedRect(x, y, 128, 244, 384, 352, 54),
    circle(x, y, 186, 276, 58),
    circle(x, y, 264, 226, 86),
    circle(x, y, 328, 292, 56),
  );
}

const coverage = (distance) => Math.min(1, Math.max(0, 0.5 - distance));

// Top and bottom colours of the background gradient.
const top = [59, 130, 246];
const bottom = [29, 78, 216];

function pixel(x, y) {
  const px = x + 0.5;
  const py = y + 0.5;
  const square = coverage(roundedRect(px, py, 32, 32, 480, 480, 104));
  if (square === 0) return [0, 0, 0, 0];
  const t = (py - 32) / 448;
  let rgb = top.map((channel, i) => channel + (bottom[i] - channel) * t);
  // A soft shadow under the cloud, then the cloud itself.
  const shadow = coverage(cloud(px, py - 10) / 6) * 0.18;
  rgb = rgb.map((channel) => channel * (1 - shadow));
  const white = coverage(cloud(px, py));
  rgb = rgb.map((channel) => channel + (255 - channel) * white);
  return [...rgb.map((channel) => Math.round(channel)), Math.round(square * 255)];
}

// --- PNG encoding --------------------------------------------------------------------------------

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function paeth(a, b, c) {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Filters each scanline with whichever of the five PNG filters gives the smallest sum (the usual heuristic). */
function filterRows(raw, width, height, bpp) {
  const stride = width * bpp;
  const out = Buffer.alloc((stride + 1) * height);
  const candidate = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const row = raw.subarray(y * stride, (y + 1) * stride);
    const previous = y > 0 ? raw.subarray((y - 1) * stride, y * stride) : Buffer.alloc(stride);
    let best = null;
    let bestScore = Infinity;
    let bestType = 0;
    for (let type = 0; type < 5; type++) {
      let score = 0;
      for (let i = 0; i < stride; i++) {
        const a = i >= bpp ? row[i - bpp] : 0;
        const b = previous[i];
        const c = i >= bpp ? previous[i - bpp] : 0;
        const predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][type];
        const value = (row[i] - predictor) & 0xff;
        candidate[i] = value;
        score += value < 128 ? value : 256 - value;
      }
      if (score < bestScore) {
        bestScore = score;
        bestType = type;
        best = Buffer.from(candidate);
      }
    }
    out[y * (stride + 1)] = bestType;
    best.copy(out, y * (stride + 1) + 1);
  }
  return out;
}

function encodePng(width, height, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  header[10] = 0; // deflate
  header[11] = 0; // adaptive filtering
  header[12] = 0; // no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(filterRows(rgba, width, height, 4), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const rgba = Buffer.alloc(size * size * 4);
for (let y = 0; y < size; y++) {
  for (let x = 0; x < size; x++) rgba.set(pixel(x, y), (y * size + x) * 4);
}
const png = encodePng(size, size, rgba);
writeFileSync(output, png);
console.log(`wrote ${output} (${size}x${size}, ${png.length} bytes)`);
