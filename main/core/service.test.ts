import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../common/contract';
import { invokeContract } from './contract-dispatch';
import { SkyfoldService } from './service';

let base: string;
let files: string;
let service: SkyfoldService;
const byName = { by: 'name', direction: 'asc' } as const;

beforeEach(async () => {
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-service-'));
  files = path.join(base, 'files');
  await fs.mkdir(path.join(files, 'docs', 'deep'), { recursive: true });
  await fs.writeFile(path.join(files, 'docs', 'report.pdf'), 'pdf');
  await fs.writeFile(path.join(files, 'docs', 'deep', 'note.txt'), 'note');
  await fs.writeFile(path.join(files, 'top.txt'), 'top');
  service = SkyfoldService.open({ dataDir: path.join(base, 'data') });
});
afterEach(async () => {
  service.close();
  await fs.rm(base, { recursive: true, force: true });
});

async function addAndIndex(name?: string) {
  const account = await service.addLocalAccount({ path: files, ...(name ? { name } : {}) });
  return service.refreshAccount({ accountId: account.id });
}

describe('SkyfoldService', () => {
  it('adds a local folder, indexes it, and browses it from the index', async () => {
    const account = await addAndIndex('Home');
    expect(account).toMatchObject({ name: 'Home', provider: 'local', location: await fs.realpath(files) });
    expect(account.sync).toMatchObject({ state: 'idle', itemCount: 6 });
    const root = await service.listFolder({
      accountId: account.id,
      folderId: account.rootId,
      sort: byName,
      offset: 0,
      limit: 100,
    });
    expect(root.items.map((item) => item.name)).toEqual(['docs', 'top.txt']);
    expect(root.ancestors).toEqual([]);
    const deep = await service.resolvePath({ accountId: account.id, path: '/docs/deep' });
    const page = await service.listFolder({
      accountId: account.id,
      folderId: deep.id,
      sort: byName,
      offset: 0,
      limit: 100,
    });
    expect(page.items.map((item) => item.name)).toEqual(['note.txt']);
    expect(page.ancestors.map((item) => item.name)).toEqual(['files', 'docs']);
  });

  it('serves browsing from the index while the disk changes, and catches up on refresh', async () => {
    const account = await addAndIndex();
    await fs.rm(path.join(files, 'top.txt'));
    await fs.writeFile(path.join(files, 'new.txt'), 'new');
    const stale = await service.listFolder({
      accountId: account.id,
      folderId: '',
      sort: byName,
      offset: 0,
      limit: 10,
    });
    expect(stale.items.map((item) => item.name)).toEqual(['docs', 'top.txt']);
    await service.refreshAccount({ accountId: account.id });
    const fresh = await service.listFolder({
      accountId: account.id,
      folderId: '',
      sort: byName,
      offset: 0,
      limit: 10,
    });
    expect(fresh.items.map((item) => item.name)).toEqual(['docs', 'new.txt']);
  });

  it('emits accounts-changed and index-changed events', async () => {
    const events: EngineEvent[] = [];
    service.onEvent((event) => events.push(event));
    const account = await addAndIndex();
    expect(events).toContainEqual({ type: 'accounts-changed' });
    expect(events).toContainEqual({ type: 'index-changed', accountId: account.id });
  });

  it('refuses relative paths, files, missing folders and duplicate accounts', async () => {
    await expect(service.addLocalAccount({ path: 'relative/path' })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(service.addLocalAccount({ path: path.join(files, 'top.txt') })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(service.addLocalAccount({ path: path.join(base, 'nope') })).rejects.toMatchObject({
      code: 'not_found',
    });
    await addAndIndex('One');
    await expect(service.addLocalAccount({ path: files })).rejects.toMatchObject({ code: 'conflict' });
    await expect(service.addLocalAccount({ path: base, name: 'one' })).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(service.addLocalAccount({ path: base, name: 'a:b' })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
  });

  it('names accounts after their folder, numbering repeats', async () => {
    const other = path.join(base, 'other', 'files');
    await fs.mkdir(other, { recursive: true });
    const first = await service.addLocalAccount({ path: files });
    const second = await service.addLocalAccount({ path: other });
    expect([first.name, second.name]).toEqual(['files', 'files (2)']);
  });

  it('removes an account and its index rows, never its files', async () => {
    const account = await addAndIndex();
    await service.removeAccount({ accountId: account.id });
    expect(await service.listAccounts()).toEqual([]);
    await expect(service.stat({ accountId: account.id, itemId: '' })).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(fs.readFile(path.join(files, 'top.txt'), 'utf8')).resolves.toBe('top');
  });

  it('keeps accounts and the index across restarts', async () => {
    const account = await addAndIndex();
    service.close();
    service = SkyfoldService.open({ dataDir: path.join(base, 'data') });
    expect((await service.listAccounts()).map((a) => a.id)).toEqual([account.id]);
    expect((await service.resolvePath({ accountId: account.id, path: 'docs/report.pdf' })).size).toBe(3);
  });

  it('reports missing paths and non-folders clearly', async () => {
    const account = await addAndIndex();
    await expect(service.resolvePath({ accountId: account.id, path: '/docs/missing' })).rejects.toThrow(
      /is not in the index/,
    );
    await expect(
      service.resolvePath({ accountId: account.id, path: '/docs/../top.txt' }),
    ).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(
      service.listFolder({ accountId: account.id, folderId: 'top.txt', sort: byName, offset: 0, limit: 1 }),
    ).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});

describe('SkyfoldService sync', () => {
  it('counts files, folders and bytes under a folder (diskUsage), refusing files and unknown folders', async () => {
    const account = await addAndIndex();
    await expect(service.diskUsage({ accountId: account.id, folderId: account.rootId })).resolves.toEqual({
      files: 3,
      folders: 2,
      bytes: 'pdf'.length + 'note'.length + 'top'.length,
    });
    const docs = await service.resolvePath({ accountId: account.id, path: '/docs' });
    await expect(service.diskUsage({ accountId: account.id, folderId: docs.id })).resolves.toEqual({
      files: 2,
      folders: 1,
      bytes: 7,
    });
    const top = await service.resolvePath({ accountId: account.id, path: '/top.txt' });
    await expect(service.diskUsage({ accountId: account.id, folderId: top.id })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(service.diskUsage({ accountId: account.id, folderId: 'nope' })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('keeps local accounts fresh in the background by watching them (startBackgroundSync)', async () => {
    service.close();
    service = SkyfoldService.open({ dataDir: path.join(base, 'data'), syncTiming: { localDebounceMs: 20 } });
    const account = await addAndIndex();
    service.startBackgroundSync();
    const names = async () =>
      (
        await service.listFolder({
          accountId: account.id,
          folderId: account.rootId,
          sort: byName,
          offset: 0,
          limit: 100,
        })
      ).items.map((item) => item.name);
    await fs.writeFile(path.join(files, 'appeared.txt'), 'new');
    await expect.poll(names, { timeout: 5000 }).toEqual(['docs', 'appeared.txt', 'top.txt']);
    await fs.rm(path.join(files, 'docs'), { recursive: true });
    await expect.poll(names, { timeout: 5000 }).toEqual(['appeared.txt', 'top.txt']);
    const [listed] = await service.listAccounts();
    expect(listed!.sync).toMatchObject({ state: 'idle', itemCount: 3, lastSyncedAt: expect.any(Number) });
  });

  it('syncAll asks every account for changes at once; refreshAccount full crawls again', async () => {
    const account = await addAndIndex();
    await fs.writeFile(path.join(files, 'later.txt'), 'later');
    await expect(service.syncAll()).resolves.toBeNull();
    await expect
      .poll(
        async () =>
          (await service.resolvePath({ accountId: account.id, path: '/later.txt' }).catch(() => null))?.name,
      )
      .toBe('later.txt');
    await fs.rm(path.join(files, 'later.txt'));
    await expect(service.refreshAccount({ accountId: account.id, full: true })).resolves.toMatchObject({
      sync: { state: 'idle', itemCount: 6 },
    });
  });
});

describe('SkyfoldService notices', () => {
  it('keeps notices for the UI, passes them to the host once, and announces changes', async () => {
    const told: string[] = [];
    const events: EngineEvent[] = [];
    const noisy = SkyfoldService.open({
      dataDir: path.join(base, 'notices'),
      warn: (message) => told.push(message),
    });
    noisy.onEvent((event) => events.push(event));
    noisy.notify('Tokens are kept in a file.');
    noisy.notify('Tokens are kept in a file.');
    expect(await noisy.listNotices()).toEqual(['Tokens are kept in a file.']);
    expect(told).toEqual(['Tokens are kept in a file.']);
    expect(events).toEqual([{ type: 'notices-changed' }]);
    noisy.close();
  });
});

describe('SkyfoldService while crawling', () => {
  it('stops a crawl when its account is removed and leaves no rows behind', async () => {
    for (let i = 0; i < 300; i++) await fs.writeFile(path.join(files, `bulk-${i}.txt`), 'x');
    const account = await service.addLocalAccount({ path: files });
    const crawl = service.refreshAccount({ accountId: account.id }).catch((error: unknown) => error);
    await service.removeAccount({ accountId: account.id });
    expect(await crawl).toMatchObject({ code: 'not_found' });
    const db = (await import('better-sqlite3')).default(path.join(base, 'data', 'index.db'));
    expect(db.prepare('SELECT count(*) AS n FROM items WHERE account_id = ?').get(account.id)).toEqual({
      n: 0,
    });
    db.close();
  });
});

describe('invokeContract', () => {
  it('validates the method name and arguments before calling the service', async () => {
    expect(await invokeContract(service, 'dropDatabase', {})).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });
    expect(await invokeContract(service, 'constructor', {})).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });
    expect(
      await invokeContract(service, 'listFolder', {
        accountId: 'x',
        folderId: '',
        offset: -1,
        limit: 5,
        sort: byName,
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument', message: expect.stringContaining('offset') },
    });
    expect(await invokeContract(service, 'listAccounts', { extra: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });
  });

  it('returns values and shared error codes', async () => {
    expect(await invokeContract(service, 'listAccounts', {})).toEqual({ ok: true, value: [] });
    expect(await invokeContract(service, 'stat', { accountId: 'nope', itemId: '' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });
});
