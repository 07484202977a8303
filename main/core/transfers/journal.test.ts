import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../index/database';
import { stateMigrations } from '../index/migrations';
import { TransferJournal, staleRunnerMs, type NewJob } from './journal';

let dir: string;
let file: string;
let db: SqliteDatabase;
let clock: number;
let journal: TransferJournal;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-journal-'));
  file = path.join(dir, 'state.db');
  db = openDatabase(file, { migrations: stateMigrations, synchronous: 'FULL' });
  clock = 1_000_000;
  journal = new TransferJournal(db, () => clock);
});
afterEach(async () => {
  db.close();
  await fs.rm(dir, { recursive: true, force: true });
});

const fileJob = (name: string, more: Partial<NewJob> = {}): NewJob => ({
  kind: 'file',
  method: 'stream',
  src: JSON.stringify({ account: 'src' }),
  srcId: `id-${name}`,
  srcName: name,
  srcSize: 10,
  srcModified: 5,
  srcHashes: { md5: 'abc' },
  destParentId: 'dest-folder',
  destName: name,
  nameNote: null,
  conflict: 'rename',
  ...more,
});

function newBatch(): string {
  return journal.beginBatch({
    op: 'move',
    origin: 'cli',
    dest: JSON.stringify({ account: 'dest' }),
    destFolderId: 'dest-folder',
    conflict: null,
  });
}

describe('TransferJournal', () => {
  it('migrates a state.db from before the journal, keeping its accounts', async () => {
    const old = path.join(dir, 'old.db');
    openDatabase(old, { migrations: stateMigrations.slice(0, 1), synchronous: 'FULL' })
      .prepare(
        `INSERT INTO accounts (id, name, provider, location, root_id, config, created_at)
         VALUES ('a1', 'Home', 'local', '/home', '', '{}', 1)`,
      )
      .run();
    const migrated = openDatabase(old, { migrations: stateMigrations, synchronous: 'FULL' });
    expect(migrated.prepare('SELECT name FROM accounts').pluck().all()).toEqual(['Home']);
    expect(new TransferJournal(migrated).batches()).toEqual([]);
    migrated.close();
  });

  it('keeps batches and jobs with their folder links and JSON fields', () => {
    const batchId = newBatch();
    const [folderId, childId] = journal.addJobs(batchId, [
      fileJob('Photos', { kind: 'folder', srcSize: null }),
      fileJob('a:b.jpg', {
        parentIndex: 0,
        destParentId: null,
        destName: 'a_b.jpg',
        nameNote: { original: 'a:b.jpg', reason: 'OneDrive refuses ":"' },
      }),
    ]);
    journal.setBatchState(batchId, 'ready');
    expect(journal.batch(batchId)).toMatchObject({
      op: 'move',
      state: 'ready',
      conflict: null,
      paused: false,
    });
    expect(journal.job(childId!)).toMatchObject({
      batchId,
      parentJob: folderId,
      state: 'queued',
      destParentId: null,
      nameNote: { original: 'a:b.jpg', reason: 'OneDrive refuses ":"' },
      srcHashes: { md5: 'abc' },
      attempt: 0,
    });
    expect(journal.openJobs().map((job) => job.id)).toEqual([folderId, childId]);
    journal.updateJob(childId!, { state: 'done' });
    expect(journal.openJobs().map((job) => job.id)).toEqual([folderId]);
  });

  it('refuses a parent that is not an earlier job of the call, adding nothing', () => {
    const batchId = newBatch();
    expect(() => journal.addJobs(batchId, [fileJob('a'), fileJob('b', { parentIndex: 5 })])).toThrow(
      RangeError,
    );
    expect(journal.jobs(batchId)).toEqual([]);
  });

  it('forgets batches a crash left in planning, and only those', () => {
    const planned = newBatch();
    const ready = newBatch();
    journal.addJobs(planned, [fileJob('a')]);
    journal.setBatchState(ready, 'ready');
    clock += 60_000;
    const young = newBatch(); // another process is planning it right now
    expect(journal.abandonPlanning(clock - 30_000)).toEqual([planned]);
    expect(journal.batch(young)).toMatchObject({ state: 'planning' });
    expect(journal.batches().map((batch) => batch.id)).toEqual([ready, young]);
    expect(journal.jobs(planned)).toEqual([]);
  });

  it('updateJob is visible to another connection as soon as it returns', () => {
    const [jobId] = journal.addJobs(newBatch(), [fileJob('a')]);
    clock += 5;
    journal.updateJob(jobId!, { state: 'copying', attempt: 1, computed: { sha256: 'f00' } });
    const other = new Database(file, { readonly: true });
    expect(other.prepare('SELECT state, attempt, computed, updated_at FROM transfer_jobs').get()).toEqual({
      state: 'copying',
      attempt: 1,
      computed: '{"sha256":"f00"}',
      updated_at: clock,
    });
    other.close();
  });

  it('group commit: the work of one tick is one transaction, resolved only once it is committed', async () => {
    const ids = journal.addJobs(newBatch(), [fileJob('a'), fileJob('b'), fileJob('c')]);
    const other = new Database(file, { readonly: true });
    const doneCount = () =>
      other.prepare("SELECT count(*) FROM transfer_jobs WHERE state = 'done'").pluck().get() as number;
    const resolved: number[] = [];
    const writes = ids.map((id) =>
      journal.commit(() => journal.updateJob(id, { state: 'done' })).then(() => resolved.push(id)),
    );
    expect(doneCount()).toBe(0); // nothing written before the tick ends
    await Promise.all(writes);
    expect(resolved).toEqual(ids);
    expect(doneCount()).toBe(3);

    // One failing piece of work: the whole group is rolled back and every caller hears of it.
    const [first] = ids;
    const good = journal.commit(() => journal.updateJob(first!, { note: 'kept?' }));
    const bad = journal.commit(() => {
      throw new Error('disk full');
    });
    await expect(good).rejects.toThrow('disk full');
    await expect(bad).rejects.toThrow('disk full');
    expect(journal.job(first!)!.note).toBeNull();
    other.close();
  });

  it("keeps an upload's checkpoint in its job, durable when save resolves", async () => {
    const [jobId] = journal.addJobs(newBatch(), [fileJob('big.iso')]);
    const checkpoint = journal.checkpointFor(jobId!);
    expect(await checkpoint.load()).toBeNull();
    await checkpoint.save('{"uploadUrl":"https://example.invalid/session"}');
    const other = new Database(file, { readonly: true });
    expect(other.prepare('SELECT checkpoint FROM transfer_jobs').pluck().get()).toContain('session');
    other.close();
    expect(await journal.checkpointFor(jobId!).load()).toContain('session');
    await checkpoint.clear();
    expect(await checkpoint.load()).toBeNull();
    expect(journal.job(jobId!)).not.toHaveProperty('checkpoint');
  });

  it('lets one process run the queue, taken over when its holder died or went silent', () => {
    const alive = new Set([100]);
    const isAlive = (pid: number) => alive.has(pid);
    const first = journal.acquireRunner({ pid: 100, host: 'h' }, isAlive);
    expect(first).not.toBeNull();
    expect(journal.acquireRunner({ pid: 200, host: 'h' }, isAlive)).toBeNull();

    alive.delete(100); // the holder was killed
    const second = journal.acquireRunner({ pid: 200, host: 'h' }, isAlive);
    expect(second).not.toBeNull();
    expect(journal.heartbeat(first!)).toBe(false); // the old holder learns it lost the lease
    alive.add(200);

    clock += staleRunnerMs - 1;
    expect(journal.acquireRunner({ pid: 300, host: 'other' }, isAlive)).toBeNull();
    expect(journal.heartbeat(second!)).toBe(true);
    clock += staleRunnerMs + 1; // no heartbeat since: hung, or another host's lease
    const third = journal.acquireRunner({ pid: 300, host: 'other' }, isAlive);
    expect(third).not.toBeNull();
    journal.releaseRunner(third!);
    expect(journal.acquireRunner({ pid: 400, host: 'h' }, isAlive)).not.toBeNull();
  });

  it('keeps settings', () => {
    expect(journal.setting('bandwidth')).toBeUndefined();
    journal.setSetting('bandwidth', '1000000');
    journal.setSetting('bandwidth', '2000000');
    expect(journal.setting('bandwidth')).toBe('2000000');
  });

  it('loses no acknowledged write when the process is killed (SIGKILL) mid-stream, and stays intact', async () => {
    const [jobId] = journal.addJobs(newBatch(), [fileJob('a')]);
    for (let run = 0; run < 3; run++) {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', path.join(import.meta.dirname, 'journal-kill-child.ts'), file, String(jobId)],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let acked = 0;
      let buffered = '';
      await new Promise<void>((resolve, reject) => {
        child.on('error', reject);
        child.on('exit', () => resolve());
        child.stdout!.on('data', (chunk: Buffer) => {
          buffered += chunk.toString();
          const lines = buffered.split('\n');
          buffered = lines.pop()!;
          for (const line of lines) acked = Math.max(acked, Number(line.slice(4)));
          // Killed at a moment that varies from run to run, while writes are in flight.
          if (acked >= 40 * (run + 1) + run * 7) child.kill('SIGKILL');
        });
      });
      expect(child.signalCode).toBe('SIGKILL');
      const reopened = new Database(file);
      expect(reopened.pragma('integrity_check', { simple: true })).toBe('ok');
      const attempt = reopened.prepare('SELECT attempt FROM transfer_jobs WHERE id = ?').pluck().get(jobId);
      reopened.close();
      expect(attempt).toBeGreaterThanOrEqual(acked);
    }
  }, 60_000);
});
