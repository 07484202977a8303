/**
 * The identity platform over raw HTTP: PKCE code flow per tenant (personal accounts refused on
 * `organizations`), PKCE optional for a native client, Microsoft's token shape, refresh token rotation
 * (a used refresh token stays valid, or is refused with `refreshTokenReuse: 'refused'`), a code
 * redeemed twice (AADSTS54005, the first grant kept), AADSTS error bodies.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { s256 } from '../shared/oauth';
import { CONSUMERS_TENANT_ID } from './service';
import { ALICE, CLIENT_ID, REDIRECT, graph, startHarness, tokenRequest, type Harness } from './test-support';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ autoConsent: true, seed: 'empty' });
});
afterEach(() => h.close());

const SCOPE = 'Files.ReadWrite.All User.Read offline_access';

/** Runs the authorize leg (auto-consent) on `tenant`; returns the code and its verifier. */
async function authorize(
  tenant = 'common',
  scope = SCOPE,
): Promise<{ code: string; verifier: string; query: URLSearchParams }> {
  const verifier = randomBytes(32).toString('base64url');
  const url = new URL(`${h.url}/${tenant}/oauth2/v2.0/authorize`);
  url.search = new URLSearchParams({
    client_id: CLIENT_ID,
    response_type: 'code',
    redirect_uri: REDIRECT,
    scope,
    state: 'st4te',
    code_challenge: s256(verifier),
    code_challenge_method: 'S256',
    login_hint: ALICE,
  }).toString();
  const response = await fetch(url, { redirect: 'manual' });
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('location') as string);
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT.replace(/\/$/, '') + '/');
  // Microsoft's success redirect carries the code and the state, nothing else (no `scope`).
  expect([...location.searchParams.keys()]).toEqual(['code', 'state']);
  expect(location.searchParams.get('state')).toBe('st4te');
  return { code: location.searchParams.get('code') as string, verifier, query: location.searchParams };
}

async function exchange(code: string, verifier: string, tenant = 'common'): Promise<Record<string, unknown>> {
  const response = await tokenRequest(
    h,
    {
      client_id: CLIENT_ID,
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    },
    { tenant },
  );
  expect(response.status).toBe(200);
  expect(response.headers.get('cache-control')).toContain('no-store');
  return (await response.json()) as Record<string, unknown>;
}

type AadError = {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
};

async function aadError(response: Response, status = 400): Promise<AadError> {
  expect(response.status).toBe(status);
  const body = (await response.json()) as AadError;
  expect(body).toEqual({
    error: expect.any(String),
    error_description: expect.stringMatching(/^AADSTS\d+: .* Trace ID: .* Correlation ID: .* Timestamp: /),
    error_codes: [expect.any(Number)],
    timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/),
    trace_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    correlation_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    error_uri: expect.stringContaining('https://login.microsoftonline.com/error?code='),
  });
  return body;
}

describe('authorization code + PKCE (public client, no secret)', () => {
  it.each(['common', 'consumers', CONSUMERS_TENANT_ID])(
    'issues Microsoft-shaped tokens on /%s',
    async (tenant) => {
      const { code, verifier } = await authorize(tenant);
      expect(code).toMatch(/^M\.C5_BAY\./);
      const tokens = await exchange(code, verifier, tenant);
      expect(Object.keys(tokens)).toEqual([
        'token_type',
        'scope',
        'expires_in',
        'ext_expires_in',
        'access_token',
        'refresh_token',
      ]);
      expect(tokens).toMatchObject({
        token_type: 'Bearer',
        scope: 'Files.ReadWrite.All User.Read',
        expires_in: 3600,
        ext_expires_in: 3600,
      });
      const me = await graph(h, '/v1.0/me', { token: tokens.access_token as string });
      expect(me.status).toBe(200);
      expect(((await me.json()) as { userPrincipalName: string }).userPrincipalName).toBe(ALICE);
    },
  );

  it('takes a native client without PKCE: no code_challenge, then no code_verifier (?)', async () => {
    const url = new URL(`${h.url}/common/oauth2/v2.0/authorize`);
    url.search = new URLSearchParams({
      client_id: CLIENT_ID,
      response_type: 'code',
      redirect_uri: REDIRECT,
      scope: SCOPE,
      login_hint: ALICE,
    }).toString();
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const code = new URL(response.headers.get('location') as string).searchParams.get('code') as string;
    const tokens = await tokenRequest(h, {
      client_id: CLIENT_ID,
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
    });
    expect(tokens.status).toBe(200);
    expect(((await tokens.json()) as Record<string, unknown>).refresh_token).toEqual(expect.any(String));
    // A code issued with a challenge still needs its verifier.
    const { code: pkceCode } = await authorize();
    const missing = await tokenRequest(h, {
      client_id: CLIENT_ID,
      grant_type: 'authorization_code',
      code: pkceCode,
      redirect_uri: REDIRECT,
    });
    expect((await aadError(missing)).error).toBe('invalid_grant');
  });

  it('gives no refresh token without offline_access, and an id_token only with openid', async () => {
    const online = await authorize('common', 'Files.Read User.Read');
    const tokens = await exchange(online.code, online.verifier);
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.id_token).toBeUndefined();
    const oidc = await authorize('consumers', 'Files.Read openid profile offline_access');
    const withId = await exchange(oidc.code, oidc.verifier, 'consumers');
    expect(withId.scope).toBe('Files.Read');
    const [, payload] = (withId.id_token as string).split('.');
    const claims = JSON.parse(Buffer.from(payload as string, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect(claims).toMatchObject({ ver: '2.0', aud: CLIENT_ID, preferred_username: ALICE });
  });

  it('refuses a wrong verifier, a reused code, a client secret and a non-form body', async () => {
    const { code, verifier } = await authorize();
    const wrong = await tokenRequest(h, {
      client_id: CLIENT_ID,
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: randomBytes(32).toString('base64url'),
    });
    expect((await aadError(wrong)).error_codes).toEqual([501481]);
    const granted = await exchange(code, verifier);
    const reused = await tokenRequest(h, {
      client_id: CLIENT_ID,
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    });
    const reuse = await aadError(reused);
    expect(reuse).toMatchObject({ error: 'invalid_grant', error_codes: [54005] });
    expect(reuse.error_description).toMatch(
      /^AADSTS54005: OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token\. Trace ID: /,
    );
    // The tokens of the first redemption are not revoked (unlike RFC 6749's advice).
    expect((await graph(h, '/v1.0/me', { token: granted.access_token as string })).status).toBe(200);
    const refreshed = await tokenRequest(h, {
      client_id: CLIENT_ID,
      grant_type: 'refresh_token',
      refresh_token: granted.refresh_token as string,
    });
    expect(refreshed.status).toBe(200);
    const secret = await tokenRequest(h, {
      client_id: CLIENT_ID,
      client_secret: 'x',
      grant_type: 'refresh_token',
      refresh_token: 'x',
    });
    expect((await aadError(secret)).error_codes).toEqual([700025]);
    const json = await tokenRequest(
      h,
      {},
      {
        contentType: 'application/json',
        body: JSON.stringify({ client_id: CLIENT_ID, grant_type: 'refresh_token' }),
      },
    );
    expect(await aadError(json)).toMatchObject({ error: 'invalid_request', error_codes: [900144] });
    const unsupported = await tokenRequest(h, { client_id: CLIENT_ID, grant_type: 'password' });
    expect(await aadError(unsupported)).toMatchObject({
      error: 'unsupported_grant_type',
      error_codes: [70003],
    });
  });
});

describe('refresh token rotation', () => {
  const refresh = (target: Harness, token: unknown) =>
    tokenRequest(target, {
      client_id: CLIENT_ID,
      grant_type: 'refresh_token',
      refresh_token: String(token),
      scope: SCOPE,
    });

  it('returns a new refresh token on every refresh; the used one keeps working (Microsoft default)', async () => {
    const { code, verifier } = await authorize();
    const first = await exchange(code, verifier);
    const second = (await (await refresh(h, first.refresh_token)).json()) as Record<string, unknown>;
    expect(second.refresh_token).toEqual(expect.stringMatching(/^M\.C5_BAY\./));
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
    // "doesn't revoke old refresh tokens when used to fetch new access tokens"
    const again = await refresh(h, first.refresh_token);
    expect(again.status).toBe(200);
    const third = (await again.json()) as Record<string, unknown>;
    expect(third.refresh_token).not.toBe(second.refresh_token);
    expect((await refresh(h, second.refresh_token)).status).toBe(200);
    // The old access token stays valid until it expires.
    expect((await graph(h, '/v1.0/me', { token: first.access_token as string })).status).toBe(200);
    // An admin revocation ends every refresh token of the grant, old ones included.
    h.emulator.admin.revokeTokens(ALICE);
    for (const token of [first.refresh_token, second.refresh_token, third.refresh_token])
      expect((await aadError(await refresh(h, token))).error_codes).toEqual([70000]);
  });

  it("refuses a used refresh token with refreshTokenReuse: 'refused' (AADSTS70000)", async () => {
    const strict = await startHarness({ autoConsent: true, seed: 'empty', refreshTokenReuse: 'refused' });
    try {
      const tokens = strict.emulator.admin.issueTokens(ALICE, { clientId: CLIENT_ID });
      const second = await refresh(strict, tokens.refresh_token);
      expect(second.status).toBe(200);
      const rotated = (await second.json()) as Record<string, unknown>;
      const reuse = await aadError(await refresh(strict, tokens.refresh_token));
      expect(reuse.error).toBe('invalid_grant');
      expect(reuse.error_description).toMatch(/^AADSTS70000: /);
      expect((await refresh(strict, rotated.refresh_token)).status).toBe(200);
      expect((await graph(strict, '/v1.0/me', { token: tokens.access_token })).status).toBe(200);
    } finally {
      await strict.close();
    }
  });

  it('refuses a refresh token after admin revocation (the user must reconnect)', async () => {
    const tokens = h.emulator.admin.issueTokens(ALICE, { clientId: CLIENT_ID });
    h.emulator.admin.revokeTokens(ALICE);
    const response = await tokenRequest(h, {
      client_id: CLIENT_ID,
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token as string,
    });
    expect((await aadError(response)).error).toBe('invalid_grant');
  });
});

describe('tenants', () => {
  it('answers AADSTS90002 for a tenant it does not host', async () => {
    const body = await aadError(
      await tokenRequest(
        h,
        { client_id: CLIENT_ID, grant_type: 'refresh_token', refresh_token: 'x' },
        { tenant: 'contoso.com' },
      ),
    );
    expect(body).toMatchObject({ error: 'invalid_request', error_codes: [90002] });
    expect(body.error_description).toContain("Tenant 'contoso.com' not found.");
    const page = await fetch(`${h.url}/contoso.com/oauth2/v2.0/authorize?client_id=${CLIENT_ID}`);
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('AADSTS90002');
  });

  it('refuses the (personal) seeded accounts on organizations: authorize and token, AADSTS50020', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const query = new URLSearchParams({
      client_id: CLIENT_ID,
      response_type: 'code',
      redirect_uri: REDIRECT,
      scope: SCOPE,
      state: 'st4te',
      code_challenge: s256(verifier),
      code_challenge_method: 'S256',
      login_hint: ALICE,
    });
    const page = await fetch(`${h.url}/organizations/oauth2/v2.0/authorize?${query}`, { redirect: 'manual' });
    expect(page.status).toBe(400);
    const html = await page.text();
    expect(html).toContain('AADSTS50020');
    expect(html).toContain(ALICE);
    // A code or refresh token of a personal account is refused there too, and stays usable elsewhere.
    const { code, verifier: codeVerifier } = await authorize('consumers');
    const exchangeForm = {
      client_id: CLIENT_ID,
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: codeVerifier,
    };
    const refusedCode = await aadError(await tokenRequest(h, exchangeForm, { tenant: 'organizations' }));
    expect(refusedCode.error_codes).toEqual([50020]);
    const tokens = (await (await tokenRequest(h, exchangeForm)).json()) as Record<string, string>;
    const refreshForm = {
      client_id: CLIENT_ID,
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token as string,
    };
    const refusedRefresh = await aadError(await tokenRequest(h, refreshForm, { tenant: 'organizations' }));
    expect(refusedRefresh.error_codes).toEqual([50020]);
    expect(refusedRefresh.error_description).toContain(`User account '${ALICE}'`);
    expect((await tokenRequest(h, refreshForm, { tenant: 'consumers' })).status).toBe(200);
    // Unknown tokens answer as anywhere else.
    const unknown = await tokenRequest(
      h,
      { ...refreshForm, refresh_token: 'M.C5_BAY.nope' },
      { tenant: 'organizations' },
    );
    expect((await aadError(unknown)).error_codes).toEqual([70000]);

    // With the account picker: choosing a personal account gives the same refusal.
    const manual = await startHarness({ seed: 'empty' });
    try {
      const picker = await fetch(`${manual.url}/organizations/oauth2/v2.0/authorize?${query}`);
      expect(picker.status).toBe(200);
      const requestId = /name="request" value="([^"]+)"/.exec(await picker.text())?.[1] as string;
      const decision = await fetch(`${manual.url}/organizations/oauth2/v2.0/authorize`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ request: requestId, user: ALICE, decision: 'allow' }).toString(),
        redirect: 'manual',
      });
      expect(decision.status).toBe(400);
      expect(await decision.text()).toContain('AADSTS50020');
    } finally {
      await manual.close();
    }
  });

  it('has no revoke endpoint', async () => {
    const response = await fetch(`${h.url}/common/oauth2/v2.0/revoke`, { method: 'POST' });
    expect(response.status).toBe(404);
  });

  it('expires access tokens on the emulator clock: Graph then answers 401', async () => {
    h.clock.advance(3600 * 1000);
    const response = await graph(h, '/v1.0/me');
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: { code: string } };
    expect(body.error.code).toBe('InvalidAuthenticationToken');
  });
});

describe('consent page', () => {
  it('shows the account picker on the tenant path and redirects with a code on allow', async () => {
    const manual = await startHarness({ seed: 'empty' });
    try {
      const verifier = randomBytes(32).toString('base64url');
      const query = new URLSearchParams({
        client_id: CLIENT_ID,
        response_type: 'code',
        redirect_uri: 'http://localhost/callback',
        scope: SCOPE,
        code_challenge: s256(verifier),
        code_challenge_method: 'S256',
      });
      const page = await fetch(`${manual.url}/consumers/oauth2/v2.0/authorize?${query}`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('action="/consumers/oauth2/v2.0/authorize"');
      const requestId = /name="request" value="([^"]+)"/.exec(html)?.[1] as string;
      const decision = await fetch(`${manual.url}/consumers/oauth2/v2.0/authorize`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          request: requestId,
          user: 'bob@example.com',
          decision: 'allow',
        }).toString(),
        redirect: 'manual',
      });
      expect(decision.status).toBe(302);
      const location = new URL(decision.headers.get('location') as string);
      expect(location.origin + location.pathname).toBe('http://localhost/callback');
      const tokens = await fetch(`${manual.url}/consumers/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          client_id: CLIENT_ID,
          grant_type: 'authorization_code',
          code: location.searchParams.get('code') as string,
          redirect_uri: 'http://localhost/callback',
          code_verifier: verifier,
        }).toString(),
      });
      const body = (await tokens.json()) as { access_token: string };
      const me = (await (
        await fetch(`${manual.url}/v1.0/me`, { headers: { Authorization: `Bearer ${body.access_token}` } })
      ).json()) as { userPrincipalName: string };
      expect(me.userPrincipalName).toBe('bob@example.com');
      // [::1] is not a redirect URI Microsoft supports.
      query.set('redirect_uri', 'http://[::1]:5000/');
      const refused = await fetch(`${manual.url}/consumers/oauth2/v2.0/authorize?${query}`);
      expect(refused.status).toBe(400);
    } finally {
      await manual.close();
    }
  });
});
