/**
 * `skyfold accounts add gdrive` end to end against the Drive emulator: the real loopback sign-in
 * (PKCE, state), tokens stored, the account indexed, `ls` from the index, and removal revoking the
 * grant at the server.
 */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGdriveEmulator, type GdriveEmulator } from '../../emulators';
import { jsonLines, refreshAnswer, runCliAsUser, storedRefreshToken } from './test-support';

const clientId = 'skyfold-tests.apps.googleusercontent.com';
let emulator: GdriveEmulator;
let base: string;

beforeAll(async () => {
  emulator = await startGdriveEmulator({ seed: 'demo', autoConsent: true });
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-cli-gdrive-'));
});
afterAll(async () => {
  await emulator.close();
  await fs.rm(base, { recursive: true, force: true });
});

const cli = (...args: string[]) =>
  runCliAsUser(args, {
    base,
    dataDir: path.join(base, 'data'),
    env: { SKYFOLD_GDRIVE_CLIENT_ID: clientId },
  });

describe('skyfold accounts add gdrive', () => {
  it('signs in through the browser, stores the tokens privately, indexes the drive, and removes it again', async () => {
    const added = await cli(
      'accounts',
      'add',
      'gdrive',
      '--endpoint',
      emulator.url,
      '--no-browser',
      '--json',
    );
    expect(added.status, added.stderr).toBe(0);
    expect(added.pages[0]).toMatch(/close this window/i);
    const account = JSON.parse(added.stdout) as {
      id: string;
      name: string;
      provider: string;
      sync: { itemCount: number };
    };
    expect(account).toMatchObject({ provider: 'gdrive', name: emulator.users[0] });
    expect(account.sync.itemCount).toBeGreaterThan(10);

    const credentials = path.join(base, 'data', 'credentials', 'tokens.json');
    expect((await fs.stat(credentials)).mode & 0o777).toBe(0o600);
    expect(await fs.readFile(credentials, 'utf8')).toContain(account.id);

    const listed = await cli('ls', `${account.name}:`, '--json');
    expect(listed.status, listed.stderr).toBe(0);
    const names = jsonLines<{ name: string }>(listed.stdout).map((entry) => entry.name);
    expect(names).toContain('Documents');
    // Google documents are listed with the formats they download as; files with bytes are not.
    const documents = await cli('ls', `${account.name}:/Documents`, '--json');
    const byName = new Map(
      jsonLines<{ name: string; exportFormats?: string[] }>(documents.stdout).map((entry) => [
        entry.name,
        entry.exportFormats,
      ]),
    );
    expect(byName.get('Project plan')?.[0]).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    expect(byName.get('Budget 2025')).toContain('text/csv');
    expect(byName.has('notes.txt')).toBe(true);
    expect(byName.get('notes.txt')).toBeUndefined();

    const twice = await cli('accounts', 'add', 'gdrive', '--endpoint', emulator.url, '--no-browser');
    expect(twice.status).toBe(1);
    expect(twice.stderr).toMatch(/already the account/);

    const refreshToken = await storedRefreshToken(credentials, account.id);
    expect(refreshToken).toBeTruthy();
    const removed = await cli('accounts', 'remove', account.id);
    expect(removed.status, removed.stderr).toBe(0);
    expect(await fs.readFile(credentials, 'utf8')).not.toContain(account.id);
    // The grant was revoked at the server: the old refresh token no longer works.
    expect(await refreshAnswer(`${emulator.url}/token`, clientId, refreshToken!)).toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('explains what to do when no client id is configured', async () => {
    const { status, stderr } = await runCliAsUser(['accounts', 'add', 'gdrive', '--no-browser'], {
      base,
      dataDir: path.join(base, 'other'),
      env: {},
    });
    expect(status).toBe(1);
    expect(stderr).toMatch(/client id/i);
  });
});
