/**
 * Dropbox's content_hash (https://www.dropbox.com/developers/reference/content-hash): split the
 * content into 4 MiB blocks, SHA-256 each block, concatenate the raw digests, SHA-256 that; lowercase
 * hex. Streaming: memory is one block's hash state, whatever the file size.
 */
import { createHash, type Hash } from 'node:crypto';

export const dropboxBlockSize = 4 * 1024 * 1024;

export class DropboxContentHash {
  private readonly overall = createHash('sha256');
  private block: Hash = createHash('sha256');
  private inBlock = 0;

  /** Adds bytes; any split of the input gives the same digest. Returns this. */
  update(bytes: Uint8Array): this {
    let offset = 0;
    while (offset < bytes.length) {
      const take = Math.min(dropboxBlockSize - this.inBlock, bytes.length - offset);
      this.block.update(bytes.subarray(offset, offset + take));
      this.inBlock += take;
      offset += take;
      if (this.inBlock === dropboxBlockSize) this.finishBlock();
    }
    return this;
  }

  /** The lowercase hex digest. */
  digest(): string {
    if (this.inBlock > 0) this.finishBlock();
    return this.overall.digest('hex');
  }

  private finishBlock(): void {
    this.overall.update(this.block.digest());
    this.block = createHash('sha256');
    this.inBlock = 0;
  }
}
