import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDropboxEmulator, type DropboxEmulator } from '../../../emulators/dropbox/emulator';
import { startGdriveEmulator, type GdriveEmulator } from '../../../emulators';
import { GdriveProvider } from '../providers/gdrive/gdrive-provider';
import { DropboxProvider } from '../providers/dropbox/dropbox-provider';
import { SkyfoldError } from '../../../common/errors';
import { openDatabase, type SqliteDatabase } from '../index/database';
import { stateMigrations } from '../index/migrations';
import { LocalProvider } from '../providers/local/local-provider';
import type { Provider } from '../providers/types';
import { TransferEngine } from './engine';
import { TransferJournal, type ConflictChoice, type TransferOp } from './journal';
import { planBatch } from './planner';

const A = JSON.stringify({ account: 'a' });
const B = JSON.stringify({ account: 'b' });

let dir: string;
let db: SqliteDatabase;
let journal: TransferJournal;
let providers: Map<string, Provider>;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-engine-'));
  for (const folder of ['a/docs/deep', 'b']) await fs.mkdir(path.join(dir, folder), { recursive: true });
  await fs.writeFile(path.join(dir, 'a/docs/report.pdf'), randomBytes(200_000));
  await fs.writeFile(path.join(dir, 'a/docs/deep/note.txt'), 'note');
  await fs.writeFile(path.join(dir, 'a/top.txt'), 'top');
  db = openDatabase(path.join(dir, 'state.db'), { migrations: stateMigrations, synchronous: 'FULL' });
  journal = new TransferJournal(db);
  providers = new Map<string, Provider>([
    [A, await LocalProvider.open(path.join(dir, 'a'))],
    [B, await LocalProvider.open(path.join(dir, 'b'))],
  ]);
});
afterEach(async () => {
  db.close();
  await fs.rm(dir, { recursive: true, force: true });
});

const engine = (overrides: Partial<Record<string, Provider>> = {}) =>
  new TransferEngine({
    journal,
    provider: async (endpoint) => overrides[endpoint] ?? providers.get(endpoint)!,
    sleep: async () => undefined,
  });

function plan(op: TransferOp, itemIds: string[], conflict: ConflictChoice | null = 'rename', folderId = '') {
  return planBatch(journal, {
    op,
    origin: 'test',
    source: { endpoint: A, provider: providers.get(A)!, itemIds },
    destination: { endpoint: B, provider: providers.get(B)!, folderId },
    conflict,
  });
}

/** Every file under a folder, as `relative/path: size`. */
async function tree(root: string): Promise<string[]> {
  const lines: string[] = [];
  const walk = async (folder: string, prefix: string) => {
    for (const entry of await fs.readdir(folder, { withFileTypes: true })) {
      if (entry.name.startsWith('.skyfold')) continue;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) await walk(full, `${prefix}${entry.name}/`);
      else lines.push(`${prefix}${entry.name}: ${(await fs.stat(full)).size}`);
    }
  };
  await walk(root, '');
  return lines.sort();
}

describe('TransferEngine', () => {
  it('copies folders with their structure and files, verified, leaving the source as it was', async () => {
    const before = await tree(path.join(dir, 'a'));
    const summary = await plan('copy', ['docs', 'top.txt']);
    expect(summary).toMatchObject({ files: 3, folders: 2, bytes: 200_007, renamed: [], refused: [] });
    await engine().runUntilIdle();
    expect(await tree(path.join(dir, 'b'))).toEqual(before);
    expect(await tree(path.join(dir, 'a'))).toEqual(before);
    expect(journal.batch(summary.batchId)).toMatchObject({
      state: 'finished',
      summary: { done: 5, failed: 0, skipped: 0 },
    });
    const report = journal.jobs(summary.batchId).find((job) => job.srcName === 'report.pdf')!;
    expect(report.computed?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.destHashes?.sha256).toBe(report.computed?.sha256);
  });

  it('moves: everything verified at the destination, then the sources (and the emptied folder) trashed', async () => {
    const before = await tree(path.join(dir, 'a'));
    await plan('move', ['docs', 'top.txt']);
    await engine().runUntilIdle();
    expect(await tree(path.join(dir, 'b'))).toEqual(before);
    expect(await tree(path.join(dir, 'a'))).toEqual([]);
    expect(await fs.readdir(path.join(dir, 'a', '.skyfold-trash'))).not.toEqual([]);
  });

  it('numbers a name taken at the destination (rename), or skips it', async () => {
    await fs.writeFile(path.join(dir, 'b/top.txt'), 'someone else');
    const renamed = await plan('copy', ['top.txt']);
    expect(renamed.renamed).toEqual([
      { from: 'top.txt', to: 'top (2).txt', reason: 'the name is taken there' },
    ]);
    await engine().runUntilIdle();
    expect(await tree(path.join(dir, 'b'))).toEqual(['top (2).txt: 3', 'top.txt: 12']);

    const skipped = await plan('copy', ['top.txt'], 'skip');
    expect(skipped.skipped).toHaveLength(1);
    expect(journal.jobs(skipped.batchId)).toEqual([]);
  });

  it('gives a folder a free name when a file took its name after the plan', async () => {
    const summary = await plan('copy', ['docs']);
    await fs.writeFile(path.join(dir, 'b/docs'), 'a file');
    await engine().runUntilIdle();
    expect(journal.batch(summary.batchId)).toMatchObject({ state: 'finished', summary: { failed: 0 } });
    expect(await tree(path.join(dir, 'b'))).toEqual([
      'docs (2)/deep/note.txt: 4',
      'docs (2)/report.pdf: 200000',
      'docs: 6',
    ]);
    expect(journal.jobs(summary.batchId)[0]).toMatchObject({
      destName: 'docs (2)',
      note: 'a file has the name "docs" there',
    });
  });

  it('refuses a folder moved into itself', async () => {
    providers.set(B, providers.get(A)!);
    await expect(plan('move', ['docs'], 'rename', 'docs/deep')).rejects.toMatchObject({
      code: 'invalid_argument',
    });
  });

  it('after a crash between the write and its record, adopts the copy instead of making a second one', async () => {
    const summary = await plan('move', ['top.txt']);
    const [job] = journal.jobs(summary.batchId);
    // As if killed right after the destination committed the file, before `verifying` was written.
    journal.updateJob(job!.id, { state: 'copying', attempt: 1 });
    await fs.writeFile(path.join(dir, 'b/top.txt'), 'top');
    await engine().runUntilIdle();
    expect(await tree(path.join(dir, 'b'))).toEqual(['top.txt: 3']);
    expect(await tree(path.join(dir, 'a'))).toEqual(['docs/deep/note.txt: 4', 'docs/report.pdf: 200000']);
    expect(journal.job(job!.id)).toMatchObject({ state: 'done' });
  });

  it('after a crash once verified, trashes the source only if it is still the file that was copied', async () => {
    const summary = await plan('move', ['top.txt']);
    const [job] = journal.jobs(summary.batchId);
    await fs.writeFile(path.join(dir, 'b/top.txt'), 'top');
    journal.updateJob(job!.id, { state: 'verified', destId: 'top.txt' });
    await fs.writeFile(path.join(dir, 'a/top.txt'), 'changed after the copy');
    await engine().runUntilIdle();
    expect(journal.job(job!.id)).toMatchObject({ state: 'done', note: expect.stringContaining('kept') });
    expect(await fs.readFile(path.join(dir, 'a/top.txt'), 'utf8')).toBe('changed after the copy');
  });

  it('removes a copy whose hash disagrees, keeps the source, and fails after three bad copies', async () => {
    const local = providers.get(B)!;
    const lying: Provider = Object.assign(Object.create(local) as Provider, {
      write: async (...args: Parameters<Provider['write']>) => {
        const item = await local.write(...args);
        return { ...item, hashes: { sha256: '0'.repeat(64) } };
      },
    });
    const summary = await plan('move', ['top.txt']);
    await engine({ [B]: lying }).runUntilIdle();
    const [job] = journal.jobs(summary.batchId);
    expect(job).toMatchObject({
      state: 'failed',
      verifyFailures: 3,
      note: expect.stringContaining('source is kept'),
    });
    expect(await tree(path.join(dir, 'b'))).toEqual([]);
    expect(await fs.readFile(path.join(dir, 'a/top.txt'), 'utf8')).toBe('top');
    expect(journal.batch(summary.batchId)).toMatchObject({ state: 'finished', summary: { failed: 1 } });
  });

  it('waits for a decision when conflicts were found and no policy was given', async () => {
    await fs.writeFile(path.join(dir, 'b/top.txt'), 'theirs');
    const summary = await plan('copy', ['top.txt'], null);
    expect(summary.conflicts).toEqual(['top.txt']);
    await engine().runUntilIdle();
    expect(journal.batch(summary.batchId)!.state).toBe('needs-decision');
    expect(await fs.readFile(path.join(dir, 'b/top.txt'), 'utf8')).toBe('theirs');
  });
});

describe('TransferEngine cancels, and retries', () => {
  it('keeps a verified copy and its source when a move is cancelled before the source went', async () => {
    const summary = await plan('move', ['top.txt']);
    const stuck = new Proxy(providers.get(A)!, {
      get(target, key) {
        if (key === 'trash')
          return () => {
            throw new SkyfoldError('permanent', 'the trash is unavailable');
          };
        const value = Reflect.get(target, key, target) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const [job] = journal.jobs(summary.batchId);
    // Copied and verified; the source's trash fails (the job waits in `verified`).
    journal.updateJob(job!.id, { state: 'copying', attempt: 1 });
    await engine({ [A]: stuck }).runUntilIdle();
    expect(journal.job(job!.id)).toMatchObject({ state: 'failed' });
    journal.commitNow(() => journal.updateJob(job!.id, { state: 'verified', error: null }));
    journal.setBatchState(summary.batchId, 'ready');
    journal.requestCancel({ batchId: summary.batchId });
    await engine().carryOutCancels();
    expect(journal.job(job!.id)).toMatchObject({
      state: 'cancelled',
      note: 'the verified copy at the destination was kept, and so was the source',
    });
    expect(await fs.readFile(path.join(dir, 'b/top.txt'), 'utf8')).toBe('top');
    expect(await fs.readFile(path.join(dir, 'a/top.txt'), 'utf8')).toBe('top');
    expect(journal.batch(summary.batchId)).toMatchObject({ state: 'cancelled' });
  });

  it('cancels a folder with everything planned inside it; the rest of the batch goes on', async () => {
    const summary = await plan('copy', ['docs', 'top.txt']);
    const folder = journal.jobs(summary.batchId).find((job) => job.srcName === 'docs')!;
    journal.requestCancel({ jobId: folder.id });
    await engine().runUntilIdle();
    const states = Object.fromEntries(journal.jobs(summary.batchId).map((job) => [job.srcName, job.state]));
    expect(states).toEqual({
      docs: 'cancelled',
      deep: 'cancelled',
      'report.pdf': 'cancelled',
      'note.txt': 'cancelled',
      'top.txt': 'done',
    });
    expect(await tree(path.join(dir, 'b'))).toEqual(['top.txt: 3']);
    expect(journal.batch(summary.batchId)).toMatchObject({
      state: 'finished',
      summary: { done: 1, cancelled: 4 },
    });
  });

  it('halts a run at once (a lost lease): running jobs stop where they stand, and resume later', async () => {
    const summary = await plan('copy', ['docs']);
    const running = engine();
    let halted = false;
    const slow = new Proxy(providers.get(A)!, {
      get(target, key) {
        const value = Reflect.get(target, key, target) as unknown;
        if (key === 'read')
          return async (...args: unknown[]) => {
            if (!halted) {
              halted = true;
              running.halt();
            }
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    providers.set(A, slow);
    await running.runUntilIdle();
    expect(journal.batch(summary.batchId)!.state).toBe('ready');
    expect(journal.openJobCount(summary.batchId)).toBeGreaterThan(0);
    await engine().runUntilIdle();
    expect(journal.batch(summary.batchId)).toMatchObject({ state: 'finished', summary: { failed: 0 } });
  });

  it('ends a batch waiting for a decision once all its jobs are cancelled', async () => {
    await fs.writeFile(path.join(dir, 'b/top.txt'), 'theirs');
    const summary = await plan('copy', ['top.txt'], null);
    journal.requestCancel({ batchId: summary.batchId });
    await engine().runUntilIdle();
    expect(journal.batch(summary.batchId)).toMatchObject({ state: 'cancelled' });
  });

  it('retries a file inside a folder that failed together with that folder', async () => {
    const summary = await plan('copy', ['docs']);
    const jobs = journal.jobs(summary.batchId);
    journal.commitNow(() => {
      for (const job of jobs) journal.updateJob(job.id, { state: 'failed' });
    });
    const note = jobs.find((job) => job.srcName === 'note.txt')!;
    expect(journal.retryJobs({ jobId: note.id }).length).toBe(3); // note.txt, deep, docs
    await engine().runUntilIdle();
    expect(journal.job(note.id)).toMatchObject({ state: 'done' });
    expect(await fs.readFile(path.join(dir, 'b/docs/deep/note.txt'), 'utf8')).toBe('note');
  });
});

describe('TransferEngine with a cloud (Dropbox emulator)', () => {
  let emulator: DropboxEmulator;
  beforeAll(async () => {
    emulator = await startDropboxEmulator({ seed: 'empty' });
  });
  afterAll(() => emulator.close());

  it('moves a folder tree into Dropbox, a byte corrupted on the way is caught and the file sent again', async () => {
    const user = emulator.users[0]!;
    let token = emulator.admin.issueTokens(user).access_token;
    const dropbox = await DropboxProvider.connect({
      apiBaseUrl: emulator.url,
      tokens: {
        getAccessToken: async () => token,
        invalidate: (rejected) => {
          if (rejected === token) token = emulator.admin.issueTokens(user).access_token;
        },
      },
    });
    providers.set(B, dropbox);
    const before = await tree(path.join(dir, 'a'));
    emulator.admin.setFaults('flip=5 in=request POST /2/files/upload times=1');
    const summary = await plan('move', ['docs', 'top.txt'], 'rename', dropbox.rootId);
    await engine().runUntilIdle();
    expect(emulator.admin.faults()[0]!.fired).toBe(1);
    emulator.admin.clearFaults();

    const copied: string[] = [];
    const walk = async (folderId: string, prefix: string) => {
      for await (const page of dropbox.list(folderId)) {
        for (const item of page) {
          if (item.kind === 'folder') await walk(item.id, `${prefix}${item.name}/`);
          else copied.push(`${prefix}${item.name}: ${item.size}`);
        }
      }
    };
    await walk(dropbox.rootId, '');
    expect(copied.sort()).toEqual(before);
    expect(await tree(path.join(dir, 'a'))).toEqual([]);
    expect(journal.batch(summary.batchId)).toMatchObject({
      state: 'finished',
      summary: { done: 5, failed: 0 },
    });
    const jobs = journal.jobs(summary.batchId);
    expect(
      jobs
        .filter((job) => job.kind === 'file')
        .every((job) => job.destHashes?.dropbox === job.computed?.dropbox),
    ).toBe(true);
  }, 60_000);
});

describe('TransferEngine within one account (server-side copy and move)', () => {
  /** The provider, refusing to stream bytes: a server-side job never reads or writes content. */
  const noStreaming = (provider: Provider): Provider =>
    new Proxy(provider, {
      get(target, key) {
        if (key === 'read' || key === 'write')
          return () => {
            throw new Error(`${String(key)} called: bytes went through this computer`);
          };
        const value = Reflect.get(target, key, target) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });

  const planWithin = (provider: Provider, op: TransferOp, itemIds: string[], folderId: string) =>
    planBatch(journal, {
      op,
      origin: 'test',
      source: { endpoint: A, provider, itemIds },
      destination: { endpoint: A, provider, folderId },
      conflict: 'rename',
    });

  let emulator: DropboxEmulator;
  let dropbox: Provider;
  beforeAll(async () => {
    emulator = await startDropboxEmulator({ seed: 'empty' });
  });
  afterAll(() => emulator.close());
  beforeEach(async () => {
    const user = emulator.users[0]!;
    const token = emulator.admin.issueTokens(user).access_token;
    dropbox = await DropboxProvider.connect({
      apiBaseUrl: emulator.url,
      tokens: { getAccessToken: async () => token, invalidate: () => undefined },
    });
  });

  it("copies files with the provider's own copy, verified by hash, folders created one by one", async () => {
    const stamp = randomBytes(4).toString('hex');
    const docs = await dropbox.mkdir(dropbox.rootId, `docs-${stamp}`, { conflict: 'fail' });
    const inner = await dropbox.mkdir(docs.id, 'inner', { conflict: 'fail' });
    const bytes = randomBytes(50_000);
    const { Readable } = await import('node:stream');
    await dropbox.write(inner.id, 'a.bin', Readable.from([bytes]), { conflict: 'fail', size: bytes.length });
    const target = await dropbox.mkdir(dropbox.rootId, `copies-${stamp}`, { conflict: 'fail' });
    const provider = noStreaming(dropbox);
    providers.set(A, provider);
    const summary = await planWithin(provider, 'copy', [docs.id], target.id);
    await engine().runUntilIdle();
    const jobs = journal.jobs(summary.batchId);
    expect(jobs.map((job) => [job.kind, job.method, job.state])).toEqual([
      ['folder', 'stream', 'done'],
      ['folder', 'stream', 'done'],
      ['file', 'server-copy', 'done'],
    ]);
    const file = jobs[2]!;
    expect(file.destHashes?.dropbox).toBe(file.computed?.dropbox);
    const copied = await dropbox.findChildren!(
      (
        await dropbox.findChildren!((await dropbox.findChildren!(target.id, `docs-${stamp}`))[0]!.id, 'inner')
      )[0]!.id,
      'a.bin',
    );
    expect(copied).toHaveLength(1);
    expect(copied[0]!.size).toBe(bytes.length);
    expect(await dropbox.findChildren!(inner.id, 'a.bin')).toHaveLength(1); // the source stays
  }, 60_000);

  it('moves a folder onto a folder of its name by merging: the content moves in, the emptied source goes', async () => {
    const stamp = randomBytes(4).toString('hex');
    const from = await dropbox.mkdir(dropbox.rootId, `from-${stamp}`, { conflict: 'fail' });
    const to = await dropbox.mkdir(dropbox.rootId, `to-${stamp}`, { conflict: 'fail' });
    const moving = await dropbox.mkdir(from.id, 'Photos', { conflict: 'fail' });
    const existing = await dropbox.mkdir(to.id, 'Photos', { conflict: 'fail' });
    const { Readable } = await import('node:stream');
    await dropbox.write(moving.id, 'new.txt', Readable.from([Buffer.from('new')]), {
      conflict: 'fail',
      size: 3,
    });
    await dropbox.write(existing.id, 'old.txt', Readable.from([Buffer.from('old')]), {
      conflict: 'fail',
      size: 3,
    });
    const provider = noStreaming(dropbox);
    providers.set(A, provider);
    const summary = await planWithin(provider, 'move', [moving.id], to.id);
    await engine().runUntilIdle();
    expect(journal.jobs(summary.batchId).map((job) => [job.srcName, job.method, job.state])).toEqual([
      ['Photos', 'stream', 'done'],
      ['new.txt', 'server-move', 'done'],
    ]);
    const names: string[] = [];
    for await (const page of dropbox.list(existing.id)) names.push(...page.map((item) => item.name));
    expect(names.sort()).toEqual(['new.txt', 'old.txt']);
    expect(await dropbox.findChildren!(from.id, 'Photos')).toEqual([]);
  }, 60_000);

  it("moves a folder as one job by the provider's own move, and leaves items moved into their own folder", async () => {
    const stamp = randomBytes(4).toString('hex');
    const docs = await dropbox.mkdir(dropbox.rootId, `tree-${stamp}`, { conflict: 'fail' });
    await dropbox.mkdir(docs.id, 'sub', { conflict: 'fail' });
    const target = await dropbox.mkdir(dropbox.rootId, `moved-${stamp}`, { conflict: 'fail' });
    const provider = noStreaming(dropbox);
    providers.set(A, provider);
    const summary = await planWithin(provider, 'move', [docs.id, target.id], dropbox.rootId);
    expect(summary.skipped).toEqual([
      { name: `tree-${stamp}`, reason: 'it is already in this folder' },
      {
        name: `moved-${stamp}`,
        reason: 'it is already in this folder',
      },
    ]);
    const moving = await planWithin(provider, 'move', [docs.id], target.id);
    expect(moving).toMatchObject({ folders: 1, files: 0 });
    await engine().runUntilIdle();
    expect(journal.jobs(moving.batchId).map((job) => [job.method, job.state])).toEqual([
      ['server-move', 'done'],
    ]);
    expect(await dropbox.findChildren!(dropbox.rootId, `tree-${stamp}`)).toEqual([]);
    const moved = await dropbox.findChildren!(target.id, `tree-${stamp}`);
    expect(moved).toHaveLength(1);
    expect(await dropbox.findChildren!(moved[0]!.id, 'sub')).toHaveLength(1);
  }, 60_000);
});

describe('TransferEngine with Google documents (Drive emulator)', () => {
  let emulator: GdriveEmulator;
  let drive: Provider;
  beforeAll(async () => {
    emulator = await startGdriveEmulator({ seed: 'demo' });
  });
  afterAll(() => emulator.close());
  beforeEach(async () => {
    const token = emulator.admin.issueTokens(emulator.users[0]!).access_token;
    drive = await GdriveProvider.connect({
      apiBaseUrl: emulator.url,
      tokens: { getAccessToken: async () => token, invalidate: () => undefined },
    });
  });
  const projectPlan = async () => {
    const documents = (await drive.findChildren!(drive.rootId, 'Documents'))[0]!;
    return { documents, plan: (await drive.findChildren!(documents.id, 'Project plan'))[0]! };
  };

  it('copies a Google Doc out of Drive as its default export, named with its extension', async () => {
    const { plan: doc } = await projectPlan();
    providers.set(A, drive);
    const summary = await plan('copy', [doc.id]);
    expect(summary.files).toBe(1);
    await engine().runUntilIdle();
    const [job] = journal.jobs(summary.batchId);
    expect(job).toMatchObject({ state: 'done', destName: 'Project plan.docx' });
    const copied = await fs.readFile(path.join(dir, 'b', 'Project plan.docx'));
    expect(copied.subarray(0, 2).toString()).toBe('PK'); // a .docx is a zip
    expect(job!.computed?.sha256).toBe(createHash('sha256').update(copied).digest('hex'));
  }, 60_000);

  it('copies a selected shortcut as the folder it points to, under its name; into a shortcut goes into its target', async () => {
    const shortcut = (await drive.findChildren!(drive.rootId, 'Summer photos'))[0]!;
    expect(shortcut.targetId).not.toBeNull();
    providers.set(A, drive);
    const summary = await plan('copy', [shortcut.id]);
    await engine().runUntilIdle();
    expect(journal.batch(summary.batchId)).toMatchObject({ state: 'finished', summary: { failed: 0 } });
    const targetNames: string[] = [];
    for await (const page of drive.list(shortcut.targetId!))
      targetNames.push(...page.filter((item) => item.targetId === null).map((item) => item.name));
    expect((await fs.readdir(path.join(dir, 'b', 'Summer photos'))).sort()).toEqual(targetNames.sort());

    // A drop onto the shortcut lands in the folder it points to.
    providers.set(A, providers.get(B)!);
    providers.set(B, drive);
    const into = await planBatch(journal, {
      op: 'copy',
      origin: 'test',
      source: { endpoint: A, provider: providers.get(A)!, itemIds: ['Summer photos'] },
      destination: { endpoint: B, provider: drive, folderId: shortcut.id },
      conflict: 'rename',
    });
    expect(journal.batch(into.batchId)!.destFolderId).toBe(shortcut.targetId);
  }, 60_000);

  it('leaves no batch behind when planning fails half-way', async () => {
    const failing = new Proxy(providers.get(A)!, {
      get(target, key) {
        if (key === 'list')
          return () => {
            throw new SkyfoldError('transient', 'listing failed');
          };
        const value = Reflect.get(target, key, target) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    await expect(
      planBatch(journal, {
        op: 'copy',
        origin: 'test',
        source: { endpoint: A, provider: failing, itemIds: ['docs'] },
        destination: { endpoint: B, provider: providers.get(B)!, folderId: '' },
        conflict: 'rename',
      }),
    ).rejects.toThrow('listing failed');
    expect(journal.batches()).toEqual([]);
  });

  it('moves a Google Doc out of Drive as an export, and keeps the document itself', async () => {
    const { plan: doc } = await projectPlan();
    providers.set(A, drive);
    const summary = await plan('move', [doc.id]);
    await engine().runUntilIdle();
    expect(journal.jobs(summary.batchId)[0]).toMatchObject({
      state: 'done',
      note: expect.stringContaining('the document is kept'),
    });
    expect(await drive.stat(doc.id)).toMatchObject({ name: 'Project plan' });
    expect((await fs.stat(path.join(dir, 'b', 'Project plan.docx'))).size).toBeGreaterThan(0);
  }, 60_000);

  it("copies a Google Doc within Drive with Drive's own copy (a document again, nothing to hash)", async () => {
    const { documents, plan: doc } = await projectPlan();
    providers.set(A, drive);
    const target = await drive.mkdir(documents.id, `copies-${randomBytes(4).toString('hex')}`, {
      conflict: 'fail',
    });
    const summary = await planBatch(journal, {
      op: 'copy',
      origin: 'test',
      source: { endpoint: A, provider: drive, itemIds: [doc.id] },
      destination: { endpoint: A, provider: drive, folderId: target.id },
      conflict: 'rename',
    });
    await engine().runUntilIdle();
    expect(journal.jobs(summary.batchId)).toEqual([
      expect.objectContaining({ method: 'server-copy', state: 'done', destName: 'Project plan' }),
    ]);
    const [copy] = await drive.findChildren!(target.id, 'Project plan');
    expect(copy).toMatchObject({ mimeType: 'application/vnd.google-apps.document' });
  }, 60_000);
});

describe('TransferEngine when a folder cannot be created', () => {
  it('fails the folder and everything planned inside it, and the batch finishes', async () => {
    const local = providers.get(B)!;
    const refusing: Provider = Object.assign(Object.create(local) as Provider, {
      mkdir: async () => {
        throw new SkyfoldError('permanent', 'no folders today');
      },
    });
    const summary = await plan('copy', ['docs']);
    await engine({ [B]: refusing }).runUntilIdle();
    const jobs = journal.jobs(summary.batchId);
    expect(jobs.map((job) => job.state)).toEqual(['failed', 'failed', 'failed', 'failed']);
    expect(jobs[1]!.error?.message).toContain('could not be created');
    expect(journal.batch(summary.batchId)).toMatchObject({ state: 'finished', summary: { failed: 4 } });
    expect(await tree(path.join(dir, 'a'))).toContain('docs/report.pdf: 200000');
  });
});
