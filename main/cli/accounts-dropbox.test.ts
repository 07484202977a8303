/**
 * `skyfold accounts add dropbox` end to end against the Dropbox emulator: the loopback sign-in on
 * Dropbox's fixed redirect port (Dropbox matches the registered redirect URI exactly), PKCE without a
 * secret, an offline grant (refresh token), the account indexed and listed from the index next to
 * what the server holds, and removal revoking the grant.
 */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDropboxEmulator, type DropboxEmulator } from '../../emulators';
import { jsonLines, refreshAnswer, runCliAsUser, storedRefreshToken } from './test-support';

const clientId = 'skyfold-tests-app-key';
let emulator: DropboxEmulator;
let base: string;

beforeAll(async () => {
  // Registered as in Dropbox's App Console: only this redirect URI, port included, is accepted.
  emulator = await startDropboxEmulator({
    seed: 'demo',
    autoConsent: true,
    clients: [{ id: clientId, redirectUris: ['http://127.0.0.1:27563/callback'] }],
  });
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-cli-dropbox-'));
});
afterAll(async () => {
  await emulator.close();
  await fs.rm(base, { recursive: true, force: true });
});

const cli = (...args: string[]) =>
  runCliAsUser(args, {
    base,
    dataDir: path.join(base, 'data'),
    env: { SKYFOLD_DROPBOX_CLIENT_ID: clientId },
  });

/** The root's names as the emulated Dropbox itself lists them. */
async function serverRootNames(user: string): Promise<string[]> {
  const response = await fetch(`${emulator.url}/2/files/list_folder`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${emulator.admin.issueTokens(user).access_token}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({ path: '', limit: 2000 }),
  });
  const page = (await response.json()) as { entries: { name: string }[]; has_more: boolean };
  expect(page.has_more).toBe(false);
  return page.entries.map((entry) => entry.name);
}

describe('skyfold accounts add dropbox', () => {
  it('signs in on the fixed redirect port, indexes the Dropbox, lists it, and revokes on removal', async () => {
    const added = await cli(
      'accounts',
      'add',
      'dropbox',
      '--endpoint',
      emulator.url,
      '--no-browser',
      '--json',
    );
    expect(added.status, added.stderr).toBe(0);
    expect(added.pages[0]).toMatch(/close this window/i);
    const authorize = added.signInUrls[0]!;
    expect(authorize.pathname).toBe('/oauth2/authorize');
    expect(authorize.searchParams.get('redirect_uri')).toBe('http://127.0.0.1:27563/callback');
    expect(authorize.searchParams.get('token_access_type')).toBe('offline');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    const account = JSON.parse(added.stdout) as {
      id: string;
      name: string;
      provider: string;
      sync: { itemCount: number };
    };
    const user = emulator.users[0]!;
    expect(account).toMatchObject({ provider: 'dropbox', name: user });
    expect(account.sync.itemCount).toBeGreaterThan(5);

    const listed = await cli('ls', `${account.name}:`, '--json');
    expect(listed.status, listed.stderr).toBe(0);
    const names = jsonLines<{ name: string }>(listed.stdout).map((entry) => entry.name);
    expect([...names].sort()).toEqual((await serverRootNames(user)).sort());

    const twice = await cli('accounts', 'add', 'dropbox', '--endpoint', emulator.url, '--no-browser');
    expect(twice.status).toBe(1);
    expect(twice.stderr).toMatch(/already the account/);

    const credentials = path.join(base, 'data', 'credentials', 'tokens.json');
    const refreshToken = await storedRefreshToken(credentials, account.id);
    expect(refreshToken).toBeTruthy();
    const removed = await cli('accounts', 'remove', account.id);
    expect(removed.status, removed.stderr).toBe(0);
    expect(await fs.readFile(credentials, 'utf8')).not.toContain(account.id);
    // Revoking at Dropbox ends the whole grant: the refresh token is refused too.
    expect(await refreshAnswer(`${emulator.url}/oauth2/token`, clientId, refreshToken!)).toMatchObject({
      error: 'invalid_grant',
    });
  });
});
