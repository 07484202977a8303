/**
 * The middle of every transfer pipe (docs/design/transfers.md §2): bytes pass from the source to the
 * destination's writer through here, where they are counted, held to the bandwidth limit, hashed
 * (one pass, every digest the transfer needs), and reported as progress. The last chunk is held
 * back until the stream ended and `gate` approved the digests of all the bytes (the source check:
 * the bytes read are the bytes the source reports): a writer only commits a file once it has the
 * last chunk, so bytes the gate refuses never become a committed file.
 *
 * Errors (the stream fails with them, so the writer abandons the upload): transient when the
 * source gives more or fewer bytes than `size`; whatever `gate` throws.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { SkyfoldError } from '../../../common/errors';
import type { HashType } from '../providers/types';
import type { TokenBucket } from './token-bucket';

/** Digests bytes fed in order (HashSet). */
export interface Digester {
  update(chunk: Buffer): void;
  digest(): Partial<Record<HashType, string>>;
}

export interface TeeOptions {
  /** Bytes the source must give; null when unknown (exports). */
  size: number | null;
  digester: Digester;
  bucket?: TokenBucket;
  /** Bytes passed so far, after each chunk. */
  onProgress?: (bytes: number) => void;
  /** Approves the digests of every byte before the last chunk goes on; throws to refuse them. */
  gate?: (digests: Partial<Record<HashType, string>>) => Promise<void>;
  /** Names the transfer in errors. */
  what: string;
}

export class MeteredTee extends Transform {
  private passed = 0;
  private held: Buffer | null = null;
  private digests: Partial<Record<HashType, string>> | null = null;

  constructor(private readonly options: TeeOptions) {
    super({ highWaterMark: 1024 * 1024 });
  }

  /** Bytes received from the source so far. */
  get bytes(): number {
    return this.passed;
  }

  /** The digests of all the bytes, once the stream ended (null before). */
  get computed(): Partial<Record<HashType, string>> | null {
    return this.digests;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const { size, bucket, digester, onProgress, what } = this.options;
    const go = () => {
      this.passed += chunk.length;
      if (size !== null && this.passed > size) {
        callback(new SkyfoldError('transient', `${what}: the source gave more than its ${size} bytes`));
        return;
      }
      digester.update(chunk);
      if (this.held) this.push(this.held);
      this.held = chunk;
      onProgress?.(this.passed);
      callback();
    };
    if (bucket) bucket.take(chunk.length).then(go, callback);
    else go();
  }

  override _flush(callback: TransformCallback): void {
    const { size, gate, what } = this.options;
    if (size !== null && this.passed !== size) {
      callback(new SkyfoldError('transient', `${what}: the source gave ${this.passed} of its ${size} bytes`));
      return;
    }
    const digests = this.options.digester.digest();
    this.digests = digests;
    Promise.resolve(gate?.(digests)).then(
      () => {
        if (this.held) this.push(this.held);
        this.held = null;
        callback();
      },
      (error: unknown) => callback(error as Error),
    );
  }
}
