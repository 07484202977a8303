/**
 * `skyfold accounts add onedrive` end to end against the Microsoft identity + Graph emulator: the
 * loopback sign-in on an ephemeral port (Microsoft ignores the port of a localhost redirect URI),
 * PKCE as a public client (no secret), `offline_access` (a refresh token), the account indexed and
 * listed from the index next to what Graph holds, and removal forgetting the tokens (Microsoft has no
 * revoke endpoint for public clients).
 */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOnedriveEmulator, type OnedriveEmulator } from '../../emulators';
import { jsonLines, refreshAnswer, runCliAsUser, storedRefreshToken } from './test-support';

const clientId = '0c5e8a41-2f3b-4d7e-a1c9-6b8f0e2d4a73';
let emulator: OnedriveEmulator;
let base: string;

beforeAll(async () => {
  emulator = await startOnedriveEmulator({ seed: 'demo', autoConsent: true });
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-cli-onedrive-'));
});
afterAll(async () => {
  await emulator.close();
  await fs.rm(base, { recursive: true, force: true });
});

const cli = (...args: string[]) =>
  runCliAsUser(args, {
    base,
    dataDir: path.join(base, 'data'),
    env: { SKYFOLD_ONEDRIVE_CLIENT_ID: clientId },
  });

/** The root's names as the emulated Graph itself lists them. */
async function serverRootNames(user: string): Promise<string[]> {
  const response = await fetch(`${emulator.url}/v1.0/me/drive/root/children?$top=1000&$select=name`, {
    headers: { Authorization: `Bearer ${emulator.admin.issueTokens(user).access_token}` },
  });
  const page = (await response.json()) as { value: { name: string }[]; '@odata.nextLink'?: string };
  expect(page['@odata.nextLink']).toBeUndefined();
  return page.value.map((entry) => entry.name);
}

describe('skyfold accounts add onedrive', () => {
  it('signs in as a public client on a loopback port, indexes the OneDrive and lists it', async () => {
    const added = await cli(
      'accounts',
      'add',
      'onedrive',
      '--endpoint',
      emulator.url,
      '--no-browser',
      '--json',
    );
    expect(added.status, added.stderr).toBe(0);
    expect(added.pages[0]).toMatch(/close this window/i);
    const authorize = added.signInUrls[0]!;
    expect(authorize.pathname).toBe('/common/oauth2/v2.0/authorize');
    expect(authorize.searchParams.get('redirect_uri')).toMatch(/^http:\/\/localhost:\d+\//);
    expect(authorize.searchParams.get('scope')?.split(' ')).toEqual(
      expect.arrayContaining(['Files.ReadWrite.All', 'offline_access']),
    );
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    const account = JSON.parse(added.stdout) as {
      id: string;
      name: string;
      provider: string;
      sync: { itemCount: number };
    };
    const user = emulator.users[0]!;
    expect(account).toMatchObject({ provider: 'onedrive', name: user });
    expect(account.sync.itemCount).toBeGreaterThan(5);

    const listed = await cli('ls', `${account.name}:`, '--json');
    expect(listed.status, listed.stderr).toBe(0);
    const names = jsonLines<{ name: string }>(listed.stdout).map((entry) => entry.name);
    expect([...names].sort()).toEqual((await serverRootNames(user)).sort());
    // OneDrive paths are case-insensitive, in the index too (offline).
    const folder = jsonLines<{ name: string; kind: string }>(listed.stdout).find(
      (entry) => entry.kind === 'folder',
    )!;
    const upper = await cli('ls', `${account.name}:/${folder.name.toUpperCase()}`, '--json');
    const lower = await cli('ls', `${account.name}:/${folder.name.toLowerCase()}`, '--json');
    expect(upper.status, upper.stderr).toBe(0);
    // Either spelling lists the same entries, with their paths as OneDrive spells them.
    expect(upper.stdout).toBe(lower.stdout);
    const inside = jsonLines<{ path: string; name: string }>(upper.stdout);
    expect(inside.length).toBeGreaterThan(0);
    for (const entry of inside) expect(entry.path).toBe(`/${folder.name}/${entry.name}`);

    const twice = await cli('accounts', 'add', 'onedrive', '--endpoint', emulator.url, '--no-browser');
    expect(twice.status).toBe(1);
    expect(twice.stderr).toMatch(/already the account/);

    const credentials = path.join(base, 'data', 'credentials', 'tokens.json');
    const refreshToken = await storedRefreshToken(credentials, account.id);
    expect(refreshToken).toBeTruthy();
    const removed = await cli('accounts', 'remove', account.id);
    expect(removed.status, removed.stderr).toBe(0);
    expect(await fs.readFile(credentials, 'utf8')).not.toContain(account.id);
    // No revoke at Microsoft: the grant outlives Skyfold's copy, which is gone (a refresh still works).
    expect(
      await refreshAnswer(`${emulator.url}/common/oauth2/v2.0/token`, clientId, refreshToken!),
    ).toMatchObject({ token_type: 'Bearer', refresh_token: expect.any(String) });
  });
});
