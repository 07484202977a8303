/**
 * One user's OneDrive (Personal): the account, its drive and the item tree. Names are unique per
 * folder case-insensitively (OneDrive keeps the case as given); item ids look like Personal ids
 * (`{DRIVEID}!{n}`, the root `{DRIVEID}!101`); eTag and cTag change with the item's version and content
 * version. Content is held in memory (seeded bytes) or generated (synthetic items); its QuickXorHash
 * is computed on first use and memoised (synthetic items: in a compact table, shared/synthetic.ts).
 */
import { QuickXorHash } from '../../main/core/providers/hashes/quickxor';
import type { Clock } from '../shared/clock';
import { SyntheticChecksums, feedSynthetic } from '../shared/synthetic';

export type Content =
  { kind: 'bytes'; data: () => Buffer; size: number } | { kind: 'synthetic'; key: number; size: number };

interface ItemBase {
  readonly id: string;
  name: string;
  parent: FolderItem | undefined;
  createdDateTime: number;
  lastModifiedDateTime: number;
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

export class OnedriveStore {
  readonly root: FolderItem;
  private readonly byId = new Map<string, Item>();
  private nextNumber = 102;
  /** Bytes of the items in the recycle bin (seeded trashed items). */
  deletedBytes = 0;

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

  private newId(): string {
    return `${this.account.driveId.toUpperCase()}!${this.nextNumber++}`;
  }

  /** An item by id (ids are case-insensitive, as on Personal). */
  get(id: string): Item | undefined {
    return this.byId.get(id.toLowerCase());
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

  private attach(folder: FolderItem, item: Item): void {
    if (folder.children.has(item.name.toLowerCase())) throw new Error(`duplicate name ${item.name}`);
    folder.children.set(item.name.toLowerCase(), item);
    folder.sorted = undefined;
    folder.contentVersion++;
    this.byId.set(item.id.toLowerCase(), item);
    this.sizeChanged(folder);
  }

  private sizeChanged(folder: FolderItem | undefined): void {
    for (let node = folder; node; node = node.parent) node.cachedSize = undefined;
  }

  createFolder(parent: FolderItem, name: string, time = this.clock.now()): FolderItem {
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
    return folder;
  }

  createFile(
    parent: FolderItem,
    name: string,
    mimeType: string,
    content: Content,
    time = this.clock.now(),
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
    return file;
  }

  /** Takes an item and its subtree out of the tree (seeded trashed items: the recycle bin counts). */
  recycle(item: Item): void {
    if (!item.parent) return;
    item.parent.children.delete(item.name.toLowerCase());
    item.parent.sorted = undefined;
    this.sizeChanged(item.parent);
    const forget = (node: Item) => {
      this.byId.delete(node.id.toLowerCase());
      if (node.kind === 'folder') for (const c of node.children.values()) forget(c);
    };
    forget(item);
    this.deletedBytes += this.size(item);
  }

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
    if (file.content.kind === 'synthetic') return this.synthetic.get(file.content.key, file.content.size);
    file.quickXor ??= new QuickXorHash().update(file.content.data()).digest();
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
}
