import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulators, type RunningEmulators } from '../../../emulators';
import { DropboxProvider } from '../providers/dropbox/dropbox-provider';
import { GdriveProvider } from '../providers/gdrive/gdrive-provider';
import { dropboxBlockSize } from '../providers/hashes/dropbox-content-hash';
import { LocalProvider } from '../providers/local/local-provider';
import { OnedriveProvider } from '../providers/onedrive/onedrive-provider';
import type { AccessTokenSource, HashType, Provider } from '../providers/types';

/** What this test uses of a provider. */
type Writer = Pick<Provider, 'rootId' | 'features' | 'write' | 'hash'>;
import { HashSet } from './hash-set';

const allTypes: HashType[] = ['md5', 'sha1', 'sha256', 'dropbox', 'quickxor'];
const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest();

/** `bytes` cut at seeded random points (pieces of 0..2 block sizes, empty pieces included). */
function inPieces(bytes: Buffer, seed: number, maxPiece: number): Buffer[] {
  const pieces: Buffer[] = [];
  let state = seed;
  for (let offset = 0; offset < bytes.length;) {
    state = (state * 1103515245 + 12345) >>> 0;
    const size = state % (maxPiece + 1);
    pieces.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return pieces;
}

describe('HashSet', () => {
  it('gives the published digests of "hello world", each in its provider encoding', () => {
    expect(new HashSet(allTypes).update(Buffer.from('hello world')).digest()).toEqual({
      md5: '5eb63bbbe01eeed093cb22bb8f5acdc3',
      sha1: '2aae6c35c94fcfb415dbe95f408b9ce91ee846ed',
      sha256: 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9',
      // Dropbox: one block, so SHA-256 of that block's SHA-256.
      dropbox: sha256(sha256(Buffer.from('hello world'))).toString('hex'),
      // OneDrive's published QuickXorHash vector.
      quickxor: 'aCgDG9jwBhDc4Q1yawMZAAAAAAA=',
    });
  });

  it('gives the digests of empty input', () => {
    expect(new HashSet(allTypes).digest()).toEqual({
      md5: 'd41d8cd98f00b204e9800998ecf8427e',
      sha1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
      sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      dropbox: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      quickxor: Buffer.alloc(20).toString('base64'),
    });
    expect(new HashSet(allTypes).update(Buffer.alloc(0)).digest()).toEqual(new HashSet(allTypes).digest());
  });

  it('gives the same digests for any split, across Dropbox blocks and QuickXor rows', () => {
    const bytes = randomBytes(2 * dropboxBlockSize + 1001);
    const whole = new HashSet(allTypes).update(bytes).digest();
    expect(whole.dropbox).not.toBe(sha256(sha256(bytes)).toString('hex'));
    for (const [seed, maxPiece] of [
      [1, 1000],
      [2, 65_536],
      [3, 3 * 1024 * 1024],
    ] as const) {
      const split = new HashSet(allTypes);
      for (const piece of inPieces(bytes, seed, maxPiece)) split.update(piece);
      expect(split.digest()).toEqual(whole);
    }
  });

  it('gives each type the digest it would have alone, whatever else is computed', () => {
    const bytes = randomBytes(100_003);
    const together = new HashSet(allTypes).update(bytes).digest();
    for (const type of allTypes)
      expect(new HashSet([type]).update(bytes).digest()).toEqual({ [type]: together[type] });
  });

  it('computes each type once and keeps the order given', () => {
    const set = new HashSet(['quickxor', 'sha256', 'quickxor']);
    expect(set.types).toEqual(['quickxor', 'sha256']);
    expect(Object.keys(set.digest())).toEqual(['quickxor', 'sha256']);
    expect(new HashSet([]).update(Buffer.from('x')).digest()).toEqual({});
  });

  it('ends the input at digest: digest again returns the same, update throws', () => {
    const set = new HashSet(['sha256', 'md5']).update(Buffer.from('abc'));
    const first = set.digest();
    first.md5 = 'changed by the caller';
    expect(set.digest()).toEqual({
      sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      md5: '900150983cd24fb0d6963f7d28e17f72',
    });
    expect(() => set.update(Buffer.from('d'))).toThrow();
  });
});

/** The same bytes written through every provider: what each reports equals what HashSet computes. */
describe('HashSet agrees with the hashes each provider reports', () => {
  let emulators: RunningEmulators;
  let localRoot: string;
  beforeAll(async () => {
    emulators = await startEmulators({ seed: 'empty' });
    localRoot = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-hash-set-'));
  });
  afterAll(async () => {
    await emulators.close();
    await fs.rm(localRoot, { recursive: true, force: true });
  });

  function tokens(emulator: RunningEmulators['gdrive' | 'dropbox' | 'onedrive']): AccessTokenSource {
    const user = emulator.users[0]!;
    let token = emulator.admin.issueTokens(user).access_token;
    return {
      getAccessToken: async () => token,
      invalidate: (rejected) => {
        if (rejected === token) token = emulator.admin.issueTokens(user).access_token;
      },
    };
  }

  const providers: Record<string, () => Promise<Writer>> = {
    gdrive: () =>
      GdriveProvider.connect({ apiBaseUrl: emulators.gdrive.url, tokens: tokens(emulators.gdrive) }),
    dropbox: () =>
      DropboxProvider.connect({ apiBaseUrl: emulators.dropbox.url, tokens: tokens(emulators.dropbox) }),
    onedrive: () =>
      OnedriveProvider.connect({ apiBaseUrl: emulators.onedrive.url, tokens: tokens(emulators.onedrive) }),
    local: () => LocalProvider.open(localRoot),
  };

  for (const [kind, connect] of Object.entries(providers)) {
    it(`${kind}: every hash reported after a write, and by hash(), is the computed one`, async () => {
      const provider = await connect();
      // Over one Dropbox block, so that content_hash has two blocks.
      for (const bytes of [Buffer.alloc(0), randomBytes(dropboxBlockSize + 12_345)]) {
        const expected = new HashSet(allTypes).update(bytes).digest();
        const item = await provider.write(
          provider.rootId,
          `file-${bytes.length}`,
          Readable.from(inPieces(bytes, 4, 65_536)),
          {
            conflict: 'fail',
            size: bytes.length,
          },
        );
        expect(Object.keys(item.hashes).length).toBeGreaterThan(0);
        for (const [type, value] of Object.entries(item.hashes))
          expect(value).toBe(expected[type as HashType]);
        for (const type of provider.features.hashTypes)
          expect(await provider.hash(item.id, type)).toBe(expected[type]);
      }
    });
  }
});
