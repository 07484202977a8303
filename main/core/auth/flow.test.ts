import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveClientConfig } from './client-config';
import { OAuthError, SignInError } from './errors';
import { runAuthorizationCodeFlow } from './flow';
import { createOAuthClient, signIn } from './oauth-client';
import { tryConnect } from './test-helpers';
import type { Tokens } from './tokens';

/**
 * A tiny authorization server: /authorize checks the request and redirects to redirect_uri with a code
 * and the state (or an error); /token checks the code, the redirect URI and the PKCE S256 challenge.
 */
class FakeAuthorizationServer {
  readonly server: Server;
  origin = '';
  /** What /authorize does: redirect with a code, or with error=access_denied. */
  consent: 'allow' | 'deny' = 'allow';
  readonly authorizeRequests: URLSearchParams[] = [];
  readonly tokenRequests: URLSearchParams[] = [];
  private readonly codes = new Map<string, { challenge: string; redirectUri: string; clientId: string }>();

  constructor() {
    this.server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://x');
      if (url.pathname === '/o/oauth2/v2/auth') {
        const params = url.searchParams;
        this.authorizeRequests.push(params);
        const redirectUri = params.get('redirect_uri') ?? '';
        if (
          params.get('response_type') !== 'code' ||
          params.get('code_challenge_method') !== 'S256' ||
          !/^http:\/\/127\.0\.0\.1:\d+\/callback$/.test(redirectUri)
        ) {
          response.writeHead(400).end('bad authorize request');
          return;
        }
        const target = new URL(redirectUri);
        target.searchParams.set('state', params.get('state') ?? '');
        if (this.consent === 'deny') {
          target.searchParams.set('error', 'access_denied');
        } else {
          const code = randomBytes(8).toString('hex');
          this.codes.set(code, {
            challenge: params.get('code_challenge') ?? '',
            redirectUri,
            clientId: params.get('client_id') ?? '',
          });
          target.searchParams.set('code', code);
        }
        response.writeHead(302, { Location: target.toString() }).end();
        return;
      }
      if (url.pathname === '/token' && request.method === 'POST') {
        let body = '';
        request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        request.on('end', () => {
          const form = new URLSearchParams(body);
          this.tokenRequests.push(form);
          const grant = this.codes.get(form.get('code') ?? '');
          this.codes.delete(form.get('code') ?? '');
          const verifier = form.get('code_verifier') ?? '';
          const ok =
            grant !== undefined &&
            form.get('grant_type') === 'authorization_code' &&
            grant.redirectUri === form.get('redirect_uri') &&
            grant.clientId === form.get('client_id') &&
            challengeOf(verifier) === grant.challenge;
          response.setHeader('Content-Type', 'application/json');
          if (!ok) {
            response.statusCode = 400;
            response.end(
              JSON.stringify({ error: 'invalid_grant', error_description: 'Bad code or verifier' }),
            );
            return;
          }
          response.end(
            JSON.stringify({
              access_token: 'at-1',
              refresh_token: 'rt-1',
              expires_in: 3600,
              token_type: 'Bearer',
            }),
          );
        });
        return;
      }
      response.writeHead(404).end();
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen({ host: '127.0.0.1', port: 0 }, resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Checks a PKCE pair the way a real server does. */
  verify(code: string, verifier: string): boolean {
    const grant = this.codes.get(code);
    return grant !== undefined && challengeOf(verifier) === grant.challenge;
  }
}

function challengeOf(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** A "browser": follows the authorize redirect to the loopback listener and records the page. */
function fakeBrowser(pages: Array<{ url: string; status: number; body: string }>) {
  return async (url: string): Promise<void> => {
    // Do not await the page inside openBrowser: a real browser opens asynchronously.
    void fetch(url).then(async (response) =>
      pages.push({ url: response.url, status: response.status, body: await response.text() }),
    );
  };
}

let authServer: FakeAuthorizationServer;

beforeEach(async () => {
  authServer = new FakeAuthorizationServer();
  await authServer.start();
});

afterEach(() => {
  authServer.server.close();
  authServer.server.closeAllConnections();
});

describe('runAuthorizationCodeFlow', () => {
  it('runs the whole flow: authorize URL, redirect to the loopback, S256-checked exchange', async () => {
    const pages: Array<{ url: string; status: number; body: string }> = [];
    let redirectPort = 0;
    const tokens = await runAuthorizationCodeFlow<Tokens>({
      buildAuthorizeUrl(redirectUri, state, codeChallenge) {
        redirectPort = Number(new URL(redirectUri).port);
        const url = new URL(`${authServer.origin}/o/oauth2/v2/auth`);
        url.search = new URLSearchParams({
          client_id: 'client-1',
          response_type: 'code',
          redirect_uri: redirectUri,
          state,
          code_challenge: codeChallenge,
          code_challenge_method: 'S256',
        }).toString();
        return url.toString();
      },
      async exchangeCode(code, redirectUri, codeVerifier) {
        expect(redirectUri).toBe(`http://127.0.0.1:${redirectPort}/callback`);
        // The challenge sent in the authorize URL is S256 of this verifier.
        expect(authServer.verify(code, codeVerifier)).toBe(true);
        expect(authServer.verify(code, `${codeVerifier.slice(1)}x`)).toBe(false);
        return { accessToken: 'at', refreshToken: 'rt', expiresAt: null };
      },
      openBrowser: fakeBrowser(pages),
    });
    expect(tokens).toEqual({ accessToken: 'at', refreshToken: 'rt', expiresAt: null });
    const request = authServer.authorizeRequests[0];
    expect(request?.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(request?.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await expect.poll(() => pages.length).toBe(1);
    expect(pages[0]?.status).toBe(200);
    expect(pages[0]?.body).toContain('You can close this window');
    expect(await tryConnect(redirectPort)).toBe('ECONNREFUSED');
  });

  it('uses a fresh state and verifier for every sign-in', async () => {
    const seen: string[] = [];
    for (let i = 0; i < 2; i++) {
      await runAuthorizationCodeFlow({
        buildAuthorizeUrl: (redirectUri, state, challenge) => {
          seen.push(state, challenge);
          return `${authServer.origin}/o/oauth2/v2/auth?${new URLSearchParams({
            response_type: 'code',
            redirect_uri: redirectUri,
            state,
            code_challenge: challenge,
            code_challenge_method: 'S256',
          })}`;
        },
        exchangeCode: async () => 'done',
        openBrowser: fakeBrowser([]),
      });
    }
    expect(new Set(seen).size).toBe(4);
  });

  it('surfaces a denied consent as SignInError(denied) and does not exchange anything', async () => {
    authServer.consent = 'deny';
    let exchanged = false;
    const promise = runAuthorizationCodeFlow({
      buildAuthorizeUrl: (redirectUri, state, challenge) =>
        `${authServer.origin}/o/oauth2/v2/auth?${new URLSearchParams({
          response_type: 'code',
          redirect_uri: redirectUri,
          state,
          code_challenge: challenge,
          code_challenge_method: 'S256',
        })}`,
      exchangeCode: async () => {
        exchanged = true;
        return 'never';
      },
      openBrowser: fakeBrowser([]),
    });
    await expect(promise).rejects.toBeInstanceOf(SignInError);
    await expect(promise).rejects.toMatchObject({ reason: 'denied' });
    expect(exchanged).toBe(false);
  });

  it('closes the listener when opening the browser fails', async () => {
    let port = 0;
    await expect(
      runAuthorizationCodeFlow({
        buildAuthorizeUrl: (redirectUri) => {
          port = Number(new URL(redirectUri).port);
          return 'https://example.test/authorize';
        },
        exchangeCode: async () => 'never',
        openBrowser: async () => {
          throw new Error('no browser');
        },
      }),
    ).rejects.toThrow('no browser');
    expect(port).toBeGreaterThan(0);
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
  });

  it('refuses an authorize URL that is not http(s)', async () => {
    let opened = false;
    await expect(
      runAuthorizationCodeFlow({
        buildAuthorizeUrl: () => 'javascript:alert(1)',
        exchangeCode: async () => 'never',
        openBrowser: async () => {
          opened = true;
        },
      }),
    ).rejects.toMatchObject({ code: 'invalid_argument' });
    expect(opened).toBe(false);
  });

  it('is cancelled by its AbortSignal while waiting for the browser', async () => {
    const controller = new AbortController();
    const promise = runAuthorizationCodeFlow({
      buildAuthorizeUrl: () => 'https://example.test/authorize',
      exchangeCode: async () => 'never',
      openBrowser: async () => {
        setImmediate(() => controller.abort());
      },
      signal: controller.signal,
    });
    await expect(promise).rejects.toMatchObject({ reason: 'cancelled' });
  });

  it('times out when the browser never comes back', async () => {
    await expect(
      runAuthorizationCodeFlow({
        buildAuthorizeUrl: () => 'https://example.test/authorize',
        exchangeCode: async () => 'never',
        openBrowser: async () => undefined,
        timeoutMs: 20,
      }),
    ).rejects.toMatchObject({ reason: 'timeout', code: 'transient' });
  });
});

describe('signIn with an OAuthClient from the configuration', () => {
  function client() {
    const config = resolveClientConfig('gdrive', {
      env: { SKYFOLD_GDRIVE_CLIENT_ID: 'client-1', SKYFOLD_GDRIVE_ENDPOINT: authServer.origin },
    });
    return createOAuthClient(config, { now: () => 1_000_000 });
  }

  it('signs in against the token endpoint with the PKCE verifier', async () => {
    const result = await signIn(client(), { openBrowser: fakeBrowser([]) });
    expect(result.tokens).toEqual({
      accessToken: 'at-1',
      refreshToken: 'rt-1',
      expiresAt: 1_000_000 + 3_600_000,
      tokenType: 'Bearer',
    });
    const authorize = authServer.authorizeRequests[0];
    expect(authorize?.get('access_type')).toBe('offline');
    expect(authorize?.get('scope')).toBe('https://www.googleapis.com/auth/drive');
    const token = authServer.tokenRequests[0];
    expect(token?.get('grant_type')).toBe('authorization_code');
    expect(token?.get('client_id')).toBe('client-1');
    expect(token?.get('redirect_uri')).toBe(authorize?.get('redirect_uri'));
  });

  it('a refused code exchange is a permanent OAuthError', async () => {
    const base = client();
    const tampered = {
      ...base,
      exchangeCode: (code: string, uri: string) => base.exchangeCode(code, uri, 'x'.repeat(43)),
    };
    const promise = signIn(tampered, { openBrowser: fakeBrowser([]) });
    await expect(promise).rejects.toBeInstanceOf(OAuthError);
    await expect(promise).rejects.toMatchObject({ code: 'permanent', oauthError: 'invalid_grant' });
  });
});
