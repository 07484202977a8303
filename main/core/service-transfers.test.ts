import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
    expect(events).toContainEqual({ type: 'transfers-changed' });
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
