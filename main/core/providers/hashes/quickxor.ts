/**
 * QuickXorHash, OneDrive's content hash (the only hash on both Personal and Business):
 * https://learn.microsoft.com/onedrive/developer/code-snippets/quickxorhash
 *
 * A 160-bit state; input byte i is XORed in at bit offset (i * 11) mod 160, wrapping around; finally
 * the total length (8 bytes, little-endian) is XORed into bytes 12..19, and the 20 bytes are
 * base64-encoded. Since 160 * 11 is a multiple of 160, bytes 160 apart land at the same offset, so
 * each update first folds its input into one 160-byte block, 4 bytes per XOR (whole 32-bit words
 * over an aligned view of the input), then XORs the block's 160 bytes into the state (five 32-bit
 * words, little-endian like the digest). No BigInt, no per-bit loop.
 */
const widthInBytes = 20;
const blockBytes = 160;
const blockWords = blockBytes / 4;
const shift = 11;
const stateWords = 5;
/** Misaligned input is copied through this many bytes at a time (a whole number of blocks). */
const scratchBytes = blockBytes * 1024;

export class QuickXorHash {
  private readonly state = new Uint32Array(stateWords);
  private readonly folded32 = new Uint32Array(blockWords);
  private readonly folded = new Uint8Array(this.folded32.buffer);
  private scratch: Uint32Array | undefined;
  /** Bit offset where the next byte starts. */
  private shiftSoFar = 0;
  private length = 0;

  /** Adds bytes; any split of the input gives the same digest. Returns this. */
  update(bytes: Uint8Array): this {
    const blocks = Math.floor(bytes.length / blockBytes);
    const tail = blocks * blockBytes;
    this.folded32.fill(0);
    if (blocks > 0) this.foldBlocks(bytes.subarray(0, tail));
    const folded = this.folded;
    for (let i = tail; i < bytes.length; i++) folded[i - tail]! ^= bytes[i]!;

    const state = this.state;
    let offset = this.shiftSoFar;
    const count = Math.min(bytes.length, blockBytes);
    for (let i = 0; i < count; i++) {
      const value = folded[i]!;
      if (value !== 0) {
        const word = offset >>> 5;
        const bit = offset & 31;
        state[word]! ^= value << bit;
        // The byte straddles two words (the last word wraps to the first).
        if (bit > 24) state[word === stateWords - 1 ? 0 : word + 1]! ^= value >>> (32 - bit);
      }
      offset += shift;
      if (offset >= blockBytes) offset -= blockBytes;
    }
    this.shiftSoFar = (this.shiftSoFar + shift * (bytes.length % blockBytes)) % blockBytes;
    this.length += bytes.length;
    return this;
  }

  /** The base64 digest (20 bytes). */
  digest(): string {
    const out = Buffer.alloc(widthInBytes);
    for (let i = 0; i < stateWords; i++) out.writeUInt32LE(this.state[i]!, i * 4);
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(this.length));
    for (let i = 0; i < 8; i++) out[widthInBytes - 8 + i]! ^= length[i]!;
    return out.toString('base64');
  }

  /** XORs whole 160-byte blocks into `folded32`, a word at a time. */
  private foldBlocks(blocks: Uint8Array): void {
    if (blocks.byteOffset % 4 === 0) {
      this.foldWords(new Uint32Array(blocks.buffer, blocks.byteOffset, blocks.length / 4));
      return;
    }
    // A Uint32Array view needs 4-byte alignment: copy misaligned input through an aligned buffer.
    this.scratch ??= new Uint32Array(scratchBytes / 4);
    const scratchView = new Uint8Array(this.scratch.buffer);
    for (let start = 0; start < blocks.length; start += scratchBytes) {
      const piece = blocks.subarray(start, start + scratchBytes);
      scratchView.set(piece);
      this.foldWords(this.scratch.subarray(0, piece.length / 4));
    }
  }

  private foldWords(words: Uint32Array): void {
    const folded = this.folded32;
    for (let base = 0; base < words.length; base += blockWords) {
      for (let j = 0; j < blockWords; j++) folded[j]! ^= words[base + j]!;
    }
  }
}
