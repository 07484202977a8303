/**
 * Cloud accounts through the contract, against the Drive emulator: the sign-in announced as an event
 * (the web host's way), quota and health on the account, cancelling, and needs-reconnect after the
 * grant is revoked at the server.
 */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startGdriveEmulator, type GdriveEmulator } from '../../emulators';
import type { EngineEvent } from '../../common/contract';
import { MemoryTokenStore } from './auth';
import { SkyfoldService } from './service';
import { followSignInPages } from './service-test-support';

let emulator: GdriveEmulator;
let base: string;
let service: SkyfoldService;
let events: EngineEvent[];

beforeEach(async () => {
  emulator = await startGdriveEmulator({ seed: 'demo', autoConsent: true });
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-cloud-'));
  const tokens = new MemoryTokenStore();
  service = SkyfoldService.open({
    dataDir: base,
    env: { SKYFOLD_GDRIVE_CLIENT_ID: 'skyfold-tests', SKYFOLD_GDRIVE_ENDPOINT: emulator.url },
    openTokenStore: async () => tokens,
  });
  events = [];
  service.onEvent((event) => events.push(event));
});
afterEach(async () => {
  service.close();
  await emulator.close();
  await fs.rm(base, { recursive: true, force: true });
});

describe('cloud accounts through the contract', () => {
  it('announces the sign-in page, adds the account with its quota, and indexes it', async () => {
    followSignInPages(service);
    const account = await service.addCloudAccount({ provider: 'gdrive' });
    expect(account).toMatchObject({ provider: 'gdrive', location: emulator.users[0], health: 'ok' });
    const signInEvents = events.filter((event) => event.type === 'sign-in');
    expect(signInEvents[0]).toMatchObject({
      provider: 'gdrive',
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/o\/oauth2\/v2\/auth\?/),
    });
    expect(signInEvents.at(-1)).toEqual({ type: 'sign-in', provider: 'gdrive', url: null });
    const indexed = await service.refreshAccount({ accountId: account.id });
    expect(indexed.quota).toMatchObject({ usedBytes: expect.any(Number), totalBytes: 15 * 1024 ** 3 });
    expect(indexed.sync.itemCount).toBeGreaterThan(10);
  });

  it('opens a folder shortcut as its target and does not crawl through it', async () => {
    followSignInPages(service);
    const account = await service.addCloudAccount({ provider: 'gdrive' });
    await service.refreshAccount({ accountId: account.id });
    const byName = { by: 'name', direction: 'asc' } as const;
    const shortcut = await service.resolvePath({ accountId: account.id, path: '/Summer photos' });
    const target = await service.resolvePath({ accountId: account.id, path: '/Photos/2024' });
    expect(shortcut.targetId).toBe(target.id);
    const viaShortcut = await service.listFolder({
      accountId: account.id,
      folderId: shortcut.id,
      sort: byName,
      offset: 0,
      limit: 100,
    });
    const direct = await service.listFolder({
      accountId: account.id,
      folderId: target.id,
      sort: byName,
      offset: 0,
      limit: 100,
    });
    expect(viaShortcut.folder.id).toBe(target.id);
    expect(viaShortcut.items.map((item) => item.id)).toEqual(direct.items.map((item) => item.id));
    expect(direct.items.length).toBeGreaterThan(0);
    expect(direct.items.every((item) => item.parentId === target.id)).toBe(true);
  });

  it('cancels a waiting sign-in, and allows one sign-in at a time', async () => {
    const waiting = service.addCloudAccount({ provider: 'gdrive' }).catch((error: unknown) => error);
    await expect.poll(() => events.some((event) => event.type === 'sign-in' && event.url)).toBe(true);
    await expect(service.addCloudAccount({ provider: 'gdrive' })).rejects.toMatchObject({ code: 'conflict' });
    await service.cancelSignIn();
    expect(await waiting).toMatchObject({ code: 'permanent' });
    expect(await service.listAccounts()).toEqual([]);
  });

  it('marks the account needs-reconnect when its grant is revoked, and reconnects it on a new sign-in', async () => {
    followSignInPages(service);
    const account = await service.addCloudAccount({ provider: 'gdrive' });
    await service.refreshAccount({ accountId: account.id });
    emulator.admin.revokeTokens();
    emulator.admin.expireTokens();
    // The sync fails, and says so in the account's state (the index stays as it was).
    await expect(service.refreshAccount({ accountId: account.id })).resolves.toMatchObject({
      health: 'needs_reconnect',
      sync: { state: 'error', message: expect.stringMatching(/sign in|reconnect|revoked|grant/i) },
    });
    const [after] = await service.listAccounts();
    expect(after).toMatchObject({ health: 'needs_reconnect', sync: { state: 'error' } });

    // Signing in again reconnects the same account.
    const reconnected = await service.addCloudAccount({ provider: 'gdrive' });
    expect(reconnected).toMatchObject({ id: account.id, health: 'ok' });
    await expect(service.refreshAccount({ accountId: account.id })).resolves.toMatchObject({
      sync: { state: 'idle' },
    });
    // ...while a healthy account signed in again is refused.
    await expect(service.addCloudAccount({ provider: 'gdrive' })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('pauses transfers to an account whose grant was revoked, and resumes them once it is signed in again', async () => {
    followSignInPages(service);
    const account = await service.addCloudAccount({ provider: 'gdrive' });
    await fs.mkdir(path.join(base, 'desk'));
    await fs.writeFile(path.join(base, 'desk', 'notes.txt'), 'kept safe');
    const plan = await service.startTransfer({
      op: 'move',
      source: { paths: [path.join(base, 'desk', 'notes.txt')] },
      destination: { accountId: account.id, folderId: account.rootId },
      conflict: 'rename',
    });
    // Planned while signed in; the grant is revoked before the copy goes out.
    await service.controlTransfers({ action: 'pause' });
    emulator.admin.revokeTokens();
    emulator.admin.expireTokens();
    await service.controlTransfers({ action: 'resume' });
    await service.runTransfers();
    expect((await service.listTransfers({ batchId: plan.batchId })).jobs[0]).toMatchObject({
      paused: 'needs_reconnect',
    });
    expect(await fs.readFile(path.join(base, 'desk', 'notes.txt'), 'utf8')).toBe('kept safe');

    await service.addCloudAccount({ provider: 'gdrive' }); // signs in again: the job goes on
    await vi.waitFor(
      async () =>
        expect((await service.listTransfers({ batchId: plan.batchId })).batches[0]).toMatchObject({
          state: 'finished',
          summary: expect.objectContaining({ done: 1 }),
        }),
      { timeout: 10_000 },
    );
    await expect(fs.stat(path.join(base, 'desk', 'notes.txt'))).rejects.toThrow();
  });
});
