/**
 * File content for the OneDrive emulator: uploaded bytes go to immutable files on disk
 * (`<data>/blobs`), hashed with QuickXorHash while they stream in; seeded content lives in memory or
 * is generated from a key (synthetic seeds: any size, no storage, hash computed on first use and kept
 * in a compact table, store.ts). A blob is removed when no item uses it any more (items in the recycle
 * bin keep theirs), and all of them on reset. Upload sessions keep their part files in `<data>/sessions`.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { QuickXorHash } from '../../main/core/providers/hashes/quickxor';
import { syntheticBytes, syntheticStream } from '../shared/synthetic';

/** Bytes on disk with their QuickXorHash and first bytes (to recognise images). */
export interface Blob {
  readonly path: string;
  readonly size: number;
  readonly quickXor: string;
  readonly head: Buffer;
  /** Items (live or in the recycle bin) holding this blob. */
  refs: number;
}

export type Content =
  | { kind: 'bytes'; data: () => Buffer; size: number }
  | { kind: 'synthetic'; key: number; size: number }
  | { kind: 'blob'; blob: Blob; size: number };

/** Bytes [start, end) as a stream. */
export function openContent(content: Content, start: number, end: number): Readable {
  if (end <= start) return Readable.from([]);
  switch (content.kind) {
    case 'blob':
      return createReadStream(content.blob.path, { start, end: end - 1 });
    case 'bytes':
      return Readable.from([content.data().subarray(start, end)]);
    case 'synthetic':
      return syntheticStream(content.key, start, end);
  }
}

/** The first bytes of the content (image sniffing). */
export function contentHead(content: Content, length = 64): Buffer {
  switch (content.kind) {
    case 'blob':
      return content.blob.head.subarray(0, length);
    case 'bytes':
      return content.data().subarray(0, length);
    case 'synthetic': {
      const head = Buffer.alloc(Math.min(length, content.size));
      syntheticBytes(content.key, 0, head);
      return head;
    }
  }
}

/** The whole content in memory (thumbnails of small images only). */
export async function readContent(content: Content): Promise<Buffer> {
  if (content.kind === 'bytes') return content.data();
  if (content.kind === 'blob') return fs.readFile(content.blob.path);
  const out = Buffer.alloc(content.size);
  syntheticBytes(content.key, 0, out);
  return out;
}

const HEAD_BYTES = 64;

/** What a body written to disk gave. */
export interface Written {
  /** Bytes written (those before the limit when `tooLarge`). */
  readonly size: number;
  /** False when the connection broke before the body ended. */
  readonly complete: boolean;
  /** More than `maxBytes` came: the write stopped there, the rest was read and discarded. */
  readonly tooLarge: boolean;
}

/**
 * Writes a request body into `file` at `offset` (`mode` `w`: a new file; `r+`: one that exists). Past
 * `maxBytes` nothing more is written but the body is still read to its end (so the client gets an
 * answer). A body that breaks off is no error: `complete` says whether it ended cleanly.
 */
export async function writeBody(
  file: string,
  mode: 'w' | 'r+',
  source: Readable,
  offset: number,
  maxBytes: number,
): Promise<Written> {
  const handle = await fs.open(file, mode);
  let size = 0;
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
      size += data.length;
    }
  } catch {
    complete = false;
  } finally {
    await handle.close();
  }
  return { size, complete, tooLarge };
}

/** Blobs under `<dir>/blobs`, request bodies in flight under `<dir>/tmp`, upload sessions under `<dir>/sessions`. */
export class BlobStore {
  constructor(readonly dir: string) {}

  get sessionsDir(): string {
    return path.join(this.dir, 'sessions');
  }

  /** A fresh temporary file name for a body in flight. */
  tempFile(): string {
    return path.join(this.dir, 'tmp', randomUUID());
  }

  /** Removes every blob, temporary file and session part. */
  async clear(): Promise<void> {
    for (const sub of ['blobs', 'tmp', 'sessions']) {
      await fs.rm(path.join(this.dir, sub), { recursive: true, force: true });
      await fs.mkdir(path.join(this.dir, sub), { recursive: true });
    }
  }

  /** Moves a finished file (a staged body, a completed upload session) into the store, hashing it. */
  async adopt(file: string): Promise<Blob> {
    const hasher = new QuickXorHash();
    let size = 0;
    let head = Buffer.alloc(0);
    for await (const chunk of createReadStream(file)) {
      const data = chunk as Buffer;
      if (head.length < HEAD_BYTES) head = Buffer.concat([head, data.subarray(0, HEAD_BYTES - head.length)]);
      hasher.update(data);
      size += data.length;
    }
    const target = path.join(this.dir, 'blobs', randomUUID());
    await fs.rename(file, target);
    return { path: target, size, quickXor: hasher.digest(), head, refs: 0 };
  }

  /** Drops one reference to a blob; the last one deletes its file. */
  async release(content: Content): Promise<void> {
    if (content.kind !== 'blob') return;
    content.blob.refs--;
    if (content.blob.refs <= 0) await fs.rm(content.blob.path, { force: true });
  }
}

/** A blob as item content (one more reference). */
export function blobContent(blob: Blob): Content {
  blob.refs++;
  return { kind: 'blob', blob, size: blob.size };
}

const MIME_TYPES: Record<string, string> = {
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  html: 'text/html',
  htm: 'text/html',
  xml: 'text/xml',
  json: 'application/json',
  js: 'application/javascript',
  pdf: 'application/pdf',
  zip: 'application/zip',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  bmp: 'image/bmp',
  webp: 'image/webp',
  heic: 'image/heic',
  svg: 'image/svg+xml',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
};

/** The MIME type OneDrive reports for a name: from its extension, not from the upload's Content-Type (?). */
export function mimeTypeOf(name: string): string {
  const dot = name.lastIndexOf('.');
  const extension = dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
  return MIME_TYPES[extension] ?? 'application/octet-stream';
}
