import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock';
import { OAuthServer, isLoopbackRedirect, s256, type OAuthServerOptions } from './oauth';

const verifier = 'v'.repeat(43);
const users = [
  { email: 'a@example.com', displayName: 'A' },
  { email: 'b@example.com', displayName: 'B' },
];

function server(options: Partial<OAuthServerOptions> = {}) {
  const clock = new ManualClock();
  const oauth = new OAuthServer({
    serviceName: 'Test',
    users: () => users,
    clock,
    autoConsent: true,
    accessTokenLifetimeSeconds: 100,
    prefixes: { accessToken: 'at.', refreshToken: 'rt.', code: 'c.' },
    ...options,
  });
  return { oauth, clock };
}

function authorize(oauth: OAuthServer, extra: Record<string, string> = {}) {
  const outcome = oauth.authorize(
    new URLSearchParams({
      client_id: 'app',
      redirect_uri: 'http://127.0.0.1:5000/cb',
      response_type: 'code',
      scope: 'files',
      code_challenge: s256(verifier),
      code_challenge_method: 'S256',
      state: 'st',
      ...extra,
    }),
  );
  if (outcome.type !== 'redirect') throw new Error(JSON.stringify(outcome));
  return new URL(outcome.location).searchParams;
}

const exchange = (oauth: OAuthServer, code: string, extra: Record<string, string> = {}) =>
  oauth.token(
    new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      client_id: 'app',
      redirect_uri: 'http://127.0.0.1:5000/cb',
      code_verifier: verifier,
      ...extra,
    }),
  );

describe('OAuthServer', () => {
  it('accepts loopback redirects with a port only', () => {
    expect(isLoopbackRedirect(new URL('http://127.0.0.1:8080/cb'))).toBe(true);
    expect(isLoopbackRedirect(new URL('http://localhost:8080/'))).toBe(true);
    expect(isLoopbackRedirect(new URL('http://[::1]:8080/'))).toBe(true);
    expect(isLoopbackRedirect(new URL('http://127.0.0.1/cb'))).toBe(false);
    expect(isLoopbackRedirect(new URL('https://127.0.0.1:8080/cb'))).toBe(false);
    expect(isLoopbackRedirect(new URL('http://example.com:8080/cb'))).toBe(false);
  });

  it('picks the login_hint user on auto-consent, else the first', () => {
    const { oauth } = server();
    const code = authorize(oauth, { login_hint: 'b@example.com' }).get('code') as string;
    const result = exchange(oauth, code);
    const auth = oauth.authenticate(result.body.access_token as string);
    expect(auth.ok && auth.grant.user.email).toBe('b@example.com');
  });

  it('expires access tokens by the clock and refreshes them; refresh keeps the refresh token by default', () => {
    const { oauth, clock } = server();
    const tokens = exchange(oauth, authorize(oauth).get('code') as string).body;
    clock.advance(100_000);
    expect(oauth.authenticate(tokens.access_token as string)).toEqual({ ok: false, reason: 'expired' });
    const refreshed = oauth.token(
      new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token as string,
        client_id: 'app',
      }),
    );
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).toBeUndefined();
    expect(oauth.authenticate(refreshed.body.access_token as string).ok).toBe(true);
  });

  it('rotates refresh tokens when configured (the old one dies)', () => {
    const { oauth } = server({ rotateRefreshTokens: true });
    const tokens = exchange(oauth, authorize(oauth).get('code') as string).body;
    const refresh = (token: string) =>
      oauth.token(
        new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token, client_id: 'app' }),
      );
    const next = refresh(tokens.refresh_token as string);
    expect(next.body.refresh_token).not.toBe(tokens.refresh_token);
    expect(refresh(tokens.refresh_token as string).body.error).toBe('invalid_grant');
    expect(refresh(next.body.refresh_token as string).status).toBe(200);
  });

  it('checks registered clients and secrets, redirect_uri and grant types', () => {
    const { oauth } = server({ clients: [{ id: 'app', secret: 's3cret' }] });
    const code = authorize(oauth).get('code') as string;
    expect(exchange(oauth, code, { client_secret: 'wrong' }).body.error).toBe('invalid_client');
    expect(
      exchange(oauth, code, { client_secret: 's3cret', redirect_uri: 'http://127.0.0.1:1/x' }).body.error,
    ).toBe('redirect_uri_mismatch');
    expect(exchange(oauth, code, { client_secret: 's3cret' }).status).toBe(200);
    expect(
      oauth.token(new URLSearchParams({ client_id: 'app', client_secret: 's3cret', grant_type: 'password' }))
        .body.error,
    ).toBe('unsupported_grant_type');
    const unknown = oauth.authorize(
      new URLSearchParams({ client_id: 'other', redirect_uri: 'http://127.0.0.1:1/' }),
    );
    expect(unknown).toMatchObject({ type: 'error-page', error: 'invalid_client' });
  });

  it('requires S256 (plain is refused) and a well-formed challenge', () => {
    const { oauth } = server();
    const plain = oauth.authorize(
      new URLSearchParams({
        client_id: 'app',
        redirect_uri: 'http://127.0.0.1:5000/cb',
        response_type: 'code',
        scope: 'x',
        code_challenge: verifier,
        code_challenge_method: 'plain',
      }),
    );
    expect(plain.type === 'redirect' && new URL(plain.location).searchParams.get('error')).toBe(
      'invalid_request',
    );
  });

  it('revokes per grant and per user, and expires tokens on demand', () => {
    const { oauth } = server();
    const a = oauth.issue('a@example.com', { scope: 'x' }).body;
    const b = oauth.issue('b@example.com', { scope: 'x' }).body;
    expect(oauth.expireAccessTokens('a@example.com')).toBe(1);
    expect(oauth.authenticate(a.access_token as string).ok).toBe(false);
    expect(oauth.authenticate(b.access_token as string).ok).toBe(true);
    expect(oauth.revokeGrants('b@example.com')).toBe(1);
    expect(oauth.authenticate(b.access_token as string)).toEqual({ ok: false, reason: 'invalid' });
    expect(oauth.revoke(b.refresh_token as string)).toBe(false);
  });

  it('lets a service default and expand the scope, choose offline access, allow no PKCE and shape responses', () => {
    const { oauth } = server({
      defaultScope: 'read',
      expandScope: (scope) => `${scope} base`,
      isOfflineRequest: (query) => query.get('token_access_type') === 'offline',
      pkceOptional: true,
      shapeTokenResponse: (tokens, _grant, grantType) => ({
        token: tokens.access_token,
        grantType,
        scope: tokens.scope,
      }),
    });
    const code = authorize(oauth, { scope: '', code_challenge: '', token_access_type: 'offline' });
    expect(code.get('scope')).toBe('read base');
    // Without a challenge the code needs a client secret instead of a verifier.
    expect(exchange(oauth, code.get('code') as string).body.error).toBe('invalid_request');
    const issued = exchange(oauth, code.get('code') as string, { client_secret: 's' });
    expect(issued.body).toEqual({
      token: expect.any(String),
      grantType: 'authorization_code',
      scope: 'read base',
    });
  });
});
