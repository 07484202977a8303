import { Readable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { QuickXorHash } from '../hashes/quickxor';
import { nextExpected } from './upload';
import { UploadSource } from './upload-source';

function bytes(length: number, seed = 3): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = (i * seed + (i >> 7)) & 0xff;
  return out;
}

/** `data` as a stream of `chunk`-byte pieces. */
const chunked = (data: Buffer, chunk: number) =>
  Readable.from(
    Array.from({ length: Math.ceil(data.length / chunk) }, (_, i) =>
      data.subarray(i * chunk, (i + 1) * chunk),
    ),
  );

const quickXor = (data: Buffer) => new QuickXorHash().update(data).digest();

describe('UploadSource', () => {
  it('hands out fragments of at most the size asked, knows the last one, and hashes every byte once', async () => {
    const data = bytes(1000);
    const expected = quickXor(data);
    const source = new UploadSource(chunked(data, 77), data.length);
    const update = vi.spyOn(QuickXorHash.prototype, 'update');
    const fragments: Buffer[] = [];
    while (!source.exhausted) fragments.push(await source.take(320));
    expect(fragments.map((fragment) => fragment.length)).toEqual([320, 320, 320, 40]);
    expect(Buffer.concat(fragments).equals(data)).toBe(true);
    expect(source.digest()).toBe(expected);
    const hashed = update.mock.calls.reduce((total, [piece]) => total + piece.length, 0);
    update.mockRestore();
    expect(hashed).toBe(data.length);
  });

  it('gives the hash of the prefix handed out so far (what a checkpoint records), without disturbing the whole', async () => {
    const data = bytes(5000);
    const source = new UploadSource(chunked(data, 1024), undefined);
    await source.take(2048);
    expect(source.prefixHash()).toBe(quickXor(data.subarray(0, 2048)));
    await source.skipTo(3000);
    expect(source.position).toBe(3000);
    expect(source.prefixHash()).toBe(quickXor(data.subarray(0, 3000)));
    await source.skipToEnd();
    expect(source.digest()).toBe(quickXor(data));
  });

  it('refuses to hash before the end, to skip backwards or past the end', async () => {
    const source = new UploadSource(chunked(bytes(100), 10), 100);
    await source.take(30);
    expect(() => source.digest()).toThrow(/before its end/);
    await expect(source.skipTo(10)).rejects.toMatchObject({ code: 'permanent' });
    await expect(source.skipTo(200)).rejects.toMatchObject({ code: 'permanent' });
  });
});

describe('nextExpected', () => {
  it('reads the first missing byte from nextExpectedRanges', () => {
    expect(nextExpected(['26-'], 100, 'x')).toBe(26);
    expect(nextExpected(['0-'], 100, 'x')).toBe(0);
    expect(nextExpected(['327680-655359', '983040-'], 10 ** 6, 'x')).toBe(327680);
    expect(nextExpected(['120-', '26-99'], 200, 'x')).toBe(26);
  });

  it('is the size when no byte is missing', () => {
    expect(nextExpected([], 100, 'x')).toBe(100);
  });

  it('refuses malformed ranges', () => {
    for (const ranges of [['x-'], 'x', [26], null, ['-5']]) {
      expect(() => nextExpected(ranges, 100, 'x'), JSON.stringify(ranges)).toThrow(/malformed/);
    }
  });
});
