/**
 * The bytes of one upload attempt (the stream-reading core: ../upload-source.ts), every byte handed
 * out (sent, or skipped because a resumed session already holds it) fed once to the Dropbox content
 * hash, so that verification covers the whole file.
 *
 * Hashing is done once per byte, block by block (4 MiB, as content_hash is defined): the whole
 * file's hash, the hash of a prefix (what a checkpoint records) and, for a chunk that starts on a
 * block boundary, the chunk's own content_hash (what each session call carries) all come from the
 * same block digests. Only a chunk starting elsewhere (chunk sizes that are not multiples of 4 MiB,
 * or bytes handed out again after Dropbox named a smaller offset) is hashed separately.
 */
import { createHash, type Hash } from 'node:crypto';
import { SkyfoldError } from '../../../../common/errors';
import { DropboxContentHash, dropboxBlockSize } from '../hashes/dropbox-content-hash';
import { UploadSourceCore } from '../upload-source';

export class UploadSource extends UploadSourceCore {
  /** SHA-256 over the digests of the finished blocks. */
  private readonly overall = createHash('sha256');
  /** The block being hashed, and how many of its bytes were fed. */
  private block: Hash = createHash('sha256');
  private inBlock = 0;
  /** Bytes hashed so far (all handed out): more than `position` after `unread`. */
  private hashed = 0;
  /** While `take` hands out a chunk: the digests of the blocks it finishes. */
  private chunkDigests: Buffer[] | null = null;
  /** The bytes of the last `take`, and their content_hash once known. */
  private lastChunk: { bytes: Buffer; hash: string | null } = { bytes: Buffer.alloc(0), hash: null };

  /**
   * The next bytes from absolute offset `from` (bytes before it are skipped, see `skipTo`), at most
   * `max`; fewer only when the source ends. Reads one source chunk ahead, so `exhausted` tells whether
   * these were the last bytes. Throws `transient` when the source fails, sends more than the expected
   * size or ends short of it; permanent when `from` lies behind bytes already handed out or past the end.
   */
  async take(from: number, max: number): Promise<Buffer> {
    await this.skipTo(from);
    const aligned = from === this.hashed && from % dropboxBlockSize === 0;
    const digests: Buffer[] = [];
    this.chunkDigests = digests;
    try {
      const bytes = await this.read(max);
      this.lastChunk = { bytes, hash: aligned ? this.hashOfDigests(digests) : null };
      return bytes;
    } finally {
      this.chunkDigests = null;
    }
  }

  /** Puts back the tail of the last `take` (the server did not keep it), to be handed out again. */
  override unread(bytes: Buffer): void {
    super.unread(bytes);
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
   * Hashes `bytes` (which start at absolute offset `start`) past what was hashed already; finished
   * blocks' digests are added to the chunk's while `take` hands one out.
   */
  protected override handOut(bytes: Buffer, start: number): void {
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
        this.chunkDigests?.push(digest);
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
}
