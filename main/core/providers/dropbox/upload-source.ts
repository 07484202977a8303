/**
 * The bytes of one upload attempt, read from a source stream that always starts at byte 0: counted
 * against the expected size, and all of them fed to the Dropbox content hasher (so verification
 * covers the whole file, even the bytes a resumed session already holds and that are not sent again).
 */
import { SkyfoldError } from '../../../../common/errors';
import { DropboxContentHash } from '../hashes/dropbox-content-hash';

export class UploadSource {
  /** The content_hash of every byte read so far; complete once `exhausted`. */
  readonly hash = new DropboxContentHash();
  private readonly iterator: AsyncIterator<unknown>;
  /** Bytes read from the source (and hashed) but not handed out yet; they start at `position`. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Absolute offset of the next byte `take` hands out. */
  private position = 0;
  private received = 0;
  private ended = false;

  /** `size`: the expected length, when known (a longer or shorter source fails with `transient`). */
  constructor(
    source: AsyncIterable<unknown>,
    private readonly size: number | undefined,
  ) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  /** True when the source has ended and every byte was handed out. */
  get exhausted(): boolean {
    return this.ended && this.pendingBytes === 0;
  }

  /**
   * The next bytes from absolute offset `from` (bytes before it are read, hashed and dropped), at most
   * `max`; fewer only when the source ends. Reads one source chunk ahead, so `exhausted` tells whether
   * these were the last bytes. Throws `transient` when the source fails, sends more than the expected
   * size or ends short of it; permanent when `from` lies behind bytes already handed out or past the end.
   */
  async take(from: number, max: number): Promise<Buffer> {
    if (from < this.position) {
      throw new SkyfoldError('permanent', `upload source: byte ${from} was already sent and dropped`);
    }
    while (this.position < from) {
      if (this.pendingBytes === 0 && !(await this.pull())) {
        throw new SkyfoldError(
          'permanent',
          `the server holds ${from} bytes, more than the source's ${this.received}`,
        );
      }
      this.drop(Math.min(from - this.position, this.pendingBytes));
    }
    while (this.pendingBytes <= max && (await this.pull()));
    const out = Buffer.concat(this.pending, this.pendingBytes);
    const taken = out.subarray(0, Math.min(max, out.length));
    const rest = out.subarray(taken.length);
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingBytes = rest.length;
    this.position += taken.length;
    return taken;
  }

  /** Puts back the tail of the last `take` (the server did not keep it), to be handed out again. */
  unread(bytes: Buffer): void {
    this.pending.unshift(bytes);
    this.pendingBytes += bytes.length;
    this.position -= bytes.length;
  }

  private drop(count: number): void {
    const all = Buffer.concat(this.pending, this.pendingBytes).subarray(count);
    this.pending = all.length > 0 ? [all] : [];
    this.pendingBytes = all.length;
    this.position += count;
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
    this.hash.update(chunk);
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    return true;
  }
}

function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === 'string') return Buffer.from(value);
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  throw new SkyfoldError('invalid_argument', 'the source sent something other than bytes');
}
