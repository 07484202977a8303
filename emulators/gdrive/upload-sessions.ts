/**
 * Resumable upload sessions (the store: shared/upload-sessions.ts): received bytes are appended to
 * the part file. A session lives `lifetimeMs` from its creation (Drive: one week), then answers 404.
 * Bytes of an interrupted or unaligned intermediate chunk are kept only up to the last multiple of
 * 256 KiB (the session's persisted size is always such a multiple until the final chunk), so the
 * status query tells the client exactly where to resume.
 */
import { createWriteStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { SessionStore, type SessionState, type StoredSession } from '../shared/upload-sessions';
import { newUploadId } from './ids';
import type { FileInput } from './metadata';

export const CHUNK_GRANULARITY = 256 * 1024;

export interface UploadSession extends StoredSession {
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
  /** Set once the upload completed: the id of the created or updated file. */
  resultId: string | undefined;
}

export type NewSession = Omit<SessionState<UploadSession>, 'received' | 'resultId'>;

/** Drive's sessions: any caller holding the upload URL may use one (the id is the credential). */
export class UploadSessions extends SessionStore<UploadSession> {
  create(init: NewSession): Promise<UploadSession> {
    const id = newUploadId();
    return this.open(id, id, { ...init, received: 0, resultId: undefined });
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
