/**
 * QuickXorHash, OneDrive's content hash (the only hash on both Personal and Business):
 * https://learn.microsoft.com/onedrive/developer/code-snippets/quickxorhash
 *
 * A 160-bit state (cells of 64, 64 and 32 bits, little-endian); input byte i is XORed in at bit
 * offset (i * 11) mod 160, wrapping around; finally the total length (8 bytes, little-endian) is
 * XORed into bytes 12..19, and the 20 bytes are base64-encoded. Since 160 * 11 is a multiple of 160,
 * every 160th byte lands at the same offset: each update folds those bytes together first, so the
 * cost is one XOR per input byte plus 160 cell updates per call, not a loop per bit.
 */
const widthInBits = 160;
const shift = 11;
const cellBits = [64, 64, 32] as const;
const mask64 = (1n << 64n) - 1n;

export class QuickXorHash {
  private readonly cells = [0n, 0n, 0n];
  private readonly folded = new Uint8Array(widthInBits);
  /** Bit offset where the next byte starts. */
  private shiftSoFar = 0;
  private length = 0n;

  /** Adds bytes; any split of the input gives the same digest. Returns this. */
  update(bytes: Uint8Array): this {
    const count = Math.min(bytes.length, widthInBits);
    this.folded.fill(0, 0, count);
    for (let index = 0; index < bytes.length; index++) this.folded[index % widthInBits]! ^= bytes[index]!;
    let cell = Math.floor(this.shiftSoFar / 64);
    let offset = this.shiftSoFar % 64;
    for (let i = 0; i < count; i++) {
      const bits = cellBits[cell]!;
      const value = BigInt(this.folded[i]!);
      if (offset <= bits - 8) {
        this.cells[cell] = (this.cells[cell]! ^ (value << BigInt(offset))) & mask64;
      } else {
        // The byte straddles two cells (the last cell wraps to the first).
        const next = cell === cellBits.length - 1 ? 0 : cell + 1;
        this.cells[cell] = (this.cells[cell]! ^ (value << BigInt(offset))) & mask64;
        this.cells[next] = (this.cells[next]! ^ (value >> BigInt(bits - offset))) & mask64;
      }
      offset += shift;
      while (offset >= cellBits[cell]!) {
        offset -= cellBits[cell]!;
        cell = cell === cellBits.length - 1 ? 0 : cell + 1;
      }
    }
    this.shiftSoFar = (this.shiftSoFar + shift * (bytes.length % widthInBits)) % widthInBits;
    this.length += BigInt(bytes.length);
    return this;
  }

  /** The base64 digest (20 bytes). */
  digest(): string {
    const out = Buffer.alloc(widthInBits / 8);
    out.writeBigUInt64LE(this.cells[0]!, 0);
    out.writeBigUInt64LE(this.cells[1]!, 8);
    out.writeUInt32LE(Number(this.cells[2]! & 0xffffffffn), 16);
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(this.length);
    for (let i = 0; i < 8; i++) out[widthInBits / 8 - 8 + i]! ^= length[i]!;
    return out.toString('base64');
  }
}
