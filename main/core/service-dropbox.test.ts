/**
 * A Dropbox account next to a Google Drive account of the same person, through the contract: the
 * sign-in announced as an event, the default name telling the two apart, the Dropbox indexed with its
 * quota and browsable folder by folder from the index.
 */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulators, type RunningEmulators } from '../../emulators';
import { MemoryTokenStore } from './auth';
import type { SkyfoldService } from './service';
import { openOnEmulators } from './service-test-support';

let emulators: RunningEmulators;
let base: string;
let service: SkyfoldService;

beforeEach(async () => {
  emulators = await startEmulators({ seed: 'demo', autoConsent: true });
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-dropbox-'));
  const tokens = new MemoryTokenStore();
  service = openOnEmulators({ dataDir: base, emulators, tokens });
});
afterEach(async () => {
  service.close();
  await emulators.close();
  await fs.rm(base, { recursive: true, force: true });
});

const byName = { by: 'name', direction: 'asc' } as const;

describe('a Dropbox account next to a Drive account', () => {
  it('names the second account of the same e-mail after its cloud, and browses both from the index', async () => {
    const drive = await service.addCloudAccount({ provider: 'gdrive' });
    const dropbox = await service.addCloudAccount({ provider: 'dropbox' });
    const user = emulators.dropbox.users[0]!;
    expect(drive.name).toBe(emulators.gdrive.users[0]);
    expect(dropbox).toMatchObject({ provider: 'dropbox', location: user, health: 'ok' });
    // The demo seeds give both clouds the same first user: the second account is told apart by its cloud.
    expect(drive.name).toBe(user);
    expect(dropbox.name).toBe(`${user} (Dropbox)`);

    const indexed = await service.refreshAccount({ accountId: dropbox.id });
    expect(indexed.quota).toMatchObject({ usedBytes: expect.any(Number) });
    expect(indexed.sync.itemCount).toBeGreaterThan(5);
    const root = await service.listFolder({
      accountId: dropbox.id,
      folderId: dropbox.rootId,
      sort: byName,
      offset: 0,
      limit: 1000,
    });
    expect(root.total).toBeGreaterThan(0);
    const folder = root.items.find((item) => item.kind === 'folder')!;
    expect(folder).toBeDefined();
    const inside = await service.listFolder({
      accountId: dropbox.id,
      folderId: folder.id,
      sort: byName,
      offset: 0,
      limit: 1000,
    });
    expect(inside.items.every((item) => item.parentId === folder.id)).toBe(true);
    const resolved = await service.resolvePath({ accountId: dropbox.id, path: `/${folder.name}` });
    expect(resolved.id).toBe(folder.id);
    // Dropbox names are case-insensitive, so are its paths (offline, from the index); Drive's are not.
    const shouted = await service.resolvePath({
      accountId: dropbox.id,
      path: `/${folder.name.toUpperCase()}`,
    });
    expect(shouted.id).toBe(folder.id);
    const driveFolder = (
      await service.listFolder({
        accountId: drive.id,
        folderId: drive.rootId,
        sort: byName,
        offset: 0,
        limit: 1000,
      })
    ).items.find((item) => item.kind === 'folder')!;
    await expect(
      service.resolvePath({ accountId: drive.id, path: `/${driveFolder.name.toUpperCase()}` }),
    ).rejects.toMatchObject({ code: 'not_found' });

    const driveRoot = await service.listFolder({
      accountId: drive.id,
      folderId: drive.rootId,
      sort: byName,
      offset: 0,
      limit: 1000,
    });
    expect(driveRoot.total).toBeGreaterThan(0);
    expect((await service.listAccounts()).map((account) => account.provider).sort()).toEqual([
      'dropbox',
      'gdrive',
    ]);
  });
});
