/**
 * Upload sessions: state in memory, bytes in a part file on disk (`<data>/sessions/<id>`). A session
 * lives `lifetimeMs` from its start (Dropbox: 7 days), then reads as `not_found`. Requests on one
 * session run one after another.
 * - sequential sessions take data at exactly the offset received so far;
 * - concurrent sessions take 4 MiB-aligned pieces at any offset, in any order; the piece sent with
 *   `close` fixes the total size;
 * - a session that was committed by upload_session/finish refuses further data (`closed`).
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { DropboxContentHash } from '../../main/core/providers/hashes/dropbox-content-hash';
import type { Clock } from '../shared/clock';

export const CONCURRENT_ALIGNMENT = 4 * 1024 * 1024;
/** The largest file a session can hold: 2^41 - 2^22 bytes. */
export const MAX_SESSION_BYTES = 2 ** 41 - 2 ** 22;

export interface UploadSession {
  readonly id: string;
  readonly email: string;
  readonly type: 'sequential' | 'concurrent';
  readonly file: string;
  readonly expiresAt: number;
  /** Sequential: bytes received. Concurrent: end of the furthest piece. */
  received: number;
  /** Concurrent: pieces received, offset -> length. */
  readonly pieces: Map<number, number>;
  /** Concurrent: the total size, known once the closing piece arrived. */
  total: number | undefined;
  closed: boolean;
  committed: boolean;
  queue: Promise<unknown>;
}

export class UploadSessions {
  private readonly sessions = new Map<string, UploadSession>();

  constructor(
    private readonly dir: () => string,
    private readonly clock: Clock,
    private readonly lifetimeMs: () => number,
  ) {}

  async create(email: string, type: 'sequential' | 'concurrent'): Promise<UploadSession> {
    await this.prune();
    const id = `pid_upload_session:${randomBytes(36).toString('base64url')}`;
    const session: UploadSession = {
      id,
      email,
      type,
      file: path.join(this.dir(), id.slice('pid_upload_session:'.length)),
      expiresAt: this.clock.now() + this.lifetimeMs(),
      received: 0,
      pieces: new Map(),
      total: undefined,
      closed: false,
      committed: false,
      queue: Promise.resolve(),
    };
    await fs.writeFile(session.file, '');
    this.sessions.set(id, session);
    return session;
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

  /** A live session of `email` (another user's session id reads as unknown). */
  async get(id: string, email: string): Promise<UploadSession | undefined> {
    const session = this.sessions.get(id);
    if (!session || session.email !== email) return undefined;
    if (session.expiresAt <= this.clock.now()) {
      await this.remove(session);
      return undefined;
    }
    return session;
  }

  async remove(session: UploadSession): Promise<void> {
    this.sessions.delete(session.id);
    await fs.rm(session.file, { force: true });
  }

  /** Runs `task` after every earlier request on the same session. */
  serialize<T>(session: UploadSession, task: () => Promise<T>): Promise<T> {
    const run = session.queue.then(task, task);
    session.queue = run.catch(() => undefined);
    return run;
  }

  /** Forgets every session (their files go with the data directory's reset). */
  clear(): void {
    this.sessions.clear();
  }

  private async prune(): Promise<void> {
    const now = this.clock.now();
    for (const session of [...this.sessions.values()])
      if (session.expiresAt <= now) await this.remove(session);
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
  const handle = await fs.open(session.file, 'r+');
  const hasher = new DropboxContentHash();
  let length = 0;
  let tooLarge = false;
  let complete = true;
  try {
    for await (const chunk of body) {
      const data = chunk as Buffer;
      if (tooLarge || length + data.length > maxBytes) {
        tooLarge = true;
        continue;
      }
      await handle.write(data, 0, data.length, offset + length);
      hasher.update(data);
      length += data.length;
    }
  } catch {
    complete = false;
  } finally {
    await handle.close();
  }
  if (tooLarge) length = 0;
  return { length, contentHash: hasher.digest(), complete, tooLarge };
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
