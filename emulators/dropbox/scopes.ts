/**
 * Dropbox's scoped-app model and token responses. The emulated app has the scopes below; an authorize
 * request that names none gets them all. What a user grants always includes `account_info.read`, and
 * a scope brings the ones it depends on (`files.content.write` -> `files.content.read`,
 * `files.metadata.write` -> `files.metadata.read`) (?: the App Console enforces these dependencies).
 * Token responses: `{access_token, token_type: "bearer", expires_in, refresh_token (offline codes
 * only), scope, uid, account_id}`; a refresh answers `{access_token, token_type, expires_in}` only.
 */
import type { IssuedTokens } from '../shared/oauth';
import type { Account } from './store';

export const DROPBOX_SCOPES = [
  'account_info.read',
  'files.content.read',
  'files.content.write',
  'files.metadata.read',
  'files.metadata.write',
] as const;

const IMPLIES: Record<string, readonly string[]> = {
  'files.content.write': ['files.content.read', 'files.metadata.write', 'files.metadata.read'],
  'files.content.read': ['files.metadata.read'],
  'files.metadata.write': ['files.metadata.read'],
};

/** The granted scope for a requested one, in Dropbox's alphabetical order. */
export function expandScope(requested: string): string {
  const granted = new Set(['account_info.read']);
  for (const scope of requested.split(' ').filter(Boolean)) {
    granted.add(scope);
    for (const implied of IMPLIES[scope] ?? []) granted.add(implied);
  }
  return [...granted].sort().join(' ');
}

export function shapeTokenResponse(
  tokens: IssuedTokens,
  grantType: 'authorization_code' | 'refresh_token' | 'admin',
  account: Account | undefined,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    access_token: tokens.access_token,
    token_type: 'bearer',
    expires_in: tokens.expires_in,
  };
  if (grantType === 'refresh_token') return body;
  if (tokens.refresh_token) body.refresh_token = tokens.refresh_token;
  body.scope = tokens.scope;
  if (account) {
    body.uid = account.uid;
    body.account_id = account.accountId;
  }
  return body;
}
