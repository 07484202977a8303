/**
 * Which OAuth client Skyfold signs in with, per cloud: client id (+ secret where the provider wants one),
 * authorize/token/revoke endpoints (overridable for emulators and national clouds), scopes and the
 * loopback redirect. Skyfold ships no client ids: each user (or packager) registers an app, see
 * main/core/auth/README.md.
 *
 * Sources, highest first: per-call overrides (`--endpoint URL`), environment variables, the `oauth`
 * section of `<dataDir>/settings.json` (validated with zod), built-in defaults. Endpoints are taken as a
 * whole from the highest source that sets any of them (`endpoint` or a `*Url`), so an emulator endpoint
 * in the environment never mixes with a token URL from the settings file; within that source an explicit
 * URL beats the one derived from `endpoint`.
 *
 * Environment (KIND = GDRIVE | DROPBOX | ONEDRIVE):
 *   SKYFOLD_KIND_CLIENT_ID, SKYFOLD_KIND_CLIENT_SECRET,
 *   SKYFOLD_KIND_ENDPOINT (one base URL serving all of the provider's paths, e.g. an emulator),
 *   SKYFOLD_KIND_AUTH_URL, SKYFOLD_KIND_TOKEN_URL, SKYFOLD_KIND_REVOKE_URL,
 *   SKYFOLD_KIND_SCOPES (space or comma separated), SKYFOLD_KIND_REDIRECT_PORT, SKYFOLD_KIND_REDIRECT_HOST,
 *   SKYFOLD_ONEDRIVE_TENANT (common | consumers | organizations | a tenant id; default common).
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { z } from 'zod';
import { providerLabels } from '../../../common/dto';
import { SkyfoldError } from '../../../common/errors';
import type { RedirectHost } from './loopback';

export const cloudKinds = ['gdrive', 'dropbox', 'onedrive'] as const;
export type CloudKind = (typeof cloudKinds)[number];

export interface OAuthClientConfig {
  kind: CloudKind;
  clientId: string;
  /** Google desktop clients have a (non-secret) secret the token endpoint requires; PKCE clients null. */
  clientSecret: string | null;
  authorizationUrl: string;
  tokenUrl: string;
  /** Null when the provider has no revoke endpoint for this client (Microsoft public clients). */
  revokeUrl: string | null;
  scopes: string[];
  /** Loopback port: 0 = ephemeral; Dropbox needs the fixed port of its registered redirect URI. */
  redirectPort: number;
  redirectHost: RedirectHost;
  redirectPath: string;
  /** The base URL replacing all of the provider's hosts (emulator), or null for the real service. */
  endpoint: string | null;
  /** Extra parameters of the authorize request (offline access, account picker). */
  authorizeParams: Record<string, string>;
}

/** The fixed loopback port for Dropbox (register `http://127.0.0.1:27563/callback` in its App Console). */
export const dropboxDefaultRedirectPort = 27563;

/** What a cloud's configuration is without overrides (ids, secrets and endpoints come from elsewhere). */
type KindDefaults = Pick<
  OAuthClientConfig,
  | 'authorizationUrl'
  | 'tokenUrl'
  | 'revokeUrl'
  | 'scopes'
  | 'redirectPort'
  | 'redirectHost'
  | 'authorizeParams'
>;

function defaultsFor(kind: CloudKind, tenant: string): KindDefaults {
  switch (kind) {
    case 'gdrive':
      return {
        authorizationUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
        tokenUrl: 'https://oauth2.googleapis.com/token',
        revokeUrl: 'https://oauth2.googleapis.com/revoke',
        scopes: ['https://www.googleapis.com/auth/drive'],
        redirectPort: 0,
        redirectHost: '127.0.0.1',
        // offline = a refresh token; consent = a refresh token again on a reconnect; select_account = the
        // user can add a second Google account.
        authorizeParams: { access_type: 'offline', prompt: 'select_account consent' },
      };
    case 'dropbox':
      return {
        authorizationUrl: 'https://www.dropbox.com/oauth2/authorize',
        tokenUrl: 'https://api.dropboxapi.com/oauth2/token',
        revokeUrl: 'https://api.dropboxapi.com/2/auth/token/revoke',
        scopes: ['account_info.read', 'files.metadata.read', 'files.content.read', 'files.content.write'],
        redirectPort: dropboxDefaultRedirectPort,
        redirectHost: '127.0.0.1',
        authorizeParams: { token_access_type: 'offline' },
      };
    case 'onedrive':
      return {
        authorizationUrl: `https://login.microsoftonline.com/${tenant}/oauth2/v2.0/authorize`,
        tokenUrl: `https://login.microsoftonline.com/${tenant}/oauth2/v2.0/token`,
        revokeUrl: null,
        scopes: ['Files.ReadWrite.All', 'offline_access', 'openid', 'profile', 'User.Read'],
        redirectPort: 0,
        // The Entra portal registers http://localhost (any port); 127.0.0.1 needs a manifest edit.
        redirectHost: 'localhost',
        authorizeParams: { prompt: 'select_account' },
      };
  }
}

/** The provider's endpoints when one base URL serves all of its hosts' paths (the emulators). */
function endpointsUnder(
  kind: CloudKind,
  base: string,
  tenant: string,
): Pick<KindDefaults, 'authorizationUrl' | 'tokenUrl' | 'revokeUrl'> {
  switch (kind) {
    case 'gdrive':
      return {
        authorizationUrl: `${base}/o/oauth2/v2/auth`,
        tokenUrl: `${base}/token`,
        revokeUrl: `${base}/revoke`,
      };
    case 'dropbox':
      return {
        authorizationUrl: `${base}/oauth2/authorize`,
        tokenUrl: `${base}/oauth2/token`,
        revokeUrl: `${base}/2/auth/token/revoke`,
      };
    case 'onedrive':
      return {
        authorizationUrl: `${base}/${tenant}/oauth2/v2.0/authorize`,
        tokenUrl: `${base}/${tenant}/oauth2/v2.0/token`,
        revokeUrl: null,
      };
  }
}

// --- settings.json ---------------------------------------------------------------------------------

const httpUrl = z.url();
const clientSettingsSchema = z.strictObject({
  clientId: z.string().min(1).optional(),
  clientSecret: z.string().min(1).optional(),
  endpoint: httpUrl.optional(),
  authUrl: httpUrl.optional(),
  tokenUrl: httpUrl.optional(),
  revokeUrl: httpUrl.optional(),
  scopes: z.array(z.string().min(1)).min(1).optional(),
  redirectPort: z.number().int().min(0).max(65535).optional(),
  redirectHost: z.enum(['127.0.0.1', 'localhost']).optional(),
  tenant: z
    .string()
    .regex(/^[A-Za-z0-9.-]+$/)
    .optional(),
});
export type ClientSettings = z.infer<typeof clientSettingsSchema>;

/** `settings.json`: only the `oauth` section is ours; other sections are left to their owners. */
export const settingsSchema = z.looseObject({
  oauth: z
    .strictObject({
      gdrive: clientSettingsSchema.optional(),
      dropbox: clientSettingsSchema.optional(),
      onedrive: clientSettingsSchema.optional(),
    })
    .optional(),
});
export type Settings = z.infer<typeof settingsSchema>;

export function settingsFilePath(dataDir: string): string {
  return path.join(dataDir, 'settings.json');
}

/**
 * Reads and validates `<dataDir>/settings.json`. A missing file is `{}`. Throws SkyfoldError
 * `invalid_argument` naming the file and the offending field when it is not valid.
 */
export async function loadSettings(dataDir: string): Promise<Settings> {
  const file = settingsFilePath(dataDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return {};
    throw new SkyfoldError('permanent', `Could not read ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SkyfoldError('invalid_argument', `${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = settingsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    throw new SkyfoldError(
      'invalid_argument',
      `${file} is not valid: ${where}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

// --- resolution ------------------------------------------------------------------------------------

export interface ClientConfigSources {
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** The parsed settings file (loadSettings). */
  settings?: Settings;
  /** Per-account or per-command values that beat everything (`skyfold accounts add gdrive --endpoint URL`). */
  overrides?: { endpoint?: string | null };
}

/**
 * The client configuration of `kind`. Pure (no I/O). Throws SkyfoldError:
 * - `permanent` when no client id is configured (or Google's secret is missing for the real service),
 *   with the steps to register an app;
 * - `invalid_argument` for a malformed value (URL, port, host, tenant). http:// URLs are only accepted
 *   for loopback hosts.
 */
export function resolveClientConfig(kind: CloudKind, sources: ClientConfigSources = {}): OAuthClientConfig {
  const env = sources.env ?? process.env;
  const prefix = envPrefix(kind);
  const fromEnv = envReader(kind, env);
  const file = sources.settings?.oauth?.[kind] ?? {};
  const defaults = defaultsFor(kind, tenantOf(kind, sources));
  const endpoints = resolveEndpoints(kind, sources);
  const { endpoint } = endpoints;

  const clientId = fromEnv('CLIENT_ID') ?? file.clientId;
  if (!clientId) throw missingClientError(kind);
  const clientSecret = fromEnv('CLIENT_SECRET') ?? file.clientSecret ?? null;
  if (kind === 'gdrive' && !clientSecret && endpoints.tokenUrl === defaults.tokenUrl) {
    throw new SkyfoldError(
      'permanent',
      `Google Drive sign-in needs the client secret of your Google "Desktop app" OAuth client as well (for desktop apps it is not actually secret). Set SKYFOLD_GDRIVE_CLIENT_SECRET or "oauth.gdrive.clientSecret" in settings.json. See main/core/auth/README.md.`,
    );
  }

  const scopesText = fromEnv('SCOPES');
  const scopes = scopesText ? scopesText.split(/[\s,]+/).filter(Boolean) : (file.scopes ?? defaults.scopes);

  const portText = fromEnv('REDIRECT_PORT');
  let redirectPort = file.redirectPort ?? defaults.redirectPort;
  if (portText !== undefined) {
    if (!/^\d+$/.test(portText) || Number(portText) > 65535) {
      throw new SkyfoldError('invalid_argument', `${prefix}REDIRECT_PORT is not a port number: ${portText}`);
    }
    redirectPort = Number(portText);
  }
  const hostText = fromEnv('REDIRECT_HOST');
  if (hostText !== undefined && hostText !== '127.0.0.1' && hostText !== 'localhost') {
    throw new SkyfoldError(
      'invalid_argument',
      `${prefix}REDIRECT_HOST must be 127.0.0.1 or localhost: ${hostText}`,
    );
  }
  const redirectHost: RedirectHost =
    (hostText as RedirectHost | undefined) ?? file.redirectHost ?? defaults.redirectHost;

  return {
    kind,
    clientId,
    clientSecret,
    authorizationUrl: endpoints.authorizationUrl,
    tokenUrl: endpoints.tokenUrl,
    revokeUrl: endpoints.revokeUrl,
    scopes,
    redirectPort,
    redirectHost,
    redirectPath: '/callback',
    endpoint,
    authorizeParams: { ...defaults.authorizeParams },
  };
}

/** Where a value of the configuration came from. */
export type ConfigSource = 'override' | 'environment' | 'settings' | 'default';

export interface ResolvedEndpoints {
  source: ConfigSource;
  endpoint: string | null;
  authorizationUrl: string;
  tokenUrl: string;
  revokeUrl: string | null;
}

/**
 * The endpoints of `kind`, from the highest source that sets any of them (see the module comment),
 * and which source that was. Pure. Throws SkyfoldError `invalid_argument` for a malformed URL or tenant.
 */
export function resolveEndpoints(kind: CloudKind, sources: ClientConfigSources = {}): ResolvedEndpoints {
  const fromEnv = envReader(kind, sources.env ?? process.env);
  const file = sources.settings?.oauth?.[kind] ?? {};
  const tenant = tenantOf(kind, sources);
  const defaults = defaultsFor(kind, tenant);
  const layers: Array<{
    name: ConfigSource;
    endpoint?: string;
    auth?: string;
    token?: string;
    revoke?: string;
  }> = [
    { name: 'override', endpoint: sources.overrides?.endpoint ?? undefined },
    {
      name: 'environment',
      endpoint: fromEnv('ENDPOINT'),
      auth: fromEnv('AUTH_URL'),
      token: fromEnv('TOKEN_URL'),
      revoke: fromEnv('REVOKE_URL'),
    },
    {
      name: 'settings',
      endpoint: file.endpoint,
      auth: file.authUrl,
      token: file.tokenUrl,
      revoke: file.revokeUrl,
    },
  ];
  const layer = layers.find(
    (candidate) => candidate.endpoint || candidate.auth || candidate.token || candidate.revoke,
  );
  const base = { endpoint: null, ...pickUrls(defaults) };
  if (!layer) return { source: 'default', ...base };
  const endpoint = layer.endpoint ? normalizeEndpoint(layer.endpoint, `${layer.name} endpoint`) : null;
  const derived = endpoint ? endpointsUnder(kind, endpoint, tenant) : pickUrls(defaults);
  return {
    source: layer.name,
    endpoint,
    authorizationUrl: layer.auth
      ? checkUrl(layer.auth, `${layer.name} authorize URL`)
      : derived.authorizationUrl,
    tokenUrl: layer.token ? checkUrl(layer.token, `${layer.name} token URL`) : derived.tokenUrl,
    revokeUrl: layer.revoke ? checkUrl(layer.revoke, `${layer.name} revoke URL`) : derived.revokeUrl,
  };
}

function pickUrls(defaults: KindDefaults): Pick<KindDefaults, 'authorizationUrl' | 'tokenUrl' | 'revokeUrl'> {
  return {
    authorizationUrl: defaults.authorizationUrl,
    tokenUrl: defaults.tokenUrl,
    revokeUrl: defaults.revokeUrl,
  };
}

function envPrefix(kind: CloudKind): string {
  return `SKYFOLD_${kind.toUpperCase()}_`;
}

/** Reads `SKYFOLD_<KIND>_<name>` from `env`, trimmed; undefined when unset or blank. */
export function envReader(kind: CloudKind, env: NodeJS.ProcessEnv): (name: string) => string | undefined {
  const prefix = envPrefix(kind);
  return (name) => {
    const value = env[prefix + name]?.trim();
    return value ? value : undefined;
  };
}

function tenantOf(kind: CloudKind, sources: ClientConfigSources): string {
  const tenant =
    envReader(kind, sources.env ?? process.env)('TENANT') ??
    sources.settings?.oauth?.[kind]?.tenant ??
    'common';
  if (!/^[A-Za-z0-9.-]+$/.test(tenant)) {
    throw new SkyfoldError(
      'invalid_argument',
      `${envPrefix(kind)}TENANT is not a tenant name or id: ${tenant}`,
    );
  }
  return tenant;
}

/** loadSettings + resolveClientConfig. */
export async function loadClientConfig(
  kind: CloudKind,
  dataDir: string,
  options: Omit<ClientConfigSources, 'settings'> = {},
): Promise<OAuthClientConfig> {
  return resolveClientConfig(kind, { ...options, settings: await loadSettings(dataDir) });
}

function missingClientError(kind: CloudKind): SkyfoldError {
  const upper = kind.toUpperCase();
  const where: Record<CloudKind, string> = {
    gdrive: 'Google Cloud Console (APIs & Services > Credentials > OAuth client ID, type "Desktop app")',
    dropbox: `the Dropbox App Console (Scoped access; redirect URI http://127.0.0.1:${dropboxDefaultRedirectPort}/callback)`,
    onedrive:
      'Microsoft Entra app registrations (platform "Mobile and desktop applications", redirect URI http://localhost/callback)',
  };
  return new SkyfoldError(
    'permanent',
    `No OAuth client is configured for ${providerLabels[kind]}. Register an app in ${where[kind]}, then set SKYFOLD_${upper}_CLIENT_ID${kind === 'gdrive' ? ` and SKYFOLD_${upper}_CLIENT_SECRET` : ''} or add "oauth": {"${kind}": {"clientId": "..."}} to settings.json in the Skyfold data folder. Step by step: main/core/auth/README.md.`,
  );
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** An absolute http(s) URL; plain http only for loopback hosts (codes and tokens must not cross a network in clear). */
function checkUrl(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SkyfoldError('invalid_argument', `the ${what} is not a URL: ${value}`);
  }
  if (url.protocol === 'https:') return value;
  if (url.protocol === 'http:' && loopbackHosts.has(url.hostname)) return value;
  throw new SkyfoldError(
    'invalid_argument',
    `the ${what} must be https (http only on this computer): ${value}`,
  );
}

/** A base URL without query, fragment or trailing slash. */
function normalizeEndpoint(value: string, what: string): string {
  checkUrl(value, what);
  const url = new URL(value);
  if (url.search || url.hash || url.username || url.password) {
    throw new SkyfoldError('invalid_argument', `the ${what} must be a plain base URL: ${value}`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
