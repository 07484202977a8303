/**
 * Dropbox's OAuth 2 endpoints on the emulator's origin (www.dropbox.com and api.dropboxapi.com paths):
 *   GET  /oauth2/authorize   consent page or auto-consent redirect; POST = the consent form
 *   POST /oauth2/token       `grant_type=authorization_code` (code + code_verifier, or a client secret
 *                            without PKCE) or `refresh_token`; parameters in the query string (what the
 *                            JS SDK sends, with an empty body), a form body or a JSON body; client
 *                            credentials in the parameters or HTTP Basic
 * Token errors: 400 `{"error":"invalid_grant","error_description":"..."}` with Dropbox's descriptions.
 */
import { renderConsentPage, renderErrorPage } from '../shared/consent-page';
import {
  mediaType,
  parseForm,
  readBody,
  redirect,
  sendHtml,
  type RequestContext,
  type Router,
} from '../shared/http';
import type { AuthorizeOutcome, OAuthServer, TokenResult } from '../shared/oauth';
import { sendDropboxJson } from './errors';

const AUTHORIZE_PATH = '/oauth2/authorize';

/** Query parameters merged with a form or JSON body. */
async function tokenParams(ctx: RequestContext): Promise<URLSearchParams> {
  const body = await readBody(ctx.body, 64 * 1024);
  const merged = new URLSearchParams(ctx.url.searchParams);
  if (body.length === 0) return merged;
  if (mediaType(ctx.req.headers['content-type']) === 'application/json') {
    try {
      const json = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      for (const [key, value] of Object.entries(json)) if (typeof value === 'string') merged.set(key, value);
    } catch {
      // A body that is not JSON carries no parameters.
    }
    return merged;
  }
  for (const [key, value] of parseForm(body)) merged.set(key, value);
  return merged;
}

function basicCredentials(ctx: RequestContext): { id: string; secret: string } | undefined {
  const match = /^Basic\s+(.+)$/i.exec(ctx.req.headers.authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/** Dropbox's wording of invalid_grant (?: observed descriptions, not documented). */
function dropboxWording(result: TokenResult, grantType: string | null): TokenResult {
  if (result.body.error !== 'invalid_grant') return result;
  const description =
    grantType === 'refresh_token'
      ? 'refresh token is invalid or revoked'
      : "code doesn't exist or has expired";
  return { status: result.status, body: { error: 'invalid_grant', error_description: description } };
}

export function registerOAuthRoutes(router: Router, oauth: OAuthServer): void {
  const answer = (ctx: RequestContext, outcome: AuthorizeOutcome) => {
    if (outcome.type === 'redirect') redirect(ctx.res, outcome.location);
    else if (outcome.type === 'error-page')
      sendHtml(ctx.res, outcome.status, renderErrorPage('Dropbox', outcome.error, outcome.description));
    else
      sendHtml(
        ctx.res,
        200,
        renderConsentPage({
          serviceName: 'Dropbox',
          action: AUTHORIZE_PATH,
          requestId: outcome.requestId,
          clientId: outcome.clientId,
          scope: outcome.scope,
          users: outcome.users,
          selected: outcome.selected,
        }),
        { 'Cache-Control': 'no-store' },
      );
  };

  router.on('GET', AUTHORIZE_PATH, (ctx) => answer(ctx, oauth.authorize(ctx.url.searchParams)));
  router.on('POST', AUTHORIZE_PATH, async (ctx) =>
    answer(ctx, oauth.decide(parseForm(await readBody(ctx.body, 64 * 1024)))),
  );

  router.on('POST', '/oauth2/token', async (ctx) => {
    const params = await tokenParams(ctx);
    const result = dropboxWording(oauth.token(params, basicCredentials(ctx)), params.get('grant_type'));
    sendDropboxJson(ctx.res, result.status, result.body, { 'Cache-Control': 'no-store' });
  });
}
