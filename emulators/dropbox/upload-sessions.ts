/**
 * Upload sessions (the store: shared/upload-sessions.ts), bytes in a part file on disk
 * (`<data>/sessions/<id>`). A session lives `lifetimeMs` from its start (Dropbox: 7 days), then reads
 * as `not_found`.
 * - sequential sessions take data at exactly the offset received so far;
 * - concurrent sessions take 4 MiB-aligned pieces at any offset, in any order; the piece sent with
 *   `close` fixes the total size;
 * - a session that was committed by upload_session/finish refuses further data (`closed`).
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { SessionStore, type StoredSession } from '../shared/upload-sessions';
import { writeHashed } from './content';

export const CONCURRENT_ALIGNMENT = 4 * 1024 * 1024;
/** The largest file a session can hold: 2^41 - 2^22 bytes. */
export const MAX_SESSION_BYTES = 2 ** 41 - 2 ** 22;

export interface UploadSession extends StoredSession {
  readonly type: 'sequential' | 'concurrent';
  /** Sequential: bytes received. Concurrent: end of the furthest piece. */
  received: number;
  /** Concurrent: pieces received, offset -> length. */
  readonly pieces: Map<number, number>;
  /** Concurrent: the total size, known once the closing piece arrived. */
  total: number | undefined;
  closed: boolean;
  committed: boolean;
}

const ID_PREFIX = 'pid_upload_session:';

/** Dropbox's sessions: `get` takes the caller's email, another user's session id reads as unknown. */
export class UploadSessions extends SessionStore<UploadSession> {
  create(email: string, type: 'sequential' | 'concurrent'): Promise<UploadSession> {
    const id = `${ID_PREFIX}${randomBytes(36).toString('base64url')}`;
    return this.open(id, id.slice(ID_PREFIX.length), {
      email,
      type,
      received: 0,
      pieces: new Map(),
      total: undefined,
      closed: false,
      committed: false,
    });
  }

  /**
   * A session holding an existing file's bytes (an upload whose commit failed: its UploadWriteFailed
   * names this session so the client can retry with upload_session/finish). The file is moved in.
   */
  async adopt(file: string, size: number, email: string): Promise<UploadSession> {
    const session = await this.create(email, 'sequential');
    await fs.rename(file, session.file);
    session.received = size;
    return session;
  }
}

export interface Written {
  /** Bytes of this request written. */
  length: number;
  contentHash: string;
  /** False when the connection broke before the body ended. */
  complete: boolean;
  /** The body was larger than allowed: nothing was kept, the rest was read and discarded. */
  tooLarge: boolean;
}

/**
 * Writes a request body into the part file at `offset`, hashing it (content_hash of this call).
 * Past `maxBytes` the write is undone and the rest of the body discarded.
 */
export async function writeBody(
  session: UploadSession,
  body: Readable,
  offset: number,
  maxBytes: number,
): Promise<Written> {
  const { size, contentHash, complete, tooLarge } = await writeHashed(
    session.file,
    'r+',
    body,
    offset,
    maxBytes,
  );
  return { length: tooLarge ? 0 : size, contentHash, complete, tooLarge };
}

/** Cuts the part file back to `size` bytes (undoing a refused write). */
export async function truncatePart(session: UploadSession, size: number): Promise<void> {
  await fs.truncate(session.file, size);
}

/** Whether the pieces of a concurrent session cover [0, total) without gaps. */
export function piecesComplete(session: UploadSession): boolean {
  if (session.total === undefined) return false;
  let covered = 0;
  for (const [offset, length] of [...session.pieces].sort(([a], [b]) => a - b)) {
    if (offset > covered) return false;
    covered = Math.max(covered, offset + length);
  }
  return covered >= session.total;
}
