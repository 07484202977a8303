/**
 * The OAuth client each cloud signs in with, as the settings page shows and edits it
 * (getClientSettings / setClientSettings). Values come from, highest first: the environment
 * (SKYFOLD_<KIND>_CLIENT_ID, SKYFOLD_<KIND>_ENDPOINT...: tests and packagers keep control), the saved
 * settings (the `oauth` section of settings.json in the data directory), the built-in defaults.
 * A client secret never crosses the contract: only whether one is set, masked.
 */
import type { CloudProviderKind } from './dto';

export type ClientSettingSource = 'environment' | 'settings' | 'default';

/** The endpoints sign-in uses, taken as a whole from one source. */
export interface ClientEndpointsDto {
  source: ClientSettingSource;
  /** One base URL serving every path of the provider (an emulator), or null for the real service. */
  endpoint: string | null;
  authorizationUrl: string;
  tokenUrl: string;
  /** Null when the provider has none for this client (Microsoft). */
  revokeUrl: string | null;
}

/** What is saved in the settings for one cloud (the form's values); the environment may override it. */
export interface SavedClientSettingsDto {
  clientId: string | null;
  /** Whether a client secret is saved (Google desktop clients have one); its value is never shown. */
  clientSecretSet: boolean;
  endpoint: string | null;
  authUrl: string | null;
  tokenUrl: string | null;
  revokeUrl: string | null;
}

export interface CloudClientSettingsDto {
  provider: CloudProviderKind;
  /** The client id sign-in uses; null (source `default`) when none is configured. */
  clientId: string | null;
  clientIdSource: ClientSettingSource;
  /** The secret in use, masked to its last 4 characters ("••••abcd"), or null. */
  clientSecret: string | null;
  clientSecretSource: ClientSettingSource;
  /** Null when the configuration in use is not valid (`error` says why). */
  endpoints: ClientEndpointsDto | null;
  /** Why the configuration in use is not valid (a malformed environment variable), or null. */
  error: string | null;
  saved: SavedClientSettingsDto;
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Whether `value` may serve as an OAuth or API endpoint: an absolute https URL, or plain http on this
 * computer only (emulators): codes and tokens must never cross a network in clear.
 */
export function isAllowedClientUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return url.protocol === 'https:' || (url.protocol === 'http:' && loopbackHosts.has(url.hostname));
}

/** A secret as the UI may see it: its last 4 characters only. */
export function maskSecret(secret: string): string {
  return `••••${secret.slice(-4)}`;
}
