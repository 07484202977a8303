/** OAuth through the official SDK's DropboxAuth: PKCE code flow, refresh, revoke, Dropbox's token shapes. */
import { Dropbox, DropboxAuth } from 'dropbox';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { s256 } from '../shared/oauth';
import { ALICE, CLIENT_ID, rejection, rpc, startHarness, type Harness } from './test-support';

const REDIRECT = 'http://127.0.0.1:53682/callback';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ autoConsent: true });
});
afterEach(() => h.close());

/**
 * Follows the authorize URL (auto-consent) and returns the redirect's query. The SDK builds it on
 * `https://dropbox.com` (not www.), which dropboxFetch serves from the emulator too.
 */
async function authorize(url: string): Promise<URLSearchParams> {
  const response = await h.fetch(url, { redirect: 'manual' });
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('location') as string);
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
  return location.searchParams;
}

describe('OAuth with PKCE through DropboxAuth', () => {
  it('exchanges a code for an offline grant and refreshes with the refresh token', async () => {
    const auth = new DropboxAuth({ clientId: CLIENT_ID, fetch: h.fetch });
    const url = String(
      await auth.getAuthenticationUrl(REDIRECT, 'st4te', 'code', 'offline', undefined, 'none', true),
    );
    expect(url).toMatch(/^https:\/\/dropbox\.com\/oauth2\/authorize\?response_type=code&client_id=/);
    const query = await authorize(url);
    expect(query.get('state')).toBe('st4te');
    const token = await auth.getAccessTokenFromCode(REDIRECT, query.get('code') as string);
    expect(token.status).toBe(200);
    expect(token.headers.get('content-type')).toBe('application/json');
    const result = token.result as Record<string, unknown>;
    expect(Object.keys(result)).toEqual([
      'access_token',
      'token_type',
      'expires_in',
      'refresh_token',
      'scope',
      'uid',
      'account_id',
    ]);
    expect(result).toMatchObject({
      token_type: 'bearer',
      expires_in: 14400,
      scope:
        'account_info.read files.content.read files.content.write files.metadata.read files.metadata.write',
      uid: expect.stringMatching(/^\d+$/),
      account_id: expect.stringMatching(/^dbid:[A-Za-z0-9_-]{35}$/),
    });
    expect(result.access_token).toMatch(/^sl\.u\./);

    // The SDK refreshes when the token is within 5 minutes of expiry; the answer has no new refresh token.
    auth.setAccessToken(result.access_token as string);
    auth.setRefreshToken(result.refresh_token as string);
    auth.setAccessTokenExpiresAt(new Date(Date.now() - 1000));
    await auth.checkAndRefreshAccessToken();
    const refreshed = auth.getAccessToken();
    expect(refreshed).not.toBe(result.access_token);
    const account = await new Dropbox({ auth, fetch: h.fetch }).usersGetCurrentAccount();
    expect(account.result.email).toBe(ALICE);
    expect(account.result.account_id).toBe(result.account_id);

    const raw = await h.fetch(
      `https://api.dropboxapi.com/oauth2/token?grant_type=refresh_token&refresh_token=${String(result.refresh_token)}&client_id=${CLIENT_ID}`,
      { method: 'POST', headers: { 'Content-Type': 'application/json' } },
    );
    expect(await raw.json()).toEqual({
      access_token: expect.any(String),
      token_type: 'bearer',
      expires_in: 14400,
    });
  });

  it('grants no refresh token without token_access_type=offline', async () => {
    const auth = new DropboxAuth({ clientId: CLIENT_ID, fetch: h.fetch });
    const url = String(
      await auth.getAuthenticationUrl(
        REDIRECT,
        undefined,
        'code',
        'online',
        ['files.content.read'],
        'none',
        true,
      ),
    );
    const query = await authorize(url);
    const token = (await auth.getAccessTokenFromCode(REDIRECT, query.get('code') as string)).result as Record<
      string,
      unknown
    >;
    expect(token.refresh_token).toBeUndefined();
    // The granted scope brings account_info.read and what files.content.read depends on.
    expect(token.scope).toBe('account_info.read files.content.read files.metadata.read');
    const dbx = new Dropbox({ accessToken: token.access_token as string, fetch: h.fetch });
    const error = await rejection(dbx.filesCreateFolderV2({ path: '/x' }));
    expect(error.status).toBe(401);
    expect(error.error).toEqual({
      error_summary: expect.stringMatching(/^missing_scope\/\.+$/),
      error: { '.tag': 'missing_scope', required_scope: 'files.content.write' },
    });
  });

  it('takes S256 and plain challenges; refuses a wrong verifier, a reused code, and a code without PKCE or secret', async () => {
    const challenge = s256('v'.repeat(43));
    const base = `${h.url}/oauth2/authorize?client_id=${CLIENT_ID}&response_type=code&redirect_uri=${REDIRECT}`;
    const code = (await authorize(`${base}&code_challenge=${challenge}&code_challenge_method=S256`)).get(
      'code',
    );
    const exchange = (params: string) =>
      fetch(
        `${h.url}/oauth2/token?grant_type=authorization_code&client_id=${CLIENT_ID}&redirect_uri=${REDIRECT}&${params}`,
        {
          method: 'POST',
        },
      );
    const wrong = await exchange(`code=${code}&code_verifier=${'w'.repeat(43)}`);
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({
      error: 'invalid_grant',
      error_description: "code doesn't exist or has expired",
    });
    const good = await exchange(`code=${code}&code_verifier=${'v'.repeat(43)}`);
    expect(good.status).toBe(200);
    expect((await exchange(`code=${code}&code_verifier=${'v'.repeat(43)}`)).status).toBe(400);

    const plainChallenge = (
      await authorize(`${base}&code_challenge=${'p'.repeat(43)}&code_challenge_method=plain`)
    ).get('code');
    expect((await exchange(`code=${plainChallenge}&code_verifier=${'p'.repeat(43)}`)).status).toBe(200);

    const plain = (await authorize(base)).get('code');
    expect((await exchange(`code=${plain}`)).status).toBe(400);
    const form = await fetch(`${h.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: plain as string,
        client_id: CLIENT_ID,
        client_secret: 'app-secret',
        redirect_uri: REDIRECT,
      }),
    });
    expect(form.status).toBe(200);
  });

  it('revokes the whole grant: the access token and the refresh token stop working', async () => {
    const tokens = h.emulator.admin.issueTokens(ALICE, { clientId: CLIENT_ID });
    const dbx = new Dropbox({ accessToken: tokens.access_token, fetch: h.fetch });
    const revoked = await dbx.authTokenRevoke();
    expect(revoked.status).toBe(200);
    expect(revoked.result).toBeNull();
    const after = await rejection(dbx.usersGetCurrentAccount());
    expect(after.status).toBe(401);
    expect(after.error.error).toEqual({ '.tag': 'invalid_access_token' });
    const refresh = await fetch(
      `${h.url}/oauth2/token?grant_type=refresh_token&refresh_token=${tokens.refresh_token}&client_id=${CLIENT_ID}`,
      { method: 'POST' },
    );
    expect(await refresh.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'refresh token is invalid or revoked',
    });
  });

  it('expired tokens answer expired_access_token; the admin can expire them', async () => {
    h.emulator.admin.expireTokens(ALICE);
    const response = await rpc(h, 'users/get_current_account');
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error_summary: expect.stringMatching(/^expired_access_token\/\.+$/),
      error: { '.tag': 'expired_access_token' },
    });
  });
});

/** The code shown by the page a code flow without redirect_uri ends on. */
async function shownCode(response: Response): Promise<string> {
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  return /data-code="([^"]+)"/.exec(await response.text())?.[1] as string;
}

/** The SDK omits `redirect_uri` when given none (its typings ask for a string). */
const NO_REDIRECT = undefined as unknown as string;

describe('code flow without redirect_uri', () => {
  it('shows the code to copy (auto-consent), exchanged without redirect_uri only', async () => {
    const auth = new DropboxAuth({ clientId: CLIENT_ID, fetch: h.fetch });
    const url = String(
      await auth.getAuthenticationUrl(NO_REDIRECT, undefined, 'code', 'offline', undefined, 'none', true),
    );
    expect(url).not.toContain('redirect_uri');
    const code = await shownCode(await h.fetch(url, { redirect: 'manual' }));
    const token = await auth.getAccessTokenFromCode(NO_REDIRECT, code);
    expect(token.result).toMatchObject({ token_type: 'bearer', refresh_token: expect.any(String) });

    // A redirect_uri the authorize request did not have, or the other way round, is a mismatch.
    const mismatch = { error: 'invalid_grant', error_description: 'redirect_uri mismatch' };
    const other = await shownCode(await h.fetch(url, { redirect: 'manual' }));
    expect((await rejection(auth.getAccessTokenFromCode(REDIRECT, other))).error).toEqual(mismatch);
    const withRedirect = String(
      await auth.getAuthenticationUrl(REDIRECT, undefined, 'code', 'offline', undefined, 'none', true),
    );
    const redirected = (await authorize(withRedirect)).get('code') as string;
    expect((await rejection(auth.getAccessTokenFromCode(NO_REDIRECT, redirected))).error).toEqual(mismatch);
  });

  it('shows the code after consent, and an error page when the user denies', async () => {
    const manual = await startHarness({ autoConsent: false });
    try {
      const url = `${manual.url}/oauth2/authorize?client_id=${CLIENT_ID}&response_type=code`;
      const decide = async (decision: string) => {
        const html = await (await fetch(url)).text();
        const requestId = /name="request" value="([^"]+)"/.exec(html)?.[1] as string;
        return fetch(`${manual.url}/oauth2/authorize`, {
          method: 'POST',
          redirect: 'manual',
          body: new URLSearchParams({ request: requestId, user: 'bob@example.com', decision }),
        });
      };
      const code = await shownCode(await decide('allow'));
      const token = await fetch(`${manual.url}/oauth2/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          client_id: CLIENT_ID,
          client_secret: 'app-secret',
        }),
      });
      const body = (await token.json()) as { access_token: string };
      const account = await new Dropbox({
        accessToken: body.access_token,
        fetch: manual.fetch,
      }).usersGetCurrentAccount();
      expect(account.result.email).toBe('bob@example.com');
      const denied = await decide('deny');
      expect(denied.status).toBe(403);
      expect(await denied.text()).toContain('data-error="access_denied"');
    } finally {
      await manual.close();
    }
  });
});

describe('registered redirect URIs', () => {
  it('must match exactly, port and path included; without registered clients any loopback URI goes', async () => {
    const registered = await startHarness({
      autoConsent: true,
      clients: [{ id: CLIENT_ID, redirectUris: [REDIRECT] }],
    });
    try {
      const authorizeWith = (redirect: string) =>
        fetch(
          `${registered.url}/oauth2/authorize?client_id=${CLIENT_ID}&response_type=code&redirect_uri=${encodeURIComponent(redirect)}`,
          { redirect: 'manual' },
        );
      expect((await authorizeWith(REDIRECT)).status).toBe(302);
      for (const other of [
        'http://127.0.0.1:53683/callback',
        'http://127.0.0.1:53682/callback/',
        'http://localhost:53682/callback',
      ]) {
        const refused = await authorizeWith(other);
        expect(refused.status).toBe(400);
        expect(await refused.text()).toContain('data-error="redirect_uri_mismatch"');
      }
    } finally {
      await registered.close();
    }
    const loose = await fetch(
      `${h.url}/oauth2/authorize?client_id=${CLIENT_ID}&response_type=code&redirect_uri=http://127.0.0.1:1234/any`,
      { redirect: 'manual' },
    );
    expect(loose.status).toBe(302);
  });
});

describe('consent page', () => {
  it('shows the account picker and redirects with the chosen account', async () => {
    const manual = await startHarness({ autoConsent: false });
    try {
      const url = `${manual.url}/oauth2/authorize?client_id=${CLIENT_ID}&response_type=code&redirect_uri=${REDIRECT}&code_challenge=${s256('v'.repeat(43))}&code_challenge_method=S256&token_access_type=offline`;
      const page = await fetch(url);
      const html = await page.text();
      expect(html).toContain('Dropbox');
      const requestId = /name="request" value="([^"]+)"/.exec(html)?.[1] as string;
      const decided = await fetch(`${manual.url}/oauth2/authorize`, {
        method: 'POST',
        redirect: 'manual',
        body: new URLSearchParams({ request: requestId, user: 'bob@example.com', decision: 'allow' }),
      });
      const code = new URL(decided.headers.get('location') as string).searchParams.get('code');
      const token = await fetch(
        `${manual.url}/oauth2/token?grant_type=authorization_code&code=${code}&client_id=${CLIENT_ID}&code_verifier=${'v'.repeat(43)}&redirect_uri=${REDIRECT}`,
        { method: 'POST' },
      );
      const body = (await token.json()) as { access_token: string; refresh_token?: string };
      expect(body.refresh_token).toEqual(expect.any(String));
      const account = await new Dropbox({
        accessToken: body.access_token,
        fetch: manual.fetch,
      }).usersGetCurrentAccount();
      expect(account.result.email).toBe('bob@example.com');
    } finally {
      await manual.close();
    }
  });
});
