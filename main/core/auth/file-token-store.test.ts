import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SkyfoldError } from '../../../common/errors';
import { credentialsFilePath, FileTokenStore, plainJsonCodec, type TokenFileCodec } from './file-token-store';
import type { Tokens } from './tokens';
import { rejectionOf } from './test-helpers';

const posix = process.platform !== 'win32';
let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'skyfold-tokens-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function tokens(n: number): Tokens {
  return { accessToken: `at-${n}`, refreshToken: `rt-${n}`, expiresAt: 1_000 + n, scope: 'files' };
}

const thrown = (promise: Promise<unknown>) => rejectionOf(promise, SkyfoldError);

describe('FileTokenStore', () => {
  it('stores, reads and deletes tokens per account', async () => {
    const store = FileTokenStore.inDataDir(dataDir);
    expect(store.filePath).toBe(path.join(dataDir, 'credentials', 'tokens.json'));
    expect(await store.get('a')).toBeNull();
    await store.set('a', tokens(1));
    await store.set('b', tokens(2));
    expect(await store.get('a')).toEqual(tokens(1));
    await store.set('a', tokens(3));
    expect(await store.get('a')).toEqual(tokens(3));
    await store.delete('a');
    await store.delete('a');
    expect(await store.get('a')).toBeNull();
    expect(await store.get('b')).toEqual(tokens(2));
    // A second instance sees the same file.
    expect(await FileTokenStore.inDataDir(dataDir).get('b')).toEqual(tokens(2));
  });

  it('delete on an empty store creates nothing', async () => {
    await FileTokenStore.inDataDir(dataDir).delete('nobody');
    await expect(stat(path.join(dataDir, 'credentials', 'tokens.json'))).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });

  it.runIf(posix)('creates the file 0600 in a 0700 folder, even with a permissive umask', async () => {
    const previous = process.umask(0);
    try {
      const store = FileTokenStore.inDataDir(dataDir);
      await store.set('a', tokens(1));
      expect((await stat(path.dirname(store.filePath))).mode & 0o777).toBe(0o700);
      expect((await stat(store.filePath)).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });

  it.runIf(posix)('tightens an existing folder and a file someone made readable', async () => {
    const folder = path.join(dataDir, 'credentials');
    await mkdir(folder, { mode: 0o755 });
    await chmod(folder, 0o755);
    const store = FileTokenStore.inDataDir(dataDir);
    await store.set('a', tokens(1));
    expect((await stat(folder)).mode & 0o777).toBe(0o700);
    await chmod(store.filePath, 0o644);
    expect(await store.get('a')).toEqual(tokens(1));
    expect((await stat(store.filePath)).mode & 0o777).toBe(0o600);
  });

  it('replaces the file by rename (never rewrites it in place) and leaves no temporary files', async () => {
    const store = FileTokenStore.inDataDir(dataDir);
    await store.set('a', tokens(1));
    const before = await stat(store.filePath);
    await store.set('a', tokens(2));
    const after = await stat(store.filePath);
    expect(after.ino).not.toBe(before.ino);
    expect(await readdir(path.dirname(store.filePath))).toEqual(['tokens.json']);
  });

  it('keeps the old file intact when a write fails midway', async () => {
    let fail = false;
    const codec: TokenFileCodec = {
      encode: async (text) => {
        if (fail) throw new Error('disk full');
        return plainJsonCodec.encode(text);
      },
      decode: plainJsonCodec.decode,
    };
    const store = new FileTokenStore({ filePath: credentialsFilePath(dataDir), codec });
    await store.set('a', tokens(1));
    const original = await readFile(store.filePath, 'utf8');
    fail = true;
    const error = await thrown(store.set('a', tokens(2)));
    expect(error.code).toBe('permanent');
    expect(error.message).toContain('disk full');
    expect(await readFile(store.filePath, 'utf8')).toBe(original);
    expect(await readdir(path.dirname(store.filePath))).toEqual(['tokens.json']);
    fail = false;
    expect(await store.get('a')).toEqual(tokens(1));
  });

  it('loses no update when many accounts are written at once', async () => {
    const store = FileTokenStore.inDataDir(dataDir);
    const other = FileTokenStore.inDataDir(dataDir);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? store : other).set(`account-${i}`, tokens(i))),
    );
    for (let i = 0; i < 20; i++) expect(await store.get(`account-${i}`)).toEqual(tokens(i));
  });

  it('reports a damaged file clearly, then sets it aside on the next write', async () => {
    const store = FileTokenStore.inDataDir(dataDir);
    await store.set('a', tokens(1));
    await writeFile(store.filePath, '{"version":1,"accounts":{"a":{"accessTo');

    const error = await thrown(store.get('a'));
    expect(error.code).toBe('permanent');
    expect(error.message).toContain(store.filePath);
    expect(error.message).toContain('damaged');

    await store.set('b', tokens(2));
    expect(await store.get('b')).toEqual(tokens(2));
    expect(await store.get('a')).toBeNull();
    const names = await readdir(path.dirname(store.filePath));
    const aside = names.find((name) => name.startsWith('tokens.json.damaged-'));
    expect(aside).toBeDefined();
    expect(await readFile(path.join(path.dirname(store.filePath), aside!), 'utf8')).toContain('"accessTo');
  });

  it('treats valid JSON of the wrong shape as damaged', async () => {
    const store = FileTokenStore.inDataDir(dataDir);
    await store.set('a', tokens(1));
    await writeFile(store.filePath, JSON.stringify({ version: 1, accounts: { a: { accessToken: 5 } } }));
    expect((await thrown(store.get('a'))).message).toContain('damaged');
    await writeFile(store.filePath, '[]');
    expect((await thrown(store.get('a'))).message).toContain('damaged');
  });

  it('never overwrites a file from a newer Skyfold', async () => {
    const store = FileTokenStore.inDataDir(dataDir);
    await store.set('a', tokens(1));
    const newer = JSON.stringify({ version: 2, accounts: { a: { something: 'else' } } });
    await writeFile(store.filePath, newer);
    expect((await thrown(store.get('a'))).message).toContain('newer Skyfold');
    expect((await thrown(store.set('a', tokens(2)))).message).toContain('newer Skyfold');
    expect(await readFile(store.filePath, 'utf8')).toBe(newer);
  });

  it('refuses malformed tokens', async () => {
    const store = FileTokenStore.inDataDir(dataDir);
    const bad = { accessToken: 'x', refreshToken: '', expiresAt: null } as Tokens;
    expect((await thrown(store.set('a', bad))).code).toBe('invalid_argument');
  });

  it('rewrites the file when the codec asks for it (key rotation)', async () => {
    let generation = 1;
    const codec: TokenFileCodec = {
      encode: async (text) => Buffer.from(`${generation}:${text}`),
      decode: async (bytes) => {
        const text = bytes.toString('utf8');
        const [prefix] = text.split(':', 1);
        return { text: text.slice(String(prefix).length + 1), reencode: Number(prefix) !== generation };
      },
    };
    const store = new FileTokenStore({ filePath: credentialsFilePath(dataDir), codec });
    await store.set('a', tokens(1));
    generation = 2;
    expect(await store.get('a')).toEqual(tokens(1));
    expect((await readFile(store.filePath, 'utf8')).startsWith('2:')).toBe(true);
  });
});
