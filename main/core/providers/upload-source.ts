/**
 * The stream-reading core of an upload attempt's source, shared by the Dropbox and OneDrive
 * providers (dropbox/upload-source.ts, onedrive/upload-source.ts): a source stream that always starts
 * at byte 0 is read ahead into pending buffers, counted against the expected size, and handed out in
 * order (sent, or skipped because a resumed session already holds it). Every run of bytes handed out
 * passes through `handOut`, where a provider feeds its hash, so that verification covers the whole
 * file.
 *
 * Memory: what the source sent beyond the bytes handed out (up to one chunk plus one source chunk);
 * buffers are sliced, never copied, except to join the pieces of one chunk.
 */
import { SkyfoldError } from '../../../common/errors';

export abstract class UploadSourceCore {
  private readonly source: AsyncIterable<unknown>;
  private readonly iterator: AsyncIterator<unknown>;
  /** Bytes read from the source but not handed out yet; they start at `position`. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private handedOut = 0;
  private received = 0;
  private ended = false;
  private closed = false;

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
   * Hands out (through `handOut`, and drops) every byte before absolute offset `to`: the bytes a
   * resumed session already holds. Throws like `read`; permanent when `to` lies behind the position
   * or past the end.
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
      this.drop(Math.min(to - this.handedOut, this.pendingBytes));
    }
  }

  /**
   * Reads what is left of the source and hands it out, sending nothing (a resumed upload that finds
   * its file committed checks that the source is still the same). Throws like `read`.
   */
  async skipToEnd(): Promise<void> {
    do this.drop(this.pendingBytes);
    while (await this.pull());
  }

  /**
   * Puts back the tail of the bytes handed out last (the server did not keep it), to be handed out
   * again, and passed to `handOut` again: only for a subclass whose `handOut` takes bytes twice.
   */
  protected unread(bytes: Buffer): void {
    this.pending.unshift(bytes);
    this.pendingBytes += bytes.length;
    this.handedOut -= bytes.length;
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

  /**
   * Takes every byte handed out, once in order (again after `unread`): `bytes` start at absolute
   * offset `start`. A provider hashes them here.
   */
  protected abstract handOut(bytes: Buffer, start: number): void;

  /**
   * Hands out the next bytes, at most `max`; fewer only when the source ends. Reads one source chunk
   * ahead, so `exhausted` tells whether these were the last bytes. Throws `transient` when the source
   * fails, sends more than the expected size or ends short of it.
   */
  protected async read(max: number): Promise<Buffer> {
    while (this.pendingBytes <= max && (await this.pull()));
    const start = this.handedOut;
    const pieces = this.shift(Math.min(max, this.pendingBytes));
    const bytes = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
    this.handOut(bytes, start);
    return bytes;
  }

  /** Hands out the next `count` pending bytes piece by piece, without joining them. */
  private drop(count: number): void {
    let start = this.handedOut;
    for (const piece of this.shift(count)) {
      this.handOut(piece, start);
      start += piece.length;
    }
  }

  /** Removes the next `count` pending bytes (slices, no copies) and advances the position. */
  private shift(count: number): Buffer[] {
    const out: Buffer[] = [];
    let left = count;
    while (left > 0) {
      const head = this.pending[0]!;
      if (head.length <= left) {
        out.push(head);
        this.pending.shift();
        left -= head.length;
      } else {
        out.push(head.subarray(0, left));
        this.pending[0] = head.subarray(left);
        left = 0;
      }
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
