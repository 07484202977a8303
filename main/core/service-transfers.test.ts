import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineEvent } from '../../common/contract';
import { invokeContract } from './contract-dispatch';
import { SkyfoldService } from './service';

let base: string;
let service: SkyfoldService;
let events: EngineEvent[];
const content = randomBytes(300_000);

beforeEach(async () => {
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-transfers-'));
  await fs.mkdir(path.join(base, 'home', 'photos', '2024'), { recursive: true });
  await fs.mkdir(path.join(base, 'backup'), { recursive: true });
  await fs.writeFile(path.join(base, 'home', 'photos', '2024', 'beach.jpg'), content);
  await fs.writeFile(path.join(base, 'home', 'photos', 'list.txt'), 'list');
  service = SkyfoldService.open({ dataDir: path.join(base, 'data') });
  events = [];
  service.onEvent((event) => events.push(event));
});
afterEach(async () => {
  service.close();
  await fs.rm(base, { recursive: true, force: true });
});

async function twoAccounts() {
  const home = await service.addLocalAccount({ path: path.join(base, 'home'), name: 'Home' });
  const backup = await service.addLocalAccount({ path: path.join(base, 'backup'), name: 'Backup' });
  await service.refreshAccount({ accountId: home.id });
  await service.refreshAccount({ accountId: backup.id });
  return { home, backup };
}

describe('transfers through the contract', () => {
  it('copies a folder to another account, verified, and lists the batch and its jobs', async () => {
    const { home, backup } = await twoAccounts();
    const photos = await service.resolvePath({ accountId: home.id, path: '/photos' });
    const answer = await invokeContract(service, 'startTransfer', {
      op: 'copy',
      source: { accountId: home.id, itemIds: [photos.id] },
      destination: { accountId: backup.id, folderId: backup.rootId },
    });
    expect(answer.ok).toBe(true);
    const plan = (answer as { value: Awaited<ReturnType<SkyfoldService['startTransfer']>> }).value;
    expect(plan).toMatchObject({ files: 2, folders: 2, bytes: content.length + 4, conflicts: [] });
    await service.runTransfers();
    expect(
      (await fs.readFile(path.join(base, 'backup', 'photos', '2024', 'beach.jpg'))).equals(content),
    ).toBe(true);
    const listed = await service.listTransfers({ batchId: plan.batchId });
    expect(listed.batches).toEqual([
      expect.objectContaining({
        id: plan.batchId,
        op: 'copy',
        state: 'finished',
        destination: { accountId: backup.id, folderId: backup.rootId },
        summary: expect.objectContaining({ done: 4, failed: 0 }),
      }),
    ]);
    const beach = listed.jobs.find((job) => job.name === 'beach.jpg')!;
    expect(beach).toMatchObject({ state: 'done', size: content.length, error: null });
    expect(beach.verified).toEqual([{ type: 'sha256', value: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    expect(JSON.stringify(listed)).not.toContain('checkpoint');
    await vi.waitFor(() => expect(events).toContainEqual({ type: 'transfers-changed' }));
    expect(events).toContainEqual({
      type: 'transfer-finished',
      batch: expect.objectContaining({ id: plan.batchId, files: 2, bytesDone: content.length + 4 }),
    });
  });

  it('moves within one account, and a folder cannot go into itself', async () => {
    const { home } = await twoAccounts();
    const list = await service.resolvePath({ accountId: home.id, path: '/photos/list.txt' });
    const year = await service.resolvePath({ accountId: home.id, path: '/photos/2024' });
    await service.startTransfer({
      op: 'move',
      source: { accountId: home.id, itemIds: [list.id] },
      destination: { accountId: home.id, folderId: year.id },
    });
    await service.runTransfers();
    expect(await fs.readdir(path.join(base, 'home', 'photos', '2024'))).toEqual(['beach.jpg', 'list.txt']);
    await expect(fs.stat(path.join(base, 'home', 'photos', 'list.txt'))).rejects.toThrow();

    const photos = await service.resolvePath({ accountId: home.id, path: '/photos' });
    await expect(
      service.startTransfer({
        op: 'move',
        source: { accountId: home.id, itemIds: [photos.id] },
        destination: { accountId: home.id, folderId: year.id },
      }),
    ).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  it('refuses unknown accounts and bad arguments before planning', async () => {
    const { home } = await twoAccounts();
    await expect(
      service.startTransfer({
        op: 'copy',
        source: { accountId: home.id, itemIds: ['photos'] },
        destination: { accountId: 'nobody', folderId: '' },
      }),
    ).rejects.toMatchObject({ code: 'not_found' });
    await expect(
      invokeContract(service, 'startTransfer', {
        op: 'teleport',
        source: { accountId: home.id, itemIds: ['photos'] },
        destination: { accountId: home.id, folderId: '' },
      }),
    ).resolves.toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
  });

  it('resumes an unfinished batch after a restart', async () => {
    const { home, backup } = await twoAccounts();
    const photos = await service.resolvePath({ accountId: home.id, path: '/photos' });
    const plan = await service.planTransfer({
      op: 'copy',
      origin: 'test',
      source: { accountId: home.id, itemIds: [photos.id] },
      destination: { accountId: backup.id, folderId: backup.rootId },
      conflict: 'rename',
    });
    await service.runTransfers();
    service.close();
    // As if the process had died before list.txt was copied.
    await fs.rm(path.join(base, 'backup', 'photos', 'list.txt'));
    const db = new Database(path.join(base, 'data', 'state.db'));
    db.prepare("UPDATE transfer_jobs SET state = 'queued', dest_id = NULL WHERE src_name = 'list.txt'").run();
    db.prepare("UPDATE transfer_batches SET state = 'ready', summary = NULL, finished_at = NULL").run();
    db.close();

    service = SkyfoldService.open({ dataDir: path.join(base, 'data') });
    await service.runTransfers();
    const listed = await service.listTransfers({ batchId: plan.batchId });
    expect(listed.batches[0]).toMatchObject({
      state: 'finished',
      summary: expect.objectContaining({ done: 4 }),
    });
    expect(await fs.readFile(path.join(base, 'backup', 'photos', 'list.txt'), 'utf8')).toBe('list');
    expect(await fs.readdir(path.join(base, 'backup', 'photos'))).toEqual(['2024', 'list.txt']);
  });
});

/** Starts copying beach.jpg from Home to Backup slowly (64 KiB/s: about 5 s) and waits until bytes flow. */
async function slowCopy(op: 'copy' | 'move' = 'copy') {
  const { home, backup } = await twoAccounts();
  await service.setTransferSettings({ bandwidthLimit: 64 * 1024 });
  const beach = await service.resolvePath({ accountId: home.id, path: '/photos/2024/beach.jpg' });
  const plan = await service.startTransfer({
    op,
    source: { accountId: home.id, itemIds: [beach.id] },
    destination: { accountId: backup.id, folderId: backup.rootId },
  });
  await vi.waitFor(
    async () =>
      expect((await service.listTransfers({ batchId: plan.batchId })).jobs[0]!.bytesDone).toBeGreaterThan(0),
    { timeout: 5_000 },
  );
  return { home, backup, plan };
}

describe('queue control', () => {
  it('pauses a running copy (progress kept, nothing written) and resumes it to a verified copy', async () => {
    const { plan } = await slowCopy();
    await service.controlTransfers({ action: 'pause', batchId: plan.batchId });
    await service.runTransfers(); // idle: nothing may run
    let listed = await service.listTransfers({ batchId: plan.batchId });
    expect(listed.jobs[0]).toMatchObject({ state: 'copying', paused: 'user' });
    expect(listed.batches[0]).toMatchObject({ state: 'ready', open: 1, paused: 1 });
    await expect(fs.stat(path.join(base, 'backup', 'beach.jpg'))).rejects.toThrow();

    await service.setTransferSettings({ bandwidthLimit: null });
    await service.controlTransfers({ action: 'resume' });
    await service.runTransfers();
    listed = await service.listTransfers({ batchId: plan.batchId });
    expect(listed.jobs[0]).toMatchObject({ state: 'done', paused: null, bytesDone: content.length });
    expect((await fs.readFile(path.join(base, 'backup', 'beach.jpg'))).equals(content)).toBe(true);
  });

  it('cancels a running move: the batch ends cancelled, the source stays, nothing is left at the destination', async () => {
    const { plan } = await slowCopy('move');
    await service.controlTransfers({ action: 'cancel', batchId: plan.batchId });
    await service.runTransfers();
    const listed = await service.listTransfers({ batchId: plan.batchId });
    expect(listed.batches[0]).toMatchObject({ state: 'cancelled', open: 0 });
    expect(listed.jobs[0]).toMatchObject({ state: 'cancelled' });
    expect((await fs.readFile(path.join(base, 'home', 'photos', '2024', 'beach.jpg'))).equals(content)).toBe(
      true,
    );
    expect((await fs.readdir(path.join(base, 'backup'))).filter((name) => !name.startsWith('.'))).toEqual([]);
    // Idempotent, and ended jobs are left as they are.
    await service.controlTransfers({ action: 'cancel', batchId: plan.batchId });
    await service.controlTransfers({ action: 'retry', batchId: plan.batchId });
    expect((await service.listTransfers({ batchId: plan.batchId })).jobs[0]!.state).toBe('cancelled');
  });

  it('obeys a pause and a cancel asked by another process (the CLI while the app runs the queue)', async () => {
    const { plan } = await slowCopy('move');
    const other = SkyfoldService.open({ dataDir: path.join(base, 'data') });
    try {
      await other.controlTransfers({ action: 'pause', batchId: plan.batchId });
      await service.runTransfers(); // the runner stops the paused job within a second, then idles
      expect((await service.listTransfers({ batchId: plan.batchId })).jobs[0]).toMatchObject({
        state: 'copying',
        paused: 'user',
      });
      await other.controlTransfers({ action: 'cancel', batchId: plan.batchId });
      await other.runTransfers();
      expect((await service.listTransfers({ batchId: plan.batchId })).batches[0]).toMatchObject({
        state: 'cancelled',
      });
    } finally {
      other.close();
    }
    expect((await fs.readFile(path.join(base, 'home', 'photos', '2024', 'beach.jpg'))).equals(content)).toBe(
      true,
    );
    expect((await fs.readdir(path.join(base, 'backup'))).filter((name) => !name.startsWith('.'))).toEqual([]);
  });

  it('retries a failed job once its cause is fixed', async () => {
    const { home, backup } = await twoAccounts();
    const list = await service.resolvePath({ accountId: home.id, path: '/photos/list.txt' });
    await fs.rm(path.join(base, 'home', 'photos', 'list.txt'));
    const plan = await service
      .startTransfer({
        op: 'copy',
        source: { accountId: home.id, itemIds: [list.id] },
        destination: { accountId: backup.id, folderId: backup.rootId },
      })
      .catch(() => null);
    // Planning reads the source, so a missing one is refused at once; fail it mid-run instead.
    expect(plan).toBeNull();
    await fs.writeFile(path.join(base, 'home', 'photos', 'list.txt'), 'list');
    const planned = await service.startTransfer({
      op: 'copy',
      source: { accountId: home.id, itemIds: [list.id] },
      destination: { accountId: backup.id, folderId: backup.rootId },
    });
    await service.runTransfers();
    await fs.rm(path.join(base, 'backup', 'list.txt'));
    const db = new Database(path.join(base, 'data', 'state.db'));
    db.prepare(
      'UPDATE transfer_jobs SET state = \'failed\', error = \'{"code":"permanent","message":"x"}\'',
    ).run();
    db.close();
    expect((await service.listTransfers({ batchId: planned.batchId })).jobs[0]!.state).toBe('failed');
    await service.controlTransfers({ action: 'retry', jobId: (await service.listTransfers({})).jobs[0]!.id });
    await service.runTransfers();
    const listed = await service.listTransfers({ batchId: planned.batchId });
    expect(listed.jobs[0]).toMatchObject({ state: 'done', error: null });
    expect(listed.batches[0]).toMatchObject({
      state: 'finished',
      summary: expect.objectContaining({ done: 1 }),
    });
    expect(await fs.readFile(path.join(base, 'backup', 'list.txt'), 'utf8')).toBe('list');
    await expect(service.controlTransfers({ action: 'retry', jobId: 999_999 })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('waits for a decision on taken names, then applies it and can remember it', async () => {
    const { home, backup } = await twoAccounts();
    await fs.writeFile(path.join(base, 'backup', 'list.txt'), 'older');
    await service.refreshAccount({ accountId: backup.id });
    const list = await service.resolvePath({ accountId: home.id, path: '/photos/list.txt' });
    const request = {
      op: 'copy' as const,
      source: { accountId: home.id, itemIds: [list.id] },
      destination: { accountId: backup.id, folderId: backup.rootId },
    };
    const plan = await service.startTransfer(request);
    expect(plan.conflicts).toEqual(['list.txt']);
    await service.runTransfers();
    expect((await service.listTransfers({ batchId: plan.batchId })).batches[0]).toMatchObject({
      state: 'needs-decision',
      conflicts: ['list.txt'],
    });
    const decided = await service.decideTransfer({
      batchId: plan.batchId,
      conflict: 'replace',
      remember: true,
    });
    await service.runTransfers();
    expect((await service.listTransfers({ batchId: decided.batchId })).batches[0]).toMatchObject({
      state: 'finished',
    });
    expect(await fs.readFile(path.join(base, 'backup', 'list.txt'), 'utf8')).toBe('list');
    expect(await service.getTransferSettings()).toEqual({
      bandwidthLimit: null,
      concurrency: 6,
      conflictDefault: 'replace',
    });
    await expect(
      service.decideTransfer({ batchId: decided.batchId, conflict: 'skip' }),
    ).rejects.toMatchObject({
      code: 'conflict',
    });
    // The remembered choice applies to the next batch: no question asked.
    const again = await service.startTransfer(request);
    expect(again.conflicts).toEqual([]);
  });
});

describe('files from and to the desktop', () => {
  it('copies dropped local paths (one parent folder) into an account', async () => {
    const { backup } = await twoAccounts();
    const dropped = path.join(base, 'home', 'photos', 'list.txt');
    const plan = await service.startTransfer({
      op: 'copy',
      source: { paths: [dropped, path.join(base, 'home', 'photos', '2024')] },
      destination: { accountId: backup.id, folderId: backup.rootId },
    });
    expect(plan).toMatchObject({ files: 2, folders: 1 });
    await service.runTransfers();
    expect(await fs.readFile(path.join(base, 'backup', 'list.txt'), 'utf8')).toBe('list');
    await expect(
      service.startTransfer({
        op: 'copy',
        source: { paths: [dropped, path.join(base, 'backup', 'list.txt')] },
        destination: { accountId: backup.id, folderId: backup.rootId },
      }),
    ).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(
      service.startTransfer({
        op: 'copy',
        source: { paths: ['relative/list.txt'] },
        destination: { accountId: backup.id, folderId: backup.rootId },
      }),
    ).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  it('moves a dropped file within the folder of a local account it lies in on disk, never over itself', async () => {
    const { home } = await twoAccounts();
    const year = await service.resolvePath({ accountId: home.id, path: '/photos/2024' });
    const list = path.join(base, 'home', 'photos', 'list.txt');
    // Onto the folder it is in, with replace: left as it is.
    const staying = await service.startTransfer({
      op: 'move',
      source: { paths: [list] },
      destination: {
        accountId: home.id,
        folderId: (await service.resolvePath({ accountId: home.id, path: '/photos' })).id,
      },
      conflict: 'replace',
    });
    expect(staying.skipped).toEqual([{ name: 'list.txt', reason: 'it is already in this folder' }]);
    await service.runTransfers();
    expect(await fs.readFile(list, 'utf8')).toBe('list');
    // Into a folder below: a move on disk (the account's own move), nothing in a trash.
    const moved = await service.startTransfer({
      op: 'move',
      source: { paths: [list] },
      destination: { accountId: home.id, folderId: year.id },
    });
    await service.runTransfers();
    expect((await service.listTransfers({ batchId: moved.batchId })).jobs[0]).toMatchObject({
      method: 'server-move',
      state: 'done',
    });
    expect(await fs.readFile(path.join(base, 'home', 'photos', '2024', 'list.txt'), 'utf8')).toBe('list');
    await expect(fs.stat(path.join(base, 'home', '.skyfold-trash'))).rejects.toThrow();
    // A folder cannot go into itself this way either.
    await expect(
      service.startTransfer({
        op: 'move',
        source: { paths: [path.join(base, 'home', 'photos')] },
        destination: { accountId: home.id, folderId: year.id },
      }),
    ).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  it('receives a web drop (announce, bytes, finish), copies it, and removes the received files after', async () => {
    const { backup } = await twoAccounts();
    const files = [
      { path: 'notes.txt', size: 5 },
      { path: 'trip/day 1.txt', size: 3 },
    ];
    const { uploadId } = await service.beginUpload({
      destination: { accountId: backup.id, folderId: backup.rootId },
      files,
    });
    await expect(service.finishUpload({ uploadId })).rejects.toThrow(/2 file\(s\) did not arrive/);
    await expect(
      service.receiveUpload(uploadId, 0, Readable.from([Buffer.from('hello!')]), 6),
    ).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(
      service.receiveUpload(uploadId, 0, Readable.from([Buffer.from('hel')]), 5),
    ).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await service.receiveUpload(uploadId, 0, Readable.from([Buffer.from('hello')]), 5);
    await expect(
      service.receiveUpload(uploadId, 0, Readable.from([Buffer.from('hello')]), 5),
    ).rejects.toMatchObject({ code: 'conflict' });
    await expect(service.receiveUpload(uploadId, 2, Readable.from([]), 0)).rejects.toMatchObject({
      code: 'not_found',
    });
    await service.receiveUpload(uploadId, 1, Readable.from([Buffer.from('abc')]), 3);
    const plan = await service.finishUpload({ uploadId });
    expect(plan).toMatchObject({ files: 2, folders: 1 });
    await service.runTransfers();
    expect(await fs.readFile(path.join(base, 'backup', 'notes.txt'), 'utf8')).toBe('hello');
    expect(await fs.readFile(path.join(base, 'backup', 'trip', 'day 1.txt'), 'utf8')).toBe('abc');
    await vi.waitFor(async () => expect(await fs.readdir(path.join(base, 'data', 'uploads'))).toEqual([]));
  });

  it('keeps received files while a dropped file failed, so a retry can finish it', async () => {
    const { backup } = await twoAccounts();
    const { uploadId } = await service.beginUpload({
      destination: { accountId: backup.id, folderId: backup.rootId },
      files: [{ path: 'x.txt', size: 1 }],
    });
    await service.receiveUpload(uploadId, 0, Readable.from([Buffer.from('x')]), 1);
    const plan = await service.finishUpload({ uploadId });
    await service.controlTransfers({ action: 'pause', batchId: plan.batchId });
    // The destination folder is gone when the copy runs: the job fails (not_found).
    await fs.rm(path.join(base, 'backup'), { recursive: true });
    await service.controlTransfers({ action: 'resume', batchId: plan.batchId });
    await service.runTransfers();
    expect((await service.listTransfers({ batchId: plan.batchId })).batches[0]!.summary?.failed).toBe(1);
    expect(await fs.readdir(path.join(base, 'data', 'uploads'))).toEqual([uploadId]);
    // Once the folder is back, a retry finishes it from the files kept; then they go.
    await fs.mkdir(path.join(base, 'backup'));
    await service.controlTransfers({ action: 'retry', batchId: plan.batchId });
    await service.runTransfers();
    expect(await fs.readFile(path.join(base, 'backup', 'x.txt'), 'utf8')).toBe('x');
    await vi.waitFor(async () => expect(await fs.readdir(path.join(base, 'data', 'uploads'))).toEqual([]));
  });

  it('refuses dropped paths that would leave the drop', async () => {
    const { backup } = await twoAccounts();
    for (const bad of ['../escape.txt', 'a/../../b', '/etc/passwd', 'a//b', 'x/./y']) {
      await expect(
        service.beginUpload({
          destination: { accountId: backup.id, folderId: backup.rootId },
          files: [{ path: bad, size: 1 }],
        }),
      ).rejects.toMatchObject({ code: 'invalid_argument' });
    }
    await expect(
      service.beginUpload({
        destination: { accountId: backup.id, folderId: backup.rootId },
        files: [
          { path: 'a', size: 1 },
          { path: 'a/b', size: 1 },
        ],
      }),
    ).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  it('downloads files into the drag cache, verified, for a drag out', async () => {
    const { home } = await twoAccounts();
    const beach = await service.resolvePath({ accountId: home.id, path: '/photos/2024/beach.jpg' });
    const { paths } = await service.cacheForDrag({ accountId: home.id, itemIds: [beach.id] });
    expect(paths).toHaveLength(1);
    expect(paths[0]!.startsWith(service.dragCacheDir + path.sep)).toBe(true);
    expect((await fs.readFile(paths[0]!)).equals(content)).toBe(true);
    const photos = await service.resolvePath({ accountId: home.id, path: '/photos' });
    await expect(service.cacheForDrag({ accountId: home.id, itemIds: [photos.id] })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
  });

  it('keeps the hashes computed while copying in the index, on both ends', async () => {
    const { home, backup } = await twoAccounts();
    const list = await service.resolvePath({ accountId: home.id, path: '/photos/list.txt' });
    const plan = await service.startTransfer({
      op: 'copy',
      source: { accountId: home.id, itemIds: [list.id] },
      destination: { accountId: backup.id, folderId: backup.rootId },
    });
    await service.runTransfers();
    const sha256 = (await service.listTransfers({ batchId: plan.batchId })).jobs[0]!.sha256;
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
    const indexed = (accountId: string, itemPath: string) => {
      const db = new Database(path.join(base, 'data', 'index.db'), { readonly: true });
      try {
        const row = db
          .prepare('SELECT hashes FROM items WHERE account_id = ? AND id = ?')
          .get(accountId, itemPath) as { hashes: string | null } | undefined;
        return JSON.parse(row?.hashes ?? '{}') as Record<string, string>;
      } finally {
        db.close();
      }
    };
    const copy = await vi.waitFor(() => service.resolvePath({ accountId: backup.id, path: '/list.txt' }));
    await vi.waitFor(() => expect(indexed(backup.id, copy.id)).toMatchObject({ sha256 }));
    expect(indexed(home.id, list.id)).toMatchObject({ sha256 });
  });
});

describe('transfer concurrency', () => {
  it('is 6 until set, keeps 1..16, refuses other values, and null brings back the default', async () => {
    expect((await service.getTransferSettings()).concurrency).toBe(6);
    expect(await service.setTransferSettings({ concurrency: 3 })).toMatchObject({ concurrency: 3 });
    const other = SkyfoldService.open({ dataDir: path.join(base, 'data') });
    try {
      expect((await other.getTransferSettings()).concurrency).toBe(3); // stored in the data directory
    } finally {
      other.close();
    }
    for (const concurrency of [0, 17, 2.5]) {
      const answer = await invokeContract(service, 'setTransferSettings', { concurrency });
      expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    }
    await service.setTransferSettings({ bandwidthLimit: 4096 });
    expect(await service.setTransferSettings({ concurrency: null })).toMatchObject({
      concurrency: 6,
      bandwidthLimit: 4096,
    });
  });

  it('applies to a running queue: one file at a time, then both once raised', async () => {
    const more = randomBytes(300_000);
    await fs.writeFile(path.join(base, 'home', 'photos', '2024', 'dunes.jpg'), more);
    const { home, backup } = await twoAccounts();
    await service.setTransferSettings({ bandwidthLimit: 64 * 1024, concurrency: 1 });
    const year = await service.resolvePath({ accountId: home.id, path: '/photos/2024' });
    const files = await service.listFolder({
      accountId: home.id,
      folderId: year.id,
      sort: { by: 'name', direction: 'asc' },
      offset: 0,
      limit: 10,
    });
    const plan = await service.startTransfer({
      op: 'copy',
      source: { accountId: home.id, itemIds: files.items.map((item) => item.id) },
      destination: { accountId: backup.id, folderId: backup.rootId },
    });
    const flowing = async () =>
      (await service.listTransfers({ batchId: plan.batchId })).jobs.filter((job) => job.bytesDone > 0).length;
    await vi.waitFor(async () => expect(await flowing()).toBe(1), { timeout: 5_000 });
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(await flowing()).toBe(1);

    await service.setTransferSettings({ concurrency: 2 });
    await vi.waitFor(async () => expect(await flowing()).toBe(2), { timeout: 2_000 });
    await service.setTransferSettings({ bandwidthLimit: null });
    await service.runTransfers();
    expect((await fs.readFile(path.join(base, 'backup', 'dunes.jpg'))).equals(more)).toBe(true);
  }, 15_000);
});
