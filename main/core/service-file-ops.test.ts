/** The service's file operations (createFolder, renameItem, trashItems, restoreItems) on a local account. */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../common/contract';
import type { AccountDto } from '../../common/dto';
import { SkyfoldService } from './service';

let base: string;
let files: string;
let service: SkyfoldService;
let account: AccountDto;
let events: EngineEvent[];

beforeEach(async () => {
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-service-ops-'));
  files = path.join(base, 'files');
  await fs.mkdir(path.join(files, 'docs'), { recursive: true });
  await fs.writeFile(path.join(files, 'docs', 'report.pdf'), 'pdf');
  await fs.writeFile(path.join(files, 'top.txt'), 'top');
  service = SkyfoldService.open({ dataDir: path.join(base, 'data') });
  const added = await service.addLocalAccount({ path: files, name: 'Home' });
  account = await service.refreshAccount({ accountId: added.id });
  events = [];
  service.onEvent((event) => events.push(event));
});
afterEach(async () => {
  service.close();
  await fs.rm(base, { recursive: true, force: true });
});

/** The names in a folder, as the index lists them. */
async function names(folderId = account.rootId): Promise<string[]> {
  const page = await service.listFolder({
    accountId: account.id,
    folderId,
    sort: { by: 'name', direction: 'asc' },
    offset: 0,
    limit: 100,
  });
  return page.items.map((item) => item.name);
}

const indexChanged = () => events.filter((event) => event.type === 'index-changed');

describe('SkyfoldService file operations', () => {
  it('creates and renames, listed from the index at once, each reported as index-changed', async () => {
    const folder = await service.createFolder({
      accountId: account.id,
      parentId: account.rootId,
      name: 'New',
    });
    expect(await names()).toEqual(['docs', 'New', 'top.txt']);
    const renamed = await service.renameItem({ accountId: account.id, itemId: folder.id, name: 'Old' });
    expect(renamed).toMatchObject({ name: 'Old', kind: 'folder' });
    expect(await names()).toEqual(['docs', 'Old', 'top.txt']);
    expect(indexChanged()).toEqual([
      { type: 'index-changed', accountId: account.id },
      { type: 'index-changed', accountId: account.id },
    ]);
    await expect(
      service.renameItem({ accountId: account.id, itemId: renamed.id, name: 'top.txt' }),
    ).rejects.toMatchObject({ code: 'conflict' });
    await expect(
      service.createFolder({ accountId: 'nobody', parentId: '', name: 'x' }),
    ).rejects.toMatchObject({ code: 'not_found' });
  });

  it('trashes, then restores (undo) a folder with its content and a file', async () => {
    const docs = await service.resolvePath({ accountId: account.id, path: '/docs' });
    const top = await service.resolvePath({ accountId: account.id, path: '/top.txt' });
    const items = [docs, top].map((item) => ({ accountId: account.id, itemId: item.id }));
    const { trashed } = await service.trashItems({ items });
    expect(trashed.map((item) => [item.name, item.restorable])).toEqual([
      ['docs', true],
      ['top.txt', true],
    ]);
    expect(await names()).toEqual([]);
    await expect(fs.readdir(files)).resolves.toEqual(['.skyfold-trash']);

    const { restored } = await service.restoreItems({ items });
    expect(restored.map((item) => item.name)).toEqual(['docs', 'top.txt']);
    expect(await names()).toEqual(['docs', 'top.txt']);
    expect(await names(docs.id)).toEqual(['report.pdf']);
    expect(await fs.readFile(path.join(files, 'docs', 'report.pdf'), 'utf8')).toBe('pdf');
    expect(indexChanged()).toHaveLength(2);
  });

  it('refuses to trash the root and to restore onto a name taken meanwhile', async () => {
    await expect(
      service.trashItems({ items: [{ accountId: account.id, itemId: account.rootId }] }),
    ).rejects.toMatchObject({ code: 'invalid_argument' });
    const top = await service.resolvePath({ accountId: account.id, path: '/top.txt' });
    const items = [{ accountId: account.id, itemId: top.id }];
    await service.trashItems({ items });
    await fs.writeFile(path.join(files, 'top.txt'), 'newer');
    await expect(service.restoreItems({ items })).rejects.toMatchObject({ code: 'conflict' });
    expect(await fs.readFile(path.join(files, 'top.txt'), 'utf8')).toBe('newer');
  });
});
