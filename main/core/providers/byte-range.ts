/**
 * One rule for byte ranges, the same for every provider (Provider.read): both ends are integers,
 * `start >= 0`, `end >= start` when given, and `start` lies inside the file. An empty file has no
 * byte to start at, but `{start: 0}` reads it (as nothing), like a read without a range.
 */
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
