/**
 * Dropbox's OAuth 2 endpoints on the emulator's origin (www.dropbox.com and api.dropboxapi.com paths):
 *   GET  /oauth2/authorize   consent page or auto-consent redirect; POST = the consent form; without
 *                            `redirect_uri` (allowed with the code flow) the code is shown on a page
 *                            and the token request omits `redirect_uri` too
 *   POST /oauth2/token       `grant_type=authorization_code` (code + code_verifier, or a client secret
 *                            without PKCE) or `refresh_token`; parameters in the query string (what the
 *                            JS SDK sends, with an empty body), a form body or a JSON body; client
 *                            credentials in the parameters or HTTP Basic
 * Token errors: 400 `{"error":"invalid_grant","error_description":"..."}` with Dropbox's descriptions.
 */
import type { Router } from '../shared/http';
import type { OAuthServer, TokenResult } from '../shared/oauth';
import { basicCredentials, oauthParams, registerAuthorizeRoutes } from '../shared/oauth-routes';
import { sendDropboxJson } from './errors';

const AUTHORIZE_PATH = '/oauth2/authorize';

/**
 * Dropbox's wording of invalid_grant (?: observed descriptions, not documented); a redirect URI that
 * differs from the authorize request's is `invalid_grant` / `redirect_uri mismatch` there
 * (dropbox/dropbox-sdk-php#50).
 */
function dropboxWording(result: TokenResult, grantType: string | null): TokenResult {
  if (result.body.error === 'redirect_uri_mismatch')
    return { status: 400, body: { error: 'invalid_grant', error_description: 'redirect_uri mismatch' } };
  if (result.body.error !== 'invalid_grant') return result;
  const description =
    grantType === 'refresh_token'
      ? 'refresh token is invalid or revoked'
      : "code doesn't exist or has expired";
  return { status: result.status, body: { error: 'invalid_grant', error_description: description } };
}

export function registerOAuthRoutes(router: Router, oauth: OAuthServer): void {
  registerAuthorizeRoutes(router, oauth, { path: AUTHORIZE_PATH, serviceName: 'Dropbox' });
  router.on('POST', '/oauth2/token', async (ctx) => {
    const params = await oauthParams(ctx);
    const credentials = basicCredentials(ctx, { percentEncoded: false });
    const result = dropboxWording(oauth.token(params, credentials), params.get('grant_type'));
    sendDropboxJson(ctx.res, result.status, result.body, { 'Cache-Control': 'no-store' });
  });
}
