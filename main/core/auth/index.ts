/**
 * Desktop sign-in and tokens, shared by every cloud provider. See README.md in this folder.
 */
export {
  cloudKinds,
  dropboxDefaultRedirectPort,
  loadClientConfig,
  loadSettings,
  resolveClientConfig,
  settingsFilePath,
  settingsSchema,
  type ClientConfigSources,
  type ClientSettings,
  type CloudKind,
  type OAuthClientConfig,
  type Settings,
} from './client-config';
export { openDefaultTokenStore, probeKeyring, type DefaultTokenStoreOptions } from './default-token-store';
export { InvalidGrantError, OAuthError, SignInError, type SignInFailureReason } from './errors';
export {
  credentialsFilePath,
  ensurePrivateDirectory,
  FileTokenStore,
  plainJsonCodec,
  type FileTokenStoreOptions,
  type TokenFileCodec,
} from './file-token-store';
export { runAuthorizationCodeFlow, type AuthorizationCodeFlowOptions } from './flow';
export {
  KeyringTokenStore,
  keyringServiceName,
  loadNativeKeyring,
  type KeyringEntry,
  type KeyringEntryFactory,
} from './keyring-token-store';
export {
  defaultSignInTimeoutMs,
  startLoopbackListener,
  type AuthorizationCallback,
  type LoopbackListener,
  type LoopbackListenerOptions,
  type RedirectHost,
} from './loopback';
export {
  createOAuthClient,
  signIn,
  type OAuthClient,
  type OAuthClientOptions,
  type RevokeOutcome,
  type SignInOptions,
} from './oauth-client';
export {
  browserCommand,
  createCliBrowserOpener,
  openThisUrlLine,
  type CliBrowserOpenerOptions,
} from './open-browser';
export { codeChallengeS256, createCodeVerifier, createPkcePair, createState, statesEqual } from './pkce';
export {
  exchangeAuthorizationCode,
  refreshAccessToken,
  requestTokens,
  type TokenEndpointResult,
  type TokenRequestOptions,
} from './token-endpoint';
export {
  TokenManager,
  type AccessToken,
  type AccountAuthState,
  type AuthStateChange,
  type RefreshFunction,
  type TokenManagerOptions,
} from './token-manager';
export { MemoryTokenStore, type TokenStore } from './token-store';
export { defaultExpirySkewMs, isExpiring, tokensFromResponse, tokensSchema, type Tokens } from './tokens';
