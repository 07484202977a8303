/**
 * A OneDrive account next to the same person's Drive and Dropbox, through the contract: the default
 * name telling the three apart, the OneDrive indexed with its quota and browsable from the index, its
 * paths case-insensitive offline, and Microsoft's refresh-token rotation: each refresh returns a new
 * refresh token, which Skyfold stores and uses for the next refresh.
 */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulators, type RunningEmulators } from '../../emulators';
import { MemoryTokenStore } from './auth';
import type { SkyfoldService } from './service';
import { openOnEmulators } from './service-test-support';

const clientId = '7a1d3c5e-9b2f-4e60-8c4a-1f3e5d7b9a02';
let emulators: RunningEmulators;
let base: string;
let tokens: MemoryTokenStore;
let service: SkyfoldService;

beforeEach(async () => {
  emulators = await startEmulators({ seed: 'demo', autoConsent: true });
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-onedrive-'));
  tokens = new MemoryTokenStore();
  service = openOnEmulators({ dataDir: base, emulators, tokens, onedriveClientId: clientId });
});
afterEach(async () => {
  service.close();
  await emulators.close();
  await fs.rm(base, { recursive: true, force: true });
});

const byName = { by: 'name', direction: 'asc' } as const;

describe('a OneDrive account next to Drive and Dropbox', () => {
  it('names each account of the same e-mail after its cloud, and browses the OneDrive from the index', async () => {
    const drive = await service.addCloudAccount({ provider: 'gdrive' });
    const dropbox = await service.addCloudAccount({ provider: 'dropbox' });
    const onedrive = await service.addCloudAccount({ provider: 'onedrive' });
    const user = emulators.onedrive.users[0]!;
    expect(onedrive).toMatchObject({ provider: 'onedrive', location: user, health: 'ok' });
    expect([drive.name, dropbox.name, onedrive.name]).toEqual([
      user,
      `${user} (Dropbox)`,
      `${user} (OneDrive)`,
    ]);

    const indexed = await service.refreshAccount({ accountId: onedrive.id });
    expect(indexed.quota).toMatchObject({ usedBytes: expect.any(Number), totalBytes: expect.any(Number) });
    expect(indexed.sync.itemCount).toBeGreaterThan(5);
    const root = await service.listFolder({
      accountId: onedrive.id,
      folderId: onedrive.rootId,
      sort: byName,
      offset: 0,
      limit: 1000,
    });
    const folder = root.items.find((item) => item.kind === 'folder')!;
    expect(folder).toBeDefined();
    const inside = await service.listFolder({
      accountId: onedrive.id,
      folderId: folder.id,
      sort: byName,
      offset: 0,
      limit: 1000,
    });
    expect(inside.items.every((item) => item.parentId === folder.id)).toBe(true);
    // OneDrive names are case-insensitive, so are its paths (offline, from the index).
    const shouted = await service.resolvePath({
      accountId: onedrive.id,
      path: `/${folder.name.toUpperCase()}`,
    });
    expect(shouted.id).toBe(folder.id);
    expect((await service.listAccounts()).map((account) => account.provider).sort()).toEqual([
      'dropbox',
      'gdrive',
      'onedrive',
    ]);
  });

  it('stores the new refresh token of every refresh and keeps working on it', async () => {
    const onedrive = await service.addCloudAccount({ provider: 'onedrive' });
    const first = (await tokens.get(onedrive.id))!.refreshToken!;
    expect(first).toBeTruthy();

    const user = emulators.onedrive.users[0];
    emulators.onedrive.admin.expireTokens(user);
    expect((await service.refreshAccount({ accountId: onedrive.id })).health).toBe('ok');
    const second = (await tokens.get(onedrive.id))!.refreshToken!;
    expect(second).toBeTruthy();
    expect(second).not.toBe(first);

    // Again: the refresh ran on the stored (rotated) token, and rotated it once more.
    emulators.onedrive.admin.expireTokens(user);
    expect((await service.refreshAccount({ accountId: onedrive.id })).health).toBe('ok');
    const third = (await tokens.get(onedrive.id))!.refreshToken!;
    expect(new Set([first, second, third]).size).toBe(3);
  });
});
