import { beforeEach, describe, expect, it } from 'vitest';
import type { Sort } from '../../../common/contract';
import type { MergedRowDto } from '../../../common/dto';
import type { ProviderItem } from '../providers/types';
import { openDatabase } from './database';
import { ItemStore } from './item-store';
import { MergedView, mergeFold, type MergedAccount } from './merged-view';
import { indexMigrations } from './migrations';

const item = (
  id: string,
  parentId: string,
  name: string,
  overrides: Partial<ProviderItem> = {},
): ProviderItem => ({
  id,
  parentId,
  name,
  kind: 'file',
  size: 1,
  modifiedAt: 1,
  mimeType: null,
  targetId: null,
  hashes: {},
  ...overrides,
});
const folder = (id: string, parentId: string, name: string, overrides: Partial<ProviderItem> = {}) =>
  item(id, parentId, name, { kind: 'folder', size: null, ...overrides });
const root = () => folder('root', '', '', { parentId: null });

// Added in this order; by name: "Archive" (c), "Personal" (a), "Work" (b).
const accounts: MergedAccount[] = [
  { id: 'a', name: 'Personal', rootId: 'root' },
  { id: 'b', name: 'Work', rootId: 'root' },
  { id: 'c', name: 'Archive', rootId: 'root' },
];
const byName: Sort = { by: 'name', direction: 'asc' };

let items: ItemStore;
let view: MergedView;
beforeEach(() => {
  const db = openDatabase(':memory:', { migrations: indexMigrations, synchronous: 'NORMAL' });
  items = new ItemStore(db);
  view = new MergedView(db, items);
  for (const account of accounts) items.upsert(account.id, [root()], 1);
});

const describeRow = (row: MergedRowDto) =>
  `${row.name}:${row.items.map((i) => `${i.accountId}/${i.id}`).join(',')}`;
const list = (path: string, sort = byName, offset = 0, limit = 100, only = accounts) =>
  view.list(only, path, sort, offset, limit);
const rows = (path: string, sort = byName, offset = 0, limit = 100) =>
  list(path, sort, offset, limit).rows.map(describeRow);

describe('mergeFold', () => {
  it('ignores case and Unicode normalization, and keeps accents', () => {
    expect(mergeFold('PHOTOS')).toBe(mergeFold('photos'));
    expect(mergeFold('Re\u0301sume\u0301')).toBe(mergeFold('R\u00e9sum\u00e9'));
    expect(mergeFold('ÉTÉ')).toBe(mergeFold('été'));
    expect(mergeFold('Résumé')).not.toBe(mergeFold('Resume'));
  });
});

describe('MergedView.list', () => {
  it('merges same-named folders of several accounts into one row, case-insensitively, files side by side', () => {
    items.upsert('a', [folder('a1', 'root', 'Photos'), item('a2', 'root', 'notes.txt')], 1);
    items.upsert(
      'b',
      [folder('b1', 'root', 'photos'), item('b2', 'root', 'notes.txt'), folder('b3', 'root', 'Work')],
      1,
    );
    items.upsert('c', [folder('c1', 'root', 'PHOTOS')], 1);
    const page = list('/');
    expect(page.rows.map(describeRow)).toEqual([
      'Photos:a/a1,b/b1,c/c1',
      'Work:b/b3',
      'notes.txt:a/a2',
      'notes.txt:b/b2',
    ]);
    expect(page).toMatchObject({ path: '/', total: 4, offset: 0 });
    expect(page.folders.map((f) => `${f.accountId}/${f.id}`)).toEqual(['a/root', 'b/root', 'c/root']);
  });

  it("resolves a path in every account (any case, NFC or NFD), with all of a Drive's same-named folders", () => {
    items.upsert(
      'a',
      [
        folder('a1', 'root', 'Été'),
        folder('a2', 'root', 'été'), // duplicates in one account (a Drive)
        item('a3', 'a1', 'one.txt'),
        item('a4', 'a2', 'two.txt'),
        folder('a5', 'a1', 'Sub'),
        folder('a6', 'a2', 'sub'),
      ],
      1,
    );
    items.upsert('b', [folder('b1', 'root', 'E\u0301TE\u0301'), item('b2', 'b1', 'three.txt')], 1);
    items.upsert('c', [folder('c1', 'root', 'Ete'), item('c2', 'c1', 'not merged.txt')], 1);
    const page = list('/été');
    expect(page.path).toBe('/été');
    expect(page.folders.map((f) => `${f.accountId}/${f.id}`)).toEqual(['a/a1', 'a/a2', 'b/b1']);
    expect(page.rows.map(describeRow)).toEqual([
      'Sub:a/a5,a/a6',
      'one.txt:a/a3',
      'three.txt:b/b2',
      'two.txt:a/a4',
    ]);
    expect(list('//ÉTÉ/SUB/').folders.map((f) => f.id)).toEqual(['a5', 'a6']);
  });

  it('follows folder shortcuts to their target, like listFolder', () => {
    items.upsert('a', [folder('target', 'root', 'Real'), item('t1', 'target', 'inside.txt')], 1);
    items.upsert('a', [folder('short', 'root', 'Shared', { targetId: 'target' })], 1);
    items.upsert('b', [folder('b1', 'root', 'Shared'), item('b2', 'b1', 'mine.txt')], 1);
    expect(list('/Shared').folders.map((f) => `${f.accountId}/${f.id}`)).toEqual(['a/target', 'b/b1']);
    expect(rows('/Shared')).toEqual(['inside.txt:a/t1', 'mine.txt:b/b2']);
  });

  it('throws not_found when no account has a folder there, invalid_argument for . and ..', () => {
    items.upsert('a', [item('f', 'root', 'file.txt')], 1);
    expect(() => list('/nowhere')).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(() => list('/file.txt')).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(() => list('/a/../b')).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
    expect(() => view.list([], '/', byName, 0, 10)).toThrow(expect.objectContaining({ code: 'not_found' }));
  });

  it('lists only the given accounts', () => {
    items.upsert('a', [item('a1', 'root', 'a.txt')], 1);
    items.upsert('b', [item('b1', 'root', 'b.txt')], 1);
    expect(list('/', byName, 0, 10, [accounts[1]!]).rows.map(describeRow)).toEqual(['b.txt:b/b1']);
  });

  describe('sorts', () => {
    beforeEach(() => {
      items.upsert(
        'a',
        [
          folder('a1', 'root', 'Music', { modifiedAt: 10 }),
          folder('a2', 'root', 'docs', { modifiedAt: 50 }),
          item('a3', 'root', 'b.pdf', { size: 30, modifiedAt: 3 }),
          item('a4', 'root', 'file10.txt', { size: 10, modifiedAt: 1 }),
        ],
        1,
      );
      items.upsert(
        'b',
        [
          folder('b1', 'root', 'Docs', { modifiedAt: 5 }),
          item('b2', 'root', 'file2.txt', { size: 20, modifiedAt: 4 }),
          item('b3', 'root', 'a.png', { size: 5, modifiedAt: 2 }),
        ],
        1,
      );
      items.upsert(
        'c',
        [
          folder('c1', 'root', 'Zoo', { modifiedAt: 20 }),
          item('c2', 'root', 'z.pdf', { size: 40, modifiedAt: 9 }),
        ],
        1,
      );
    });
    const names = (by: Sort['by'], direction: Sort['direction']) =>
      list('/', { by, direction }).rows.map((row) => row.name);

    it('by name (natural, case-insensitive) and reversed, folders first', () => {
      expect(names('name', 'asc')).toEqual([
        'docs',
        'Music',
        'Zoo',
        'a.png',
        'b.pdf',
        'file2.txt',
        'file10.txt',
        'z.pdf',
      ]);
      expect(names('name', 'desc')).toEqual([
        'Zoo',
        'Music',
        'docs',
        'z.pdf',
        'file10.txt',
        'file2.txt',
        'b.pdf',
        'a.png',
      ]);
    });
    it('by size (folders by name)', () => {
      expect(names('size', 'asc')).toEqual([
        'docs',
        'Music',
        'Zoo',
        'a.png',
        'file10.txt',
        'file2.txt',
        'b.pdf',
        'z.pdf',
      ]);
      expect(names('size', 'desc')).toEqual([
        'Zoo',
        'Music',
        'docs',
        'z.pdf',
        'b.pdf',
        'file2.txt',
        'file10.txt',
        'a.png',
      ]);
    });
    it('by modified, a merged folder by its newest folder', () => {
      // docs: max(50, 5) = 50.
      expect(names('modified', 'desc')).toEqual([
        'docs',
        'Zoo',
        'Music',
        'z.pdf',
        'file2.txt',
        'b.pdf',
        'a.png',
        'file10.txt',
      ]);
    });
    it('by type, then name', () => {
      expect(names('type', 'asc')).toEqual([
        'docs',
        'Music',
        'Zoo',
        'b.pdf',
        'z.pdf',
        'a.png',
        'file2.txt',
        'file10.txt',
      ]);
    });
    it('by account name (a merged folder by its first account), then name', () => {
      // Archive (c), Personal (a), Work (b); docs is a's and b's: first a -> Personal.
      expect(names('account', 'asc')).toEqual([
        'Zoo',
        'docs',
        'Music',
        'z.pdf',
        'b.pdf',
        'file10.txt',
        'a.png',
        'file2.txt',
      ]);
      expect(names('account', 'desc')).toEqual([
        'Music',
        'docs',
        'Zoo',
        'file2.txt',
        'a.png',
        'file10.txt',
        'b.pdf',
        'z.pdf',
      ]);
    });
  });

  it('pages consistently across the folder/file boundary for every sort and direction', () => {
    // Folders named alike across accounts (some merged), duplicates, files with equal names and keys.
    for (const [a, account] of accounts.entries()) {
      const children: ProviderItem[] = [];
      for (let i = 0; i < 23; i++) {
        const isFolder = i % 4 === 0;
        const name = isFolder
          ? `Folder ${(i * (a + 1)) % 7}`
          : `file ${i % 9}.${['txt', 'pdf', 'png'][i % 3]}`;
        children.push(
          (isFolder ? folder : item)(`${account.id}${i}`, 'root', i % 8 === 0 ? name.toUpperCase() : name, {
            ...(isFolder ? {} : { size: i % 5 }),
            modifiedAt: (i * 7 + a) % 11,
          }),
        );
      }
      items.upsert(account.id, children, 1);
    }
    for (const by of ['name', 'size', 'modified', 'type', 'account'] as const) {
      for (const direction of ['asc', 'desc'] as const) {
        const sort = { by, direction };
        const full = list('/', sort, 0, 1000);
        const all = full.rows.map(describeRow);
        expect(all).toHaveLength(full.total);
        expect(new Set(all).size).toBe(all.length);
        const firstFile = full.rows.findIndex((row) => row.kind === 'file');
        expect(full.rows.slice(firstFile).every((row) => row.kind === 'file')).toBe(true);
        for (let offset = 0; offset <= full.total; offset += 1) {
          for (const limit of [1, 4, 13]) {
            expect(rows('/', sort, offset, limit), `${by} ${direction} ${offset}+${limit}`).toEqual(
              all.slice(offset, offset + limit),
            );
          }
        }
      }
    }
  });
});
