/**
 * The merged browser's engine calls through the contract (issue 8): the merged view over several
 * local accounts, item details, opening an item's web page (Drive emulator), index info and rebuild.
 */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startGdriveEmulator } from '../../emulators';
import type { MergedRowDto } from '../../common/dto';
import { MemoryTokenStore } from './auth';
import { invokeContract } from './contract-dispatch';
import { SkyfoldService } from './service';
import { followSignInPages } from './service-test-support';

let base: string;
let service: SkyfoldService;
const byName = { by: 'name', direction: 'asc' } as const;

beforeEach(async () => {
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-browser-'));
});
afterEach(async () => {
  service.close();
  await fs.rm(base, { recursive: true, force: true });
});

/** A local account over a folder holding `files` (relative paths -> content), indexed. */
async function localAccount(name: string, files: Record<string, string>) {
  const root = path.join(base, name);
  await fs.mkdir(root, { recursive: true });
  for (const [file, content] of Object.entries(files)) {
    await fs.mkdir(path.join(root, path.dirname(file)), { recursive: true });
    await fs.writeFile(path.join(root, file), content);
  }
  const account = await service.addLocalAccount({ path: root, name });
  return service.refreshAccount({ accountId: account.id });
}

const describeRow = (row: MergedRowDto) =>
  `${row.name}[${row.items.map((item) => item.accountId).join(',')}]`;

describe('merged view through the contract', () => {
  beforeEach(() => {
    service = SkyfoldService.open({ dataDir: path.join(base, 'data') });
  });

  it('lists the same path of several accounts as one folder, and pages it', async () => {
    const home = await localAccount('Home', {
      'Photos/2024/a.jpg': 'a',
      'Photos/same.txt': 'home',
      'notes.txt': 'n',
    });
    const work = await localAccount('Work', { 'photos/2024/b.jpg': 'bb', 'photos/same.txt': 'work' });
    // Through the contract's validation, as hosts call it.
    const outcome = await invokeContract(service, 'listMerged', {
      path: '/',
      sort: byName,
      offset: 0,
      limit: 10,
    });
    expect(outcome).toMatchObject({ ok: true, value: { path: '/', total: 2 } });
    const top = await service.listMerged({ path: '/', sort: byName, offset: 0, limit: 10 });
    expect(top.rows.map(describeRow)).toEqual([`Photos[${home.id},${work.id}]`, `notes.txt[${home.id}]`]);
    const photos = await service.listMerged({ path: '/PHOTOS', sort: byName, offset: 0, limit: 10 });
    expect(photos).toMatchObject({ path: '/PHOTOS', total: 3, offset: 0 });
    expect(photos.folders.map((folder) => folder.accountId)).toEqual([home.id, work.id]);
    expect(photos.rows.map(describeRow)).toEqual([
      `2024[${home.id},${work.id}]`,
      `same.txt[${home.id}]`,
      `same.txt[${work.id}]`,
    ]);
    const second = await service.listMerged({ path: '/photos', sort: byName, offset: 1, limit: 1 });
    expect(second.rows.map(describeRow)).toEqual([`same.txt[${home.id}]`]);
    const bySize = await service.listMerged({
      path: '/photos/2024',
      sort: { by: 'size', direction: 'desc' },
      offset: 0,
      limit: 10,
    });
    expect(bySize.rows.map((row) => row.name)).toEqual(['b.jpg', 'a.jpg']);
  });

  it('limits the view to the given accounts, and says what is missing', async () => {
    await localAccount('Home', { 'Photos/a.jpg': 'a' });
    const work = await localAccount('Work', { 'Docs/b.txt': 'b' });
    const only = await service.listMerged({
      path: '/',
      accounts: [work.id],
      sort: byName,
      offset: 0,
      limit: 10,
    });
    expect(only.rows.map((row) => row.name)).toEqual(['Docs']);
    await expect(
      service.listMerged({ path: '/Photos', accounts: [work.id], sort: byName, offset: 0, limit: 10 }),
    ).rejects.toMatchObject({ code: 'not_found' });
    await expect(
      service.listMerged({ path: '/', accounts: ['nobody'], sort: byName, offset: 0, limit: 10 }),
    ).rejects.toMatchObject({ code: 'not_found' });
    await expect(
      service.listMerged({ path: '/../x', sort: byName, offset: 0, limit: 10 }),
    ).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});

describe('item details, index info and rebuild (local accounts)', () => {
  beforeEach(() => {
    service = SkyfoldService.open({ dataDir: path.join(base, 'data') });
  });

  it('gives the path from the root and no web page; opening one is refused', async () => {
    const home = await localAccount('Home', { 'docs/deep/note.txt': 'note' });
    const note = await service.resolvePath({ accountId: home.id, path: '/docs/deep/note.txt' });
    expect(await invokeContract(service, 'itemDetails', { accountId: home.id, itemId: note.id })).toEqual({
      ok: true,
      value: { item: note, path: '/docs/deep/note.txt', hashes: {}, webUrl: null },
    });
    const root = await service.itemDetails({ accountId: home.id, itemId: home.rootId });
    expect(root.path).toBe('/');
    await expect(service.openInBrowser({ accountId: home.id, itemId: note.id })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(service.itemDetails({ accountId: home.id, itemId: 'missing' })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('reports where the index is and how big, and rebuilds it in the background', async () => {
    await localAccount('Home', { 'a.txt': 'a', 'b/c.txt': 'c' });
    const info = await service.getIndexInfo();
    expect(info.dataDir).toBe(path.join(base, 'data'));
    expect(info.items).toBe(4); // the root, a.txt, b, b/c.txt
    expect(info.indexBytes).toBeGreaterThan(0);
    expect(info.thumbnailBytes).toBe(0);
    await fs.writeFile(path.join(base, 'Home', 'new.txt'), 'new');
    expect(await service.rebuildIndex()).toBeNull();
    // The rebuild's listing runs in the background (nothing else syncs this service).
    await vi.waitFor(async () => expect((await service.getIndexInfo()).items).toBe(5));
  });
});

describe('opening an item in the browser (Google Drive emulator)', () => {
  it("opens the page with the host's browser, or returns it when the host has none", async () => {
    const emulator = await startGdriveEmulator({ seed: 'demo', autoConsent: true });
    try {
      const opened: string[] = [];
      const tokens = new MemoryTokenStore();
      const open = (openBrowser?: (url: string) => Promise<void>) =>
        SkyfoldService.open({
          dataDir: path.join(base, 'cloud'),
          env: { SKYFOLD_GDRIVE_CLIENT_ID: 'skyfold-tests', SKYFOLD_GDRIVE_ENDPOINT: emulator.url },
          openTokenStore: async () => tokens,
          ...(openBrowser ? { openBrowser } : {}),
        });
      service = open();
      followSignInPages(service);
      const account = await service.addCloudAccount({ provider: 'gdrive' });
      await service.refreshAccount({ accountId: account.id });
      const top = await service.listFolder({
        accountId: account.id,
        folderId: account.rootId,
        sort: byName,
        offset: 0,
        limit: 100,
      });
      const folder = top.items.find((item) => item.kind === 'folder' && item.targetId === null)!;
      const expected = `https://drive.google.com/drive/folders/${folder.id}`;
      expect((await service.itemDetails({ accountId: account.id, itemId: folder.id })).webUrl).toBe(expected);
      expect(await service.openInBrowser({ accountId: account.id, itemId: folder.id })).toEqual({
        url: expected,
        opened: false,
      });
      service.close();
      service = open(async (url) => {
        opened.push(url);
      });
      expect(await service.openInBrowser({ accountId: account.id, itemId: account.rootId })).toEqual({
        url: 'https://drive.google.com/drive/my-drive',
        opened: true,
      });
      expect(opened).toEqual(['https://drive.google.com/drive/my-drive']);
    } finally {
      await emulator.close();
    }
  });
});
