/**
 * One user's file revisions (for `rev:` reads, files/list_revisions and files/restore), bounded: each
 * file (by id) keeps its last REVISIONS_PER_FILE revisions, as many as one list_revisions call can
 * return (`limit` 1..100). An older revision is forgotten (`rev:` then reads `not_found`,
 * restore `invalid_revision`) and its bytes on disk are removed once no kept revision of this user
 * shares them (copies and moves share a blob).
 *
 * Indexes: by rev, by file id (oldest first) and by path_lower at the revision (oldest first; revisions
 * of several files that were at the same path); the deletion time of each deleted file id.
 */
import { rmSync } from 'node:fs';
import type { Blob } from './content';
import { fold } from './paths';
import type { FileVersion } from './store';

/** Revisions kept per file id (list_revisions' largest `limit`) (?). */
export const REVISIONS_PER_FILE = 100;

export class RevisionHistory {
  private readonly byRev = new Map<string, FileVersion>();
  private readonly byId = new Map<string, string[]>();
  private readonly byPath = new Map<string, string[]>();
  private readonly deletedAt = new Map<string, number>();
  /** Kept revisions per blob path: at zero the blob is removed from disk. */
  private readonly blobUses = new Map<string, number>();

  has(rev: string): boolean {
    return this.byRev.has(rev);
  }

  get(rev: string): FileVersion | undefined {
    return this.byRev.get(rev);
  }

  /** Records a revision, forgetting the file's oldest ones past REVISIONS_PER_FILE. */
  add(version: FileVersion): void {
    if (this.byRev.has(version.rev)) return;
    this.byRev.set(version.rev, version);
    push(this.byId, version.id, version.rev);
    push(this.byPath, fold(version.pathDisplay), version.rev);
    const blob = blobOf(version);
    if (blob) this.blobUses.set(blob.path, (this.blobUses.get(blob.path) ?? 0) + 1);
    const revs = this.byId.get(version.id) as string[];
    while (revs.length > REVISIONS_PER_FILE) this.forget(revs.shift() as string);
  }

  /** The file's kept revisions, newest first. */
  ofFile(id: string): FileVersion[] {
    return this.versions(this.byId.get(id));
  }

  /** The kept revisions that were at `pathLower` (of any file), newest first. */
  atPath(pathLower: string): FileVersion[] {
    return this.versions(this.byPath.get(pathLower));
  }

  markDeleted(id: string, time: number): void {
    this.deletedAt.set(id, time);
  }

  /** When the file `id` was last deleted, if it was. */
  deletionTime(id: string): number | undefined {
    return this.deletedAt.get(id);
  }

  private versions(revs: readonly string[] | undefined): FileVersion[] {
    return (revs ?? []).map((rev) => this.byRev.get(rev) as FileVersion).reverse();
  }

  private forget(rev: string): void {
    const version = this.byRev.get(rev);
    if (!version) return;
    this.byRev.delete(rev);
    const pathLower = fold(version.pathDisplay);
    const atPath = (this.byPath.get(pathLower) ?? []).filter((r) => r !== rev);
    if (atPath.length > 0) this.byPath.set(pathLower, atPath);
    else this.byPath.delete(pathLower);
    const blob = blobOf(version);
    if (!blob) return;
    const uses = (this.blobUses.get(blob.path) ?? 1) - 1;
    if (uses > 0) {
      this.blobUses.set(blob.path, uses);
      return;
    }
    this.blobUses.delete(blob.path);
    // Synchronous, so that the bytes are gone when the write that evicted them answers.
    rmSync(blob.path, { force: true });
  }
}

function push(index: Map<string, string[]>, key: string, rev: string): void {
  const revs = index.get(key);
  if (revs) revs.push(rev);
  else index.set(key, [rev]);
}

const blobOf = (version: FileVersion): Blob | undefined =>
  version.content.kind === 'blob' ? version.content.blob : undefined;
