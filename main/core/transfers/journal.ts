/**
 * The transfer journal: every batch and job, in state.db (WAL, `synchronous=FULL`), written so that
 * a process killed at any instant resumes every job where it stopped (docs/design/transfers.md §1).
 *
 * Contract:
 * - A write that authorizes a side effect (a job entering `copying`, `verified` before a source is
 *   trashed) must be durable before the side effect starts: `updateJob` and `commitNow` commit at
 *   once, synchronously (better-sqlite3: no transaction ever spans an await).
 * - Outcomes that need not be durable one by one use `commit`: the work of one macrotask is written
 *   in ONE transaction (group commit), and every caller's promise resolves only after that
 *   transaction committed (with FULL, after the fsync), or rejects with its error (nothing of that
 *   group is written then).
 * - `checkpointFor(job)` is the providers' `UploadCheckpoint` for that job: `save` is durable when it
 *   resolves, as the interface requires. Checkpoints are credentials (upload URLs): never logged,
 *   never sent to the UI.
 * - One process runs the queue (`acquireRunner`): a lease with a heartbeat, taken over when its
 *   holder's pid is dead on this host or its heartbeat is older than `staleRunnerMs`.
 */
import { randomBytes } from 'node:crypto';
import type { ErrorDto } from '../../../common/errors';
import type {
  ConflictChoiceDto,
  TransferBatchStateDto,
  TransferJobStateDto,
  TransferOpDto,
} from '../../../common/transfers';
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../index/database';
import type { HashType, UploadCheckpoint } from '../providers/types';

export type TransferOp = TransferOpDto;
export type ConflictChoice = ConflictChoiceDto;
export type BatchState = TransferBatchStateDto;
export type JobKind = 'file' | 'folder';
export type JobMethod = 'stream' | 'server-copy' | 'server-move';
/** See docs/design/transfers.md §1.2 for the transitions. */
export type JobState = TransferJobStateDto;
export type PauseReason = 'user' | 'needs_reconnect' | 'quota';

/** States a job never leaves. */
export const terminalJobStates: ReadonlySet<JobState> = new Set(['done', 'skipped', 'failed', 'cancelled']);

/** A heartbeat older than this frees the runner lease (the holder is hung or on another host). */
export const staleRunnerMs = 20_000;

export interface NewBatch {
  op: TransferOp;
  /** Where the batch came from: 'ui' | 'cli' | 'web-upload' | 'drag-out'. */
  origin: string;
  /** The destination endpoint as JSON: `{"account": id}` or `{"path": "/abs/dir"}`. */
  dest: string;
  destFolderId: string;
  /** null: ask the UI when a conflict appears. */
  conflict: ConflictChoice | null;
}

export interface Batch extends NewBatch {
  id: string;
  state: BatchState;
  /** Names taken at the destination while the batch waits for a decision. */
  conflicts: string[];
  paused: boolean;
  createdAt: number;
  finishedAt: number | null;
  summary: unknown;
}

export interface NewJob {
  /** Index (in the same `addJobs` call) of the folder job that creates this job's destination parent. */
  parentIndex?: number;
  kind: JobKind;
  method: JobMethod;
  /** The source endpoint as JSON, like `NewBatch.dest`. */
  src: string;
  srcId: string;
  srcName: string;
  srcSize: number | null;
  srcModified: number | null;
  /** The source's native hashes (and revision) at plan time: its fingerprint. */
  srcHashes: Record<string, string> | null;
  /** null until the parent folder job created the folder. */
  destParentId: string | null;
  /** The reserved final name. */
  destName: string;
  /** Set when the planner renamed the item: the original name and why. */
  nameNote: { original: string; reason: string } | null;
  conflict: ConflictChoice;
}

export interface Job extends Omit<NewJob, 'parentIndex'> {
  id: number;
  batchId: string;
  parentJob: number | null;
  state: JobState;
  paused: PauseReason | null;
  attempt: number;
  verifyFailures: number;
  notBefore: number | null;
  /** Hashes Skyfold computed from the bytes it sent. */
  computed: Partial<Record<HashType, string>> | null;
  destId: string | null;
  destHashes: Partial<Record<HashType, string>> | null;
  error: ErrorDto | null;
  note: string | null;
  updatedAt: number;
}

/** Which jobs a control applies to: one job, one batch, or all. */
export type JobScope = { jobId: number } | { batchId: string } | Record<string, never>;

export interface BatchStats {
  files: number;
  bytes: number;
  doneBytes: number;
  open: number;
  paused: number;
}

/** The fields of a job that change while it runs. */
export type JobPatch = Partial<
  Pick<
    Job,
    | 'state'
    | 'paused'
    | 'attempt'
    | 'verifyFailures'
    | 'notBefore'
    | 'destParentId'
    | 'destName'
    | 'nameNote'
    | 'computed'
    | 'destId'
    | 'destHashes'
    | 'error'
    | 'note'
  >
>;

const jsonColumns = new Set(['nameNote', 'computed', 'destHashes', 'error', 'srcHashes', 'summary']);
const columnOf: Record<string, string> = {
  state: 'state',
  paused: 'paused',
  attempt: 'attempt',
  verifyFailures: 'verify_failures',
  notBefore: 'not_before',
  destParentId: 'dest_parent_id',
  destName: 'dest_name',
  nameNote: 'name_note',
  computed: 'computed',
  destId: 'dest_id',
  destHashes: 'dest_hashes',
  error: 'error',
  note: 'note',
};

export class TransferJournal {
  private readonly pending: Array<{
    work: () => void;
    resolve: () => void;
    reject: (error: unknown) => void;
  }> = [];
  private flushScheduled = false;

  /** Prepared statements by their text: preparing costs more than running these small ones. */
  private readonly statements = new Map<string, Statement>();

  constructor(
    private readonly db: SqliteDatabase,
    private readonly now: () => number = Date.now,
  ) {}

  private sql(text: string): Statement {
    let statement = this.statements.get(text);
    if (!statement) this.statements.set(text, (statement = this.db.prepare(text)));
    return statement;
  }

  // --- batches and jobs ------------------------------------------------------------------------

  /** Creates a batch in `planning` (a crash before `markReady` makes recovery plan it again). */
  beginBatch(batch: NewBatch): string {
    const id = randomBytes(16).toString('hex');
    this.sql(
      `INSERT INTO transfer_batches (id, op, origin, dest, dest_folder_id, conflict, state, created_at)
         VALUES (?, ?, ?, ?, ?, ?, 'planning', ?)`,
    ).run(id, batch.op, batch.origin, batch.dest, batch.destFolderId, batch.conflict, this.now());
    return id;
  }

  /** Adds jobs (in `queued`) to a batch in one transaction; returns their ids in order. */
  addJobs(batchId: string, jobs: readonly NewJob[]): number[] {
    const insert = this.sql(
      `INSERT INTO transfer_jobs (batch_id, parent_job, kind, method, src, src_id, src_name, src_size,
         src_modified, src_hashes, dest_parent_id, dest_name, name_note, conflict, state, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?)`,
    );
    return this.db.transaction(() => {
      const ids: number[] = [];
      for (const job of jobs) {
        const parent = job.parentIndex === undefined ? null : ids[job.parentIndex];
        if (parent === undefined)
          throw new RangeError(`parentIndex ${job.parentIndex} is not an earlier job`);
        const result = insert.run(
          batchId,
          parent,
          job.kind,
          job.method,
          job.src,
          job.srcId,
          job.srcName,
          job.srcSize,
          job.srcModified,
          toJson(job.srcHashes),
          job.destParentId,
          job.destName,
          toJson(job.nameNote),
          job.conflict,
          this.now(),
        );
        ids.push(Number(result.lastInsertRowid));
      }
      return ids;
    })();
  }

  setBatchState(batchId: string, state: BatchState, summary?: unknown): void {
    const finished = state === 'finished' || state === 'cancelled' ? this.now() : null;
    this.sql(
      `UPDATE transfer_batches SET state = ?, finished_at = coalesce(?, finished_at),
           summary = coalesce(?, summary) WHERE id = ?`,
    ).run(state, finished, summary === undefined ? null : JSON.stringify(summary), batchId);
  }

  setBatchPaused(batchId: string, paused: boolean): void {
    this.sql('UPDATE transfer_batches SET paused = ? WHERE id = ?').run(paused ? 1 : 0, batchId);
  }

  /**
   * Deletes the batches a crash left in `planning` (no side effect happened for them) that began
   * before `before` (epoch ms: a batch another process is planning right now is younger); returns
   * their ids.
   */
  abandonPlanning(before: number): string[] {
    return this.db.transaction(() => {
      const ids = this.sql("SELECT id FROM transfer_batches WHERE state = 'planning' AND created_at < ?")
        .pluck()
        .all(before) as string[];
      for (const id of ids) this.sql('DELETE FROM transfer_batches WHERE id = ?').run(id);
      return ids;
    })();
  }

  batch(id: string): Batch | undefined {
    const row = this.sql('SELECT * FROM transfer_batches WHERE id = ?').get(id) as BatchRow | undefined;
    return row && toBatch(row);
  }

  batches(): Batch[] {
    const rows = this.sql('SELECT * FROM transfer_batches ORDER BY created_at, id').all() as BatchRow[];
    return rows.map(toBatch);
  }

  job(id: number): Job | undefined {
    const row = this.sql('SELECT * FROM transfer_jobs WHERE id = ?').get(id) as JobRow | undefined;
    return row && toJob(row);
  }

  jobs(batchId: string): Job[] {
    const rows = this.sql('SELECT * FROM transfer_jobs WHERE batch_id = ? ORDER BY id').all(
      batchId,
    ) as JobRow[];
    return rows.map(toJob);
  }

  /** Every job not in a terminal state, oldest first. */
  openJobs(): Job[] {
    const rows = this.sql(
      `SELECT * FROM transfer_jobs WHERE state NOT IN ('done', 'skipped', 'failed', 'cancelled')
         ORDER BY batch_id, id`,
    ).all() as JobRow[];
    return rows.map(toJob);
  }

  /**
   * The jobs that can start now, at most `perBatch` of each batch (oldest first), leaving out
   * `running`: open, in a running batch that is not paused, not paused themselves, past their retry
   * pause, with their destination folder created (files and folders to create), and folder moves
   * only once every job inside them ended. One short indexed query per running batch (it reads the
   * batch's open jobs in id order until it has `perBatch`), however many jobs a batch holds.
   */
  startableJobs(now: number, running: readonly number[], perBatch: number): Job[] {
    const batches = this.sql(
      "SELECT id FROM transfer_batches WHERE state = 'ready' AND paused = 0 ORDER BY id",
    )
      .pluck()
      .all() as string[];
    const pick = this.sql(
      `SELECT j.* FROM transfer_jobs j
       WHERE j.batch_id = @batchId AND j.state NOT IN ('done', 'skipped', 'failed', 'cancelled')
         AND j.paused IS NULL AND j.cancel_requested = 0
         AND (j.not_before IS NULL OR j.not_before <= @now)
         AND (j.state NOT IN ('queued', 'copying', 'creating') OR j.dest_parent_id IS NOT NULL)
         AND (j.state <> 'created' OR NOT EXISTS (
           SELECT 1 FROM transfer_jobs c
           WHERE c.parent_job = j.id AND c.state NOT IN ('done', 'skipped', 'failed', 'cancelled')))
         AND j.id NOT IN (SELECT value FROM json_each(@running))
       ORDER BY j.id LIMIT @perBatch`,
    );
    const runningJson = JSON.stringify(running);
    return batches.flatMap((batchId) =>
      (pick.all({ batchId, now, running: runningJson, perBatch }) as JobRow[]).map(toJob),
    );
  }

  /** How many jobs of a batch have not ended. */
  openJobCount(batchId: string): number {
    return this.sql(
      `SELECT count(*) FROM transfer_jobs
       WHERE batch_id = ? AND state NOT IN ('done', 'skipped', 'failed', 'cancelled')`,
    )
      .pluck()
      .get(batchId) as number;
  }

  /** When the next job waiting out a retry pause (in a running batch, not paused) may start; null if none. */
  nextRetryAt(now: number): number | null {
    return this.sql(
      `SELECT min(j.not_before) FROM transfer_jobs j JOIN transfer_batches b ON b.id = j.batch_id
         WHERE j.state NOT IN ('done', 'skipped', 'failed', 'cancelled') AND b.state = 'ready'
           AND b.paused = 0 AND j.paused IS NULL AND j.not_before > ?`,
    )
      .pluck()
      .get(now) as number | null;
  }

  /** Per batch: files and bytes planned, bytes of files done, open and paused jobs. One query. */
  batchStats(): Map<string, BatchStats> {
    const rows = this.sql(
      `SELECT batch_id AS batchId,
           count(*) FILTER (WHERE kind = 'file') AS files,
           coalesce(sum(src_size) FILTER (WHERE kind = 'file'), 0) AS bytes,
           coalesce(sum(src_size) FILTER (WHERE kind = 'file' AND state = 'done'), 0) AS doneBytes,
           count(*) FILTER (WHERE state NOT IN ('done', 'skipped', 'failed', 'cancelled')) AS open,
           count(*) FILTER (WHERE state NOT IN ('done', 'skipped', 'failed', 'cancelled')
             AND paused IS NOT NULL) AS paused
         FROM transfer_jobs GROUP BY batch_id`,
    ).all() as Array<BatchStats & { batchId: string }>;
    return new Map(rows.map(({ batchId, ...stats }) => [batchId, stats]));
  }

  // --- control -----------------------------------------------------------------------------------

  /** The ids of the jobs in `scope` (one job, one batch, or every job) that are open, or failed. */
  jobIdsIn(scope: JobScope, states: 'open' | 'failed'): number[] {
    const where =
      states === 'open' ? "state NOT IN ('done', 'skipped', 'failed', 'cancelled')" : "state = 'failed'";
    const { sql, params } = scopeFilter(scope);
    return this.sql(`SELECT id FROM transfer_jobs WHERE ${where} AND ${sql} ORDER BY id`)
      .pluck()
      .all(...params) as number[];
  }

  /** Pauses open jobs (by the user); their progress stays. Returns the ids paused now. Idempotent. */
  pauseJobs(scope: JobScope): number[] {
    return this.db.transaction(() => {
      const ids = this.jobIdsIn(scope, 'open');
      const pause = this.sql(
        "UPDATE transfer_jobs SET paused = 'user', updated_at = ? WHERE id = ? AND paused IS NULL",
      );
      return ids.filter((id) => pause.run(this.now(), id).changes === 1);
    })();
  }

  /**
   * Resumes open paused jobs (whatever paused them: the user, a lost sign-in, a full destination)
   * and lets jobs waiting out a retry pause start now. Returns how many jobs changed. Idempotent.
   */
  resumeJobs(scope: JobScope): number {
    const { sql, params } = scopeFilter(scope);
    return this.sql(
      `UPDATE transfer_jobs SET paused = NULL, not_before = NULL, updated_at = ?
         WHERE state NOT IN ('done', 'skipped', 'failed', 'cancelled')
           AND (paused IS NOT NULL OR not_before IS NOT NULL) AND ${sql}`,
    ).run(this.now(), ...params).changes;
  }

  /** Unpauses the open jobs paused `needs_reconnect` that read from or write to `endpoint`; returns how many. */
  resumeReconnected(endpoint: string): number {
    return this.sql(
      `UPDATE transfer_jobs SET paused = NULL, not_before = NULL, updated_at = ?
         WHERE paused = 'needs_reconnect' AND state NOT IN ('done', 'skipped', 'failed', 'cancelled')
           AND (src = ? OR batch_id IN (SELECT id FROM transfer_batches WHERE dest = ?))`,
    ).run(this.now(), endpoint, endpoint).changes;
  }

  /**
   * Starts failed jobs again from the beginning (attempts counted anew), with the failed folders
   * they go into, and reopens their batches.
   * Returns their ids. Idempotent (a job that is not failed is left as it is).
   */
  retryJobs(scope: JobScope): number[] {
    return this.db.transaction(() => {
      // A job inside a folder that failed needs that folder: it is retried too.
      const ids = this.sql(
        `WITH RECURSIVE above(id) AS (
           SELECT value FROM json_each(?)
           UNION SELECT j.parent_job FROM transfer_jobs j JOIN above ON j.id = above.id
           WHERE j.parent_job IS NOT NULL)
         SELECT j.id FROM transfer_jobs j JOIN above USING (id) WHERE j.state = 'failed' ORDER BY j.id`,
      )
        .pluck()
        .all(JSON.stringify(this.jobIdsIn(scope, 'failed'))) as number[];
      const retry = this.sql(
        `UPDATE transfer_jobs SET state = 'queued', attempt = 0, verify_failures = 0, not_before = NULL,
           paused = NULL, error = NULL, note = NULL, dest_id = NULL, dest_hashes = NULL, computed = NULL,
           checkpoint = NULL, updated_at = ? WHERE id = ?`,
      );
      for (const id of ids) retry.run(this.now(), id);
      this.sql(
        `UPDATE transfer_batches SET state = 'ready', finished_at = NULL, summary = NULL
           WHERE state = 'finished' AND id IN (SELECT batch_id FROM transfer_jobs WHERE id IN
             (SELECT value FROM json_each(?)))`,
      ).run(JSON.stringify(ids));
      return ids;
    })();
  }

  /**
   * Asks for the open jobs in `scope` to be cancelled: nothing starts them again, and the process
   * running the queue stops them and carries the cancel out (`cancelRequests`). Returns their ids.
   * Idempotent.
   */
  requestCancel(scope: JobScope): number[] {
    return this.db.transaction(() => {
      // A folder's content goes with it (it could never start without its folder).
      const ids = this.withOpenDescendants(this.jobIdsIn(scope, 'open'));
      const request = this.sql('UPDATE transfer_jobs SET cancel_requested = 1, updated_at = ? WHERE id = ?');
      for (const id of ids) request.run(this.now(), id);
      return ids;
    })();
  }

  /** `ids` and the open jobs below them (in the folders they create), in id order. */
  private withOpenDescendants(ids: readonly number[]): number[] {
    return this.sql(
      `WITH RECURSIVE below(id) AS (
         SELECT value FROM json_each(?)
         UNION SELECT j.id FROM transfer_jobs j JOIN below ON j.parent_job = below.id)
       SELECT j.id FROM transfer_jobs j JOIN below USING (id)
       WHERE j.state NOT IN ('done', 'skipped', 'failed', 'cancelled') ORDER BY j.id`,
    )
      .pluck()
      .all(JSON.stringify(ids)) as number[];
  }

  /** Open jobs whose cancel was asked for. */
  cancelRequests(): Job[] {
    const rows = this.sql(
      `SELECT * FROM transfer_jobs WHERE cancel_requested = 1
           AND state NOT IN ('done', 'skipped', 'failed', 'cancelled') ORDER BY id`,
    ).all() as JobRow[];
    return rows.map(toJob);
  }

  /** Those of `ids` that were paused or asked to cancel since they started (by any process). */
  interruptedAmong(ids: readonly number[]): number[] {
    return this.sql(
      `SELECT id FROM transfer_jobs WHERE id IN (SELECT value FROM json_each(?))
           AND (paused IS NOT NULL OR cancel_requested = 1)`,
    )
      .pluck()
      .all(JSON.stringify(ids)) as number[];
  }

  /** Ends a job as cancelled (its upload checkpoint forgotten). */
  cancelJob(id: number, note: string | null): void {
    this.sql(
      `UPDATE transfer_jobs SET state = 'cancelled', paused = NULL, checkpoint = NULL, note = ?,
           updated_at = ? WHERE id = ?`,
    ).run(note, this.now(), id);
  }

  /** Keeps the names a batch waits on a decision for. */
  setBatchConflicts(batchId: string, conflicts: readonly string[]): void {
    this.sql('UPDATE transfer_batches SET conflicts = ? WHERE id = ?').run(
      JSON.stringify(conflicts),
      batchId,
    );
  }

  /** Deletes a batch and its jobs (only for batches that never ran: planning or needs-decision). */
  deleteBatch(batchId: string): void {
    this.db.transaction(() => {
      this.sql('DELETE FROM transfer_jobs WHERE batch_id = ?').run(batchId);
      this.sql('DELETE FROM transfer_batches WHERE id = ?').run(batchId);
    })();
  }

  // --- writing -----------------------------------------------------------------------------------

  /** Changes a job now, durably (one transaction); use before a side effect it authorizes. */
  updateJob(id: number, patch: JobPatch): void {
    const entries = Object.entries(patch).filter(([, value]) => value !== undefined);
    if (entries.length === 0) return;
    const sets = entries.map(([key]) => `${columnOf[key]!} = ?`);
    const values = entries.map(([key, value]) => (jsonColumns.has(key) ? toJson(value) : value));
    this.sql(`UPDATE transfer_jobs SET ${sets.join(', ')}, updated_at = ? WHERE id = ?`).run(
      ...(values as unknown[]),
      this.now(),
      id,
    );
  }

  /** Runs `work` (journal writes) in one transaction now. */
  commitNow(work: () => void): void {
    this.db.transaction(work)();
  }

  /**
   * Runs `work` with the other work queued in this macrotask, in one transaction; resolves after that
   * transaction committed, rejects (and nothing of the group is written) when any work throws.
   */
  commit(work: () => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ work, resolve, reject });
      if (this.flushScheduled) return;
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const group = this.pending.splice(0);
    try {
      this.db.transaction(() => {
        for (const entry of group) entry.work();
      })();
    } catch (error) {
      for (const entry of group) entry.reject(error);
      return;
    }
    for (const entry of group) entry.resolve();
  }

  /** The upload checkpoint of a job, kept in its row. */
  checkpointFor(jobId: number): UploadCheckpoint {
    return {
      load: async () =>
        (this.sql('SELECT checkpoint FROM transfer_jobs WHERE id = ?').pluck().get(jobId) as
          string | null | undefined) ?? null,
      save: async (state) => {
        this.sql('UPDATE transfer_jobs SET checkpoint = ? WHERE id = ?').run(state, jobId);
      },
      clear: async () => {
        this.sql('UPDATE transfer_jobs SET checkpoint = NULL WHERE id = ?').run(jobId);
      },
    };
  }

  // --- the runner lease --------------------------------------------------------------------------

  /**
   * Takes the lease to run the queue, or returns null when a live process holds it. Free when no
   * one holds it, when its holder is this host's dead pid (`isAlive` false), or when its heartbeat
   * is older than `staleRunnerMs`. Returns the token for `heartbeat` and `releaseRunner`.
   */
  acquireRunner(
    me: { pid: number; host: string },
    isAlive: (pid: number) => boolean = pidAlive,
  ): string | null {
    const token = randomBytes(16).toString('hex');
    return this.db
      .transaction(() => {
        const holder = this.sql('SELECT * FROM transfer_runner WHERE id = 1').get() as RunnerRow | undefined;
        const now = this.now();
        const free =
          !holder?.token ||
          (holder.host === me.host && holder.pid !== null && !isAlive(holder.pid)) ||
          now - (holder.heartbeat_at ?? 0) > staleRunnerMs;
        if (!free) return null;
        this.sql(
          `INSERT INTO transfer_runner (id, pid, host, token, heartbeat_at) VALUES (1, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET pid = excluded.pid, host = excluded.host, token = excluded.token,
             heartbeat_at = excluded.heartbeat_at`,
        ).run(me.pid, me.host, token, now);
        return token;
      })
      .immediate();
  }

  /** Renews the lease; false when it was taken over (the caller must stop running the queue). */
  heartbeat(token: string): boolean {
    return (
      this.sql('UPDATE transfer_runner SET heartbeat_at = ? WHERE id = 1 AND token = ?').run(
        this.now(),
        token,
      ).changes === 1
    );
  }

  releaseRunner(token: string): void {
    this.sql(
      'UPDATE transfer_runner SET pid = NULL, host = NULL, token = NULL, heartbeat_at = NULL WHERE token = ?',
    ).run(token);
  }

  // --- settings ----------------------------------------------------------------------------------

  setting(key: string): string | undefined {
    return this.sql('SELECT value FROM settings WHERE key = ?').pluck().get(key) as string | undefined;
  }

  deleteSetting(key: string): void {
    this.sql('DELETE FROM settings WHERE key = ?').run(key);
  }

  setSetting(key: string, value: string): void {
    this.sql(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ).run(key, value);
  }
}

function scopeFilter(scope: JobScope): { sql: string; params: unknown[] } {
  if ('jobId' in scope) return { sql: 'id = ?', params: [scope.jobId] };
  if ('batchId' in scope) return { sql: 'batch_id = ?', params: [scope.batchId] };
  return { sql: '1', params: [] };
}

/** Whether a process with this pid exists on this host (EPERM: it exists, owned by someone else). */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface BatchRow {
  id: string;
  op: TransferOp;
  origin: string;
  dest: string;
  dest_folder_id: string;
  conflict: ConflictChoice | null;
  state: BatchState;
  paused: number;
  conflicts: string | null;
  created_at: number;
  finished_at: number | null;
  summary: string | null;
}

interface JobRow {
  id: number;
  batch_id: string;
  parent_job: number | null;
  kind: JobKind;
  method: JobMethod;
  src: string;
  src_id: string;
  src_name: string;
  src_size: number | null;
  src_modified: number | null;
  src_hashes: string | null;
  dest_parent_id: string | null;
  dest_name: string;
  name_note: string | null;
  conflict: ConflictChoice;
  state: JobState;
  paused: PauseReason | null;
  attempt: number;
  verify_failures: number;
  not_before: number | null;
  computed: string | null;
  dest_id: string | null;
  dest_hashes: string | null;
  error: string | null;
  note: string | null;
  updated_at: number;
}

interface RunnerRow {
  pid: number | null;
  host: string | null;
  token: string | null;
  heartbeat_at: number | null;
}

function toJson(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

function fromJson<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

function toBatch(row: BatchRow): Batch {
  return {
    id: row.id,
    op: row.op,
    origin: row.origin,
    dest: row.dest,
    destFolderId: row.dest_folder_id,
    conflict: row.conflict,
    state: row.state,
    paused: row.paused === 1,
    conflicts: fromJson<string[]>(row.conflicts) ?? [],
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    summary: fromJson(row.summary),
  };
}

function toJob(row: JobRow): Job {
  return {
    id: row.id,
    batchId: row.batch_id,
    parentJob: row.parent_job,
    kind: row.kind,
    method: row.method,
    src: row.src,
    srcId: row.src_id,
    srcName: row.src_name,
    srcSize: row.src_size,
    srcModified: row.src_modified,
    srcHashes: fromJson(row.src_hashes),
    destParentId: row.dest_parent_id,
    destName: row.dest_name,
    nameNote: fromJson(row.name_note),
    conflict: row.conflict,
    state: row.state,
    paused: row.paused,
    attempt: row.attempt,
    verifyFailures: row.verify_failures,
    notBefore: row.not_before,
    computed: fromJson(row.computed),
    destId: row.dest_id,
    destHashes: fromJson(row.dest_hashes),
    error: fromJson(row.error),
    note: row.note,
    updatedAt: row.updated_at,
  };
}
