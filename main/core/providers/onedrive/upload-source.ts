/**
 * The bytes of one upload attempt, read from a source stream that always starts at byte 0: counted
 * against the expected size, and every byte handed out (sent, or skipped because a resumed session
 * already holds it) fed once to a QuickXorHash, so that verification covers the whole file. The hash
 * of the bytes so far (what a checkpoint records) is read without disturbing it (QuickXorHash's digest
 * does not finalize the state).
 *
 * Memory: what the source sent beyond the bytes handed out (up to one fragment plus one source chunk);
 * buffers are sliced, never copied, except to join the pieces of one fragment.
 */
import { SkyfoldError } from '../../../../common/errors';
import { QuickXorHash } from '../hashes/quickxor';

export class UploadSource {
  private readonly iterator: AsyncIterator<unknown>;
  private readonly source: AsyncIterable<unknown>;
  /** Bytes read from the source but not handed out yet; they start at `position`. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes handed out (and hashed) so far. */
  private handedOut = 0;
  private received = 0;
  private ended = false;
  private closed = false;
  private readonly hash = new QuickXorHash();

  /** `size`: the expected length, when known (a longer or shorter source fails with `transient`). */
  constructor(
    source: AsyncIterable<unknown>,
    private readonly size: number | undefined,
  ) {
    this.source = source;
    this.iterator = source[Symbol.asyncIterator]();
  }

  /** Absolute offset of the next byte to hand out. */
  get position(): number {
    return this.handedOut;
  }

  /** True when the source has ended and every byte was handed out. */
  get exhausted(): boolean {
    return this.ended && this.pendingBytes === 0;
  }

  /**
   * The next bytes, at most `max`; fewer only when the source ends. Reads one source chunk ahead, so
   * `exhausted` tells whether these were the last bytes. Throws `transient` when the source fails,
   * sends more than the expected size or ends short of it.
   */
  async take(max: number): Promise<Buffer> {
    while (this.pendingBytes <= max && (await this.pull()));
    const pieces = this.shift(Math.min(max, this.pendingBytes));
    return pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
  }

  /**
   * Hands out (hashes and drops) every byte before absolute offset `to`: the bytes a resumed session
   * already holds. Throws like `take`; permanent when `to` lies behind the position or past the end.
   */
  async skipTo(to: number): Promise<void> {
    if (to < this.handedOut) {
      throw new SkyfoldError('permanent', `upload source: byte ${to} was already handed out`);
    }
    while (this.handedOut < to) {
      if (this.pendingBytes === 0 && !(await this.pull())) {
        throw new SkyfoldError(
          'permanent',
          `the server holds ${to} bytes, more than the source's ${this.received}`,
        );
      }
      this.shift(Math.min(to - this.handedOut, this.pendingBytes));
    }
  }

  /** Reads and hashes what is left of the source, sending nothing. Throws like `take`. */
  async skipToEnd(): Promise<void> {
    for (;;) {
      this.shift(this.pendingBytes);
      if (!(await this.pull())) return;
    }
  }

  /** The QuickXorHash of every byte handed out so far (what a checkpoint records). */
  prefixHash(): string {
    return this.hash.digest();
  }

  /** The whole source's QuickXorHash. Throws permanent before the source is exhausted. */
  digest(): string {
    if (!this.exhausted) throw new SkyfoldError('permanent', 'upload source: hashed before its end');
    return this.hash.digest();
  }

  /**
   * Closes the source (an unfinished stream is destroyed, freeing its file or connection). Safe to
   * call more than once, and after the source ended or failed.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.pending = [];
    this.pendingBytes = 0;
    try {
      await this.iterator.return?.();
    } catch {
      // the source failed while closing: nothing more to do
    }
    // An iterator never started does not destroy its stream on return(): a stream is destroyed here.
    const stream = this.source as { destroy?: () => void; destroyed?: boolean };
    if (!this.ended && typeof stream.destroy === 'function' && stream.destroyed !== true) stream.destroy();
  }

  /** Removes the next `count` pending bytes (slices, no copies), hashing them. */
  private shift(count: number): Buffer[] {
    const out: Buffer[] = [];
    let left = count;
    while (left > 0) {
      const head = this.pending[0]!;
      const piece = head.length <= left ? head : head.subarray(0, left);
      if (piece === head) this.pending.shift();
      else this.pending[0] = head.subarray(left);
      this.hash.update(piece);
      out.push(piece);
      left -= piece.length;
    }
    this.pendingBytes -= count;
    this.handedOut += count;
    return out;
  }

  /** Reads one more chunk into `pending`; false once the source has ended. */
  private async pull(): Promise<boolean> {
    if (this.ended) return false;
    let next: IteratorResult<unknown>;
    try {
      next = await this.iterator.next();
    } catch (error) {
      throw new SkyfoldError('transient', `the source failed: ${(error as Error).message ?? error}`, {
        cause: error,
      });
    }
    if (next.done) {
      this.ended = true;
      if (this.size !== undefined && this.received !== this.size) {
        throw new SkyfoldError('transient', `the source sent ${this.received} bytes of ${this.size}`);
      }
      return false;
    }
    const chunk = toBuffer(next.value);
    this.received += chunk.length;
    if (this.size !== undefined && this.received > this.size) {
      throw new SkyfoldError('transient', `the source sent more than the expected ${this.size} bytes`);
    }
    if (chunk.length > 0) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
    }
    return true;
  }
}

function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === 'string') return Buffer.from(value);
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  throw new SkyfoldError('invalid_argument', 'the source sent something other than bytes');
}
