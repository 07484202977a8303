/**
 * For the sync tests: an index in memory, and a scripted cloud (`FakeCloud`) whose change feed the
 * tests control exactly: part sizes of its listing, expired cursors, failures, and the entries it
 * reports (so each change kind can be fed as each real service words it). The real services are
 * exercised through their emulators in sync-clouds.test.ts.
 */
import { SkyfoldError } from '../../../common/errors';
import { openDatabase } from '../index/database';
import { ItemStore } from '../index/item-store';
import { indexMigrations } from '../index/migrations';
import { SyncStateStore } from '../index/sync-state-store';
import type {
  ChangeFeed,
  Provider,
  ProviderChange,
  ProviderFeatures,
  ProviderItem,
} from '../providers/types';
import type { SyncStores } from './account-sync';

export function memoryStores(): SyncStores & { close(): void } {
  const db = openDatabase(':memory:', { migrations: indexMigrations, synchronous: 'NORMAL' });
  return { items: new ItemStore(db), syncState: new SyncStateStore(db), close: () => db.close() };
}

export function file(id: string, parentId: string, name: string, size = 1): ProviderItem {
  return {
    id,
    parentId,
    name,
    kind: 'file',
    size,
    modifiedAt: 0,
    mimeType: null,
    targetId: null,
    hashes: {},
  };
}

export function folder(id: string, parentId: string, name: string): ProviderItem {
  return {
    id,
    parentId,
    name,
    kind: 'folder',
    size: null,
    modifiedAt: 0,
    mimeType: null,
    targetId: null,
    hashes: {},
  };
}

/** The account's index as sorted `path kind` lines, for comparing with a cloud's truth. */
export function indexTree(stores: SyncStores, accountId: string, rootId: string): string[] {
  const lines: string[] = [];
  const walk = (folderId: string, prefix: string) => {
    const page = stores.items.listChildren(accountId, folderId, { by: 'name', direction: 'asc' }, 0, 100_000);
    for (const item of page.items) {
      lines.push(`${prefix}${item.name}${item.kind === 'folder' ? '/' : ''}`);
      if (item.kind === 'folder') walk(item.id, `${prefix}${item.name}/`);
    }
  };
  walk(rootId, '/');
  return lines.sort();
}

const features: ProviderFeatures = {
  serverSideCopy: false,
  serverSideMove: true,
  changeFeed: true,
  resumableUpload: false,
  hashTypes: [],
  caseInsensitive: true,
  duplicateNamesAllowed: false,
  maxFileSize: null,
  thumbnails: false,
};

/**
 * A cloud in memory: `items` is its truth; `feed` is the list of entries its change feed reports
 * (tests append what the real service would send). Cursors are positions in `feed`, listing
 * positions are offsets in the listing; `expireCursors()` makes every cursor handed out so far
 * invalid. `listAll` calls are recorded with their `from`.
 */
export class FakeCloud implements Provider {
  readonly kind = 'fake';
  readonly features: ProviderFeatures;
  readonly rootId = 'root';
  readonly items = new Map<string, ProviderItem>();
  readonly feed: ProviderChange[] = [];
  readonly listAllCalls: (string | null)[] = [];
  changesSinceCalls = 0;
  /** Items per listAll part. */
  partSize = 2;
  /** Thrown by the next listAll/changesSince call, then cleared. */
  failNext: SkyfoldError | null = null;
  private epoch = 0;

  constructor(overrides: Partial<ProviderFeatures> = {}) {
    this.features = { ...features, ...overrides };
    this.items.set('root', { ...folder('root', '', ''), parentId: null });
  }

  /** Adds or changes an item in the truth and reports it in the feed. */
  put(item: ProviderItem): void {
    this.items.set(item.id, item);
    this.feed.push({ kind: 'upsert', item });
  }

  /** Removes an item and its subtree from the truth; the feed reports what `report` says (default: the item by id). */
  remove(id: string, report: ProviderChange[] = [{ kind: 'remove', id }]): void {
    const doomed = [id];
    while (doomed.length > 0) {
      const next = doomed.pop()!;
      this.items.delete(next);
      for (const item of this.items.values()) if (item.parentId === next) doomed.push(item.id);
    }
    this.feed.push(...report);
  }

  expireCursors(): void {
    this.epoch++;
  }

  readonly changeFeed: ChangeFeed = {
    listAll: async (from) => {
      this.listAllCalls.push(from);
      this.throwIfFailing();
      let offset = 0;
      let start = this.feed.length;
      if (from !== null) {
        const parsed = this.parse(from, 'list');
        offset = parsed.position;
        start = parsed.start;
      }
      const everything = [...this.items.values()].filter((item) => item.id !== this.rootId);
      const items = everything.slice(offset, offset + this.partSize);
      const done = offset + this.partSize >= everything.length;
      return {
        changes: items.map((item): ProviderChange => ({ kind: 'upsert', item })),
        done,
        next: done ? this.cursor('feed', start, start) : this.cursor('list', offset + this.partSize, start),
      };
    },
    startCursor: async () => this.cursor('feed', this.feed.length, this.feed.length),
    changesSince: async (cursor) => {
      this.changesSinceCalls++;
      this.throwIfFailing();
      const { position } = this.parse(cursor, 'feed');
      return {
        changes: this.feed.slice(position),
        cursor: this.cursor('feed', this.feed.length, this.feed.length),
      };
    },
  };

  private cursor(kind: 'feed' | 'list', position: number, start: number): string {
    return JSON.stringify({ kind, position, start, epoch: this.epoch });
  }

  private parse(cursor: string, kind: 'feed' | 'list'): { position: number; start: number } {
    const parsed = JSON.parse(cursor) as { kind: string; position: number; start: number; epoch: number };
    if (parsed.kind !== kind || parsed.epoch !== this.epoch)
      throw new SkyfoldError('invalid_argument', 'cursor expired');
    return parsed;
  }

  private throwIfFailing(): void {
    const failure = this.failNext;
    this.failNext = null;
    if (failure) throw failure;
  }

  nameProblem(): string | null {
    return null;
  }
  async about() {
    return { displayName: 'fake', usedBytes: null, totalBytes: null };
  }
  async *list(folderId: string): AsyncIterable<ProviderItem[]> {
    yield [...this.items.values()].filter((item) => item.parentId === folderId && item.id !== this.rootId);
  }
  async stat(id: string): Promise<ProviderItem> {
    const item = this.items.get(id);
    if (!item) throw new SkyfoldError('not_found', id);
    return item;
  }
  read(): never {
    throw new Error('not used');
  }
  write(): never {
    throw new Error('not used');
  }
  mkdir(): never {
    throw new Error('not used');
  }
  move(): never {
    throw new Error('not used');
  }
  trash(): never {
    throw new Error('not used');
  }
  hash(): never {
    throw new Error('not used');
  }

  /** The truth as sorted `path kind` lines (like indexTree). */
  tree(): string[] {
    const lines: string[] = [];
    const walk = (folderId: string, prefix: string) => {
      for (const item of this.items.values()) {
        if (item.parentId !== folderId || item.id === this.rootId) continue;
        lines.push(`${prefix}${item.name}${item.kind === 'folder' ? '/' : ''}`);
        if (item.kind === 'folder') walk(item.id, `${prefix}${item.name}/`);
      }
    };
    walk(this.rootId, '/');
    return lines.sort();
  }
}
