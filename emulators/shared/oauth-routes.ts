/**
 * The HTTP side of the OAuth endpoints every emulator serves over its `OAuthServer`:
 * - `registerAuthorizeRoutes`: the authorize endpoint; GET shows the consent page (or, with auto-consent,
 *   redirects at once), POST takes the consent form; requests that cannot go back to the client get
 *   the error page, approved requests without redirect URI the page showing the code;
 * - `oauthParams`: the parameters of a token, revoke or tokeninfo request: the query string, overridden
 *   by a form body or by the string members of a JSON body (an unparsable JSON body adds nothing);
 * - `basicCredentials`: client credentials sent with HTTP Basic.
 * Token responses and error wording stay with each service.
 */
import { renderCodePage, renderConsentPage, renderErrorPage } from './consent-page';
import { mediaType, parseForm, readBody, redirect, sendHtml, type RequestContext, type Router } from './http';
import type { AuthorizeOutcome, OAuthServer, SignInPolicy } from './oauth';

/** The largest body an OAuth endpoint reads. */
export const OAUTH_BODY_LIMIT = 64 * 1024;

/**
 * Registers GET and POST `path` (the authorize endpoint and its consent form) on `router`; `policy`
 * may refuse accounts on this endpoint (oauth.ts `SignInPolicy`).
 */
export function registerAuthorizeRoutes(
  router: Router,
  oauth: OAuthServer,
  page: { path: string; serviceName: string; policy?: SignInPolicy },
): void {
  const { path, serviceName, policy } = page;
  const answer = (ctx: RequestContext, outcome: AuthorizeOutcome) => {
    if (outcome.type === 'redirect') redirect(ctx.res, outcome.location);
    else if (outcome.type === 'error-page')
      sendHtml(ctx.res, outcome.status, renderErrorPage(serviceName, outcome.error, outcome.description));
    else if (outcome.type === 'code')
      sendHtml(ctx.res, 200, renderCodePage(serviceName, outcome.code), { 'Cache-Control': 'no-store' });
    else
      sendHtml(
        ctx.res,
        200,
        renderConsentPage({
          serviceName,
          action: path,
          requestId: outcome.requestId,
          clientId: outcome.clientId,
          scope: outcome.scope,
          users: outcome.users,
          selected: outcome.selected,
        }),
        { 'Cache-Control': 'no-store' },
      );
  };
  router.on('GET', path, (ctx) => answer(ctx, oauth.authorize(ctx.url.searchParams, policy)));
  router.on('POST', path, async (ctx) =>
    answer(ctx, oauth.decide(parseForm(await readBody(ctx.body, OAUTH_BODY_LIMIT)), policy)),
  );
}

/** Query parameters merged with a form or JSON body (the body wins). */
export async function oauthParams(ctx: RequestContext): Promise<URLSearchParams> {
  const body = await readBody(ctx.body, OAUTH_BODY_LIMIT);
  const merged = new URLSearchParams(ctx.url.searchParams);
  if (body.length === 0) return merged;
  if (mediaType(ctx.req.headers['content-type']) === 'application/json') {
    try {
      const json = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      for (const [key, value] of Object.entries(json)) if (typeof value === 'string') merged.set(key, value);
    } catch {
      // An unparsable JSON body carries no parameters.
    }
    return merged;
  }
  for (const [key, value] of parseForm(body)) merged.set(key, value);
  return merged;
}

/**
 * The client id and secret of an `Authorization: Basic` header (undefined without one, or without a
 * colon). RFC 6749 (2.3.1) has clients percent-encode both before joining them: `percentEncoded`
 * decodes them (Google does); otherwise they are taken as sent (Dropbox).
 */
export function basicCredentials(
  ctx: RequestContext,
  options: { percentEncoded: boolean },
): { id: string; secret: string } | undefined {
  const match = /^Basic\s+(.+)$/i.exec(ctx.req.headers.authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const id = decoded.slice(0, colon);
  const secret = decoded.slice(colon + 1);
  return options.percentEncoded
    ? { id: decodeURIComponent(id), secret: decodeURIComponent(secret) }
    : { id, secret };
}
