/**
 * Generated content of synthetic seed items (shared/seeds.ts `syntheticItems`): bytes derived from the
 * item number (`key`), random access, no storage; and their checksums, computed on first use by
 * streaming the bytes and memoised compactly (`SyntheticChecksums`), so a million-item seed needs
 * neither disk nor much memory. Each emulator picks the checksums its service reports.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

const BLOCK = 4096;

/** murmur3's finaliser over (key, block): a well-mixed non-zero xorshift seed per 4 KiB block. */
function blockSeed(key: number, block: number): number {
  let h = (Math.imul(key | 0, 0x9e3779b1) ^ Math.imul(block + 1, 0x85ebca6b)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h | 1) >>> 0;
}

/** Fills `out` with the bytes of generated content `key` starting at `offset`; random access. */
export function syntheticBytes(key: number, offset: number, out: Buffer): void {
  let written = 0;
  while (written < out.length) {
    const position = offset + written;
    const block = Math.floor(position / BLOCK);
    let state = blockSeed(key, block);
    const start = position - block * BLOCK;
    const count = Math.min(BLOCK - start, out.length - written);
    for (let i = 0; i < start + count; i++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      if (i >= start) out[written + i - start] = state & 0xff;
    }
    written += count;
  }
}

/** A stream of generated content `key`, bytes [start, end) . */
export function syntheticStream(key: number, start: number, end: number): Readable {
  let position = start;
  return new Readable({
    read() {
      if (position >= end) {
        this.push(null);
        return;
      }
      const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, end - position));
      syntheticBytes(key, position, chunk);
      position += chunk.length;
      this.push(chunk);
    },
  });
}

const scratch = Buffer.allocUnsafe(64 * 1024);

/** Feeds the `size` bytes of generated content `key` to `update`, in pieces (each reused after the call). */
export function feedSynthetic(key: number, size: number, update: (piece: Buffer) => void): void {
  for (let offset = 0; offset < size; offset += scratch.length) {
    const piece = scratch.subarray(0, Math.min(scratch.length, size - offset));
    syntheticBytes(key, offset, piece);
    update(piece);
  }
}

export interface Digests {
  md5: string;
  sha1: string;
  sha256: string;
}

/** MD5, SHA-1 and SHA-256 (hex) of generated content, computed by streaming it. */
export function syntheticDigests(key: number, size: number): Digests {
  const md5 = createHash('md5');
  const sha1 = createHash('sha1');
  const sha256 = createHash('sha256');
  feedSynthetic(key, size, (piece) => {
    md5.update(piece);
    sha1.update(piece);
    sha256.update(piece);
  });
  return { md5: md5.digest('hex'), sha1: sha1.digest('hex'), sha256: sha256.digest('hex') };
}

/** How one kind of checksum is computed and packed into a fixed-size record. */
export interface ChecksumCodec<T> {
  /** Bytes of one packed record. */
  readonly recordBytes: number;
  compute(key: number, size: number): T;
  pack(value: T): Buffer;
  unpack(record: Buffer): T;
}

/**
 * Checksums of generated content, computed on first use and kept compactly: one packed record per
 * item in a single table for keys below `capacity` (the seed's item count), a small map for others.
 */
export class SyntheticChecksums<T> {
  private readonly table: Uint8Array;
  private readonly known: Uint8Array;
  private readonly others = new Map<number, T>();

  constructor(
    private readonly capacity: number,
    private readonly codec: ChecksumCodec<T>,
  ) {
    this.table = new Uint8Array(capacity * codec.recordBytes);
    this.known = new Uint8Array(capacity);
  }

  get(key: number, size: number): T {
    const { recordBytes } = this.codec;
    if (Number.isInteger(key) && key >= 0 && key < this.capacity) {
      const at = key * recordBytes;
      if (!this.known[key]) {
        const value = this.codec.compute(key, size);
        this.table.set(this.codec.pack(value), at);
        this.known[key] = 1;
        return value;
      }
      return this.codec.unpack(Buffer.from(this.table.buffer, this.table.byteOffset + at, recordBytes));
    }
    let value = this.others.get(key);
    if (value === undefined) {
      value = this.codec.compute(key, size);
      this.others.set(key, value);
    }
    return value;
  }
}
