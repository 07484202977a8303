/**
 * File content for the Dropbox emulator: uploaded bytes go to immutable files on disk (`<dir>/blobs`),
 * hashed with Dropbox's content_hash while they stream in; seed content lives in memory or is
 * generated from a key (synthetic seeds: any size, no storage, hash computed on first use and kept in
 * a compact table). A blob is removed when no kept revision uses it any more (revisions.ts), and all
 * of them on reset.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { DropboxContentHash } from '../../main/core/providers/hashes/dropbox-content-hash';
import {
  SyntheticChecksums,
  feedSynthetic,
  syntheticBytes,
  syntheticStream,
  type ChecksumCodec,
} from '../shared/synthetic';

/** Bytes on disk with their content_hash and first bytes (to recognise images). */
export interface Blob {
  readonly path: string;
  readonly size: number;
  readonly contentHash: string;
  readonly head: Buffer;
}

export type Content =
  | { kind: 'blob'; blob: Blob }
  | { kind: 'bytes'; data: Buffer; contentHash: string }
  | { kind: 'synthetic'; key: number; size: number };

export function contentHashOf(data: Buffer): string {
  return new DropboxContentHash().update(data).digest();
}

export function bytesContent(data: Buffer): Content {
  return { kind: 'bytes', data, contentHash: contentHashOf(data) };
}

export function contentSize(content: Content): number {
  switch (content.kind) {
    case 'blob':
      return content.blob.size;
    case 'bytes':
      return content.data.length;
    case 'synthetic':
      return content.size;
  }
}

/** Bytes [start, end) as a stream. */
export function openContent(content: Content, start: number, end: number): Readable {
  if (end <= start) return Readable.from([]);
  switch (content.kind) {
    case 'blob':
      return createReadStream(content.blob.path, { start, end: end - 1 });
    case 'bytes':
      return Readable.from([content.data.subarray(start, end)]);
    case 'synthetic':
      return syntheticStream(content.key, start, end);
  }
}

/** The first bytes of the content (image sniffing). */
export function contentHead(content: Content): Buffer {
  switch (content.kind) {
    case 'blob':
      return content.blob.head;
    case 'bytes':
      return content.data.subarray(0, 32);
    case 'synthetic': {
      const head = Buffer.alloc(Math.min(32, content.size));
      syntheticBytes(content.key, 0, head);
      return head;
    }
  }
}

const CONTENT_HASH: ChecksumCodec<string> = {
  recordBytes: 32,
  compute: (key, size) => {
    const hasher = new DropboxContentHash();
    feedSynthetic(key, size, (piece) => hasher.update(piece));
    return hasher.digest();
  },
  pack: (hash) => Buffer.from(hash, 'hex'),
  unpack: (record) => record.toString('hex'),
};

/** content_hash of generated content, computed on first use and kept as 32 raw bytes per item. */
export class SyntheticHashes extends SyntheticChecksums<string> {
  constructor(capacity: number) {
    super(capacity, CONTENT_HASH);
  }
}

/** What writeHashed did with a body. */
export interface HashedWrite {
  /** Bytes written (those before the limit when `tooLarge`). */
  readonly size: number;
  /** content_hash of the bytes written. */
  readonly contentHash: string;
  /** The first bytes written (to recognise images). */
  readonly head: Buffer;
  /** False when the connection broke before the body ended. */
  readonly complete: boolean;
  /** The body was larger than `maxBytes`: the write stopped there, the rest was read and discarded. */
  readonly tooLarge: boolean;
}

/**
 * Writes a request body into `file` from `offset` on (`mode` `w`: a new file; `r+`: one that exists),
 * hashing it with content_hash on the way. Past `maxBytes` it writes nothing more but still reads the
 * body to its end (so the client gets an answer). A body that breaks off is no error: `complete` says
 * whether it ended cleanly.
 */
export async function writeHashed(
  file: string,
  mode: 'w' | 'r+',
  source: Readable,
  offset: number,
  maxBytes: number,
): Promise<HashedWrite> {
  const handle = await fs.open(file, mode);
  const hasher = new DropboxContentHash();
  let size = 0;
  let head = Buffer.alloc(0);
  let tooLarge = false;
  let complete = true;
  try {
    for await (const chunk of source) {
      const data = chunk as Buffer;
      if (tooLarge || size + data.length > maxBytes) {
        tooLarge = true;
        continue;
      }
      await handle.write(data, 0, data.length, offset + size);
      if (head.length < 32) head = Buffer.concat([head, data.subarray(0, 32 - head.length)]);
      hasher.update(data);
      size += data.length;
    }
  } catch {
    complete = false;
  } finally {
    await handle.close();
  }
  return { size, contentHash: hasher.digest(), head, complete, tooLarge };
}

/** Thrown by BlobStore.stage when a body is larger than allowed (the body was still read to its end). */
export class PayloadTooLargeError extends Error {}

/** A body written to a temporary file, hashed, not yet part of any file. */
export interface Staged extends Omit<HashedWrite, 'tooLarge'> {
  readonly path: string;
}

/** Blobs under `<dir>/blobs`, request bodies in flight under `<dir>/tmp`, upload sessions under `<dir>/sessions`. */
export class BlobStore {
  constructor(readonly dir: string) {}

  get sessionsDir(): string {
    return path.join(this.dir, 'sessions');
  }

  /** Removes every blob, temporary file and session part. */
  async clear(): Promise<void> {
    for (const sub of ['blobs', 'tmp', 'sessions']) {
      await fs.rm(path.join(this.dir, sub), { recursive: true, force: true });
      await fs.mkdir(path.join(this.dir, sub), { recursive: true });
    }
  }

  /**
   * Streams a request body to a temporary file, hashing it. Past `maxBytes` the rest is read and
   * discarded and PayloadTooLargeError is thrown (so the client still gets an answer).
   */
  async stage(source: Readable, maxBytes: number): Promise<Staged> {
    const file = path.join(this.dir, 'tmp', randomUUID());
    const written = await writeHashed(file, 'w', source, 0, maxBytes);
    if (written.tooLarge) {
      await fs.rm(file, { force: true });
      throw new PayloadTooLargeError();
    }
    const { size, contentHash, head, complete } = written;
    return { path: file, size, contentHash, head, complete };
  }

  /** Moves a staged body into the blob store. */
  async adopt(staged: Staged): Promise<Blob> {
    const target = path.join(this.dir, 'blobs', randomUUID());
    await fs.rename(staged.path, target);
    return { path: target, size: staged.size, contentHash: staged.contentHash, head: staged.head };
  }

  /** Turns a finished file (a completed upload session) into a blob, hashing it. */
  async fromFile(file: string): Promise<Blob> {
    const hasher = new DropboxContentHash();
    let size = 0;
    let head = Buffer.alloc(0);
    for await (const chunk of createReadStream(file)) {
      const data = chunk as Buffer;
      if (head.length < 32) head = Buffer.concat([head, data.subarray(0, 32 - head.length)]);
      hasher.update(data);
      size += data.length;
    }
    const target = path.join(this.dir, 'blobs', randomUUID());
    await fs.rename(file, target);
    return { path: target, size, contentHash: hasher.digest(), head };
  }

  async discard(staged: Staged): Promise<void> {
    await fs.rm(staged.path, { force: true });
  }
}
