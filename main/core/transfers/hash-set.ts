/**
 * One pass over a stream's bytes, several digests at once (docs/design/transfers.md §2.3): the
 * transfer engine feeds each chunk once and gets, at the end, sha256 (for the index) plus the source's
 * and the destination's native hashes, each encoded as that provider reports it in
 * `ProviderItem.hashes`: lowercase hex for md5, sha1, sha256 and Dropbox's content_hash; base64 for
 * OneDrive's QuickXorHash.
 *
 * Hashing is inline on the caller's thread: on this project's 2-core machine every type runs at
 * 700 MB/s or more on one core and the worst real set (sha256 + md5 + content_hash) at about 385 MB/s
 * (bench/transfers.ts). A worker thread fed 1 MiB copies (4 in flight) was measured too: it still
 * cost the main thread about half the inline time (the copies and messages) and ran slower
 * (about 290 MB/s), so it is not used.
 */
import { createHash } from 'node:crypto';
import { DropboxContentHash } from '../providers/hashes/dropbox-content-hash';
import { QuickXorHash } from '../providers/hashes/quickxor';
import type { HashType } from '../providers/types';

interface Hasher {
  update(bytes: Uint8Array): unknown;
  /** The digest in the provider's encoding; called once. */
  digest(): string;
}

function nodeHash(algorithm: 'md5' | 'sha1' | 'sha256'): Hasher {
  const hash = createHash(algorithm);
  return { update: (bytes) => hash.update(bytes), digest: () => hash.digest('hex') };
}

const makers: Record<HashType, () => Hasher> = {
  md5: () => nodeHash('md5'),
  sha1: () => nodeHash('sha1'),
  sha256: () => nodeHash('sha256'),
  dropbox: () => new DropboxContentHash(),
  quickxor: () => new QuickXorHash(),
};

export class HashSet {
  /** The types computed, each once, in the order first given. */
  readonly types: readonly HashType[];
  private readonly hashers: Hasher[];
  private result: Partial<Record<HashType, string>> | undefined;

  constructor(types: Iterable<HashType>) {
    this.types = [...new Set(types)];
    this.hashers = this.types.map((type) => makers[type]());
  }

  /** Adds the next bytes to every digest; any split of the input gives the same digests. Returns this. */
  update(chunk: Uint8Array): this {
    if (this.result) throw new Error('HashSet.update after digest');
    for (const hasher of this.hashers) hasher.update(chunk);
    return this;
  }

  /** Every digest of the bytes given so far, keyed by type. Ends the input: later calls return the same. */
  digest(): Partial<Record<HashType, string>> {
    if (!this.result) {
      const result: Partial<Record<HashType, string>> = {};
      this.types.forEach((type, i) => (result[type] = this.hashers[i]!.digest()));
      this.result = result;
    }
    return { ...this.result };
  }
}
