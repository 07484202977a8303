/**
 * Where the items a Dropbox provider trashed were, by id: Dropbox's trash is addressed by path (a
 * deleted item's id may no longer resolve), so `restore` looks a file's revisions up at the path it
 * was trashed from, and knows a folder (which its API cannot restore) without asking.
 *
 * Limits: kept in memory, for this process only (after a restart `restore` falls back to the id),
 * and bounded: past `capacity` entries the oldest is forgotten.
 */
import type { DropboxEntry } from './wire';
import { entryPath } from './wire';

export interface TrashedPlace {
  /** The item's path when it was trashed, as displayed. */
  path: string;
  folder: boolean;
}

export class TrashedPaths {
  private readonly places = new Map<string, TrashedPlace>();

  constructor(private readonly capacity = 10_000) {}

  /** Records the item `id` as `delete_v2` described it (its last metadata). */
  remember(id: string, deleted: DropboxEntry): void {
    this.places.delete(id);
    this.places.set(id, { path: entryPath(deleted), folder: deleted['.tag'] === 'folder' });
    for (const oldest of this.places.keys()) {
      if (this.places.size <= this.capacity) break;
      this.places.delete(oldest);
    }
  }

  get(id: string): TrashedPlace | undefined {
    return this.places.get(id);
  }

  forget(id: string): void {
    this.places.delete(id);
  }
}
