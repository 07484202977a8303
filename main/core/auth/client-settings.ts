/**
 * The settings page's view of each cloud's OAuth client (common/client-settings.ts): what sign-in
 * uses and where it came from, and saving the user's values into the `oauth` section of
 * `<dataDir>/settings.json` (the file client-config.ts reads; other sections are left as they are).
 * The environment keeps winning over what is saved.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type {
  ClientSettingSource,
  CloudClientSettingsDto,
  SavedClientSettingsDto,
} from '../../../common/client-settings';
import { maskSecret } from '../../../common/client-settings';
import { SkyfoldError } from '../../../common/errors';
import {
  cloudKinds,
  envReader,
  loadSettings,
  resolveEndpoints,
  settingsFilePath,
  settingsSchema,
  type ClientSettings,
  type CloudKind,
  type Settings,
} from './client-config';

/** What the settings page may change for one cloud: absent keys stay, null clears. */
export type ClientSettingsChange = {
  [K in 'clientId' | 'clientSecret' | 'endpoint' | 'authUrl' | 'tokenUrl' | 'revokeUrl']?: string | null;
};

/** Every cloud's client as the environment and the settings make it. Pure. */
export function describeClientSettings(env: NodeJS.ProcessEnv, settings: Settings): CloudClientSettingsDto[] {
  return cloudKinds.map((kind) => describeOne(kind, env, settings));
}

function describeOne(kind: CloudKind, env: NodeJS.ProcessEnv, settings: Settings): CloudClientSettingsDto {
  const fromEnv = envReader(kind, env);
  const file = settings.oauth?.[kind] ?? {};
  const pick = (name: string, saved: string | undefined): [string | null, ClientSettingSource] => {
    const value = fromEnv(name);
    if (value) return [value, 'environment'];
    return saved ? [saved, 'settings'] : [null, 'default'];
  };
  const [clientId, clientIdSource] = pick('CLIENT_ID', file.clientId);
  const [secret, clientSecretSource] = pick('CLIENT_SECRET', file.clientSecret);
  let endpoints: CloudClientSettingsDto['endpoints'] = null;
  let error: string | null = null;
  try {
    const resolved = resolveEndpoints(kind, { env, settings });
    // Without per-call overrides the source is one of the three the page knows.
    endpoints = { ...resolved, source: resolved.source as ClientSettingSource };
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
  }
  return {
    provider: kind,
    clientId,
    clientIdSource,
    clientSecret: secret === null ? null : maskSecret(secret),
    clientSecretSource,
    endpoints,
    error,
    saved: savedOf(file),
  };
}

function savedOf(file: ClientSettings): SavedClientSettingsDto {
  return {
    clientId: file.clientId ?? null,
    clientSecretSet: file.clientSecret !== undefined,
    endpoint: file.endpoint ?? null,
    authUrl: file.authUrl ?? null,
    tokenUrl: file.tokenUrl ?? null,
    revokeUrl: file.revokeUrl ?? null,
  };
}

/**
 * Applies `change` to `kind`'s saved client in settings.json (created if missing; written atomically,
 * readable by this user only, as it may hold Google's client secret) and returns the new settings.
 * Keeps every other key and section. Throws invalid_argument when the file or the result is not valid.
 */
export async function saveClientSettings(
  dataDir: string,
  kind: CloudKind,
  change: ClientSettingsChange,
): Promise<Settings> {
  const current = await loadSettings(dataDir);
  const entry: Record<string, unknown> = { ...current.oauth?.[kind] };
  for (const [key, value] of Object.entries(change)) {
    if (value === null) delete entry[key];
    else if (value !== undefined) entry[key] = value;
  }
  const oauth: Record<string, unknown> = { ...current.oauth, [kind]: entry };
  if (Object.keys(entry).length === 0) delete oauth[kind];
  const parsed = settingsSchema.safeParse({ ...current, oauth });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SkyfoldError(
      'invalid_argument',
      `${issue?.path.join('.') ?? 'oauth'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  await writeAtomically(settingsFilePath(dataDir), `${JSON.stringify(parsed.data, null, 2)}\n`);
  return parsed.data;
}

async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, text, { mode: 0o600, flush: true });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
