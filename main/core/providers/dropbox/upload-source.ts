/**
 * The bytes of one upload attempt, read from a source stream that always starts at byte 0: counted
 * against the expected size, and every byte handed out (sent, or skipped because a resumed session
 * already holds it) fed once to the Dropbox content hash, so that verification covers the whole file.
 *
 * Hashing is done once per byte, block by block (4 MiB, as content_hash is defined): the whole
 * file's hash, the hash of a prefix (what a checkpoint records) and, for a chunk that starts on a
 * block boundary, the chunk's own content_hash (what each session call carries) all come from the
 * same block digests. Only a chunk starting elsewhere (chunk sizes that are not multiples of 4 MiB,
 * or bytes handed out again after Dropbox named a smaller offset) is hashed separately.
 *
 * Memory: what the source sent beyond the bytes handed out (up to one chunk plus one source chunk);
 * buffers are sliced, never copied, except to join the pieces of one chunk.
 */
import { createHash, type Hash } from 'node:crypto';
import { SkyfoldError } from '../../../../common/errors';
import { DropboxContentHash, dropboxBlockSize } from '../hashes/dropbox-content-hash';

export class UploadSource {
  private readonly iterator: AsyncIterator<unknown>;
  /** Bytes read from the source but not handed out yet; they start at `position`. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Absolute offset of the next byte `take` hands out. */
  private position = 0;
  private received = 0;
  private ended = false;
  private closed = false;
  /** SHA-256 over the digests of the finished blocks. */
  private readonly overall = createHash('sha256');
  /** The block being hashed, and how many of its bytes were fed. */
  private block: Hash = createHash('sha256');
  private inBlock = 0;
  /** Bytes hashed so far (all handed out): more than `position` after `unread`. */
  private hashed = 0;
  /** The bytes of the last `take`, and their content_hash once known. */
  private lastChunk: { bytes: Buffer; hash: string | null } = { bytes: Buffer.alloc(0), hash: null };

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
   * The next bytes from absolute offset `from` (bytes before it are skipped, see `skip`), at most
   * `max`; fewer only when the source ends. Reads one source chunk ahead, so `exhausted` tells whether
   * these were the last bytes. Throws `transient` when the source fails, sends more than the expected
   * size or ends short of it; permanent when `from` lies behind bytes already handed out or past the end.
   */
  async take(from: number, max: number): Promise<Buffer> {
    await this.skip(from);
    while (this.pendingBytes <= max && (await this.pull()));
    const pieces = this.shift(Math.min(max, this.pendingBytes));
    const bytes = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
    const aligned = from === this.hashed && from % dropboxBlockSize === 0;
    const digests: Buffer[] = [];
    this.feed(bytes, from, digests);
    this.lastChunk = { bytes, hash: aligned ? this.hashOfDigests(digests) : null };
    return bytes;
  }

  /**
   * Hands out (hashes and drops) every byte before absolute offset `to`: the bytes a resumed session
   * already holds. Throws like `take`.
   */
  async skip(to: number): Promise<void> {
    if (to < this.position) {
      throw new SkyfoldError('permanent', `upload source: byte ${to} was already sent and dropped`);
    }
    while (this.position < to) {
      if (this.pendingBytes === 0 && !(await this.pull())) {
        throw new SkyfoldError(
          'permanent',
          `the server holds ${to} bytes, more than the source's ${this.received}`,
        );
      }
      let start = this.position;
      for (const piece of this.shift(Math.min(to - this.position, this.pendingBytes))) {
        this.feed(piece, start, null);
        start += piece.length;
      }
    }
  }

  /** Puts back the tail of the last `take` (the server did not keep it), to be handed out again. */
  unread(bytes: Buffer): void {
    this.pending.unshift(bytes);
    this.pendingBytes += bytes.length;
    this.position -= bytes.length;
  }

  /** The content_hash of the bytes the last `take` handed out (what the session call carries). */
  chunkHash(): string {
    this.lastChunk.hash ??= new DropboxContentHash().update(this.lastChunk.bytes).digest();
    return this.lastChunk.hash;
  }

  /**
   * The content_hash of every byte before the current position (what a checkpoint records), or null
   * when bytes beyond it were hashed already (after `unread`, until they are handed out again).
   */
  prefixHash(): string | null {
    return this.hashed === this.position ? this.hashOfDigests([], this.overall.copy()) : null;
  }

  /** The whole source's content_hash. Throws permanent before the source is exhausted. */
  digest(): string {
    const hash = this.exhausted ? this.prefixHash() : null;
    if (hash === null) throw new SkyfoldError('permanent', 'upload source: hashed before its end');
    return hash;
  }

  /**
   * Reads and hashes what is left of the source, sending nothing (a resumed upload that finds its
   * file committed checks that the source is still the same). Throws like `take`.
   */
  async skipToEnd(): Promise<void> {
    do await this.skip(this.position + this.pendingBytes);
    while (await this.pull());
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
  }

  /** Removes the next `count` pending bytes (slices, no copies) and advances `position`. */
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
    this.position += count;
    return out;
  }

  /**
   * Hashes `bytes` (which start at absolute offset `start`) past what was hashed already; finished
   * blocks' digests are added to `digests` when given.
   */
  private feed(bytes: Buffer, start: number, digests: Buffer[] | null): void {
    let offset = Math.max(0, this.hashed - start);
    while (offset < bytes.length) {
      const take = Math.min(dropboxBlockSize - this.inBlock, bytes.length - offset);
      this.block.update(bytes.subarray(offset, offset + take));
      this.inBlock += take;
      this.hashed += take;
      offset += take;
      if (this.inBlock === dropboxBlockSize) {
        const digest = this.block.digest();
        this.overall.update(digest);
        digests?.push(digest);
        this.block = createHash('sha256');
        this.inBlock = 0;
      }
    }
  }

  /** content_hash from block digests plus the block in progress (hashed from a copy of its state). */
  private hashOfDigests(digests: readonly Buffer[], into: Hash = createHash('sha256')): string {
    for (const digest of digests) into.update(digest);
    if (this.inBlock > 0) into.update(this.block.copy().digest());
    return into.digest('hex');
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
