/**
 * Account routes (users.stone, auth.stone): users/get_current_account (FullAccount),
 * users/get_space_usage (SpaceUsage, `individual` allocation) and auth/token/revoke (revokes the whole
 * grant behind the token, its refresh token included). All three take no argument and need no body.
 */
import type { Router } from '../shared/http';
import { voidArg } from './args';
import { bearerToken, registerRoute, type RpcDeps } from './rpc';
import type { DropboxStore } from './store';

/** Reported as the allocation of users without a storage limit (?). */
export const UNLIMITED_ALLOCATION = 1024 ** 5;

function fullAccount(store: DropboxStore): Record<string, unknown> {
  const { account } = store;
  const [given = account.displayName, ...rest] = account.displayName.split(' ');
  const surname = rest.join(' ');
  const initials = [given, surname]
    .filter(Boolean)
    .map((part) => part[0]?.toUpperCase())
    .join('');
  return {
    account_id: account.accountId,
    name: {
      given_name: given,
      surname,
      familiar_name: given,
      display_name: account.displayName,
      abbreviated_name: initials,
    },
    email: account.email,
    email_verified: true,
    disabled: false,
    country: 'US',
    locale: 'en',
    referral_link: `https://www.dropbox.com/referrals/AA${account.accountId.slice(5, 30)}?src=global9`,
    is_paired: false,
    account_type: { '.tag': 'basic' },
    root_info: {
      '.tag': 'user',
      root_namespace_id: account.namespaceId,
      home_namespace_id: account.namespaceId,
    },
  };
}

export function registerAccountRoutes(router: Router, deps: RpcDeps): void {
  registerRoute(router, deps, {
    name: 'users/get_current_account',
    style: 'rpc',
    scope: 'account_info.read',
    arg: voidArg,
    handle: ({ store }) => fullAccount(store),
  });

  registerRoute(router, deps, {
    name: 'users/get_space_usage',
    style: 'rpc',
    scope: 'account_info.read',
    arg: voidArg,
    handle: ({ store }) => ({
      used: store.used,
      allocation: { '.tag': 'individual', allocated: store.quotaLimit ?? UNLIMITED_ALLOCATION },
    }),
  });

  registerRoute(router, deps, {
    name: 'auth/token/revoke',
    style: 'rpc',
    arg: voidArg,
    handle: ({ ctx }) => {
      deps.oauth.revoke(bearerToken(ctx));
      return null;
    },
  });
}
