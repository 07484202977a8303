/**
 * One file's bytes from one provider to another, streamed with bounded memory and checked on both
 * ends (docs/design/transfers.md §2): the source is read through `reopeningSource` (a broken
 * download continues with a Range read), every byte passes the `MeteredTee` (bandwidth limit,
 * progress, one-pass hashing), the last chunk goes on only once the bytes match the hash the source
 * reports, and the destination's reported hashes are then compared with the computed ones.
 *
 * Errors: what the providers throw (the write's conflict, name or quota errors; the source's
 * not_found); `transient` when the bytes read differ from what the source reports (nothing is
 * committed at the destination then) or the source gives another number of bytes than its size.
 * Not idempotent: a repeated call writes again (the journal's steps decide when that is safe).
 */
import { pipeline } from 'node:stream/promises';
import { SkyfoldError } from '../../../common/errors';
import type { ConflictPolicy, Provider, ProviderItem, UploadCheckpoint } from '../providers/types';
import { HashSet } from './hash-set';
import { MeteredTee } from './metered-tee';
import { reopeningSource, type ReopenOptions } from './reopen-source';
import type { TokenBucket } from './token-bucket';
import { checkDestination, planHashes, sourceMismatch, type DestinationCheck, type Hashes } from './verify';

export interface StreamFileOptions {
  source: Provider;
  /** The source file as listed or stated (its size and hashes are what the bytes must match). */
  file: ProviderItem;
  destination: Provider;
  parentId: string;
  name: string;
  conflict: ConflictPolicy;
  checkpoint?: UploadCheckpoint;
  bucket?: TokenBucket;
  onProgress?: (bytes: number) => void;
  /** Stops the copy at once (a pause or a cancel): the write fails with the signal's reason. */
  signal?: AbortSignal;
  reopen?: ReopenOptions;
}

export interface StreamedFile {
  /** The destination file as its provider reports it after the write. */
  item: ProviderItem;
  /** Every digest computed from the bytes sent (sha256 at least). */
  computed: Hashes;
  /** The destination's reported hashes against the computed ones. */
  check: DestinationCheck;
}

export async function streamFile(options: StreamFileOptions): Promise<StreamedFile> {
  const { source, file, destination } = options;
  if (file.kind !== 'file') throw new SkyfoldError('invalid_argument', `"${file.name}" is not a file`);
  const what = `copying "${file.name}"`;
  const plan = planHashes(file.hashes, destination.features.hashTypes);
  const bytes = reopeningSource(
    (start) => source.read(file.id, start > 0 ? { start } : undefined),
    options.reopen,
  );
  const tee = new MeteredTee({
    size: file.size,
    digester: new HashSet(plan.compute),
    ...(options.bucket ? { bucket: options.bucket } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    gate: async (computed) => {
      const mismatch = sourceMismatch(plan, file.hashes, computed);
      if (mismatch) throw new SkyfoldError('transient', `${what}: ${mismatch}`);
    },
    what,
  });
  options.signal?.throwIfAborted();
  const piping = pipeline(bytes, tee).catch(() => undefined); // its error reaches the writer through tee
  const stop = () => tee.destroy(options.signal!.reason as Error);
  options.signal?.addEventListener('abort', stop, { once: true });
  let item: ProviderItem;
  try {
    item = await destination.write(options.parentId, options.name, tee, {
      conflict: options.conflict,
      ...(file.size === null ? {} : { size: file.size }),
      ...(file.modifiedAt === null ? {} : { modifiedAt: file.modifiedAt }),
      ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
    });
  } finally {
    options.signal?.removeEventListener('abort', stop);
    bytes.destroy();
    tee.destroy();
    await piping;
  }
  const computed = tee.computed;
  if (!computed)
    throw new SkyfoldError('permanent', `${what}: the destination finished before every byte was sent`);
  return { item, computed, check: checkDestination(computed, item.hashes) };
}
