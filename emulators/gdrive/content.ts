/**
 * File content: uploaded bytes live on disk as immutable, reference-counted blobs (shared by copies);
 * seed content lives in memory (small) or is generated from a key (synthetic, any size, no storage);
 * Google-native documents hold text and are only exported. Checksums are computed while bytes stream in.
 */
import { createHash, randomUUID, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pngSize } from '../shared/png';
import {
  SyntheticChecksums,
  syntheticDigests,
  syntheticStream,
  type ChecksumCodec,
  type Digests,
} from '../shared/synthetic';

export type { Digests };

export interface Blob {
  readonly path: string;
  readonly size: number;
  readonly digests: Digests;
  /** Pixel size when the bytes are a PNG. */
  readonly image: { width: number; height: number } | undefined;
  refs: number;
}

export type Content =
  | { kind: 'blob'; blob: Blob }
  | { kind: 'bytes'; data: Buffer; digests: Digests }
  | { kind: 'synthetic'; key: number; size: number }
  | { kind: 'native'; text: string };

export function contentSize(content: Content): number {
  switch (content.kind) {
    case 'blob':
      return content.blob.size;
    case 'bytes':
      return content.data.length;
    case 'synthetic':
      return content.size;
    case 'native':
      return Buffer.byteLength(content.text);
  }
}

/** Bytes [start, end) of binary content as a stream. */
export function openContent(content: Content, start: number, end: number): Readable {
  switch (content.kind) {
    case 'blob':
      return end > start ? createReadStream(content.blob.path, { start, end: end - 1 }) : Readable.from([]);
    case 'bytes':
      return Readable.from([content.data.subarray(start, end)]);
    case 'synthetic':
      return syntheticStream(content.key, start, end);
    case 'native':
      return Readable.from([Buffer.from(content.text).subarray(start, end)]);
  }
}

export function digestBuffer(data: Buffer): Digests {
  return {
    md5: createHash('md5').update(data).digest('hex'),
    sha1: createHash('sha1').update(data).digest('hex'),
    sha256: createHash('sha256').update(data).digest('hex'),
  };
}

const DIGESTS: ChecksumCodec<Digests> = {
  recordBytes: 68,
  compute: syntheticDigests,
  pack: (digests) => Buffer.from(digests.md5 + digests.sha1 + digests.sha256, 'hex'),
  unpack: (record) => ({
    md5: record.toString('hex', 0, 16),
    sha1: record.toString('hex', 16, 36),
    sha256: record.toString('hex', 36, 68),
  }),
};

/** Checksums of generated content, computed on first use and kept in 68 bytes per item. */
export class SyntheticDigests extends SyntheticChecksums<Digests> {
  constructor(capacity: number) {
    super(capacity, DIGESTS);
  }
}

/** Passes bytes through while counting them and feeding MD5, SHA-1 and SHA-256. */
class Digesting extends Transform {
  size = 0;
  head = Buffer.alloc(0);
  private readonly hashes: [Hash, Hash, Hash] = [createHash('md5'), createHash('sha1'), createHash('sha256')];

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.size += chunk.length;
    if (this.head.length < 24) this.head = Buffer.concat([this.head, chunk.subarray(0, 24)]);
    for (const hash of this.hashes) hash.update(chunk);
    this.push(chunk);
    callback();
  }

  digests(): Digests {
    const [md5, sha1, sha256] = this.hashes;
    return { md5: md5.digest('hex'), sha1: sha1.digest('hex'), sha256: sha256.digest('hex') };
  }
}

/** Thrown by BlobStore.fromStream when the content exceeds the allowed size. */
export class ContentTooLargeError extends Error {}

/** Immutable blobs under `<dir>/blobs`, temporary files under `<dir>/tmp`, upload parts under `<dir>/uploads`. */
export class BlobStore {
  constructor(readonly dir: string) {}

  get uploadsDir(): string {
    return path.join(this.dir, 'uploads');
  }

  async init(): Promise<void> {
    for (const sub of ['blobs', 'tmp', 'uploads'])
      await fs.mkdir(path.join(this.dir, sub), { recursive: true });
  }

  /** Deletes every blob and upload part. */
  async clear(): Promise<void> {
    for (const sub of ['blobs', 'tmp', 'uploads'])
      await fs.rm(path.join(this.dir, sub), { recursive: true, force: true });
    await this.init();
  }

  /**
   * Streams a body to a new blob (refs 0), hashing on the way. Fails with ContentTooLargeError past
   * `maxBytes`; a failed or aborted stream leaves nothing behind.
   */
  async fromStream(source: Readable, maxBytes = Number.MAX_SAFE_INTEGER): Promise<Blob> {
    const temp = path.join(this.dir, 'tmp', randomUUID());
    const digesting = new Digesting();
    const limit = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        if (digesting.size + chunk.length > maxBytes) callback(new ContentTooLargeError());
        else callback(null, chunk);
      },
    });
    try {
      await pipeline(source, limit, digesting, createWriteStream(temp));
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
    return this.adopt(temp, digesting);
  }

  /** Turns a finished file (an upload part) into a blob, hashing it; the file is moved, not copied. */
  async fromFile(file: string): Promise<Blob> {
    const digesting = new Digesting();
    await pipeline(createReadStream(file), digesting, new NullSink());
    return this.adopt(file, digesting);
  }

  private async adopt(file: string, digesting: Digesting): Promise<Blob> {
    const target = path.join(this.dir, 'blobs', randomUUID());
    await fs.rename(file, target);
    return {
      path: target,
      size: digesting.size,
      digests: digesting.digests(),
      image: pngSize(digesting.head),
      refs: 0,
    };
  }

  ref(blob: Blob): void {
    blob.refs++;
  }

  /** Deletes a blob no file ever referenced (an upload whose create or update failed). */
  discard(blob: Blob): void {
    if (blob.refs <= 0) void fs.rm(blob.path, { force: true });
  }

  /** Drops a reference; the file goes when nothing uses it. */
  release(blob: Blob): void {
    blob.refs--;
    if (blob.refs <= 0) void fs.rm(blob.path, { force: true });
  }
}

class NullSink extends Writable {
  override _write(_chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    callback();
  }
}
