/**
 * Resumable upload sessions: state in memory, received bytes appended to a part file on disk.
 * A session lives `lifetimeMs` from its creation (Drive: one week), then answers 404. Requests on one
 * session run one after another. Bytes of an interrupted or unaligned intermediate chunk are kept only
 * up to the last multiple of 256 KiB (the session's persisted size is always such a multiple until
 * the final chunk), so the status query tells the client exactly where to resume.
 */
import { createWriteStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import type { Clock } from '../shared/clock';
import { newUploadId } from './ids';
import type { FileInput } from './metadata';

export const CHUNK_GRANULARITY = 256 * 1024;

export interface UploadSession {
  readonly id: string;
  readonly email: string;
  /** The file being updated (PATCH /upload/drive/v3/files/ID), or undefined for a create. */
  readonly fileId: string | undefined;
  readonly input: FileInput;
  readonly addParents: string | null;
  readonly removeParents: string | null;
  /** The `fields` of the initiating request: the final answer is masked with it. */
  readonly fields: string | null;
  readonly contentType: string | undefined;
  /** Declared total size, from X-Upload-Content-Length or the first Content-Range with a total. */
  total: number | undefined;
  received: number;
  readonly file: string;
  readonly expiresAt: number;
  /** Set once the upload completed: the id of the created or updated file. */
  resultId: string | undefined;
  queue: Promise<unknown>;
}

export type NewSession = Omit<UploadSession, 'id' | 'received' | 'file' | 'expiresAt' | 'resultId' | 'queue'>;

export class UploadSessions {
  private readonly sessions = new Map<string, UploadSession>();

  constructor(
    private readonly dir: () => string,
    private readonly clock: Clock,
    private readonly lifetimeMs: () => number,
  ) {}

  async create(init: NewSession): Promise<UploadSession> {
    await this.prune();
    const id = newUploadId();
    const session: UploadSession = {
      ...init,
      id,
      received: 0,
      file: path.join(this.dir(), id),
      expiresAt: this.clock.now() + this.lifetimeMs(),
      resultId: undefined,
      queue: Promise.resolve(),
    };
    await fs.writeFile(session.file, '');
    this.sessions.set(id, session);
    return session;
  }

  /** A live session, or undefined (unknown or expired: expired ones are removed). */
  async get(id: string): Promise<UploadSession | undefined> {
    const session = this.sessions.get(id);
    if (!session) return undefined;
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

  /** Forgets every session (their files are removed with the blob store's directory). */
  clear(): void {
    this.sessions.clear();
  }

  private async prune(): Promise<void> {
    const now = this.clock.now();
    for (const session of [...this.sessions.values()])
      if (session.expiresAt <= now) await this.remove(session);
  }
}

/**
 * Appends a chunk's bytes to the session's part file, skipping the first `skip` bytes (already stored).
 * Returns the number of bytes appended and whether the body ended cleanly (false: reset or aborted).
 */
export async function appendChunk(
  session: UploadSession,
  body: Readable,
  skip: number,
): Promise<{ appended: number; complete: boolean }> {
  const out = createWriteStream(session.file, { flags: 'a' });
  let appended = 0;
  let toSkip = skip;
  let complete = true;
  try {
    for await (const chunk of body) {
      let data = chunk as Buffer;
      if (toSkip > 0) {
        const dropped = Math.min(toSkip, data.length);
        toSkip -= dropped;
        data = data.subarray(dropped);
      }
      if (data.length === 0) continue;
      appended += data.length;
      if (!out.write(data)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
  } catch {
    complete = false;
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  return { appended, complete };
}

/** Truncates the part file to `size` bytes. */
export async function truncatePart(session: UploadSession, size: number): Promise<void> {
  await fs.truncate(session.file, size);
  session.received = size;
}
