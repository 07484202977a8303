import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { SkyfoldError } from '../../../common/errors';
import { checkedRange, sliceOfStream } from './byte-range';

function refusal(run: () => unknown): SkyfoldError {
  try {
    run();
  } catch (error) {
    return error as SkyfoldError;
  }
  throw new Error('expected a refusal');
}

describe('checkedRange', () => {
  it('clamps the end to the file and keeps an open end open to the last byte', () => {
    expect(checkedRange({ start: 2, end: 5 }, 10, 'f')).toEqual({ start: 2, end: 5 });
    expect(checkedRange({ start: 7 }, 10, 'f')).toEqual({ start: 7, end: 9 });
    expect(checkedRange({ start: 8, end: 100 }, 10, 'f')).toEqual({ start: 8, end: 9 });
    expect(checkedRange({ start: 9, end: 9 }, 10, 'f')).toEqual({ start: 9, end: 9 });
  });

  it('reads an empty file from 0 as nothing, and refuses any other start', () => {
    expect(checkedRange({ start: 0 }, 0, 'f')).toBeNull();
    expect(checkedRange({ start: 0, end: 10 }, 0, 'f')).toBeNull();
    expect(refusal(() => checkedRange({ start: 5 }, 0, '"empty"'))).toMatchObject({
      code: 'invalid_argument',
      message: 'byte range 5- is outside "empty"',
    });
  });

  it('refuses starts past the end, reversed, negative and non-integer ranges', () => {
    for (const range of [
      { start: 10 },
      { start: 5, end: 2 },
      { start: -1 },
      { start: 1.5 },
      { start: 0, end: Number.NaN },
      { start: Number.MAX_SAFE_INTEGER + 1 },
    ]) {
      expect(refusal(() => checkedRange(range, 10, 'f')).code, JSON.stringify(range)).toBe(
        'invalid_argument',
      );
    }
  });
});

describe('sliceOfStream', () => {
  const bytes = Buffer.from('0123456789abcdefghij');
  /** The bytes in chunks of `size`, recording whether the source was destroyed early. */
  function chunked(size: number): Readable {
    const chunks: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
    return Readable.from(chunks, { objectMode: false });
  }
  const collect = async (stream: Readable) => {
    const parts: Buffer[] = [];
    for await (const part of stream) parts.push(part as Buffer);
    return Buffer.concat(parts).toString();
  };

  it('cuts any range out of the whole stream, whatever the chunking', async () => {
    for (const size of [1, 3, 7, 20]) {
      expect(await collect(sliceOfStream(chunked(size), 0, 20))).toBe('0123456789abcdefghij');
      expect(await collect(sliceOfStream(chunked(size), 5, 4))).toBe('5678');
      expect(await collect(sliceOfStream(chunked(size), 19, 1))).toBe('j');
      expect(await collect(sliceOfStream(chunked(size), 3, 1))).toBe('3');
    }
  });

  it('stops reading the source once the slice is complete', async () => {
    const source = chunked(2);
    expect(await collect(sliceOfStream(source, 0, 3))).toBe('012');
    expect(source.destroyed).toBe(true);
    expect(source.readableEnded).toBe(false);
  });

  it('fails when the source fails', async () => {
    const failing = new Readable({
      read() {
        this.push(Buffer.from('01'));
        this.destroy(new Error('cut off'));
      },
    });
    await expect(collect(sliceOfStream(failing, 1, 5))).rejects.toThrow('cut off');
  });
});
