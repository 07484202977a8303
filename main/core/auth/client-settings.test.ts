import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contractSchemas } from '../../../common/contract';
import { loadClientConfig, settingsFilePath } from './client-config';
import { describeClientSettings, saveClientSettings } from './client-settings';

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'skyfold-client-settings-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('describeClientSettings', () => {
  it('says where each value comes from: environment over settings over defaults', () => {
    const [gdrive, dropbox, onedrive] = describeClientSettings(
      { SKYFOLD_DROPBOX_CLIENT_ID: 'env-key', SKYFOLD_DROPBOX_ENDPOINT: 'http://127.0.0.1:4002/' },
      {
        oauth: {
          gdrive: { clientId: 'saved.apps', clientSecret: 'GOCSPX-secret1234' },
          dropbox: { clientId: 'saved-key', endpoint: 'https://dropbox.example' },
        },
      },
    );
    expect(gdrive).toEqual({
      provider: 'gdrive',
      clientId: 'saved.apps',
      clientIdSource: 'settings',
      clientSecret: '••••1234',
      clientSecretSource: 'settings',
      endpoints: {
        source: 'default',
        endpoint: null,
        authorizationUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
        tokenUrl: 'https://oauth2.googleapis.com/token',
        revokeUrl: 'https://oauth2.googleapis.com/revoke',
      },
      error: null,
      saved: {
        clientId: 'saved.apps',
        clientSecretSet: true,
        endpoint: null,
        authUrl: null,
        tokenUrl: null,
        revokeUrl: null,
      },
    });
    expect(dropbox).toMatchObject({
      clientId: 'env-key',
      clientIdSource: 'environment',
      clientSecret: null,
      clientSecretSource: 'default',
      endpoints: {
        source: 'environment',
        endpoint: 'http://127.0.0.1:4002',
        tokenUrl: 'http://127.0.0.1:4002/oauth2/token',
      },
      saved: { clientId: 'saved-key', endpoint: 'https://dropbox.example' },
    });
    expect(onedrive).toMatchObject({
      clientId: null,
      clientIdSource: 'default',
      endpoints: { source: 'default', revokeUrl: null },
    });
  });

  it('reports a malformed environment value instead of throwing', () => {
    const [gdrive] = describeClientSettings({ SKYFOLD_GDRIVE_ENDPOINT: 'http://example.com' }, {});
    expect(gdrive).toMatchObject({ endpoints: null, error: expect.stringContaining('must be https') });
  });
});

describe('saveClientSettings', () => {
  it('keeps other keys and sections, clears with null, and is private to this user', async () => {
    await writeFile(
      settingsFilePath(dataDir),
      JSON.stringify({ theme: 'kept', oauth: { onedrive: { clientId: 'o', tenant: 'consumers' } } }),
    );
    await saveClientSettings(dataDir, 'gdrive', {
      clientId: 'id.apps',
      clientSecret: 'GOCSPX-x',
      endpoint: 'http://127.0.0.1:4001',
    });
    let saved = await saveClientSettings(dataDir, 'gdrive', { endpoint: null, clientSecret: undefined });
    expect(saved).toEqual({
      theme: 'kept',
      oauth: {
        onedrive: { clientId: 'o', tenant: 'consumers' },
        gdrive: { clientId: 'id.apps', clientSecret: 'GOCSPX-x' },
      },
    });
    saved = await saveClientSettings(dataDir, 'onedrive', { clientId: null });
    expect(saved.oauth?.onedrive).toEqual({ tenant: 'consumers' });
    saved = await saveClientSettings(dataDir, 'gdrive', { clientId: null, clientSecret: null });
    expect(saved.oauth).toEqual({ onedrive: { tenant: 'consumers' } });
    expect(JSON.parse(await readFile(settingsFilePath(dataDir), 'utf8'))).toEqual(saved);
    expect((await stat(settingsFilePath(dataDir))).mode & 0o777).toBe(0o600);
  });

  it('is what sign-in uses, unless the environment says otherwise', async () => {
    await saveClientSettings(dataDir, 'dropbox', {
      clientId: 'saved-key',
      endpoint: 'http://localhost:4002/',
    });
    expect(await loadClientConfig('dropbox', dataDir, { env: {} })).toMatchObject({
      clientId: 'saved-key',
      endpoint: 'http://localhost:4002',
      tokenUrl: 'http://localhost:4002/oauth2/token',
    });
    expect(
      await loadClientConfig('dropbox', dataDir, {
        env: { SKYFOLD_DROPBOX_CLIENT_ID: 'env-key', SKYFOLD_DROPBOX_TOKEN_URL: 'https://t.example/token' },
      }),
    ).toMatchObject({
      clientId: 'env-key',
      endpoint: null,
      tokenUrl: 'https://t.example/token',
      authorizationUrl: 'https://www.dropbox.com/oauth2/authorize',
    });
  });

  it('refuses a value the settings file could not hold', async () => {
    await expect(saveClientSettings(dataDir, 'gdrive', { endpoint: 'not a url' })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
  });
});

describe('setClientSettings arguments', () => {
  const parse = (endpoint: string) =>
    contractSchemas.setClientSettings.safeParse({ provider: 'gdrive', endpoint }).success;

  it('take https endpoints, and plain http only on this computer', () => {
    expect(parse('https://www.googleapis.com')).toBe(true);
    expect(parse('http://127.0.0.1:4001')).toBe(true);
    expect(parse('http://localhost:4001/base')).toBe(true);
    expect(parse('http://example.com')).toBe(false);
    expect(parse('ftp://127.0.0.1')).toBe(false);
    expect(parse('www.googleapis.com')).toBe(false);
  });
});
