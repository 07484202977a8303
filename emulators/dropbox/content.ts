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
import { ByteTally, writeBodyToFile, type WrittenBody } from '../shared/body-file';
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

/** How many first bytes of a file are kept (to recognise images). */
const HEAD_BYTES = 32;

/** The first bytes of the content (image sniffing). */
export function contentHead(content: Content): Buffer {
  switch (content.kind) {
    case 'blob':
      return content.blob.head;
    case 'bytes':
      return content.data.subarray(0, HEAD_BYTES);
    case 'synthetic': {
      const head = Buffer.alloc(Math.min(HEAD_BYTES, content.size));
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
export interface HashedWrite extends WrittenBody {
  /** content_hash of the bytes written. */
  readonly contentHash: string;
  /** The first bytes written (to recognise images). */
  readonly head: Buffer;
}

/** writeBodyToFile (shared/body-file.ts), hashing the bytes written with content_hash on the way. */
export async function writeHashed(
  file: string,
  mode: 'w' | 'r+',
  source: Readable,
  offset: number,
  maxBytes: number,
): Promise<HashedWrite> {
  const tally = new ByteTally(new DropboxContentHash(), HEAD_BYTES);
  const written = await writeBodyToFile(file, mode, source, offset, maxBytes, tally.add);
  return { ...written, contentHash: tally.hash.digest(), head: tally.head };
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
    const { size, head, hash } = await new ByteTally(new DropboxContentHash(), HEAD_BYTES).addFile(file);
    const target = path.join(this.dir, 'blobs', randomUUID());
    await fs.rename(file, target);
    return { path: target, size, contentHash: hash.digest(), head };
  }

  async discard(staged: Staged): Promise<void> {
    await fs.rm(staged.path, { force: true });
  }
}
