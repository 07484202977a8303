import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DropboxContentHash, dropboxBlockSize } from './dropbox-content-hash';
import { QuickXorHash } from './quickxor';

/** Feeds `bytes` in random-sized pieces (seeded) to check that any split gives the same digest. */
function inPieces(bytes: Buffer, seed: number): Buffer[] {
  const pieces: Buffer[] = [];
  let state = seed;
  for (let offset = 0; offset < bytes.length;) {
    state = (state * 1103515245 + 12345) >>> 0;
    const size = 1 + (state % 1000);
    pieces.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return pieces;
}

/** QuickXorHash straight from its definition, bit by bit: the reference for the fast version. */
function quickXorByDefinition(bytes: Uint8Array): string {
  const state = new Uint8Array(20);
  bytes.forEach((value, index) => {
    for (let bit = 0; bit < 8; bit++) {
      if (((value >> bit) & 1) === 0) continue;
      const position = (index * 11 + bit) % 160;
      state[position >> 3]! ^= 1 << (position & 7);
    }
  });
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(bytes.length));
  for (let i = 0; i < 8; i++) state[12 + i]! ^= length[i]!;
  return Buffer.from(state).toString('base64');
}

describe('QuickXorHash', () => {
  it('matches the published test vector ("hello world")', () => {
    expect(new QuickXorHash().update(Buffer.from('hello world')).digest()).toBe(
      'aCgDG9jwBhDc4Q1yawMZAAAAAAA=',
    );
  });

  it('agrees with the definition for every length around the block size and at any alignment', () => {
    const bytes = randomBytes(2000);
    for (const length of [1, 3, 4, 159, 160, 161, 319, 320, 321, 999, 1600]) {
      for (const start of [0, 1, 2, 3]) {
        const input = bytes.subarray(start, start + length);
        expect(new QuickXorHash().update(input).digest()).toBe(quickXorByDefinition(input));
      }
    }
  });

  it('agrees with the definition on input larger than its misaligned copy buffer', () => {
    const bytes = randomBytes(400_001).subarray(1);
    expect(new QuickXorHash().update(bytes).digest()).toBe(quickXorByDefinition(bytes));
  });

  it('hashes empty input to 20 zero bytes', () => {
    expect(new QuickXorHash().digest()).toBe(Buffer.alloc(20).toString('base64'));
  });

  it('gives the same digest for any split of the input', () => {
    const bytes = randomBytes(50_000);
    const whole = new QuickXorHash().update(bytes).digest();
    for (const seed of [1, 2, 3]) {
      const split = new QuickXorHash();
      for (const piece of inPieces(bytes, seed)) split.update(piece);
      expect(split.digest()).toBe(whole);
    }
  });

  it('depends on every byte and on the length', () => {
    const bytes = Buffer.alloc(1000, 7);
    const base = new QuickXorHash().update(bytes).digest();
    const flipped = Buffer.from(bytes);
    flipped[999] = flipped[999]! ^ 1;
    expect(new QuickXorHash().update(flipped).digest()).not.toBe(base);
    // 160 bytes of the same value fold to zero in the state: only the length tells them apart.
    expect(new QuickXorHash().update(Buffer.alloc(160, 1)).digest()).not.toBe(
      new QuickXorHash().update(Buffer.alloc(320, 1)).digest(),
    );
  });
});

describe('DropboxContentHash', () => {
  const sha256 = (data: Buffer) => createHash('sha256').update(data).digest();

  it('is the SHA-256 of the empty string for empty input', () => {
    expect(new DropboxContentHash().digest()).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it("is SHA-256 over the 4 MiB blocks' SHA-256 digests", () => {
    const small = Buffer.from('Skyfold');
    expect(new DropboxContentHash().update(small).digest()).toBe(sha256(sha256(small)).toString('hex'));
    const big = randomBytes(dropboxBlockSize + 10);
    const expected = sha256(
      Buffer.concat([sha256(big.subarray(0, dropboxBlockSize)), sha256(big.subarray(dropboxBlockSize))]),
    );
    expect(new DropboxContentHash().update(big).digest()).toBe(expected.toString('hex'));
  });

  it('gives the same digest for any split, including splits across block boundaries', () => {
    const bytes = randomBytes(2 * dropboxBlockSize + 123);
    const whole = new DropboxContentHash().update(bytes).digest();
    const split = new DropboxContentHash();
    for (let offset = 0; offset < bytes.length; offset += 1_000_003)
      split.update(bytes.subarray(offset, offset + 1_000_003));
    expect(split.digest()).toBe(whole);
  });
});
