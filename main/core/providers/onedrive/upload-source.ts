/**
 * The bytes of one upload attempt (the stream-reading core: ../upload-source.ts), every byte handed
 * out (sent, or skipped because a resumed session already holds it) fed once to a QuickXorHash, so
 * that verification covers the whole file. The hash of the bytes so far (what a checkpoint records)
 * is read without disturbing it (QuickXorHash's digest does not finalize the state).
 */
import { SkyfoldError } from '../../../../common/errors';
import { QuickXorHash } from '../hashes/quickxor';
import { UploadSourceCore } from '../upload-source';

export class UploadSource extends UploadSourceCore {
  private readonly hash = new QuickXorHash();

  /**
   * The next bytes, at most `max`; fewer only when the source ends. Reads one source chunk ahead, so
   * `exhausted` tells whether these were the last bytes. Throws `transient` when the source fails,
   * sends more than the expected size or ends short of it.
   */
  take(max: number): Promise<Buffer> {
    return this.read(max);
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

  protected override handOut(bytes: Buffer): void {
    this.hash.update(bytes);
  }
}
