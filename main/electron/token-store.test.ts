import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { app, resetElectron, safeStorage } from '../../test/stand-ins/electron';
import type { Tokens } from '../core/auth';
import { SafeStorageTokenStore, tokenStorageWarning } from './token-store';

let dataDir: string;
const tokens: Tokens = {
  accessToken: 'ya29.secret-access',
  refreshToken: '1//secret-refresh',
  expiresAt: 123,
};

beforeEach(async () => {
  resetElectron();
  dataDir = await mkdtemp(path.join(tmpdir(), 'skyfold-safestorage-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('SafeStorageTokenStore', () => {
  it('encrypts the tokens into a private file in the data dir', async () => {
    app.emitReady();
    const store = new SafeStorageTokenStore(dataDir);
    expect(store.filePath).toBe(path.join(dataDir, 'credentials', 'tokens.safestorage'));
    await store.set('gdrive-1', tokens);
    expect(await store.get('gdrive-1')).toEqual(tokens);
    expect(await new SafeStorageTokenStore(dataDir).get('gdrive-1')).toEqual(tokens);

    const bytes = await readFile(store.filePath);
    expect(bytes.subarray(0, 3).toString('latin1')).toBe('v11');
    expect(bytes.toString('latin1')).not.toContain('secret-refresh');
    expect(bytes.toString('latin1')).not.toContain('secret-access');
    expect(safeStorage.encrypted.some((plain) => plain.includes('1//secret-refresh'))).toBe(true);
    if (process.platform !== 'win32') {
      expect((await stat(store.filePath)).mode & 0o777).toBe(0o600);
      expect((await stat(path.dirname(store.filePath))).mode & 0o777).toBe(0o700);
    }
    await store.delete('gdrive-1');
    expect(await store.get('gdrive-1')).toBeNull();
  });

  it('refuses to store before ready (safeStorage unavailable) with a clear error', async () => {
    const store = new SafeStorageTokenStore(dataDir);
    await expect(store.set('a', tokens)).rejects.toMatchObject({
      code: 'permanent',
      message: expect.stringContaining('secure storage'),
    });
    await expect(readdir(dataDir)).resolves.not.toContain('tokens.safestorage');
  });

  it('keeps the file when decryption is unavailable for now (locked keychain)', async () => {
    app.emitReady();
    const store = new SafeStorageTokenStore(dataDir);
    await store.set('a', tokens);
    const before = await readFile(store.filePath);
    safeStorage.available = false;
    await expect(store.get('a')).rejects.toMatchObject({
      code: 'permanent',
      message: expect.stringContaining('not available'),
    });
    await expect(store.set('b', tokens)).rejects.toMatchObject({ code: 'permanent' });
    expect(await readFile(store.filePath)).toEqual(before);
    safeStorage.available = true;
    expect(await store.get('a')).toEqual(tokens);
  });

  it('re-encrypts when safeStorage asks for it (rotated key)', async () => {
    app.emitReady();
    const store = new SafeStorageTokenStore(dataDir);
    await store.set('a', tokens);
    expect((await readFile(store.filePath))[3]).toBe(1);
    safeStorage.keyVersion = 2;
    expect(await store.get('a')).toEqual(tokens);
    expect((await readFile(store.filePath))[3]).toBe(2);
  });

  it('treats an undecryptable file as damaged, and a new sign-in replaces it', async () => {
    app.emitReady();
    const store = new SafeStorageTokenStore(dataDir);
    await store.set('a', tokens);
    await writeFile(store.filePath, 'garbage');
    await expect(store.get('a')).rejects.toMatchObject({ message: expect.stringContaining('damaged') });
    await store.set('b', tokens);
    expect(await store.get('b')).toEqual(tokens);
    const names = await readdir(path.dirname(store.filePath));
    expect(names.some((name) => name.startsWith('tokens.safestorage.damaged-'))).toBe(true);
  });
});

describe('tokenStorageWarning', () => {
  it('warns on Linux with the basic_text backend only, and only once the backend is known', () => {
    safeStorage.backend = 'basic_text';
    expect(tokenStorageWarning('linux')).toBeNull(); // before ready the backend is 'unknown'
    app.emitReady();
    expect(tokenStorageWarning('linux')).toContain('protected only by file permissions');
    expect(tokenStorageWarning('darwin')).toBeNull();
    expect(tokenStorageWarning('win32')).toBeNull();
    safeStorage.backend = 'gnome_libsecret';
    expect(tokenStorageWarning('linux')).toBeNull();
    safeStorage.backend = 'kwallet6';
    expect(tokenStorageWarning('linux')).toBeNull();
  });
});
