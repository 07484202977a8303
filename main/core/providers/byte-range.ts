/**
 * One rule for byte ranges, the same for every provider (Provider.read): both ends are integers,
 * `start >= 0`, `end >= start` when given, and `start` lies inside the file. An empty file has no
 * byte to start at, but `{start: 0}` reads it (as nothing), like a read without a range.
 */
import { Readable } from 'node:stream';
import { SkyfoldError } from '../../../common/errors';
import type { ByteRange } from './types';

/**
 * The inclusive bytes to request for `range` in a file of `size` bytes (`end` clamped to the file),
 * or null when there is nothing to read (an empty file). Throws invalid_argument naming `what`.
 */
export function checkedRange(range: ByteRange, size: number, what: string): Required<ByteRange> | null {
  const { start, end } = range;
  const valid =
    Number.isSafeInteger(start) &&
    start >= 0 &&
    (end === undefined || (Number.isSafeInteger(end) && end >= start)) &&
    (start < size || (size === 0 && start === 0));
  if (!valid)
    throw new SkyfoldError('invalid_argument', `byte range ${start}-${end ?? ''} is outside ${what}`);
  if (size === 0) return null;
  return { start, end: Math.min(end ?? size - 1, size - 1) };
}

/**
 * The bytes `start`..`start + length - 1` of `source`, for a server that answered a ranged request
 * with the whole file (200: HTTP lets it ignore `Range`). The bytes before are read and dropped; the
 * source is destroyed (its body cancelled) as soon as the slice is complete, or when the slice is.
 * A source that ends early fails as it would without the slice.
 */
export function sliceOfStream(source: Readable, start: number, length: number): Readable {
  async function* slice(): AsyncGenerator<Buffer> {
    let position = 0;
    let remaining = length;
    try {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        const from = Math.max(0, start - position);
        position += chunk.length;
        if (from >= chunk.length) continue;
        const piece = chunk.subarray(from, from + remaining);
        remaining -= piece.length;
        yield piece;
        if (remaining === 0) return;
      }
    } finally {
      source.destroy();
    }
  }
  return Readable.from(slice(), { objectMode: false });
}
