/**
 * Upload sessions (the store: shared/upload-sessions.ts), bytes in a part file on disk
 * (`<data>/sessions/<id>`). The `uploadUrl` is `{origin}/rup/{cid}/{id}`; the id (64 random bytes,
 * base64url) is the only credential. A session lives the emulator's upload-session lifetime (default
 * 7 days (?)) and every fragment it takes starts that lifetime again ("Each fragment uploaded during
 * the session extends the expiration time", uploadSession docs); then it reads as unknown (404).
 */
import { randomBytes } from 'node:crypto';
import { SessionStore, type StoredSession } from '../shared/upload-sessions';
import type { ConflictBehavior } from './names';

/** Fragments other than the last must be multiples of 320 KiB. */
export const FRAGMENT_MULTIPLE = 320 * 1024;
/** "the maximum bytes in any given request is less than 60 MiB"; the official JS client sends 60 MiB exactly. */
export const MAX_FRAGMENT_BYTES = 60 * 1024 * 1024;

export interface UploadSession extends StoredSession {
  readonly driveId: string;
  /** The folder the file goes to (by id, so a moved parent still receives it). */
  readonly parentId: string;
  readonly name: string;
  /** Set when the session was created on an existing file (`items/{id}/createUploadSession`). */
  readonly fileId?: string;
  readonly conflict: ConflictBehavior;
  /** `deferCommit`: the last fragment does not commit; an explicit PUT with `@microsoft.graph.sourceUrl` does. */
  readonly deferCommit: boolean;
  /** The file's size: `item.fileSize`, or the total of the first fragment. */
  total: number | undefined;
  /** Bytes received (fragments come in order). */
  received: number;
  readonly fsCreated?: number;
  readonly fsModified?: number;
  readonly description?: string;
}

export type NewSession = Omit<UploadSession, 'id' | 'file' | 'expiresAt' | 'queue' | 'received'>;

export class UploadSessions extends SessionStore<UploadSession> {
  create(state: NewSession): Promise<UploadSession> {
    const id = randomBytes(64).toString('base64url');
    return this.open(id, id, { ...state, received: 0 });
  }
}
