/**
 * Google's OAuth 2.0 and OpenID endpoints on the emulator's origin:
 *   GET  /o/oauth2/v2/auth       authorize (consent page or auto-consent redirect); POST = consent form
 *   POST /token                  form (or JSON) body: authorization_code + code_verifier, refresh_token
 *   POST /revoke?token=T         (or form `token`); GET is accepted too
 *   GET|POST /tokeninfo          ?access_token=T or Bearer header
 *   GET  /oauth2/v3/userinfo     and /v1/userinfo (Bearer)
 *   GET  /oauth2/v1/certs, /oauth2/v3/certs   keys that verify the emulator's id_tokens
 * Token errors are `{"error": "...", "error_description": "..."}` like Google's.
 */
import { createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { Clock } from '../shared/clock';
import { sendJson, type RequestContext, type Router } from '../shared/http';
import type { Grant, OAuthServer } from '../shared/oauth';
import { basicCredentials, oauthParams, registerAuthorizeRoutes } from '../shared/oauth-routes';

const AUTHORIZE_PATH = '/o/oauth2/v2/auth';
const NO_STORE = { 'Cache-Control': 'no-cache, no-store, max-age=0, must-revalidate', Pragma: 'no-cache' };
const OPENID_SCOPES = ['openid', 'email', 'profile'];

/** An RSA key that signs id_tokens, published as PEM (v1/certs) and JWK (v3/certs). */
export class IdTokenSigner {
  private readonly key: KeyObject;
  private readonly kid: string;
  readonly publicPem: string;
  readonly jwk: Record<string, unknown>;

  constructor(private readonly clock: Clock) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.key = createPrivateKey(privateKey.export({ type: 'pkcs8', format: 'pem' }));
    this.publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    this.kid = Buffer.from(this.publicPem).toString('base64url').slice(-40);
    this.jwk = { ...publicKey.export({ format: 'jwk' }), kid: this.kid, alg: 'RS256', use: 'sig' };
  }

  get keyId(): string {
    return this.kid;
  }

  /** An id_token when the grant asked for openid, email or profile. */
  token(grant: Grant, sub: string): string | undefined {
    const scopes = grant.scope.split(' ');
    const wanted = scopes.some((s) => OPENID_SCOPES.includes(s) || s.includes('userinfo.'));
    if (!wanted) return undefined;
    const now = Math.floor(this.clock.now() / 1000);
    const header = { alg: 'RS256', kid: this.kid, typ: 'JWT' };
    const claims = {
      iss: 'https://accounts.google.com',
      azp: grant.clientId,
      aud: grant.clientId,
      sub,
      email: grant.user.email,
      email_verified: true,
      name: grant.user.displayName,
      iat: now,
      exp: now + 3600,
    };
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const input = `${encode(header)}.${encode(claims)}`;
    return `${input}.${sign('RSA-SHA256', Buffer.from(input), this.key).toString('base64url')}`;
  }
}

export interface GoogleOAuthDeps {
  oauth: OAuthServer;
  clock: Clock;
  signer: IdTokenSigner;
  serviceName: string;
  /** Numeric `sub` of a user. */
  subject(email: string): string;
}

function bearer(ctx: RequestContext): string | undefined {
  const header = ctx.req.headers.authorization;
  const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return match?.[1]?.trim();
}

export function registerOAuthRoutes(router: Router, deps: GoogleOAuthDeps): void {
  const { oauth, serviceName } = deps;
  registerAuthorizeRoutes(router, oauth, { path: AUTHORIZE_PATH, serviceName });

  router.on('POST', '/token', async (ctx) => {
    const result = oauth.token(await oauthParams(ctx), basicCredentials(ctx, { percentEncoded: true }));
    sendJson(ctx.res, result.status, result.body, NO_STORE, 2);
  });

  router.on(['POST', 'GET'], '/revoke', async (ctx) => {
    const token = (await oauthParams(ctx)).get('token');
    if (token && oauth.revoke(token)) sendJson(ctx.res, 200, {}, NO_STORE, 2);
    else
      sendJson(
        ctx.res,
        400,
        { error: 'invalid_token', error_description: 'Token expired or revoked' },
        NO_STORE,
        2,
      );
  });

  router.on(['GET', 'POST'], '/tokeninfo', async (ctx) => {
    const token = (await oauthParams(ctx)).get('access_token') ?? bearer(ctx);
    const auth = token ? oauth.authenticate(token) : undefined;
    if (!auth?.ok) {
      sendJson(ctx.res, 400, { error: 'invalid_token', error_description: 'Invalid Value' }, NO_STORE, 2);
      return;
    }
    const { grant } = auth;
    sendJson(
      ctx.res,
      200,
      {
        azp: grant.clientId,
        aud: grant.clientId,
        sub: deps.subject(grant.user.email),
        scope: grant.scope,
        exp: String(Math.floor(auth.expiresAt / 1000)),
        expires_in: String(Math.max(0, Math.floor((auth.expiresAt - deps.clock.now()) / 1000))),
        email: grant.user.email,
        email_verified: 'true',
        access_type: grant.refreshToken ? 'offline' : 'online',
      },
      NO_STORE,
      2,
    );
  });

  const userinfo = (ctx: RequestContext) => {
    const token = bearer(ctx);
    const auth = token ? oauth.authenticate(token) : undefined;
    if (!auth?.ok) {
      sendJson(
        ctx.res,
        401,
        {
          error: {
            code: 401,
            message: 'Request had invalid authentication credentials.',
            status: 'UNAUTHENTICATED',
          },
        },
        { 'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
        2,
      );
      return;
    }
    const { user } = auth.grant;
    const [given, ...family] = user.displayName.split(' ');
    sendJson(
      ctx.res,
      200,
      {
        sub: deps.subject(user.email),
        name: user.displayName,
        given_name: given,
        family_name: family.join(' ') || undefined,
        picture: 'https://lh3.googleusercontent.com/a/default-user=s96-c',
        email: user.email,
        email_verified: true,
      },
      {},
      2,
    );
  };
  router.on('GET', '/oauth2/v3/userinfo', userinfo).on('GET', '/v1/userinfo', userinfo);
  router.on('GET', '/oauth2/v1/certs', (ctx) =>
    sendJson(ctx.res, 200, { [deps.signer.keyId]: deps.signer.publicPem }, {}, 2),
  );
  router.on('GET', '/oauth2/v3/certs', (ctx) => sendJson(ctx.res, 200, { keys: [deps.signer.jwk] }, {}, 2));
}
