/**
 * Google OAuth on the emulator, driven by google-auth-library's OAuth2Client: authorization code +
 * PKCE S256 with a real loopback redirect, the consent page, refresh, revoke, and the error answers.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../shared/clock';
import { startGdriveEmulator, type GdriveEmulator } from './emulator';
import { CLIENT_ID, driveFor, oauthClient, rejection, reasonOf, statusOf } from './test-support';

const SCOPE = 'https://www.googleapis.com/auth/drive openid email';

/** A one-shot loopback listener like the app's: resolves with the callback's query. */
async function loopback(): Promise<{
  redirectUri: string;
  callback: Promise<URLSearchParams>;
  server: Server;
}> {
  let resolve!: (query: URLSearchParams) => void;
  const callback = new Promise<URLSearchParams>((r) => (resolve = r));
  const server = createServer((req, res) => {
    res.end('You can close this window.');
    resolve(new URL(req.url ?? '/', 'http://127.0.0.1').searchParams);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
  return { redirectUri, callback, server };
}

/** Plays the browser: follows the authorize URL's redirect to the loopback listener. */
async function followRedirect(url: string): Promise<Response> {
  const res = await fetch(url, { redirect: 'manual' });
  const location = res.headers.get('location');
  if (res.status === 302 && location) await fetch(location);
  return res;
}

async function signIn(emulator: GdriveEmulator, options: { loginHint?: string } = {}) {
  const client = oauthClient(emulator.url);
  const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
  const { redirectUri, callback, server } = await loopback();
  const url = client.generateAuthUrl({
    access_type: 'offline',
    scope: SCOPE,
    state: 'state-123',
    code_challenge: codeChallenge,
    code_challenge_method: 'S256' as never,
    redirect_uri: redirectUri,
    login_hint: options.loginHint,
  });
  return { client, codeVerifier, redirectUri, callback, server, url };
}

describe('OAuth with auto-consent', () => {
  let emulator: GdriveEmulator;
  let clock: ManualClock;
  const servers: Server[] = [];

  beforeAll(async () => {
    clock = new ManualClock();
    emulator = await startGdriveEmulator({ seed: 'empty', autoConsent: true, clock });
  });
  afterAll(() => emulator.close());
  afterEach(() => {
    for (const server of servers.splice(0)) server.close();
  });

  it('runs the code + PKCE flow through a loopback redirect, then calls the API', async () => {
    const flow = await signIn(emulator, { loginHint: 'bob@example.com' });
    servers.push(flow.server);
    await followRedirect(flow.url);
    const query = await flow.callback;
    expect(query.get('state')).toBe('state-123');
    expect(query.get('code')).toMatch(/^4\/0A/);
    const { tokens } = await flow.client.getToken({
      code: query.get('code') as string,
      codeVerifier: flow.codeVerifier,
      redirect_uri: flow.redirectUri,
    });
    expect(tokens.access_token).toMatch(/^ya29\./);
    expect(tokens.refresh_token).toMatch(/^1\/\/0/);
    expect(tokens.token_type).toBe('Bearer');
    expect(tokens.scope).toBe(SCOPE);
    expect(tokens.id_token?.split('.')).toHaveLength(3);
    const claims = JSON.parse(Buffer.from(tokens.id_token!.split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({
      email: 'bob@example.com',
      aud: CLIENT_ID,
      iss: 'https://accounts.google.com',
    });
    const about = await driveFor(emulator.url, tokens.access_token!).about.get({
      fields: 'user(emailAddress)',
    });
    expect(about.data.user?.emailAddress).toBe('bob@example.com');
  });

  it('refuses a wrong code_verifier with invalid_grant', async () => {
    const flow = await signIn(emulator);
    servers.push(flow.server);
    await followRedirect(flow.url);
    const code = (await flow.callback).get('code') as string;
    const error = await rejection(
      flow.client.getToken({ code, codeVerifier: 'x'.repeat(64), redirect_uri: flow.redirectUri }),
    );
    expect(statusOf(error)).toBe(400);
    expect((error as { response: { data: unknown } }).response.data).toEqual({
      error: 'invalid_grant',
      error_description: 'Invalid code verifier.',
    });
  });

  it('accepts a code once; reusing it fails and revokes what it granted', async () => {
    const flow = await signIn(emulator);
    servers.push(flow.server);
    await followRedirect(flow.url);
    const code = (await flow.callback).get('code') as string;
    const first = await flow.client.getToken({
      code,
      codeVerifier: flow.codeVerifier,
      redirect_uri: flow.redirectUri,
    });
    const again = await rejection(
      flow.client.getToken({ code, codeVerifier: flow.codeVerifier, redirect_uri: flow.redirectUri }),
    );
    expect((again as { response: { data: { error: string } } }).response.data.error).toBe('invalid_grant');
    const denied = await rejection(
      driveFor(emulator.url, first.tokens.access_token!).about.get({ fields: 'user' }),
    );
    expect(statusOf(denied)).toBe(401);
  });

  it('expires codes after ten minutes', async () => {
    const flow = await signIn(emulator);
    servers.push(flow.server);
    await followRedirect(flow.url);
    const code = (await flow.callback).get('code') as string;
    clock.advance(601_000);
    const error = await rejection(
      flow.client.getToken({ code, codeVerifier: flow.codeVerifier, redirect_uri: flow.redirectUri }),
    );
    expect((error as { response: { data: { error: string } } }).response.data.error).toBe('invalid_grant');
  });

  it('shows an error page (no redirect) for a redirect URI that is not loopback', async () => {
    const client = oauthClient(emulator.url);
    const { codeChallenge } = await client.generateCodeVerifierAsync();
    const url = client.generateAuthUrl({
      scope: SCOPE,
      code_challenge: codeChallenge,
      code_challenge_method: 'S256' as never,
      redirect_uri: 'https://evil.example.com/callback',
    });
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toContain('data-error="redirect_uri_mismatch"');
  });

  it('redirects with invalid_request when PKCE is missing', async () => {
    const { redirectUri, server } = await loopback();
    servers.push(server);
    const url = oauthClient(emulator.url).generateAuthUrl({
      scope: SCOPE,
      redirect_uri: redirectUri,
      state: 's',
    });
    const res = await fetch(url, { redirect: 'manual' });
    const location = new URL(res.headers.get('location') as string);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('state')).toBe('s');
  });

  it('refreshes an expired access token, and revoke kills the whole grant', async () => {
    const tokens = emulator.admin.issueTokens('alice@example.com', { clientId: CLIENT_ID });
    clock.advance(3601_000);
    const stale = await rejection(driveFor(emulator.url, tokens.access_token).about.get({ fields: 'user' }));
    expect(statusOf(stale)).toBe(401);
    expect(reasonOf(stale)).toBe('authError');

    const client = oauthClient(emulator.url);
    client.setCredentials({ refresh_token: tokens.refresh_token });
    const refreshed = await client.refreshAccessToken();
    expect(refreshed.credentials.access_token).not.toBe(tokens.access_token);
    const about = await driveFor(emulator.url, refreshed.credentials.access_token!).about.get({
      fields: 'user',
    });
    expect(about.data.user?.emailAddress).toBe('alice@example.com');

    await client.revokeToken(refreshed.credentials.access_token!);
    const revoked = await rejection(client.refreshAccessToken());
    expect((revoked as { response: { data: unknown } }).response.data).toEqual({
      error: 'invalid_grant',
      error_description: 'Token has been expired or revoked.',
    });
    const again = await fetch(`${emulator.url}/revoke?token=${tokens.refresh_token}`, { method: 'POST' });
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({
      error: 'invalid_token',
      error_description: 'Token expired or revoked',
    });
  });

  it('answers tokeninfo and userinfo for a live token', async () => {
    const tokens = emulator.admin.issueTokens('alice@example.com', { clientId: CLIENT_ID, scope: SCOPE });
    const info = await oauthClient(emulator.url).getTokenInfo(tokens.access_token);
    expect(info).toMatchObject({ email: 'alice@example.com', aud: CLIENT_ID });
    expect(info.scopes).toContain('https://www.googleapis.com/auth/drive');
    const res = await fetch(`${emulator.url}/oauth2/v3/userinfo`, {
      headers: { Authorization: `Bearer ${tokens.access_token}` },
    });
    expect(await res.json()).toMatchObject({ email: 'alice@example.com', email_verified: true });
  });

  it('refuses a read-only token for writes with insufficientPermissions', async () => {
    const tokens = emulator.admin.issueTokens('alice@example.com', {
      scope: 'https://www.googleapis.com/auth/drive.readonly',
    });
    const drive = driveFor(emulator.url, tokens.access_token);
    await drive.files.list({});
    const error = await rejection(drive.files.create({ requestBody: { name: 'x' } }));
    expect(statusOf(error)).toBe(403);
    expect(reasonOf(error)).toBe('insufficientPermissions');
  });
});

describe('OAuth consent page', () => {
  let emulator: GdriveEmulator;
  const servers: Server[] = [];

  beforeAll(async () => {
    emulator = await startGdriveEmulator({ seed: 'empty' });
  });
  afterAll(async () => {
    for (const server of servers) server.close();
    await emulator.close();
  });

  const consent = async (url: string) => {
    const page = await fetch(url);
    const html = await page.text();
    const requestId = /name="request" value="([^"]+)"/.exec(html)?.[1];
    return { page, html, requestId: requestId as string };
  };

  it('lists the seeded accounts and redirects with a code after Allow', async () => {
    const flow = await signIn(emulator, { loginHint: 'carol@example.com' });
    servers.push(flow.server);
    const { page, html, requestId } = await consent(flow.url);
    expect(page.status).toBe(200);
    for (const user of emulator.users) expect(html).toContain(`value="${user}"`);
    expect(html).toContain('value="carol@example.com" checked');
    const post = await fetch(`${emulator.url}/o/oauth2/v2/auth`, {
      method: 'POST',
      body: new URLSearchParams({ request: requestId, user: 'carol@example.com', decision: 'allow' }),
      redirect: 'manual',
    });
    expect(post.status).toBe(302);
    await fetch(post.headers.get('location') as string);
    const query = await flow.callback;
    const { tokens } = await flow.client.getToken({
      code: query.get('code') as string,
      codeVerifier: flow.codeVerifier,
      redirect_uri: flow.redirectUri,
    });
    const about = await driveFor(emulator.url, tokens.access_token!).about.get({ fields: 'user' });
    expect(about.data.user?.emailAddress).toBe('carol@example.com');
  });

  it('redirects with access_denied after Deny, and the request cannot be replayed', async () => {
    const flow = await signIn(emulator);
    servers.push(flow.server);
    const { requestId } = await consent(flow.url);
    const form = new URLSearchParams({ request: requestId, user: 'alice@example.com', decision: 'deny' });
    const post = await fetch(`${emulator.url}/o/oauth2/v2/auth`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
    });
    const location = new URL(post.headers.get('location') as string);
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('state-123');
    const replay = await fetch(`${emulator.url}/o/oauth2/v2/auth`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
    });
    expect(replay.status).toBe(400);
  });
});
