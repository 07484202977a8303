/**
 * The store behind every emulator's upload sessions: session state in memory, the bytes received so
 * far in a part file on disk (`<dir>/<name>`). A session lives `lifetimeMs` from its creation, then
 * reads as unknown (and is removed: its part file too); expired sessions are also swept when a new one
 * starts. Requests on one session run one after another (`serialize`). Each emulator subclasses it
 * with its session's own state and its rules for ids, offsets and completion.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Clock } from './clock';

/** What the store keeps of every session; a service's session type adds its own fields. */
export interface StoredSession {
  readonly id: string;
  /** The user who started the session. */
  readonly email: string;
  /** The part file. */
  readonly file: string;
  readonly expiresAt: number;
  /** The last request queued on the session (see serialize). */
  queue: Promise<unknown>;
}

/** A session's own state: all but what the store sets. */
export type SessionState<S extends StoredSession> = Omit<S, 'id' | 'file' | 'expiresAt' | 'queue'>;

export class SessionStore<S extends StoredSession> {
  private readonly sessions = new Map<string, S>();

  /** `dir` and `lifetimeMs` are read each time a session starts. */
  constructor(
    private readonly dir: () => string,
    private readonly clock: Clock,
    private readonly lifetimeMs: () => number,
  ) {}

  /**
   * Starts session `id` (after sweeping expired ones) with an empty part file `<dir>/<fileName>` and
   * the service's `state`.
   */
  protected async open(id: string, fileName: string, state: SessionState<S>): Promise<S> {
    await this.prune();
    const session = {
      ...state,
      id,
      file: path.join(this.dir(), fileName),
      expiresAt: this.clock.now() + this.lifetimeMs(),
      queue: Promise.resolve(),
    } as S;
    await fs.writeFile(session.file, '');
    this.sessions.set(id, session);
    return session;
  }

  /**
   * A live session, or undefined: unknown, expired (then removed), or, when `email` is given, another
   * user's (left as it is).
   */
  async get(id: string, email?: string): Promise<S | undefined> {
    const session = this.sessions.get(id);
    if (!session || (email !== undefined && session.email !== email)) return undefined;
    if (session.expiresAt <= this.clock.now()) {
      await this.remove(session);
      return undefined;
    }
    return session;
  }

  /** Starts a session's lifetime again from now (services whose sessions live on while they are used). */
  renew(session: S): void {
    (session as { expiresAt: number }).expiresAt = this.clock.now() + this.lifetimeMs();
  }

  /** Forgets a session and deletes its part file. */
  async remove(session: S): Promise<void> {
    this.sessions.delete(session.id);
    await fs.rm(session.file, { force: true });
  }

  /** Runs `task` after every earlier request on the same session (even failed ones). */
  serialize<T>(session: S, task: () => Promise<T>): Promise<T> {
    const run = session.queue.then(task, task);
    session.queue = run.catch(() => undefined);
    return run;
  }

  /** Forgets every session (their part files go with the data directory's reset). */
  clear(): void {
    this.sessions.clear();
  }

  private async prune(): Promise<void> {
    const now = this.clock.now();
    for (const session of [...this.sessions.values()])
      if (session.expiresAt <= now) await this.remove(session);
  }
}
