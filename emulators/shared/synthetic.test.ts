import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  SyntheticChecksums,
  feedSynthetic,
  syntheticBytes,
  syntheticDigests,
  type ChecksumCodec,
} from './synthetic';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('generated content', () => {
  it('feeds the same bytes, in pieces, as one syntheticBytes call', () => {
    const size = 150 * 1024 + 7;
    const whole = Buffer.alloc(size);
    syntheticBytes(42, 0, whole);
    const pieces: Buffer[] = [];
    feedSynthetic(42, size, (piece) => pieces.push(Buffer.from(piece)));
    expect(pieces.length).toBe(3);
    expect(Buffer.concat(pieces).equals(whole)).toBe(true);
    expect(syntheticDigests(42, size).sha256).toBe(sha256(whole));
  });
});

describe('SyntheticChecksums', () => {
  it('computes a checksum once per item, in the table below capacity and in a map above', () => {
    const computed: number[] = [];
    const codec: ChecksumCodec<string> = {
      recordBytes: 32,
      compute: (key, size) => {
        computed.push(key);
        const data = Buffer.alloc(size);
        syntheticBytes(key, 0, data);
        return sha256(data);
      },
      pack: (hash) => Buffer.from(hash, 'hex'),
      unpack: (record) => record.toString('hex'),
    };
    const checksums = new SyntheticChecksums(4, codec);
    const expected = (key: number, size: number) => {
      const data = Buffer.alloc(size);
      syntheticBytes(key, 0, data);
      return sha256(data);
    };
    for (const key of [0, 3, 4, 9]) {
      expect(checksums.get(key, 100 + key)).toBe(expected(key, 100 + key));
      expect(checksums.get(key, 100 + key)).toBe(expected(key, 100 + key));
    }
    expect(computed).toEqual([0, 3, 4, 9]);
  });
});
