import { beforeEach, describe, expect, it } from 'vitest';
import type { SearchQuery } from '../../../common/search';
import type { ProviderItem } from '../providers/types';
import { openDatabase, type SqliteDatabase } from './database';
import { ItemStore } from './item-store';
import { indexMigrations } from './migrations';
import { SearchEngine, type SearchAccount } from './search';
import { foldForSearch } from './search-fold';

const file = (
  id: string,
  parentId: string,
  name: string,
  more: Partial<ProviderItem> = {},
): ProviderItem => ({
  id,
  parentId,
  name,
  kind: 'file',
  size: 100,
  modifiedAt: 1_000,
  mimeType: null,
  targetId: null,
  hashes: {},
  ...more,
});
const folder = (id: string, parentId: string | null, name: string): ProviderItem =>
  file(id, parentId as string, name, { kind: 'folder', size: null, parentId });

const accounts: SearchAccount[] = [
  { id: 'd1', name: 'Work Dropbox', provider: 'dropbox' },
  { id: 'g1', name: 'Personal', provider: 'gdrive' },
];

let db: SqliteDatabase;
let store: ItemStore;
let engine: SearchEngine;

const names = (query: Partial<SearchQuery>, page?: { offset?: number; limit?: number }) =>
  engine.search({ terms: [], ...query }, page).items.map((hit) => hit.item.name);
const sorted = (query: Partial<SearchQuery>) => names(query).sort();

beforeEach(() => {
  db = openDatabase(':memory:', { migrations: indexMigrations, synchronous: 'NORMAL' });
  store = new ItemStore(db);
  engine = new SearchEngine(db, () => accounts);
  store.upsert(
    'd1',
    [
      folder('root', null, ''),
      folder('docs', 'root', 'Documents'),
      folder('y2024', 'docs', '2024'),
      folder('deep', 'y2024', 'Q3'),
      file('r1', 'deep', 'Quarterly Report.pdf', { size: 5_000_000, modifiedAt: 2_000 }),
      file('r2', 'docs', 'report.docx', { size: 20_000, modifiedAt: 3_000 }),
      file('r3', 'root', 'Résumé.pdf', { size: 300, modifiedAt: 4_000 }),
      file('p1', 'root', 'holiday photo.jpg', { size: 2_000_000, mimeType: 'image/jpeg' }),
      file('x', 'root', 'x', { size: 1 }),
    ],
    1,
  );
  store.upsert(
    'g1',
    [
      folder('groot', null, 'My Drive'),
      // NFD (decomposed) name, as macOS writes them.
      file('n1', 'groot', 'Cafe\u0301 menu.txt'.normalize('NFD'), { size: 50 }),
      file('n2', 'groot', 'REPORTER notes.md', { size: 70 }),
      file('sheet', 'groot', 'Budget', { mimeType: 'application/vnd.google-apps.spreadsheet', size: null }),
      file('file2', 'groot', 'file2.txt', { size: 2 }),
      file('file10', 'groot', 'file10.txt', { size: 10 }),
    ],
    1,
  );
});

describe('foldForSearch', () => {
  it('folds case, accents (NFC and NFD alike) and compatibility forms, keeps other letters', () => {
    expect(foldForSearch('Résumé')).toBe('resume');
    expect(foldForSearch('Résumé'.normalize('NFD'))).toBe('resume');
    expect(foldForSearch('ÉCOLE ﬁn Ａ')).toBe('ecole fin a');
    expect(foldForSearch('Straße')).toBe('straße');
    expect(foldForSearch('a\nb\tc')).toBe('a b c');
  });
});

describe('SearchEngine terms', () => {
  it('matches substrings of any length, including 1 and 2 characters', () => {
    expect(sorted({ terms: ['x'], kind: 'file', size: { max: 1 } })).toEqual(['x']);
    expect(sorted({ terms: ['x'] })).toEqual([
      'Café menu.txt'.normalize('NFD'),
      'file10.txt',
      'file2.txt',
      'report.docx',
      'x',
    ]);
    expect(sorted({ terms: ['q3'] })).toEqual(['Q3']);
    expect(sorted({ terms: ['dg'] })).toEqual(['Budget']);
    expect(sorted({ terms: ['por'] })).toEqual(['Quarterly Report.pdf', 'REPORTER notes.md', 'report.docx']);
    expect(sorted({ terms: ['arterly '] })).toEqual(['Quarterly Report.pdf']);
    expect(sorted({ terms: ['zzz'] })).toEqual([]);
  });

  it('is case- and accent-insensitive both ways (NFC and NFD names, accented or plain terms)', () => {
    expect(sorted({ terms: ['resume'] })).toEqual(['Résumé.pdf']);
    expect(sorted({ terms: ['RÉSU'] })).toEqual(['Résumé.pdf']);
    expect(sorted({ terms: ['café'] })).toEqual(['Café menu.txt'.normalize('NFD')]);
    expect(sorted({ terms: ['e m'] })).toEqual(['Café menu.txt'.normalize('NFD')]);
    expect(sorted({ terms: ['é'.normalize('NFD')] }).length).toBeGreaterThan(3);
  });

  it('requires every term', () => {
    expect(sorted({ terms: ['report', 'pdf'] })).toEqual(['Quarterly Report.pdf']);
    expect(sorted({ terms: ['report', 'notes'] })).toEqual(['REPORTER notes.md']);
    expect(sorted({ terms: ['report', 'zzz'] })).toEqual([]);
  });

  it('with no terms returns everything the filters allow, counting all of it', () => {
    const result = engine.search({ terms: [] }, { limit: 3 });
    expect(result.total).toBe(15);
    expect(result.totalExact).toBe(true);
    expect(result.items).toHaveLength(3);
  });
});

describe('SearchEngine filters', () => {
  it('kind', () => {
    expect(sorted({ terms: ['2'], kind: 'folder' })).toEqual(['2024']);
    expect(sorted({ terms: ['2'], kind: 'file' })).toEqual(['file2.txt']);
  });

  it('categories, by extension and by MIME type', () => {
    expect(sorted({ categories: ['images'] })).toEqual(['holiday photo.jpg']);
    expect(sorted({ categories: ['spreadsheets'] })).toEqual(['Budget']);
    expect(sorted({ terms: ['re'], categories: ['documents'] })).toEqual([
      'Quarterly Report.pdf',
      'REPORTER notes.md',
      'Résumé.pdf',
      'report.docx',
    ]);
  });

  it('extensions', () => {
    expect(sorted({ extensions: ['pdf'] })).toEqual(['Quarterly Report.pdf', 'Résumé.pdf']);
    expect(sorted({ extensions: ['docx', 'md'] })).toEqual(['REPORTER notes.md', 'report.docx']);
    expect(sorted({ extensions: ['nope'] })).toEqual([]);
  });

  it('size range (folders never match)', () => {
    expect(sorted({ size: { min: 1_000_000 } })).toEqual(['Quarterly Report.pdf', 'holiday photo.jpg']);
    expect(sorted({ size: { max: 2 } })).toEqual(['file2.txt', 'x']);
    expect(sorted({ size: { min: 50, max: 70 } })).toEqual([
      'Café menu.txt'.normalize('NFD'),
      'REPORTER notes.md',
    ]);
  });

  it('modified range, from inclusive, to exclusive', () => {
    expect(sorted({ modified: { from: 2_000, to: 4_000 } })).toEqual(['Quarterly Report.pdf', 'report.docx']);
  });

  it('accounts by name, id or provider kind', () => {
    expect(sorted({ terms: ['report'], accounts: ['personal'] })).toEqual(['REPORTER notes.md']);
    expect(sorted({ terms: ['report'], accounts: ['d1'] })).toEqual(['Quarterly Report.pdf', 'report.docx']);
    expect(sorted({ terms: ['report'], accounts: ['dropbox'] })).toEqual([
      'Quarterly Report.pdf',
      'report.docx',
    ]);
    expect(sorted({ terms: ['report'], accounts: ['onedrive'] })).toEqual([]);
  });

  it('within a folder, at any depth, not including the folder itself', () => {
    expect(sorted({ within: { accountId: 'd1', folderId: 'docs' } })).toEqual([
      '2024',
      'Q3',
      'Quarterly Report.pdf',
      'report.docx',
    ]);
    expect(sorted({ terms: ['report'], within: { accountId: 'd1', folderId: 'y2024' } })).toEqual([
      'Quarterly Report.pdf',
    ]);
    expect(sorted({ within: { accountId: 'g1', folderId: 'docs' } })).toEqual([]);
  });
});

describe('SearchEngine results', () => {
  it('ranks exact name, then prefix, then word start, then substring; shorter names first', () => {
    store.upsert(
      'g1',
      [
        file('e1', 'groot', 'Port'),
        file('e2', 'groot', 'portal'),
        file('e3', 'groot', 'sport'),
        file('e4', 'groot', 'my-port.txt'),
      ],
      2,
    );
    expect(names({ terms: ['port'] })).toEqual([
      'Port', // exact
      'portal', // prefix
      'my-port.txt', // word start
      'sport', // substrings, shorter first
      'report.docx',
      'REPORTER notes.md',
      'Quarterly Report.pdf',
    ]);
  });

  it('gives the folder path and the full item', () => {
    const [hit] = engine.search({ terms: ['quarterly'] }).items;
    expect(hit!.folderPath).toBe('/Documents/2024/Q3');
    expect(hit!.item).toMatchObject({
      accountId: 'd1',
      id: 'r1',
      parentId: 'deep',
      kind: 'file',
      size: 5_000_000,
    });
    expect(engine.search({ terms: ['holiday'] }).items[0]!.folderPath).toBe('/');
  });

  it('sorts by name (digits as numbers), size and modified, either way', () => {
    expect(names({ terms: ['file'], sort: { by: 'name', direction: 'asc' } })).toEqual([
      'file2.txt',
      'file10.txt',
    ]);
    expect(names({ terms: ['file'], sort: { by: 'name', direction: 'desc' } })).toEqual([
      'file10.txt',
      'file2.txt',
    ]);
    expect(names({ extensions: ['pdf', 'docx'], sort: { by: 'size', direction: 'desc' } })).toEqual([
      'Quarterly Report.pdf',
      'report.docx',
      'Résumé.pdf',
    ]);
    expect(names({ extensions: ['pdf', 'docx'], sort: { by: 'modified', direction: 'asc' } })).toEqual([
      'Quarterly Report.pdf',
      'report.docx',
      'Résumé.pdf',
    ]);
    // Items without a size (folders) come last in both directions.
    expect(names({ terms: ['2'], sort: { by: 'size', direction: 'asc' } })).toEqual(['file2.txt', '2024']);
    expect(names({ terms: ['2'], sort: { by: 'size', direction: 'desc' } })).toEqual(['file2.txt', '2024']);
  });

  it('pages with offset and limit, the total counting every match', () => {
    const all = names({ sort: { by: 'name', direction: 'asc' } }, { limit: 1000 });
    expect(all).toHaveLength(15);
    const page = engine.search(
      { terms: [], sort: { by: 'name', direction: 'asc' } },
      { offset: 4, limit: 5 },
    );
    expect(page.total).toBe(15);
    expect(page.offset).toBe(4);
    expect(page.items.map((hit) => hit.item.name)).toEqual(all.slice(4, 9));
    expect(engine.search({ terms: ['e'] }, { offset: 100 }).items).toEqual([]);
  });
});

describe('SearchEngine one-character queries', () => {
  beforeEach(() => {
    store.upsert(
      'g1',
      [
        folder('groot', null, ''),
        file('one', 'groot', 'only 1.txt'),
        file('seven', 'groot', '7 wonders.txt'),
        file('tail7', 'groot', 'tail 7.txt'),
        file('cyr', 'groot', 'жук.txt'),
      ],
      1,
    );
  });

  it('tells apart digits that share a bit of the character mask (1 and 7)', () => {
    expect(sorted({ terms: ['7'], accounts: ['g1'] })).toEqual(['7 wonders.txt', 'tail 7.txt']);
    expect(engine.search({ terms: ['7'], accounts: ['g1'] }).total).toBe(2);
    expect(sorted({ terms: ['1'], accounts: ['g1'] })).toEqual(['file10.txt', 'only 1.txt']);
  });

  it('finds letters outside a-z, and counts every match of a letter', () => {
    expect(sorted({ terms: ['ж'] })).toEqual(['жук.txt']);
    const everyT = engine.search({ terms: ['t'] }, { limit: 1000 });
    expect(everyT.total).toBe(everyT.items.length);
    expect(everyT.items.every((hit) => foldForSearch(hit.item.name).includes('t'))).toBe(true);
  });

  it('finds rare multi-letter terms through the masks exactly as a scan would (letters present, term absent)', () => {
    const filler = Array.from({ length: 60 }, (_, i) => file(`f${i}`, 'groot', `plain file ${i}.txt`));
    store.upsert(
      'g1',
      [...filler, file('xy', 'groot', 'Xylophone.mp3'), file('decoy', 'groot', 'lox yx hop.txt')],
      1,
    );
    const found = engine.search({ terms: ['xylo'] });
    expect(found.items.map((hit) => hit.item.name)).toEqual(['Xylophone.mp3']);
    expect(found.total).toBe(1);
    expect(sorted({ terms: ['xylo'], kind: 'folder' })).toEqual([]);
  });

  it('ranks a prefix first, then shorter names, then natural name order past what a key can hold', () => {
    store.upsert(
      'g1',
      [
        file('a', 'groot', 'q10b'),
        file('b', 'groot', 'q2bb'),
        file('c', 'groot', 'qжbb'),
        file('d', 'groot', 'qяab'),
      ],
      1,
    );
    expect(names({ terms: ['q'], accounts: ['g1'] })).toEqual(['q2bb', 'q10b', 'qжbb', 'qяab']);
  });
});

describe('SearchEngine follows the index', () => {
  it('sees renames, moves, deletes and re-adds, from this or another connection', () => {
    expect(sorted({ terms: ['holiday'] })).toEqual(['holiday photo.jpg']);
    store.upsert('d1', [file('p1', 'docs', 'beach.jpg')], 2);
    expect(sorted({ terms: ['holiday'] })).toEqual([]);
    expect(sorted({ terms: ['beach'], within: { accountId: 'd1', folderId: 'docs' } })).toEqual([
      'beach.jpg',
    ]);

    store.deleteOlderThan('d1', 2); // everything but beach.jpg is gone from d1
    expect(sorted({ accounts: ['d1'] })).toEqual(['beach.jpg']);
    expect(sorted({ terms: ['report'] })).toEqual(['REPORTER notes.md']);

    store.upsert(
      'd1',
      [folder('root', null, ''), folder('docs', 'root', 'Documents'), file('r2', 'docs', 'report.docx')],
      3,
    );
    expect(sorted({ terms: ['report'] })).toEqual(['REPORTER notes.md', 'report.docx']);
    expect(engine.search({ terms: ['report.docx'] }).items[0]!.folderPath).toBe('/Documents');

    store.deleteAccount('g1');
    expect(sorted({ terms: ['report'] })).toEqual(['report.docx']);
  });

  it('follows folder moves and renames in "within" and in the folder paths it shows', () => {
    const within = (folderId: string) => sorted({ terms: ['report'], within: { accountId: 'd1', folderId } });
    expect(within('y2024')).toEqual(['Quarterly Report.pdf']);
    store.upsert('d1', [folder('deep', 'root', 'Q3')], 1); // Q3 moves out of 2024, with its report
    expect(within('y2024')).toEqual([]);
    expect(within('deep')).toEqual(['Quarterly Report.pdf']);
    expect(within('root')).toEqual(['Quarterly Report.pdf', 'report.docx']);
    expect(engine.search({ terms: ['quarterly'] }).items[0]!.folderPath).toBe('/Q3');
    store.upsert('d1', [folder('deep', 'docs', 'Third quarter')], 1);
    expect(engine.search({ terms: ['quarterly'] }).items[0]!.folderPath).toBe('/Documents/Third quarter');
    expect(within('docs')).toEqual(['Quarterly Report.pdf', 'report.docx']);
  });

  it('links children listed before their folder', () => {
    engine.search({ terms: [] });
    store.upsert('d1', [file('c1', 'late', 'child.txt')], 1);
    expect(sorted({ terms: ['child'] })).toEqual(['child.txt']);
    store.upsert('d1', [folder('late', 'docs', 'Late')], 1);
    expect(sorted({ terms: ['child'], within: { accountId: 'd1', folderId: 'docs' } })).toEqual([
      'child.txt',
    ]);
  });

  it('finds new rows that take the numbers of deleted ones', () => {
    engine.search({ terms: [] });
    store.deleteAccount('g1'); // the highest item numbers
    store.upsert('d1', [file('n1', 'root', 'newcomer one.txt')], 1);
    expect(sorted({ terms: ['newcomer'] })).toEqual(['newcomer one.txt']);

    // A gap below the highest row, then the highest row deleted: new rows go into the gap.
    store.upsert(
      'd1',
      Array.from({ length: 5 }, (_, i) => file(`gap${i}`, 'root', `gap ${i}.txt`)),
      1,
    );
    store.upsert('d1', [file('top', 'root', 'top.txt')], 1);
    db.prepare("DELETE FROM items WHERE id LIKE 'gap%'").run();
    expect(sorted({ terms: ['top'] })).toEqual(['top.txt']);
    db.prepare("DELETE FROM items WHERE id = 'top'").run();
    store.upsert('d1', [file('n2', 'root', 'newcomer two.txt'), file('n3', 'root', 'newcomer 3.txt')], 1);
    expect(sorted({ terms: ['newcomer'] })).toEqual([
      'newcomer 3.txt',
      'newcomer one.txt',
      'newcomer two.txt',
    ]);
    expect(sorted({ terms: ['top'] })).toEqual([]);
  });

  it('keeps up across many segments and after the change log is trimmed', () => {
    engine.search({ terms: [] });
    const many = Array.from({ length: 60_000 }, (_, i) => file(`m${i}`, 'root', `bulk ${i}.bin`));
    store.upsert('d1', many, 1);
    expect(engine.search({ terms: ['bulk'] }).total).toBe(60_000);
    expect(sorted({ terms: ['bulk 59999'] })).toEqual(['bulk 59999.bin']);
    store.upsert('d1', [file('m7', 'root', 'renamed.bin')], 1);
    expect(engine.search({ terms: ['bulk'] }).total).toBe(59_999);
    expect(sorted({ terms: ['renamed'] })).toEqual(['renamed.bin']);
    // A second engine that had read less than what was trimmed rebuilds from the items.
    const other = new SearchEngine(db, () => accounts);
    expect(other.search({ terms: ['bulk'] }).total).toBe(59_999);
    expect(db.prepare('SELECT count(*) FROM search_changes').pluck().get()).toBeLessThan(100);
  });
});
