/**
 * Dropbox metadata names an item's place by path only; ProviderItems need the parent's id. A
 * ParentIds resolves folder paths to ids for one call or one change batch: folders it has already
 * seen are remembered, others are looked up once (get_metadata on the path), several at a time when
 * a batch needs many. Paths are `path_lower` values (Dropbox's own case folding), compared exactly.
 * Before asking Dropbox, a folder not seen in the batch is looked for in what the caller's index
 * knows (`KnownFolders`), so a change in a folder the index has costs no request.
 */
import { SkyfoldError } from '../../../../common/errors';
import type { KnownFolders } from '../types';
import { dropboxRootId, isSameOrInside, type DropboxEntry } from './wire';

/** Lookups in flight at once in `prefetch`. */
const prefetchConcurrency = 8;

export class ParentIds {
  /** path_lower -> the folder's id, or null when no folder is there (nothing, or a file). */
  private readonly known = new Map<string, string | null>();
  /** Paths removed in this batch (`forget`). */
  private readonly removed = new Set<string>();

  /**
   * `lookup(path)` returns the metadata at a path (Dropbox's lookup never returns deleted entries
   * here); it throws not_found when nothing is there.
   */
  constructor(
    private readonly lookup: (path: string) => Promise<DropboxEntry>,
    private readonly indexed?: KnownFolders,
  ) {}

  /** Records that the folder at `pathLower` has `id`. */
  remember(pathLower: string, id: string): void {
    this.known.set(pathLower, id);
  }

  /** Forgets the folder at `pathLower` and every folder under it (they were deleted or moved away). */
  forget(pathLower: string): void {
    this.removed.add(pathLower);
    for (const known of [...this.known.keys()]) {
      if (isSameOrInside(known, pathLower)) this.known.delete(known);
    }
  }

  /** Whether `pathLower` needs a lookup (not the root, not known yet). */
  has(pathLower: string): boolean {
    return pathLower === '' || this.known.has(pathLower);
  }

  /**
   * The id of the folder at `pathLower` (`""` is the root). Throws not_found when no folder is there
   * any more: nothing, or a file (the folder was replaced since Dropbox listed an item in it).
   */
  async idOf(pathLower: string): Promise<string> {
    if (pathLower === '') return dropboxRootId;
    if (!this.known.has(pathLower)) await this.resolve(pathLower);
    const id = this.known.get(pathLower);
    if (id === null || id === undefined) {
      throw new SkyfoldError('not_found', `no folder at "${pathLower}" any more`);
    }
    return id;
  }

  /** Looks up the distinct paths not known yet, `prefetchConcurrency` at a time. */
  async prefetch(pathsLower: Iterable<string>): Promise<void> {
    const missing = [...new Set(pathsLower)].filter((path) => !this.has(path));
    let next = 0;
    const worker = async () => {
      while (next < missing.length) await this.resolve(missing[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(prefetchConcurrency, missing.length) }, worker));
  }

  private async resolve(pathLower: string): Promise<void> {
    // The caller's index does not know yet what this batch removed: ask Dropbox about those paths.
    const removedHere = [...this.removed].some((removed) => isSameOrInside(pathLower, removed));
    const indexedId = removedHere ? null : (this.indexed?.folderIdAt(pathLower.split('/').slice(1)) ?? null);
    if (indexedId !== null) {
      this.known.set(pathLower, indexedId);
      return;
    }
    let entry: DropboxEntry;
    try {
      entry = await this.lookup(pathLower);
    } catch (error) {
      if (error instanceof SkyfoldError && error.code === 'not_found') {
        this.known.set(pathLower, null);
        return;
      }
      throw error;
    }
    this.known.set(pathLower, entry['.tag'] === 'folder' ? entry.id : null);
  }
}
