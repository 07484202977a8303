import { describe, expect, it } from 'vitest';
import { resolveClientConfig } from './client-config';
import { InvalidGrantError, OAuthError } from './errors';
import { createOAuthClient } from './oauth-client';
import { exchangeAuthorizationCode, refreshAccessToken } from './token-endpoint';
import { rejectionOf } from './test-helpers';

interface Recorded {
  url: string;
  method: string;
  headers: Headers;
  body: string;
}

/** A fetch answering from a list of canned responses and recording the requests. */
function fakeFetch(...answers: Array<Response | Error>) {
  const requests: Recorded[] = [];
  const doFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    requests.push({
      url: String(input),
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? init.body : '',
    });
    const answer = answers.shift();
    if (!answer) throw new Error('unexpected request');
    if (answer instanceof Error) throw answer;
    return answer;
  }) as typeof fetch;
  return { doFetch, requests };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

const refreshRequest = { tokenUrl: 'https://auth.example/token', clientId: 'c', refreshToken: 'rt-old' };

const failure = (promise: Promise<unknown>) => rejectionOf(promise, OAuthError);

describe('token endpoint', () => {
  it('exchanges a code with a form POST and parses the answer', async () => {
    const { doFetch, requests } = fakeFetch(
      json(200, {
        access_token: 'at',
        refresh_token: 'rt',
        expires_in: 3599,
        scope: 's',
        token_type: 'Bearer',
        uid: '7',
      }),
    );
    const result = await exchangeAuthorizationCode(
      {
        tokenUrl: 'https://auth.example/token',
        clientId: 'c',
        clientSecret: 'sec',
        code: 'the code',
        redirectUri: 'http://127.0.0.1:5/callback',
        codeVerifier: 'v'.repeat(43),
      },
      { fetch: doFetch, now: () => 1000 },
    );
    expect(result.tokens).toEqual({
      accessToken: 'at',
      refreshToken: 'rt',
      expiresAt: 1000 + 3_599_000,
      scope: 's',
      tokenType: 'Bearer',
    });
    expect(result.body.uid).toBe('7');
    const request = requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      grant_type: 'authorization_code',
      code: 'the code',
      redirect_uri: 'http://127.0.0.1:5/callback',
      client_id: 'c',
      client_secret: 'sec',
      code_verifier: 'v'.repeat(43),
    });
  });

  it('keeps the refresh token when a refresh answer has none, takes the new one when rotated', async () => {
    const google = fakeFetch(json(200, { access_token: 'at2', expires_in: 3600 }));
    expect(
      (await refreshAccessToken(refreshRequest, { fetch: google.doFetch, now: () => 0 })).tokens.refreshToken,
    ).toBe('rt-old');
    expect(Object.fromEntries(new URLSearchParams(google.requests[0]!.body))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'rt-old',
      client_id: 'c',
    });
    const microsoft = fakeFetch(
      json(200, { access_token: 'at2', refresh_token: 'rt-rotated', expires_in: '3600' }),
    );
    const rotated = await refreshAccessToken(refreshRequest, { fetch: microsoft.doFetch, now: () => 0 });
    expect(rotated.tokens).toMatchObject({ refreshToken: 'rt-rotated', expiresAt: 3_600_000 });
  });

  it('invalid_grant on refresh -> InvalidGrantError (needs_reconnect); Microsoft interaction_required too', async () => {
    const google = fakeFetch(
      json(400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' }),
    );
    const error = await failure(refreshAccessToken(refreshRequest, { fetch: google.doFetch }));
    expect(error).toBeInstanceOf(InvalidGrantError);
    expect(error.code).toBe('needs_reconnect');
    expect(error.message).toContain('expired or revoked');

    const microsoft = fakeFetch(
      json(400, {
        error: 'interaction_required',
        error_description:
          'AADSTS50076: Due to a configuration change...\r\nTrace ID: 1\r\nCorrelation ID: 2',
        error_codes: [50076],
      }),
    );
    const msError = await failure(refreshAccessToken(refreshRequest, { fetch: microsoft.doFetch }));
    expect(msError.code).toBe('needs_reconnect');
    expect(msError.message).toContain('AADSTS50076');
    expect(msError.message).not.toContain('Trace ID');
  });

  it('maps network failures and 5xx to transient, 429 to rate_limited with Retry-After', async () => {
    const network = fakeFetch(new TypeError('fetch failed', { cause: new Error('ECONNREFUSED') }));
    const down = await failure(refreshAccessToken(refreshRequest, { fetch: network.doFetch }));
    expect(down.code).toBe('transient');
    expect(down.message).toContain('ECONNREFUSED');
    expect(down.status).toBeNull();

    const server = fakeFetch(new Response('<html>oops</html>', { status: 503 }));
    expect((await failure(refreshAccessToken(refreshRequest, { fetch: server.doFetch }))).code).toBe(
      'transient',
    );

    const busy = fakeFetch(json(400, { error: 'temporarily_unavailable' }));
    expect((await failure(refreshAccessToken(refreshRequest, { fetch: busy.doFetch }))).code).toBe(
      'transient',
    );

    const limited = fakeFetch(json(429, { error: 'too_many_requests' }, { 'Retry-After': '7' }));
    const rate = await failure(refreshAccessToken(refreshRequest, { fetch: limited.doFetch }));
    expect(rate.code).toBe('rate_limited');
    expect(rate.retryAfterMs).toBe(7000);
  });

  it('configuration problems are permanent with a hint; a code exchange invalid_grant is permanent', async () => {
    const client = fakeFetch(
      json(401, { error: 'invalid_client', error_description: 'The OAuth client was not found.' }),
    );
    const error = await failure(refreshAccessToken(refreshRequest, { fetch: client.doFetch }));
    expect(error.code).toBe('permanent');
    expect(error.oauthError).toBe('invalid_client');
    expect(error.message).toContain('client id');

    const used = fakeFetch(json(400, { error: 'invalid_grant' }));
    const exchange = await failure(
      exchangeAuthorizationCode(
        {
          tokenUrl: 'https://a/token',
          clientId: 'c',
          code: 'x',
          redirectUri: 'http://127.0.0.1:1/callback',
          codeVerifier: 'v',
        },
        { fetch: used.doFetch },
      ),
    );
    expect(exchange.code).toBe('permanent');
    expect(exchange).not.toBeInstanceOf(InvalidGrantError);

    const empty = fakeFetch(json(200, { token_type: 'Bearer' }));
    expect((await failure(refreshAccessToken(refreshRequest, { fetch: empty.doFetch }))).code).toBe(
      'permanent',
    );
  });
});

describe('OAuthClient', () => {
  const dropbox = resolveClientConfig('dropbox', { env: { SKYFOLD_DROPBOX_CLIENT_ID: 'app-key' } });
  const google = resolveClientConfig('gdrive', {
    env: { SKYFOLD_GDRIVE_CLIENT_ID: 'g', SKYFOLD_GDRIVE_CLIENT_SECRET: 's' },
  });
  const onedrive = resolveClientConfig('onedrive', { env: { SKYFOLD_ONEDRIVE_CLIENT_ID: 'o' } });

  it('builds authorize URLs with PKCE and each provider’s offline parameters', () => {
    const url = new URL(
      createOAuthClient(dropbox).buildAuthorizeUrl('http://127.0.0.1:27563/callback', 'st', 'ch'),
    );
    expect(url.origin + url.pathname).toBe('https://www.dropbox.com/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'app-key',
      response_type: 'code',
      redirect_uri: 'http://127.0.0.1:27563/callback',
      scope: 'account_info.read files.metadata.read files.content.read files.content.write',
      state: 'st',
      code_challenge: 'ch',
      code_challenge_method: 'S256',
      token_access_type: 'offline',
    });
    const ms = new URL(
      createOAuthClient(onedrive).buildAuthorizeUrl('http://localhost:5/callback', 'st', 'ch'),
    );
    expect(ms.searchParams.get('scope')).toContain('offline_access');
  });

  it('sends the scopes again when refreshing at Microsoft', async () => {
    const { doFetch, requests } = fakeFetch(
      json(200, { access_token: 'a', refresh_token: 'r2', expires_in: 10 }),
    );
    const tokens = await createOAuthClient(onedrive, { fetch: doFetch }).refresh('r1', {
      signal: new AbortController().signal,
    });
    expect(tokens.refreshToken).toBe('r2');
    expect(new URLSearchParams(requests[0]!.body).get('scope')).toBe(onedrive.scopes.join(' '));
  });

  it('revokes at Google with the refresh token, and treats an already dead token as done', async () => {
    const ok = fakeFetch(new Response('', { status: 200 }));
    expect(
      await createOAuthClient(google, { fetch: ok.doFetch }).revoke({
        accessToken: 'a',
        refreshToken: 'r',
        expiresAt: null,
      }),
    ).toBe('revoked');
    expect(ok.requests[0]!.url).toBe('https://oauth2.googleapis.com/revoke');
    expect(ok.requests[0]!.body).toBe('token=r');
    const dead = fakeFetch(json(400, { error: 'invalid_token' }));
    expect(
      await createOAuthClient(google, { fetch: dead.doFetch }).revoke({
        accessToken: 'a',
        refreshToken: 'r',
        expiresAt: null,
      }),
    ).toBe('already_invalid');
  });

  it('revokes at Dropbox with a bearer token, refreshing once when the access token expired', async () => {
    const { doFetch, requests } = fakeFetch(
      json(401, { error_summary: 'expired_access_token/' }),
      json(200, { access_token: 'fresh', expires_in: 14400 }),
      new Response('null', { status: 200 }),
    );
    const outcome = await createOAuthClient(dropbox, { fetch: doFetch }).revoke({
      accessToken: 'old',
      refreshToken: 'r',
      expiresAt: 0,
    });
    expect(outcome).toBe('revoked');
    expect(requests.map((r) => r.url)).toEqual([
      'https://api.dropboxapi.com/2/auth/token/revoke',
      'https://api.dropboxapi.com/oauth2/token',
      'https://api.dropboxapi.com/2/auth/token/revoke',
    ]);
    expect(requests[2]!.headers.get('authorization')).toBe('Bearer fresh');
  });

  it('has nothing to revoke at Microsoft', async () => {
    const { doFetch, requests } = fakeFetch();
    expect(
      await createOAuthClient(onedrive, { fetch: doFetch }).revoke({
        accessToken: 'a',
        refreshToken: 'r',
        expiresAt: 0,
      }),
    ).toBe('unsupported');
    expect(requests).toEqual([]);
  });
});
