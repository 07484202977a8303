/**
 * The Microsoft identity platform's v2.0 endpoints (login.microsoftonline.com), for the tenants a
 * personal-account desktop app uses: `/{tenant}/oauth2/v2.0/authorize` (consent page, or an immediate
 * redirect with auto-consent) and `/{tenant}/oauth2/v2.0/token` (form body only; the query string and
 * JSON bodies are not read), `{tenant}` = `common`, `consumers` (or its GUID) or `organizations`, where
 * the seeded accounts, all personal, cannot sign in (AADSTS50020 (?)). Any other tenant: AADSTS90002.
 * No revoke endpoint: public clients sign out by forgetting their tokens.
 */
import { renderErrorPage } from '../shared/consent-page';
import { mediaType, parseForm, readBody, sendHtml, sendJson, type Router } from '../shared/http';
import type { OAuthServer, OAuthUser, SignInPolicy, TokenResult } from '../shared/oauth';
import { registerAuthorizeRoutes, OAUTH_BODY_LIMIT } from '../shared/oauth-routes';
import { IdentityError, sendIdentityError } from './errors';

/** The tenant id of personal Microsoft accounts (the `tid` of their id tokens), a synonym of `consumers`. */
export const CONSUMERS_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';

export const TENANTS = ['common', 'consumers', CONSUMERS_TENANT_ID, 'organizations'] as const;

/**
 * AADSTS50020, the error of a personal account where only work or school accounts sign in (?: on
 * `organizations` the real sign-in page refuses personal accounts before any code is issued; the
 * wording is the one reported for AADSTS50020, the code the error reference's "UserUnauthorized").
 */
const personalAccountRefused = (user: OAuthUser, clientId: string) =>
  new IdentityError(
    400,
    'invalid_grant',
    50020,
    `User account '${user.email}' from identity provider 'live.com' does not exist in tenant 'organizations' and cannot access the application '${clientId}' in that tenant. The account needs to be added as an external user in the tenant first. Sign out and sign in again with a different Azure Active Directory user account.`,
  );

/** `organizations` takes work and school accounts only: every seeded (personal) account is refused. */
const ORGANIZATIONS_POLICY: SignInPolicy = {
  refuse: (user, clientId) => {
    const error = personalAccountRefused(user, clientId);
    return {
      status: 400,
      error: 'invalid_request',
      description: `AADSTS${error.code}: ${error.description}`,
    };
  },
};

const unknownTenant = (tenant: string) =>
  new IdentityError(
    400,
    'invalid_request',
    90002,
    `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
  );

const missing = (name: string) =>
  new IdentityError(
    400,
    'invalid_request',
    900144,
    `The request body must contain the following parameter: '${name}'.`,
  );

/** The identity platform's wording of a shared OAuthServer refusal. */
function identityError(result: TokenResult): IdentityError {
  const error = String(result.body.error);
  const description = String(result.body.error_description ?? '');
  const parameter = /^Missing required parameter: (\w+)/.exec(description)?.[1];
  if (parameter) return missing(parameter);
  if (/client ID/.test(description)) return missing('client_id');
  if (error === 'unsupported_grant_type')
    return new IdentityError(
      400,
      'unsupported_grant_type',
      70003,
      'The app requested an unsupported grant type.',
    );
  if (/verifier/.test(description))
    return new IdentityError(
      400,
      'invalid_grant',
      501481,
      'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
    );
  if (error === 'redirect_uri_mismatch')
    return new IdentityError(
      400,
      'invalid_grant',
      70000,
      "The request was denied because one or more scopes requested are unauthorized or expired. The redirect_uri doesn't match the one of the authorization request.",
    );
  if (/already redeemed/.test(description))
    return new IdentityError(
      400,
      'invalid_grant',
      54005,
      'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
    );
  if (error === 'invalid_client')
    return new IdentityError(400, 'invalid_client', 700016, 'Application was not found in the directory.');
  return new IdentityError(
    400,
    'invalid_grant',
    70000,
    'The provided value for the input parameter is not valid: the grant is invalid, expired, revoked or was already used.',
  );
}

export function registerIdentityRoutes(router: Router, oauth: OAuthServer, now: () => number): void {
  for (const tenant of TENANTS) {
    registerAuthorizeRoutes(router, oauth, {
      path: `/${tenant}/oauth2/v2.0/authorize`,
      serviceName: 'Microsoft',
      policy: tenant === 'organizations' ? ORGANIZATIONS_POLICY : undefined,
    });
    router.on('POST', `/${tenant}/oauth2/v2.0/token`, async (ctx) => {
      const body = await readBody(ctx.body, OAUTH_BODY_LIMIT);
      const form =
        mediaType(ctx.req.headers['content-type']) === 'application/x-www-form-urlencoded'
          ? parseForm(body)
          : new URLSearchParams();
      if (!form.get('client_id')) return sendIdentityError(ctx.res, missing('client_id'), now());
      if (!form.get('grant_type')) return sendIdentityError(ctx.res, missing('grant_type'), now());
      if (form.has('client_secret') || form.has('client_assertion'))
        return sendIdentityError(
          ctx.res,
          new IdentityError(
            400,
            'invalid_request',
            700025,
            "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.",
          ),
          now(),
        );
      // A personal account's code or refresh token on `organizations`: refused, nothing consumed (?).
      const user = tenant === 'organizations' ? oauth.userOf(form) : undefined;
      if (user)
        return sendIdentityError(
          ctx.res,
          personalAccountRefused(user, form.get('client_id') as string),
          now(),
        );
      const result = oauth.token(form);
      if (result.status === 200)
        sendJson(ctx.res, 200, result.body, { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' });
      else sendIdentityError(ctx.res, identityError(result), now());
    });
  }
  // Any other tenant (a GUID or domain this emulator does not host).
  router.on(['GET', 'POST'], '/:tenant/oauth2/v2.0/authorize', (ctx) => {
    const error = unknownTenant(ctx.params.tenant as string);
    sendHtml(
      ctx.res,
      400,
      renderErrorPage('Microsoft', error.error, `AADSTS${error.code}: ${error.description}`),
    );
  });
  router.on('POST', '/:tenant/oauth2/v2.0/token', (ctx) =>
    sendIdentityError(ctx.res, unknownTenant(ctx.params.tenant as string), now()),
  );
}
