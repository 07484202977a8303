/**
 * One user's Dropbox: a tree of folders and files (names unique per folder, case-insensitively),
 * an id index, the last revisions of every file (revisions.ts: `rev:` reads, list_revisions, restore),
 * tombstones of deleted paths (for `include_deleted`), and an append-only change log that cursors
 * point into.
 *
 * Contracts:
 * - Paths are not stored: an entry knows its parent, so moving a folder is O(1) for the tree; the
 *   change log still records every path whose state changed (a moved folder's whole subtree).
 * - The log holds `{pathLower, deleted}` events; position N means "events 0..N-1 seen". A deleted or
 *   moved-away folder is ONE delete event at its path (its descendants are implied).
 * - Every write to a file (content, move, copy, restore) gives it a new `rev` and `server_modified` (?).
 * - Seeded files enter the revision history when first changed, moved or deleted (a million-item seed
 *   would double its memory otherwise); until then `fileByRev` finds them in the tree.
 * - Listeners registered with `watch` hear every appended event (list_folder/longpoll).
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../shared/clock';
import { contentSize, type Content, type SyntheticHashes } from './content';
import { fold } from './paths';
import { RevisionHistory } from './revisions';

interface EntryBase {
  readonly id: string;
  name: string;
  parent: FolderEntry | undefined;
  /** False once deleted or replaced: detached entries never come back. */
  live: boolean;
}

export interface FolderEntry extends EntryBase {
  readonly kind: 'folder';
  readonly children: Map<string, Entry>;
  /** Children sorted by folded name, rebuilt after a change. */
  sorted: Entry[] | undefined;
}

export interface FileEntry extends EntryBase {
  readonly kind: 'file';
  rev: string;
  content: Content;
  clientModified: number;
  serverModified: number;
}

export type Entry = FolderEntry | FileEntry;

/** A file as it was at one revision. */
export interface FileVersion {
  readonly id: string;
  readonly rev: string;
  readonly name: string;
  readonly pathDisplay: string;
  readonly content: Content;
  readonly clientModified: number;
  readonly serverModified: number;
}

export interface Tombstone {
  readonly name: string;
  readonly pathDisplay: string;
  /** When the item was deleted; absent when it was moved away. */
  readonly serverDeleted?: number;
}

export interface ChangeEvent {
  readonly pathLower: string;
  /** Set on deletions: how the path looked (the DeletedMetadata of the feed). */
  readonly pathDisplay?: string;
  readonly deleted: boolean;
}

export interface Account {
  readonly email: string;
  readonly displayName: string;
  readonly accountId: string;
  readonly uid: string;
  readonly namespaceId: string;
}

export const secondsPrecision = (ms: number): number => Math.floor(ms / 1000) * 1000;

/** `id:` + 22 base64url characters. */
export const newEntryId = (): string => `id:${randomBytes(16).toString('base64url')}`;

export class DropboxStore {
  readonly root: FolderEntry;
  /** Random per build: cursors from another build (before a reset or restart) are reset. */
  readonly epoch = randomBytes(6).toString('base64url');
  quotaLimit: number | null;
  private readonly byId = new Map<string, Entry>();
  /** Kept file revisions (bounded per file). */
  readonly history = new RevisionHistory();
  private readonly tombstones = new Map<string, Tombstone>();
  private readonly log: ChangeEvent[] = [];
  private readonly listeners = new Set<() => void>();
  private revCounter = 0x10000;
  private usedBytes = 0;

  constructor(
    readonly account: Account,
    quotaLimit: number | null,
    private readonly clock: Clock,
    readonly syntheticHashes: SyntheticHashes,
    private readonly revSuffix: string,
  ) {
    this.quotaLimit = quotaLimit;
    this.root = {
      kind: 'folder',
      id: newEntryId(),
      name: '',
      parent: undefined,
      live: true,
      children: new Map(),
      sorted: undefined,
    };
  }

  get used(): number {
    return this.usedBytes;
  }

  /** The current end of the change log (a cursor at this position has seen everything). */
  get position(): number {
    return this.log.length;
  }

  now(): number {
    return secondsPrecision(this.clock.now());
  }

  nextRev(): string {
    this.revCounter++;
    return `${this.revCounter.toString(16).padStart(9, '0')}${this.revSuffix}`;
  }

  entryById(id: string): Entry | undefined {
    const entry = this.byId.get(id);
    return entry?.live ? entry : undefined;
  }

  child(folder: FolderEntry, name: string): Entry | undefined {
    return folder.children.get(fold(name));
  }

  /** Walks components from `from` (case-insensitively). */
  walk(from: Entry, components: readonly string[]): Entry | undefined {
    let current: Entry | undefined = from;
    for (const name of components) {
      if (!current || current.kind !== 'folder') return undefined;
      current = current.children.get(fold(name));
    }
    return current;
  }

  /** `/a/B.txt` as displayed (root: ''). */
  pathDisplay(entry: Entry): string {
    const names: string[] = [];
    for (let e: Entry | undefined = entry; e && e.parent; e = e.parent) names.push(e.name);
    return names.length === 0 ? '' : `/${names.reverse().join('/')}`;
  }

  children(folder: FolderEntry): Entry[] {
    folder.sorted ??= [...folder.children.values()].sort((a, b) => compareNames(fold(a.name), fold(b.name)));
    return folder.sorted;
  }

  isAncestor(ancestor: Entry, entry: Entry): boolean {
    for (let e: Entry | undefined = entry.parent; e; e = e.parent) if (e === ancestor) return true;
    return false;
  }

  contentHash(file: FileEntry | FileVersion): string {
    const { content } = file;
    if (content.kind === 'synthetic') return this.syntheticHashes.get(content.key, content.size);
    return content.kind === 'blob' ? content.blob.contentHash : content.contentHash;
  }

  fileByRev(rev: string): FileVersion | undefined {
    const version = this.history.get(rev);
    if (version) return version;
    // Seeded files enter the history when first touched: look them up.
    for (const entry of this.byId.values())
      if (entry.kind === 'file' && entry.rev === rev) return this.version(entry);
    return undefined;
  }

  tombstone(pathLower: string): Tombstone | undefined {
    return this.tombstones.get(pathLower);
  }

  /** Tombstones at or under `folderLower` (every one when it is the root ''), by path. */
  tombstonesUnder(folderLower: string, recursive: boolean): [string, Tombstone][] {
    const prefix = `${folderLower}/`;
    return [...this.tombstones]
      .filter(([lower]) => {
        if (!lower.startsWith(prefix)) return false;
        return recursive || !lower.slice(prefix.length).includes('/');
      })
      .sort(([a], [b]) => compareNames(a, b));
  }

  /** Events from `from` to the end of the log. */
  eventsSince(from: number): readonly ChangeEvent[] {
    return this.log.slice(from);
  }

  /** Calls `listener` after every change until the returned function is called. */
  watch(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- writes ------------------------------------------------------------------------------------

  /** Creates a folder in `parent` (the name must be free). */
  createFolder(parent: FolderEntry, name: string, id = newEntryId(), record = true): FolderEntry {
    const folder: FolderEntry = {
      kind: 'folder',
      id,
      name,
      parent,
      live: true,
      children: new Map(),
      sorted: undefined,
    };
    this.attach(folder, parent);
    if (record) this.record(folder);
    return folder;
  }

  /** Creates a file in `parent` (the name must be free). */
  createFile(
    parent: FolderEntry,
    name: string,
    content: Content,
    times: { clientModified: number; serverModified: number },
    options: { id?: string; rev?: string; record?: boolean } = {},
  ): FileEntry {
    const file: FileEntry = {
      kind: 'file',
      id: options.id ?? newEntryId(),
      name,
      parent,
      live: true,
      rev: options.rev ?? this.nextRev(),
      content,
      clientModified: secondsPrecision(times.clientModified),
      serverModified: secondsPrecision(times.serverModified),
    };
    this.attach(file, parent);
    this.usedBytes += contentSize(content);
    if (options.record !== false) {
      this.remember(file);
      this.record(file);
    }
    return file;
  }

  /** New content for an existing file (a new revision at the same path). */
  overwrite(file: FileEntry, content: Content, clientModified: number): void {
    this.remember(file);
    this.usedBytes += contentSize(content) - contentSize(file.content);
    file.content = content;
    file.rev = this.nextRev();
    file.serverModified = this.now();
    file.clientModified = secondsPrecision(clientModified);
    this.remember(file);
    this.record(file);
  }

  /** Deletes an entry and everything under it: one delete event, tombstones for the whole subtree. */
  remove(entry: Entry): void {
    this.recordDeletion(entry, this.now());
    this.forget(entry);
  }

  /** Deletes without a change event (seeded trashed items: deleted before any cursor existed). */
  removeSilently(entry: Entry): void {
    this.tombstoneSubtree(entry, this.now());
    this.forget(entry);
  }

  /** Moves (and/or renames) an entry; the old location reads as deleted, the new one as changed. */
  move(entry: Entry, parent: FolderEntry, name: string): void {
    this.forEachInSubtree(entry, (e) => {
      if (e.kind === 'file') this.remember(e);
    });
    this.recordDeletion(entry, undefined);
    this.detach(entry);
    entry.name = name;
    this.attach(entry, parent);
    this.forEachInSubtree(entry, (e) => {
      if (e.kind === 'file') {
        e.rev = this.nextRev();
        e.serverModified = this.now();
        this.remember(e);
      }
      this.record(e);
    });
  }

  /** A deep copy of `entry` placed in `parent` under `name`, with new ids and revisions. */
  copy(entry: Entry, parent: FolderEntry, name: string): Entry {
    const now = this.now();
    if (entry.kind === 'file')
      return this.createFile(parent, name, entry.content, {
        clientModified: entry.clientModified,
        serverModified: now,
      });
    const folder = this.createFolder(parent, name);
    for (const child of [...entry.children.values()]) this.copy(child, folder, child.name);
    return folder;
  }

  /** Number of entries in a subtree (itself included). */
  subtreeSize(entry: Entry): number {
    let count = 0;
    this.forEachInSubtree(entry, () => count++);
    return count;
  }

  /** Total bytes of the files in a subtree. */
  subtreeBytes(entry: Entry): number {
    let bytes = 0;
    this.forEachInSubtree(entry, (e) => {
      if (e.kind === 'file') bytes += contentSize(e.content);
    });
    return bytes;
  }

  version(file: FileEntry): FileVersion {
    return {
      id: file.id,
      rev: file.rev,
      name: file.name,
      pathDisplay: this.pathDisplay(file),
      content: file.content,
      clientModified: file.clientModified,
      serverModified: file.serverModified,
    };
  }

  // ---- internals ---------------------------------------------------------------------------------

  private attach(entry: Entry, parent: FolderEntry): void {
    entry.parent = parent;
    parent.children.set(fold(entry.name), entry);
    parent.sorted = undefined;
    this.byId.set(entry.id, entry);
    this.tombstones.delete(fold(this.pathDisplay(entry)));
  }

  private detach(entry: Entry): void {
    const parent = entry.parent;
    if (!parent) return;
    parent.children.delete(fold(entry.name));
    parent.sorted = undefined;
  }

  private forEachInSubtree(entry: Entry, visit: (entry: Entry) => void): void {
    const stack: Entry[] = [entry];
    while (stack.length > 0) {
      const next = stack.pop() as Entry;
      visit(next);
      if (next.kind === 'folder') for (const child of next.children.values()) stack.push(child);
    }
  }

  /** Keeps the file's current revision (already kept: nothing to do). */
  private remember(file: FileEntry): void {
    if (this.history.has(file.rev)) return;
    this.history.add(this.version(file));
  }

  /** Tombstones for a subtree; a deletion (`serverDeleted` set) also keeps its files' revisions. */
  private tombstoneSubtree(entry: Entry, serverDeleted: number | undefined): void {
    this.forEachInSubtree(entry, (e) => {
      const pathDisplay = this.pathDisplay(e);
      this.tombstones.set(fold(pathDisplay), { name: e.name, pathDisplay, serverDeleted });
      if (e.kind === 'file' && serverDeleted !== undefined) {
        this.remember(e);
        this.history.markDeleted(e.id, serverDeleted);
      }
    });
  }

  private recordDeletion(entry: Entry, serverDeleted: number | undefined): void {
    this.tombstoneSubtree(entry, serverDeleted);
    const pathDisplay = this.pathDisplay(entry);
    this.append({ pathLower: fold(pathDisplay), pathDisplay, deleted: true });
  }

  private forget(entry: Entry): void {
    this.detach(entry);
    this.forEachInSubtree(entry, (e) => {
      e.live = false;
      this.byId.delete(e.id);
      if (e.kind === 'file') this.usedBytes -= contentSize(e.content);
    });
  }

  private record(entry: Entry): void {
    this.append({ pathLower: fold(this.pathDisplay(entry)), deleted: false });
  }

  private append(event: ChangeEvent): void {
    this.log.push(event);
    for (const listener of [...this.listeners]) listener();
  }
}

/** Code-unit order of folded names (Dropbox's listing order is unspecified; this one is stable). */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
