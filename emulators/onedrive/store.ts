/**
 * One user's OneDrive (Personal): the account, its drive, the item tree, the recycle bin and the change
 * log behind delta. Names are unique per folder case-insensitively (OneDrive keeps the case as given);
 * item ids look like Personal ids (`{DRIVEID}!{n}`, the root `{DRIVEID}!101`); eTag and cTag change
 * with the item's version and content version. Content is held in memory (seeded bytes), generated
 * (synthetic items) or on disk (uploads, content.ts); its QuickXorHash is computed on first use and
 * memoised (synthetic items: in a compact table, shared/synthetic.ts), or while uploading.
 *
 * Change log (delta.ts reads it): every write appends events `{id, direct, scopes}`: the changed item
 * (`direct`) after each of its ancestors (not direct: their size and cTag changed with it, and delta
 * reports them unless `deltaExcludeParent` is asked), `scopes` = the folders the item was below at
 * the time (a move: before and after). A deleted folder gives one event per item of its subtree,
 * children before their folder. Delta renders each id in its state *now*: live, or deleted (the
 * tombstone kept here). Seeding records nothing: the seeded tree is the initial enumeration.
 */
import { randomBytes } from 'node:crypto';
import { QuickXorHash } from '../../main/core/providers/hashes/quickxor';
import type { Clock } from '../shared/clock';
import { SyntheticChecksums, feedSynthetic } from '../shared/synthetic';
import type { Content } from './content';

export type { Content } from './content';

interface ItemBase {
  readonly id: string;
  name: string;
  parent: FolderItem | undefined;
  createdDateTime: number;
  lastModifiedDateTime: number;
  /** `fileSystemInfo` as a client set it; absent: the item's own times. */
  fsCreated?: number;
  fsModified?: number;
  /** Personal only: a user-visible description. */
  description?: string;
  /** Bumped by every change of the item (eTag). */
  version: number;
  /** Bumped by every change of the content, or of a folder's children (cTag). */
  contentVersion: number;
}

export interface FileItem extends ItemBase {
  readonly kind: 'file';
  mimeType: string;
  content: Content;
  /** Memoised QuickXorHash of in-memory content. */
  quickXor?: string;
}

export interface FolderItem extends ItemBase {
  readonly kind: 'folder';
  /** Children keyed by lower-cased name. */
  readonly children: Map<string, Item>;
  /** Sorted views of the children, per `$orderby`, dropped when the children change. */
  sorted?: Map<string, Item[]>;
  /** Memoised size of the subtree, dropped up the parent chain when it changes. */
  cachedSize?: number;
}

export type Item = FileItem | FolderItem;

export interface Account {
  email: string;
  displayName: string;
  /** The user's id (16 lower-case hex digits, a Personal account's CID). */
  userId: string;
  /** The drive id: the CID again, as on OneDrive Personal. */
  driveId: string;
}

/** One entry of the change log. */
export interface ChangeEvent {
  /** The item's id (as stored). */
  readonly id: string;
  /** False: only something below the item changed (its size, cTag). */
  readonly direct: boolean;
  /** Ids of the folders the item was below when it changed (a move: before and after). */
  readonly scopes: readonly string[];
}

/** What is kept of a deleted item (for delta), and of the top of a deleted subtree (the recycle bin). */
export interface Tombstone {
  readonly item: Item;
  /** The folder it was in. */
  readonly parentId: string;
  readonly deletedAt: number;
}

/** QuickXorHash of generated content, packed as its 20 raw bytes. */
export class SyntheticQuickXor {
  private readonly table: SyntheticChecksums<string>;
  constructor(capacity: number) {
    this.table = new SyntheticChecksums(capacity, {
      recordBytes: 20,
      compute: (key, size) => {
        const hash = new QuickXorHash();
        feedSynthetic(key, size, (piece) => hash.update(piece));
        return hash.digest();
      },
      pack: (value) => Buffer.from(value, 'base64'),
      unpack: (record) => record.toString('base64'),
    });
  }
  get(key: number, size: number): string {
    return this.table.get(key, size);
  }
}

export const ROOT_SUFFIX = '!101';

/** Graph reports times in whole seconds. */
export const seconds = (ms: number): number => Math.floor(ms / 1000) * 1000;

export class OnedriveStore {
  readonly root: FolderItem;
  /** Random per build: delta tokens of another build (before a reset or a restart) need a resync. */
  readonly epoch = randomBytes(6).toString('base64url');
  private readonly byId = new Map<string, Item>();
  private readonly tombstones = new Map<string, Tombstone>();
  /** Ids (lower-cased) of the items deleted on their own: the recycle bin's entries. */
  private readonly recycleBin = new Set<string>();
  private readonly log: ChangeEvent[] = [];
  private nextNumber = 102;
  private recording = false;
  /** Bytes of the items in the recycle bin. */
  deletedBytes = 0;
  /** Bumped by admin `expireDeltaTokens`: tokens of an older generation need a resync. */
  deltaGeneration = 0;
  /** The resync a token of an older generation is answered with. */
  resyncKind: 'resyncChangesApplyDifferences' | 'resyncChangesUploadDifferences' =
    'resyncChangesApplyDifferences';

  constructor(
    readonly account: Account,
    /** Storage limit in bytes; null = unlimited. */
    public quotaLimit: number | null,
    private readonly clock: Clock,
    private readonly synthetic: SyntheticQuickXor,
    created: number,
  ) {
    this.root = {
      kind: 'folder',
      id: `${account.driveId.toUpperCase()}${ROOT_SUFFIX}`,
      name: 'root',
      parent: undefined,
      createdDateTime: created,
      lastModifiedDateTime: created,
      version: 0,
      contentVersion: 0,
      children: new Map(),
    };
    this.byId.set(this.root.id.toLowerCase(), this.root);
  }

  /** From now on writes are recorded in the change log (called once the seed is built). */
  startRecording(): void {
    this.recording = true;
  }

  /** The current end of the change log. */
  get position(): number {
    return this.log.length;
  }

  eventsBetween(from: number, to: number): readonly ChangeEvent[] {
    return this.log.slice(from, to);
  }

  now(): number {
    return seconds(this.clock.now());
  }

  private newId(): string {
    return `${this.account.driveId.toUpperCase()}!${this.nextNumber++}`;
  }

  /** A live item by id (ids are case-insensitive, as on Personal). */
  get(id: string): Item | undefined {
    return this.byId.get(id.toLowerCase());
  }

  /** A deleted item by id. */
  tombstone(id: string): Tombstone | undefined {
    return this.tombstones.get(id.toLowerCase());
  }

  /** The recycle bin's entry `id` (an item deleted on its own, not one inside a deleted folder). */
  recycled(id: string): Tombstone | undefined {
    return this.recycleBin.has(id.toLowerCase()) ? this.tombstone(id) : undefined;
  }

  child(folder: FolderItem, name: string): Item | undefined {
    return folder.children.get(name.toLowerCase());
  }

  /** Follows `/`-separated names from `from`; undefined if any is missing or not a folder. */
  walk(from: Item, names: readonly string[]): Item | undefined {
    let item: Item | undefined = from;
    for (const name of names) {
      if (name === '') continue;
      if (!item || item.kind !== 'folder') return undefined;
      item = this.child(item, name);
    }
    return item;
  }

  /** Whether `ancestor` is `item` or a folder above it. */
  contains(ancestor: Item, item: Item): boolean {
    for (let node: Item | undefined = item; node; node = node.parent) if (node === ancestor) return true;
    return false;
  }

  /** Ids of the folders above `item`, root first. */
  ancestorIds(item: Item): string[] {
    const ids: string[] = [];
    for (let node = item.parent; node; node = node.parent) ids.unshift(node.id);
    return ids;
  }

  private attach(folder: FolderItem, item: Item): void {
    if (folder.children.has(item.name.toLowerCase())) throw new Error(`duplicate name ${item.name}`);
    item.parent = folder;
    folder.children.set(item.name.toLowerCase(), item);
    folder.sorted = undefined;
    folder.contentVersion++;
    this.byId.set(item.id.toLowerCase(), item);
    this.sizeChanged(folder);
  }

  private detach(item: Item): void {
    const folder = item.parent;
    if (!folder) return;
    folder.children.delete(item.name.toLowerCase());
    folder.sorted = undefined;
    folder.contentVersion++;
    this.sizeChanged(folder);
  }

  private sizeChanged(folder: FolderItem | undefined): void {
    for (let node = folder; node; node = node.parent) node.cachedSize = undefined;
  }

  private forEachInSubtree(item: Item, visit: (node: Item) => void, childrenFirst = false): void {
    if (!childrenFirst) visit(item);
    if (item.kind === 'folder')
      for (const child of [...item.children.values()]) this.forEachInSubtree(child, visit, childrenFirst);
    if (childrenFirst) visit(item);
  }

  // ---- change log --------------------------------------------------------------------------------

  /** Records the ancestors of `item` (indirect), then `item`; `before`: where it was (a move). */
  private record(item: Item, before: readonly Item[] = []): void {
    if (!this.recording) return;
    const scopes = this.ancestorIds(item);
    for (const ancestor of before) this.recordIndirect(ancestor);
    for (let i = 0; i < scopes.length; i++)
      this.log.push({ id: scopes[i] as string, direct: false, scopes: scopes.slice(0, i) });
    const beforeIds = before.flatMap((a) => [...this.ancestorIds(a), a.id]);
    this.log.push({ id: item.id, direct: true, scopes: [...new Set([...beforeIds, ...scopes])] });
  }

  /** `folder` and its ancestors, indirectly. */
  private recordIndirect(folder: Item): void {
    const chain = [...this.ancestorIds(folder), folder.id];
    for (let i = 0; i < chain.length; i++)
      this.log.push({ id: chain[i] as string, direct: false, scopes: chain.slice(0, i) });
  }

  // ---- writes ------------------------------------------------------------------------------------

  createFolder(parent: FolderItem, name: string, time = this.now()): FolderItem {
    const folder: FolderItem = {
      kind: 'folder',
      id: this.newId(),
      name,
      parent,
      createdDateTime: time,
      lastModifiedDateTime: time,
      version: 0,
      contentVersion: 0,
      children: new Map(),
    };
    this.attach(parent, folder);
    this.record(folder);
    return folder;
  }

  createFile(
    parent: FolderItem,
    name: string,
    mimeType: string,
    content: Content,
    time = this.now(),
  ): FileItem {
    const file: FileItem = {
      kind: 'file',
      id: this.newId(),
      name,
      parent,
      mimeType,
      content,
      createdDateTime: time,
      lastModifiedDateTime: time,
      version: 0,
      contentVersion: 0,
    };
    this.attach(parent, file);
    this.record(file);
    return file;
  }

  /** New content for a file (same id); returns the old content (for the caller to release). */
  replaceContent(file: FileItem, content: Content, mimeType = file.mimeType): Content {
    const old = file.content;
    file.content = content;
    file.mimeType = mimeType;
    file.quickXor = undefined;
    file.version++;
    file.contentVersion++;
    file.lastModifiedDateTime = this.now();
    file.fsModified = undefined;
    if (file.parent) {
      file.parent.contentVersion++;
      file.parent.sorted = undefined;
    }
    this.sizeChanged(file.parent);
    this.record(file);
    return old;
  }

  /** Renames and/or moves an item (same id). */
  move(item: Item, parent: FolderItem, name: string): void {
    const before = item.parent && item.parent !== parent ? [item.parent] : [];
    this.detach(item);
    item.name = name;
    this.attach(parent, item);
    item.version++;
    this.record(item, before);
  }

  /** Metadata-only changes (fileSystemInfo, description). */
  touch(item: Item, change: (item: Item) => void): void {
    change(item);
    item.version++;
    this.record(item);
  }

  /**
   * Deletes an item and its subtree into the recycle bin (counted in `quota.deleted`). `record`
   * false: a seeded trashed item (deleted before any delta token existed).
   */
  recycle(item: Item, record = true): void {
    const parent = item.parent;
    if (!parent) return;
    const deletedAt = this.now();
    const bytes = this.size(item);
    this.detach(item);
    if (record && this.recording) this.recordIndirect(parent);
    this.forEachInSubtree(
      item,
      (node) => {
        const nodeParent = node.parent as FolderItem;
        if (record && this.recording)
          this.log.push({
            id: node.id,
            direct: true,
            scopes: [...this.ancestorIds(parent), parent.id, ...this.idsBetween(item, node)],
          });
        this.byId.delete(node.id.toLowerCase());
        this.tombstones.set(node.id.toLowerCase(), { item: node, parentId: nodeParent.id, deletedAt });
      },
      true,
    );
    this.recycleBin.add(item.id.toLowerCase());
    this.deletedBytes += bytes;
  }

  /**
   * Brings the recycle bin's entry `item` back with its subtree (same ids), into `parent` under
   * `name` (free: the caller checked); each item gets a change.
   */
  restore(item: Item, parent: FolderItem, name: string): void {
    this.recycleBin.delete(item.id.toLowerCase());
    this.deletedBytes -= this.size(item);
    item.name = name;
    this.attach(parent, item);
    this.forEachInSubtree(item, (node) => {
      this.tombstones.delete(node.id.toLowerCase());
      this.byId.set(node.id.toLowerCase(), node);
      node.version++;
      this.record(node);
    });
  }

  /** Ids of the folders from `top` down to `node`'s parent (`node` below `top`, detached). */
  private idsBetween(top: Item, node: Item): string[] {
    const ids: string[] = [];
    for (let n = node.parent; n && node !== top; n = n.parent) {
      ids.unshift(n.id);
      if (n === top) break;
    }
    return ids;
  }

  /** A deep copy of `item` placed in `parent` under `name`, with new ids; content is shared. */
  copy(item: Item, parent: FolderItem, name: string, share: (content: Content) => Content): Item {
    const now = this.now();
    if (item.kind === 'file') {
      const file = this.createFile(parent, name, item.mimeType, share(item.content), now);
      file.quickXor = item.quickXor;
      file.fsCreated = item.fsCreated ?? item.createdDateTime;
      file.fsModified = item.fsModified ?? item.lastModifiedDateTime;
      return file;
    }
    const folder = this.createFolder(parent, name, now);
    for (const child of [...item.children.values()]) this.copy(child, folder, child.name, share);
    return folder;
  }

  // ---- sizes and hashes --------------------------------------------------------------------------

  /** A file's bytes; a folder's: the sum of its subtree (as Graph reports it). */
  size(item: Item): number {
    if (item.kind === 'file') return item.content.size;
    if (item.cachedSize !== undefined) return item.cachedSize;
    let total = 0;
    for (const child of item.children.values()) total += this.size(child);
    item.cachedSize = total;
    return total;
  }

  quickXorHash(file: FileItem): string {
    const { content } = file;
    if (content.kind === 'synthetic') return this.synthetic.get(content.key, content.size);
    if (content.kind === 'blob') return content.blob.quickXor;
    file.quickXor ??= new QuickXorHash().update(content.data()).digest();
    return file.quickXor;
  }

  /** The item's path below the root, `/a/b` (the root: ''). */
  pathOf(item: Item): string {
    const names: string[] = [];
    for (let node: Item | undefined = item; node?.parent; node = node.parent) names.unshift(node.name);
    return names.length === 0 ? '' : '/' + names.join('/');
  }

  /** Bytes in use: the tree plus the recycle bin. */
  usedBytes(): number {
    return this.size(this.root) + this.deletedBytes;
  }

  /** Bytes left before the limit (Infinity when unlimited). */
  remainingBytes(): number {
    return this.quotaLimit === null ? Infinity : this.quotaLimit - this.usedBytes();
  }
}
