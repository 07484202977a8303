import { beforeEach, describe, expect, it } from 'vitest';
import type { Sort } from '../../../common/contract';
import type { ProviderItem } from '../providers/types';
import { openDatabase } from './database';
import { ItemStore } from './item-store';
import { indexMigrations } from './migrations';

const item = (id: string, overrides: Partial<ProviderItem> = {}): ProviderItem => ({
  id,
  parentId: 'root',
  name: id,
  kind: 'file',
  size: 1,
  modifiedAt: 1,
  mimeType: null,
  targetId: null,
  hashes: {},
  ...overrides,
});

let store: ItemStore;
beforeEach(() => {
  store = new ItemStore(openDatabase(':memory:', { migrations: indexMigrations, synchronous: 'NORMAL' }));
  store.upsert('acc', [item('root', { parentId: null, kind: 'folder', size: null })], 1);
});

describe('ItemStore.listChildren', () => {
  beforeEach(() => {
    store.upsert(
      'acc',
      [
        item('b.txt', { size: 30, modifiedAt: 100 }),
        item('A.txt', { size: 10, modifiedAt: 300 }),
        item('file10', { size: 20, modifiedAt: 200 }),
        item('file2', { size: 20, modifiedAt: 50 }),
        item('Zeta', { kind: 'folder', size: null, modifiedAt: 10 }),
        item('alpha', { kind: 'folder', size: null, modifiedAt: 20 }),
      ],
      1,
    );
    store.upsert('other', [item('intruder.txt')], 1);
  });
  const names = (by: Sort['by'], direction: 'asc' | 'desc', offset = 0, limit = 100) =>
    store.listChildren('acc', 'root', { by, direction }, offset, limit).items.map((i) => i.name);

  it('puts folders first, then files, in natural case-insensitive name order', () => {
    expect(names('name', 'asc')).toEqual(['alpha', 'Zeta', 'A.txt', 'b.txt', 'file2', 'file10']);
  });
  it('keeps folders first when the order is reversed', () => {
    expect(names('name', 'desc')).toEqual(['Zeta', 'alpha', 'file10', 'file2', 'b.txt', 'A.txt']);
  });
  it('sorts by size and by modified time, ties by name', () => {
    expect(names('size', 'asc')).toEqual(['alpha', 'Zeta', 'A.txt', 'file2', 'file10', 'b.txt']);
    expect(names('modified', 'desc')).toEqual(['alpha', 'Zeta', 'A.txt', 'file10', 'b.txt', 'file2']);
  });
  it('sorts by type (the Type column: extension, Google kind, then "File"), ties by name', () => {
    store.upsert(
      'acc',
      [
        item('c.TXT', { size: 1 }),
        item('Budget', { mimeType: 'application/vnd.google-apps.spreadsheet' }),
        item('README'),
      ],
      1,
    );
    // "file", "google sheets spreadsheet", "txt file" x3 (A, b, c); the type of file10 is "file" too.
    expect(names('type', 'asc')).toEqual([
      'alpha',
      'Zeta',
      'file2',
      'file10',
      'README',
      'Budget',
      'A.txt',
      'b.txt',
      'c.TXT',
    ]);
    expect(names('type', 'desc')).toEqual([
      'Zeta',
      'alpha',
      'c.TXT',
      'b.txt',
      'A.txt',
      'Budget',
      'README',
      'file10',
      'file2',
    ]);
  });
  it("sorts one account's folder by account as by name", () => {
    expect(names('account', 'asc')).toEqual(names('name', 'asc'));
    expect(names('account', 'desc')).toEqual(names('name', 'desc'));
  });
  it('returns row ranges across the folder/file boundary, and the total', () => {
    expect(names('name', 'asc', 1, 3)).toEqual(['Zeta', 'A.txt', 'b.txt']);
    expect(names('name', 'asc', 4, 10)).toEqual(['file2', 'file10']);
    expect(names('name', 'asc', 6, 10)).toEqual([]);
    expect(store.listChildren('acc', 'root', { by: 'name', direction: 'asc' }, 0, 1).total).toBe(6);
  });
});

describe('ItemStore.listChildren row ranges', () => {
  it('returns the same rows for every offset and limit as slicing the fully sorted folder', () => {
    const children = Array.from({ length: 37 }, (_, i) =>
      item(`n${i}`, {
        name: `entry ${(i * 7) % 37}.${['txt', 'png', 'pdf'][i % 3]}`,
        kind: i % 5 === 0 ? 'folder' : 'file',
        size: i % 4,
        modifiedAt: (i * 13) % 11,
      }),
    );
    store.upsert('acc', children, 1);
    for (const sort of [
      { by: 'name', direction: 'asc' },
      { by: 'size', direction: 'desc' },
      { by: 'modified', direction: 'asc' },
      { by: 'type', direction: 'desc' },
      { by: 'account', direction: 'asc' },
    ] as const) {
      const full = store.listChildren('acc', 'root', sort, 0, 1000).items.map((i) => i.id);
      expect(full).toHaveLength(37);
      const reversed = store
        .listChildren(
          'acc',
          'root',
          { by: sort.by, direction: sort.direction === 'asc' ? 'desc' : 'asc' },
          0,
          1000,
        )
        .items.map((i) => i.id);
      const folders = (ids: string[]) => ids.filter((id) => Number(id.slice(1)) % 5 === 0);
      const files = (ids: string[]) => ids.filter((id) => Number(id.slice(1)) % 5 !== 0);
      expect(folders(reversed)).toEqual(folders(full).reverse()); // a total order: exactly reversed
      expect(files(reversed)).toEqual(files(full).reverse());
      for (let offset = 0; offset <= 37; offset++) {
        for (const limit of [1, 3, 10, 40]) {
          const ids = store.listChildren('acc', 'root', sort, offset, limit).items.map((i) => i.id);
          expect(ids, `${sort.by} ${sort.direction} offset ${offset} limit ${limit}`).toEqual(
            full.slice(offset, offset + limit),
          );
        }
      }
    }
  });

  it('sees rows committed by another connection (no stale counts)', async () => {
    const fs = await import('node:fs/promises');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-items-'));
    const file = path.join(dir, 'index.db');
    const readerDb = openDatabase(file, { migrations: indexMigrations, synchronous: 'NORMAL' });
    const writerDb = openDatabase(file, { migrations: indexMigrations, synchronous: 'NORMAL' });
    const reader = new ItemStore(readerDb);
    const writer = new ItemStore(writerDb);
    const sort = { by: 'name', direction: 'asc' } as const;
    writer.upsert('acc', [item('one')], 1);
    expect(reader.listChildren('acc', 'root', sort, 0, 10).total).toBe(1);
    writer.upsert('acc', [item('two')], 1);
    expect(reader.listChildren('acc', 'root', sort, 0, 10).total).toBe(2);
    readerDb.close();
    writerDb.close();
    await fs.rm(dir, { recursive: true, force: true });
  });
});

describe('ItemStore crawl generations', () => {
  it('sweeps rows not seen by the newest crawl, only for that account', () => {
    store.upsert('acc', [item('keep'), item('gone')], 1);
    store.upsert('other', [item('theirs')], 1);
    store.upsert('acc', [item('root', { parentId: null, kind: 'folder' }), item('keep')], 2);
    expect(store.deleteOlderThan('acc', 2)).toBe(1);
    expect(store.get('acc', 'gone')).toBeUndefined();
    expect(store.get('acc', 'keep')).toBeDefined();
    expect(store.get('other', 'theirs')).toBeDefined();
  });

  it('updates a moved item in place (same id, new parent and name)', () => {
    store.upsert('acc', [item('folder', { kind: 'folder' }), item('f1', { name: 'old.txt' })], 1);
    store.upsert('acc', [item('f1', { name: 'new.txt', parentId: 'folder' })], 1);
    expect(store.get('acc', 'f1')).toMatchObject({ name: 'new.txt', parentId: 'folder' });
    expect(
      store.listChildren('acc', 'folder', { by: 'name', direction: 'asc' }, 0, 10).items.map((i) => i.id),
    ).toEqual(['f1']);
  });
});

describe('ItemStore lookups', () => {
  it('finds children by exact name, folders first, keeping duplicates', () => {
    store.upsert(
      'acc',
      [
        item('d1', { name: 'Same', kind: 'folder' }),
        item('f1', { name: 'Same' }),
        item('f2', { name: 'same' }),
      ],
      1,
    );
    expect(store.childrenNamed('acc', 'root', 'Same').map((i) => i.id)).toEqual(['d1', 'f1']);
  });
  it('matches names in any case for case-insensitive providers, preferring the exact spelling', () => {
    store.upsert(
      'acc',
      [
        item('d1', { name: 'Photos', kind: 'folder' }),
        item('f1', { name: 'Notes.TXT' }),
        item('f2', { name: 'notes.txt' }),
      ],
      1,
    );
    expect(store.childrenNamed('acc', 'root', 'photos').map((i) => i.id)).toEqual([]);
    expect(store.childrenNamed('acc', 'root', 'photos', { caseInsensitive: true }).map((i) => i.id)).toEqual([
      'd1',
    ]);
    expect(
      store.childrenNamed('acc', 'root', 'notes.txt', { caseInsensitive: true }).map((i) => i.id),
    ).toEqual(['f2']);
    expect(store.childrenNamed('acc', 'root', 'Photös', { caseInsensitive: true })).toEqual([]);
  });
  it('walks ancestors from the root down and survives cycles', () => {
    store.upsert(
      'acc',
      [
        item('a', { kind: 'folder' }),
        item('b', { kind: 'folder', parentId: 'a' }),
        item('c', { parentId: 'b' }),
      ],
      1,
    );
    expect(store.ancestors('acc', store.get('acc', 'c')!).map((i) => i.id)).toEqual(['root', 'a', 'b']);
    store.upsert(
      'acc',
      [item('x', { kind: 'folder', parentId: 'y' }), item('y', { kind: 'folder', parentId: 'x' })],
      1,
    );
    expect(store.ancestors('acc', store.get('acc', 'x')!).map((i) => i.id)).toEqual(['y']);
  });
});

describe('ItemStore hashes', () => {
  const db = openDatabase(':memory:', { migrations: indexMigrations, synchronous: 'NORMAL' });
  const hashes = new ItemStore(db);
  const stored = (id: string) =>
    JSON.parse(
      (db.prepare("SELECT hashes FROM items WHERE account_id = 'h' AND id = ?").pluck().get(id) as string) ??
        'null',
    ) as Record<string, string> | null;

  it('keeps computed hashes across listings of the same content, and drops them when the content changed', () => {
    hashes.upsert('h', [item('f', { size: 5, modifiedAt: 10, hashes: { md5: 'm1' } })], 1);
    expect(hashes.addHashes('h', 'f', 5, { sha256: 's1' })).toBe(true);
    expect(hashes.addHashes('h', 'f', 6, { sha256: 'wrong size' })).toBe(false);
    // The same content listed again (with or without its hash): both kept.
    hashes.upsert('h', [item('f', { size: 5, modifiedAt: 10, hashes: { md5: 'm1' } })], 1);
    hashes.upsert('h', [item('f', { size: 5, modifiedAt: 10 })], 1);
    expect(stored('f')).toEqual({ md5: 'm1', sha256: 's1' });
    // Same size and time (a copy keeps the time) but another md5: other content, the sha256 goes.
    hashes.upsert('h', [item('f', { size: 5, modifiedAt: 10, hashes: { md5: 'm2' } })], 1);
    expect(stored('f')).toEqual({ md5: 'm2' });
    // Another size: only what the listing says.
    hashes.addHashes('h', 'f', 5, { sha256: 's2' });
    hashes.upsert('h', [item('f', { size: 7, modifiedAt: 10 })], 1);
    expect(stored('f')).toBeNull();
  });

  it('reads the known hashes of an item', () => {
    hashes.upsert('h', [item('g', { hashes: { md5: 'm' } }), item('none')], 1);
    expect(hashes.hashes('h', 'g')).toEqual({ md5: 'm' });
    expect(hashes.hashes('h', 'none')).toEqual({});
    expect(hashes.hashes('h', 'missing')).toEqual({});
  });
});

describe('ItemStore type sort on an index from before type keys', () => {
  it('gets every existing row its type key when migrated', async () => {
    const fs = await import('node:fs/promises');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-items-'));
    const file = path.join(dir, 'index.db');
    const before = openDatabase(file, { migrations: indexMigrations.slice(0, 5), synchronous: 'NORMAL' });
    const insert = before.prepare(
      `INSERT INTO items (account_id, id, parent_id, name, name_key, is_folder, mime_type, crawl_gen)
       VALUES ('acc', ?, 'root', ?, ?, ?, ?, 1)`,
    );
    insert.run('d', 'docs', 'docs', 1, null);
    insert.run('s', 'Sheet', 'sheet', 0, 'application/vnd.google-apps.spreadsheet');
    insert.run('p', 'a.pdf', 'a.pdf', 0, null);
    before.close();
    const afterDb = openDatabase(file, { migrations: indexMigrations, synchronous: 'NORMAL' });
    const sorted = new ItemStore(afterDb).listChildren(
      'acc',
      'root',
      { by: 'type', direction: 'desc' },
      0,
      10,
    );
    // "pdf file" after "google sheets spreadsheet" (by name alone, Sheet would come first).
    expect(sorted.items.map((i) => i.name)).toEqual(['docs', 'a.pdf', 'Sheet']);
    afterDb.close();
    await fs.rm(dir, { recursive: true, force: true });
  });
});
