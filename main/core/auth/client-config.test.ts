import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SkyfoldError } from '../../../common/errors';
import {
  dropboxDefaultRedirectPort,
  loadClientConfig,
  loadSettings,
  resolveClientConfig,
  type Settings,
} from './client-config';

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'skyfold-config-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function error(run: () => unknown): SkyfoldError {
  try {
    run();
  } catch (caught) {
    if (caught instanceof SkyfoldError) return caught;
    throw caught;
  }
  throw new Error('expected a SkyfoldError');
}

describe('resolveClientConfig', () => {
  it('gives the real Google endpoints, drive scope and an ephemeral 127.0.0.1 redirect', () => {
    const config = resolveClientConfig('gdrive', {
      env: {
        SKYFOLD_GDRIVE_CLIENT_ID: 'id.apps.googleusercontent.com',
        SKYFOLD_GDRIVE_CLIENT_SECRET: 'GOCSPX-x',
      },
    });
    expect(config).toEqual({
      kind: 'gdrive',
      clientId: 'id.apps.googleusercontent.com',
      clientSecret: 'GOCSPX-x',
      authorizationUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
      tokenUrl: 'https://oauth2.googleapis.com/token',
      revokeUrl: 'https://oauth2.googleapis.com/revoke',
      scopes: ['https://www.googleapis.com/auth/drive'],
      redirectPort: 0,
      redirectHost: '127.0.0.1',
      redirectPath: '/callback',
      endpoint: null,
      authorizeParams: { access_type: 'offline', prompt: 'select_account consent' },
    });
  });

  it('derives every endpoint from SKYFOLD_<KIND>_ENDPOINT (emulators)', () => {
    const env = {
      SKYFOLD_GDRIVE_CLIENT_ID: 'g',
      SKYFOLD_GDRIVE_ENDPOINT: 'http://127.0.0.1:4001/',
      SKYFOLD_DROPBOX_CLIENT_ID: 'd',
      SKYFOLD_DROPBOX_ENDPOINT: 'http://127.0.0.1:4002',
      SKYFOLD_ONEDRIVE_CLIENT_ID: 'o',
      SKYFOLD_ONEDRIVE_ENDPOINT: 'http://localhost:4003/base',
      SKYFOLD_ONEDRIVE_TENANT: 'consumers',
    };
    expect(resolveClientConfig('gdrive', { env })).toMatchObject({
      endpoint: 'http://127.0.0.1:4001',
      authorizationUrl: 'http://127.0.0.1:4001/o/oauth2/v2/auth',
      tokenUrl: 'http://127.0.0.1:4001/token',
      revokeUrl: 'http://127.0.0.1:4001/revoke',
      clientSecret: null, // not required off the real Google endpoint
    });
    expect(resolveClientConfig('dropbox', { env })).toMatchObject({
      authorizationUrl: 'http://127.0.0.1:4002/oauth2/authorize',
      tokenUrl: 'http://127.0.0.1:4002/oauth2/token',
      revokeUrl: 'http://127.0.0.1:4002/2/auth/token/revoke',
      redirectPort: dropboxDefaultRedirectPort,
    });
    expect(resolveClientConfig('onedrive', { env })).toMatchObject({
      authorizationUrl: 'http://localhost:4003/base/consumers/oauth2/v2.0/authorize',
      tokenUrl: 'http://localhost:4003/base/consumers/oauth2/v2.0/token',
      revokeUrl: null,
      redirectHost: 'localhost',
      scopes: ['Files.ReadWrite.All', 'offline_access', 'openid', 'profile', 'User.Read'],
    });
  });

  it('environment beats the settings file; overrides beat both; endpoints never mix across sources', () => {
    const settings: Settings = {
      oauth: {
        gdrive: {
          clientId: 'from-file',
          clientSecret: 'file-secret',
          tokenUrl: 'https://oauth2.example.us/token',
          scopes: ['https://www.googleapis.com/auth/drive.readonly'],
        },
      },
    };
    const fileOnly = resolveClientConfig('gdrive', { env: {}, settings });
    expect(fileOnly.clientId).toBe('from-file');
    expect(fileOnly.tokenUrl).toBe('https://oauth2.example.us/token');
    expect(fileOnly.authorizationUrl).toBe('https://accounts.google.com/o/oauth2/v2/auth');
    expect(fileOnly.scopes).toEqual(['https://www.googleapis.com/auth/drive.readonly']);

    const env = { SKYFOLD_GDRIVE_CLIENT_ID: 'from-env', SKYFOLD_GDRIVE_ENDPOINT: 'http://127.0.0.1:9' };
    const withEnv = resolveClientConfig('gdrive', { env, settings });
    expect(withEnv.clientId).toBe('from-env');
    expect(withEnv.clientSecret).toBe('file-secret');
    expect(withEnv.tokenUrl).toBe('http://127.0.0.1:9/token'); // not the file's token URL

    const overridden = resolveClientConfig('gdrive', {
      env,
      settings,
      overrides: { endpoint: 'http://127.0.0.1:7' },
    });
    expect(overridden.tokenUrl).toBe('http://127.0.0.1:7/token');
  });

  it('reads scopes, redirect port and host from the environment', () => {
    const config = resolveClientConfig('onedrive', {
      env: {
        SKYFOLD_ONEDRIVE_CLIENT_ID: 'o',
        SKYFOLD_ONEDRIVE_SCOPES: 'Files.Read, offline_access',
        SKYFOLD_ONEDRIVE_REDIRECT_PORT: '8400',
        SKYFOLD_ONEDRIVE_REDIRECT_HOST: '127.0.0.1',
      },
    });
    expect(config.scopes).toEqual(['Files.Read', 'offline_access']);
    expect(config.redirectPort).toBe(8400);
    expect(config.redirectHost).toBe('127.0.0.1');
    expect(config.authorizationUrl).toBe('https://login.microsoftonline.com/common/oauth2/v2.0/authorize');
  });

  it('without a client id, says how to register an app', () => {
    for (const kind of ['gdrive', 'dropbox', 'onedrive'] as const) {
      const failure = error(() => resolveClientConfig(kind, { env: {} }));
      expect(failure.code).toBe('permanent');
      expect(failure.message).toContain(`SKYFOLD_${kind.toUpperCase()}_CLIENT_ID`);
      expect(failure.message).toContain('settings.json');
      expect(failure.message).toContain('README');
    }
    expect(error(() => resolveClientConfig('gdrive', { env: {} })).message).toContain('Desktop app');
    expect(error(() => resolveClientConfig('dropbox', { env: {} })).message).toContain(
      `http://127.0.0.1:${dropboxDefaultRedirectPort}/callback`,
    );
    expect(error(() => resolveClientConfig('onedrive', { env: {} })).message).toContain(
      'http://localhost/callback',
    );
  });

  it('needs the Google client secret for the real Google endpoints', () => {
    const failure = error(() => resolveClientConfig('gdrive', { env: { SKYFOLD_GDRIVE_CLIENT_ID: 'g' } }));
    expect(failure.message).toContain('SKYFOLD_GDRIVE_CLIENT_SECRET');
  });

  it('refuses malformed values and plain http to remote hosts', () => {
    const base = { SKYFOLD_DROPBOX_CLIENT_ID: 'd' };
    expect(
      error(() =>
        resolveClientConfig('dropbox', { env: { ...base, SKYFOLD_DROPBOX_ENDPOINT: 'http://example.com' } }),
      ).code,
    ).toBe('invalid_argument');
    expect(
      error(() => resolveClientConfig('dropbox', { env: { ...base, SKYFOLD_DROPBOX_TOKEN_URL: 'nope' } }))
        .code,
    ).toBe('invalid_argument');
    expect(
      error(() =>
        resolveClientConfig('dropbox', { env: { ...base, SKYFOLD_DROPBOX_REDIRECT_PORT: '99999' } }),
      ).code,
    ).toBe('invalid_argument');
    expect(
      error(() =>
        resolveClientConfig('dropbox', { env: { ...base, SKYFOLD_DROPBOX_REDIRECT_HOST: '0.0.0.0' } }),
      ).code,
    ).toBe('invalid_argument');
    expect(
      error(() =>
        resolveClientConfig('onedrive', {
          env: { SKYFOLD_ONEDRIVE_CLIENT_ID: 'o', SKYFOLD_ONEDRIVE_TENANT: '../x' },
        }),
      ).code,
    ).toBe('invalid_argument');
    expect(
      resolveClientConfig('dropbox', {
        env: { ...base, SKYFOLD_DROPBOX_TOKEN_URL: 'https://api.example/oauth2/token' },
      }).tokenUrl,
    ).toBe('https://api.example/oauth2/token');
  });
});

describe('settings.json', () => {
  it('is optional', async () => {
    expect(await loadSettings(dataDir)).toEqual({});
  });

  it('is validated, naming the bad field, and leaves other sections alone', async () => {
    const file = path.join(dataDir, 'settings.json');
    await writeFile(
      file,
      JSON.stringify({ theme: 'dark', oauth: { dropbox: { clientId: 'd', redirectPort: 53682 } } }),
    );
    const settings = await loadSettings(dataDir);
    expect(settings.oauth?.dropbox?.redirectPort).toBe(53682);
    expect(settings.theme).toBe('dark');
    const config = await loadClientConfig('dropbox', dataDir, { env: {} });
    expect(config.redirectPort).toBe(53682);
    expect(config.clientId).toBe('d');

    await writeFile(file, JSON.stringify({ oauth: { dropbox: { clientID: 'typo' } } }));
    await expect(loadSettings(dataDir)).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining('oauth.dropbox'),
    });
    await writeFile(file, JSON.stringify({ oauth: { gdrive: { tokenUrl: 'not a url' } } }));
    await expect(loadSettings(dataDir)).rejects.toMatchObject({
      message: expect.stringContaining('oauth.gdrive.tokenUrl'),
    });
    await writeFile(file, '{ nope');
    await expect(loadSettings(dataDir)).rejects.toMatchObject({
      message: expect.stringContaining('not valid JSON'),
    });
  });
});
