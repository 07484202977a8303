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
import { ByteTally } from '../shared/body-file';
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
    const { size, head, hash } = await new ByteTally(new QuickXorHash(), HEAD_BYTES).addFile(file);
    const target = path.join(this.dir, 'blobs', randomUUID());
    await fs.rename(file, target);
    return { path: target, size, quickXor: hash.digest(), head, refs: 0 };
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
