/**
 * Dropbox metadata names an item's place by path only; ProviderItems need the parent's id. A
 * ParentIds resolves folder paths to ids for one call or one change batch: folders it has already
 * seen are remembered, others are looked up once (get_metadata on the path). Paths compare
 * case-insensitively, as Dropbox's do.
 */
import { SkyfoldError } from '../../../../common/errors';
import { dropboxRootId, isSameOrInside, type DropboxEntry } from './wire';

export class ParentIds {
  /** Lowercased folder path -> id. */
  private readonly known = new Map<string, string>();

  /** `lookup(path)` returns the metadata at a path; it throws not_found when nothing is there. */
  constructor(private readonly lookup: (path: string) => Promise<DropboxEntry>) {}

  /** Records that the folder at `path` has `id`. */
  remember(path: string, id: string): void {
    this.known.set(path.toLowerCase(), id);
  }

  /** Forgets the folder at `path` and every folder under it (they were deleted or moved away). */
  forget(path: string): void {
    for (const known of [...this.known.keys()]) if (isSameOrInside(known, path)) this.known.delete(known);
  }

  /**
   * The id of the folder at `path` (`""` is the root). Throws not_found when nothing is there any
   * more, permanent when a file is (Dropbox said a folder holds it).
   */
  async idOf(path: string): Promise<string> {
    if (path === '') return dropboxRootId;
    const cached = this.known.get(path.toLowerCase());
    if (cached !== undefined) return cached;
    const entry = await this.lookup(path);
    if (entry['.tag'] === 'deleted') throw new SkyfoldError('not_found', `"${path}" was deleted`);
    if (entry['.tag'] !== 'folder') {
      throw new SkyfoldError('permanent', `Dropbox placed an item inside "${path}", which is not a folder`);
    }
    this.remember(path, entry.id);
    return entry.id;
  }
}
