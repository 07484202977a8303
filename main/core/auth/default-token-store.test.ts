import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDefaultTokenStore } from './default-token-store';
import { FileTokenStore } from './file-token-store';
import { type KeyringEntry, type KeyringEntryFactory, KeyringTokenStore } from './keyring-token-store';
import type { Tokens } from './tokens';

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'skyfold-default-store-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const sample: Tokens = { accessToken: 'at', refreshToken: 'rt', expiresAt: 42 };

/** An in-memory keyring with the semantics of @napi-rs/keyring's AsyncEntry. */
function memoryKeyring(): { factory: KeyringEntryFactory; secrets: Map<string, string> } {
  const secrets = new Map<string, string>();
  const factory: KeyringEntryFactory = (service, account): KeyringEntry => {
    const key = `${service}/${account}`;
    return {
      getPassword: async () => secrets.get(key) ?? null,
      setPassword: async (password) => void secrets.set(key, password),
      deletePassword: async () => secrets.delete(key),
    };
  };
  return { factory, secrets };
}

/** A keyring that fails like @napi-rs/keyring does on a Linux box without a Secret Service. */
const brokenKeyring: KeyringEntryFactory = () => {
  const fail = async (): Promise<never> => {
    throw new Error("Couldn't access platform storage: AccessDenied");
  };
  return { getPassword: fail, setPassword: fail, deletePassword: fail };
};

describe('openDefaultTokenStore', () => {
  it('falls back to the private file when the keyring fails, warning once', async () => {
    const warnings: string[] = [];
    const store = await openDefaultTokenStore(dataDir, {
      warn: (m) => warnings.push(m),
      keyring: brokenKeyring,
    });
    expect(store).toBeInstanceOf(FileTokenStore);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("Couldn't access platform storage");
    expect(warnings[0]).toContain(path.join(dataDir, 'credentials', 'tokens.json'));
    expect(warnings[0]).toContain('only your user can read');
    await store.set('a', sample);
    await store.get('a');
    expect(warnings).toHaveLength(1);
    expect(await FileTokenStore.inDataDir(dataDir).get('a')).toEqual(sample);
  });

  it('uses the keyring when a round trip works, and cleans up the probe', async () => {
    const keyring = memoryKeyring();
    const warnings: string[] = [];
    const store = await openDefaultTokenStore(dataDir, {
      warn: (m) => warnings.push(m),
      keyring: keyring.factory,
    });
    expect(store).toBeInstanceOf(KeyringTokenStore);
    expect(warnings).toEqual([]);
    expect(keyring.secrets.size).toBe(0);
    await store.set('gdrive-1', sample);
    expect(JSON.parse(keyring.secrets.get('Skyfold/gdrive-1') ?? 'null')).toEqual(sample);
  });

  it('falls back when even creating an entry throws (Linux without a D-Bus session)', async () => {
    const throwing: KeyringEntryFactory = () => {
      throw new Error('Platform failure: DBus error');
    };
    const warnings: string[] = [];
    const store = await openDefaultTokenStore(dataDir, { warn: (m) => warnings.push(m), keyring: throwing });
    expect(store).toBeInstanceOf(FileTokenStore);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('DBus');
  });

  it('falls back when the keyring answers something else than what was stored', async () => {
    const liar: KeyringEntryFactory = () => ({
      getPassword: async () => 'other',
      setPassword: async () => undefined,
      deletePassword: async () => true,
    });
    const warnings: string[] = [];
    const store = await openDefaultTokenStore(dataDir, { warn: (m) => warnings.push(m), keyring: liar });
    expect(store).toBeInstanceOf(FileTokenStore);
    expect(warnings).toHaveLength(1);
  });

  it('falls back when the keyring hangs (e.g. waiting for an unlock prompt)', async () => {
    const hanging: KeyringEntryFactory = () => ({
      getPassword: () => new Promise(() => undefined),
      setPassword: () => new Promise(() => undefined),
      deletePassword: () => new Promise(() => undefined),
    });
    const warnings: string[] = [];
    const store = await openDefaultTokenStore(dataDir, {
      warn: (m) => warnings.push(m),
      keyring: hanging,
      probeTimeoutMs: 10,
    });
    expect(store).toBeInstanceOf(FileTokenStore);
    expect(warnings[0]).toContain('no answer');
  });

  it('can be told to skip the keyring', async () => {
    const warnings: string[] = [];
    const store = await openDefaultTokenStore(dataDir, { warn: (m) => warnings.push(m), keyring: null });
    expect(store).toBeInstanceOf(FileTokenStore);
    expect(warnings).toHaveLength(1);
  });

  it('works with the native keyring of this machine, whichever way it goes', async () => {
    const warnings: string[] = [];
    const store = await openDefaultTokenStore(dataDir, { warn: (m) => warnings.push(m) });
    if (store instanceof FileTokenStore) expect(warnings).toHaveLength(1);
    else expect(warnings).toEqual([]);
  });

  it('moves tokens left in the file into the keyring once it works', async () => {
    const file = FileTokenStore.inDataDir(dataDir);
    await file.set('a', sample);
    const keyring = memoryKeyring();
    const store = await openDefaultTokenStore(dataDir, { warn: () => undefined, keyring: keyring.factory });
    expect(await store.get('a')).toEqual(sample);
    expect(keyring.secrets.has('Skyfold/a')).toBe(true);
    expect(await file.get('a')).toBeNull();
  });
});

describe('KeyringTokenStore', () => {
  it('round-trips, deletes idempotently and reports failures as permanent SkyfoldErrors', async () => {
    const keyring = memoryKeyring();
    const store = new KeyringTokenStore({ entries: keyring.factory });
    expect(await store.get('a')).toBeNull();
    await store.set('a', sample);
    expect(await store.get('a')).toEqual(sample);
    await store.delete('a');
    await store.delete('a');
    expect(await store.get('a')).toBeNull();

    keyring.secrets.set('Skyfold/b', '{not json');
    await expect(store.get('b')).rejects.toMatchObject({
      code: 'permanent',
      message: expect.stringContaining('damaged'),
    });

    const broken = new KeyringTokenStore({ entries: brokenKeyring });
    await expect(broken.get('a')).rejects.toMatchObject({ code: 'permanent' });
    await expect(broken.set('a', sample)).rejects.toMatchObject({ code: 'permanent' });
  });

  it('a damaged legacy file does not block the keyring', async () => {
    const legacy = {
      description: 'broken',
      get: async () => {
        throw new Error('damaged');
      },
      set: async () => undefined,
      delete: async () => undefined,
    };
    const store = new KeyringTokenStore({ entries: memoryKeyring().factory, legacy });
    expect(await store.get('a')).toBeNull();
  });
});
