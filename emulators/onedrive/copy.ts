/**
 * Copy jobs behind `POST {item}/copy` (202 + `Location: {origin}/monitor/{job}`) and the monitor URL
 * (no `Authorization` needed: "the URL is short-lived and unique to the original caller").
 *
 * Deterministic progress: the first poll of the monitor answers 202 `inProgress` (50%); the copy
 * happens at the second poll, or at the owner's first Graph request once COPY_MS have passed on the
 * emulator's clock, whichever comes first (a client that never polls still gets its copy). Then the
 * monitor answers 200 `{operation: "ItemCopy", percentageComplete: 100, resourceId, status:
 * "completed"}` (Personal answers 202 first and 200 after, onedrive-api-docs#852; the docs also show
 * a 303 to the item (?)). A copy that cannot happen when it runs (the source or target folder gone,
 * the name taken meanwhile, the drive full) answers `status: "failed"` with `errorCode` (rclone reads
 * it) and `error {code, message}` (?). The copy snapshots the source as it is when it runs.
 */
import { randomBytes } from 'node:crypto';
import type { Content } from './content';
import type { OnedriveStore } from './store';

/** How long a copy takes on the emulator's clock when nobody polls. */
export const COPY_MS = 2000;

export interface CopyJob {
  readonly id: string;
  readonly driveId: string;
  readonly sourceId: string;
  readonly parentId: string;
  readonly name: string;
  readonly createdAt: number;
  polls: number;
  status: 'inProgress' | 'completed' | 'failed';
  resourceId?: string;
  error?: { code: string; message: string };
}

export class CopyJobs {
  private jobs = new Map<string, CopyJob>();

  constructor(private readonly share: (content: Content) => Content) {}

  create(store: OnedriveStore, sourceId: string, parentId: string, name: string, now: number): CopyJob {
    const job: CopyJob = {
      id: randomBytes(24).toString('base64url'),
      driveId: store.account.driveId,
      sourceId,
      parentId,
      name,
      createdAt: now,
      polls: 0,
      status: 'inProgress',
    };
    this.jobs.set(job.id, job);
    return job;
  }

  get(id: string): CopyJob | undefined {
    return this.jobs.get(id);
  }

  /** A monitor poll: counts it, runs the copy when due. */
  poll(job: CopyJob, store: OnedriveStore, now: number): void {
    job.polls++;
    if (job.status === 'inProgress' && (job.polls >= 2 || now >= job.createdAt + COPY_MS))
      this.run(job, store);
  }

  /** Runs the store's jobs whose time has come (before any Graph request of its owner). */
  settle(store: OnedriveStore, now: number): void {
    for (const job of this.jobs.values())
      if (
        job.status === 'inProgress' &&
        job.driveId === store.account.driveId &&
        now >= job.createdAt + COPY_MS
      )
        this.run(job, store);
  }

  clear(): void {
    this.jobs = new Map();
  }

  private run(job: CopyJob, store: OnedriveStore): void {
    const fail = (code: string, message: string) => {
      job.status = 'failed';
      job.error = { code, message };
    };
    const source = store.get(job.sourceId);
    const parent = store.get(job.parentId);
    if (!source || !parent || parent.kind !== 'folder')
      return fail('itemNotFound', 'The resource could not be found.');
    if (store.contains(source, parent))
      return fail('invalidRequest', 'Cannot copy a folder into itself or one of its descendants.');
    if (store.child(parent, job.name)) return fail('nameAlreadyExists', 'Name already exists');
    if (store.size(source) > store.remainingBytes())
      return fail('quotaLimitReached', 'Insufficient Space Available');
    const copy = store.copy(source, parent, job.name, this.share);
    job.status = 'completed';
    job.resourceId = copy.id;
  }
}
