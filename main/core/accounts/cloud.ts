/**
 * Cloud accounts: signing a new one in (desktop OAuth, see ../auth) and opening the provider of a
 * stored one with a TokenManager over the token store. Provider-specific code stays in the
 * providers; this module only picks the right one.
 */
import {
  createOAuthClient,
  loadClientConfig,
  MemoryTokenStore,
  signIn,
  TokenManager,
  type AuthStateChange,
  type CloudKind,
  type OAuthClientConfig,
  type TokenStore,
  type Tokens,
} from '../auth';
import { DropboxProvider } from '../providers/dropbox/dropbox-provider';
import { GdriveProvider } from '../providers/gdrive/gdrive-provider';
import { OnedriveProvider } from '../providers/onedrive/onedrive-provider';
import { Pacer } from '../providers/pacer';
import type { AboutInfo, AccessTokenSource, Provider } from '../providers/types';
import type { StoredAccount } from './account-store';

export interface CloudDependencies {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  /** Where tokens live (keyring, 0600 file, or Electron safeStorage), opened on first use. */
  tokenStore: () => Promise<TokenStore>;
  /** Told when an account's sign-in breaks (needs reconnect) or recovers. */
  onAuthState: (change: AuthStateChange) => void;
}

export interface SignInResult {
  provider: Provider;
  tokens: Tokens;
  about: AboutInfo;
  /** The endpoint override used (an emulator), or null for the real service. */
  endpoint: string | null;
}

const googleApiBaseUrl = 'https://www.googleapis.com';

/**
 * Each cloud account gets one pacer: every request of its provider goes through it (concurrency
 * limit, backoff with jitter, Retry-After pausing the whole account), as in rclone's backends.
 */
function accountPacer(): Pacer {
  return new Pacer({ maxConcurrency: 4, maxRetries: 6, baseDelayMs: 250, maxDelayMs: 30_000 });
}

async function connect(
  kind: CloudKind,
  config: OAuthClientConfig,
  tokens: AccessTokenSource,
): Promise<Provider> {
  // An endpoint (an emulator) serves every host of the provider on one origin.
  switch (kind) {
    case 'gdrive':
      return GdriveProvider.connect({
        apiBaseUrl: config.endpoint ?? googleApiBaseUrl,
        tokens,
        pacer: accountPacer(),
      });
    case 'dropbox':
      return DropboxProvider.connect({ apiBaseUrl: config.endpoint, tokens, pacer: accountPacer() });
    case 'onedrive':
      return OnedriveProvider.connect({ apiBaseUrl: config.endpoint, tokens, pacer: accountPacer() });
  }
}

/**
 * Runs the browser sign-in for a new account and connects to it. Throws SignInError (denied, timeout,
 * cancelled...), configuration errors (no client id), and provider errors.
 */
export async function signInCloud(
  kind: CloudKind,
  options: { endpoint?: string | null; openBrowser: (url: string) => Promise<void>; signal?: AbortSignal },
  deps: CloudDependencies,
): Promise<SignInResult> {
  const config = await loadClientConfig(kind, deps.dataDir, {
    env: deps.env,
    overrides: { endpoint: options.endpoint ?? null },
  });
  const client = createOAuthClient(config);
  const { tokens } = await signIn(client, {
    openBrowser: options.openBrowser,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  // Until the account exists, its tokens live in memory only.
  const store = new MemoryTokenStore();
  await store.set('new', tokens);
  const provider = await connect(
    kind,
    config,
    new TokenManager({ accountId: 'new', store, refresh: client.refresh }),
  );
  const about = await provider.about();
  // A refresh during about() rotates Microsoft's refresh token (the old one stops working): hand over
  // the newest tokens, not the ones the sign-in returned.
  return { provider, tokens: (await store.get('new')) ?? tokens, about, endpoint: config.endpoint };
}

/** The provider of a stored cloud account, authenticated through the token store. */
export async function openCloudProvider(account: StoredAccount, deps: CloudDependencies): Promise<Provider> {
  const kind = account.provider as CloudKind;
  const config = await loadClientConfig(kind, deps.dataDir, {
    env: deps.env,
    overrides: { endpoint: endpointOf(account) },
  });
  const client = createOAuthClient(config);
  const manager = new TokenManager({
    accountId: account.id,
    store: await deps.tokenStore(),
    refresh: client.refresh,
    onStateChange: deps.onAuthState,
  });
  return connect(kind, config, manager);
}

/**
 * Signs a removed account out: revokes its grant at the provider where it can (best effort: an
 * unreachable provider does not keep the account) and deletes its stored tokens. Idempotent.
 */
export async function signOutCloud(account: StoredAccount, deps: CloudDependencies): Promise<void> {
  const store = await deps.tokenStore();
  const tokens = await store.get(account.id).catch(() => null);
  if (tokens) {
    const config = await loadClientConfig(account.provider as CloudKind, deps.dataDir, {
      env: deps.env,
      overrides: { endpoint: endpointOf(account) },
    }).catch(() => null);
    if (config)
      await createOAuthClient(config)
        .revoke(tokens)
        .catch(() => undefined);
  }
  await store.delete(account.id);
}

function endpointOf(account: StoredAccount): string | null {
  return typeof account.config.endpoint === 'string' ? account.config.endpoint : null;
}
