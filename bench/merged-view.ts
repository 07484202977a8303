/**
 * The merged browser (issue 8), `npm run bench -- merged`: a page of 200 rows of a merged folder of
 * 100,000 rows spread over 3 accounts (ItemStore + MergedView) at the start and in the middle, in
 * each sort, vs. the same page of ONE account's 100,000-entry folder (ItemStore.listChildren),
 * measured in the same run on the same database. Ratio 1 = merging costs nothing.
 * Prints a Markdown table.
 */
import * as os from 'node:os';
import type { Sort } from '../common/contract';
import { sortKeys } from '../common/contract';
import { openDatabase } from '../main/core/index/database';
import { ItemStore } from '../main/core/index/item-store';
import { MergedView, type MergedAccount } from '../main/core/index/merged-view';
import { indexMigrations } from '../main/core/index/migrations';
import type { ProviderItem } from '../main/core/providers/types';

const rowsPerFolder = 100_000;
const pageSize = 200;
const extensions = ['pdf', 'jpg', 'png', 'docx', 'txt', 'mp4', 'zip', 'md', 'json', 'csv'];

const db = openDatabase(':memory:', { migrations: indexMigrations, synchronous: 'NORMAL' });
const items = new ItemStore(db);
const view = new MergedView(db, items);

/** `count` children of `parentId`: 1% folders, the rest files with varied names, sizes and dates. */
function children(prefix: string, parentId: string, count: number, start: number): ProviderItem[] {
  return Array.from({ length: count }, (_, i) => {
    const n = start + i;
    const folder = n % 100 === 0;
    return {
      id: `${prefix}${n}`,
      parentId,
      name: folder
        ? `Folder ${(n * 7919) % 2000}`
        : `file ${(n * 7919) % rowsPerFolder}.${extensions[n % 10]}`,
      kind: folder ? 'folder' : 'file',
      size: folder ? null : (n * 104_729) % 50_000_000,
      modifiedAt: 1_600_000_000_000 + ((n * 15_485_863) % 100_000_000_000),
      mimeType: null,
      targetId: null,
      hashes: {},
    };
  });
}
const root = (id: string): ProviderItem => ({
  id,
  parentId: null,
  name: '',
  kind: 'folder',
  size: null,
  modifiedAt: null,
  mimeType: null,
  targetId: null,
  hashes: {},
});

// One account's 100,000-entry folder (the baseline), and the same number of rows under "/Big" in 3
// accounts (sizes 40%, 35%, 25%; folder names repeat across accounts, so folders merge).
items.upsert('single', [root('root'), ...children('s', 'root', rowsPerFolder, 0)], 1);
const accounts: MergedAccount[] = ['Personal', 'Work', 'Archive'].map((name, i) => ({
  id: `acc${i}`,
  name,
  rootId: 'root',
}));
const shares = [0.4, 0.35, 0.25];
let start = 0;
accounts.forEach((account, i) => {
  const count = i === 2 ? rowsPerFolder - start : Math.round(rowsPerFolder * shares[i]!);
  const big = { ...root('big'), parentId: 'root', name: 'Big' };
  items.upsert(account.id, [root('root'), big, ...children(`${account.id}-`, 'big', count, start)], 1);
  start += count;
});

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
function time(run: () => unknown, repeats = 31): number {
  run(); // warm-up: statements prepared, pages cached
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t = process.hrtime.bigint();
    run();
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(samples);
}

const merged = view.list(accounts, '/Big', { by: 'name', direction: 'asc' }, 0, 1);
const single = items.listChildren('single', 'root', { by: 'name', direction: 'asc' }, 0, 1);
const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
console.log(`Node ${process.version}, ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}`);
console.log(
  `merged folder: ${merged.total.toLocaleString('en')} rows over ${accounts.length} accounts; single folder: ${single.total.toLocaleString('en')} rows\n`,
);
console.log('| listMerged page of 200 | time | listChildren same page | time | ratio |');
console.log('|---|---|---|---|---|');
for (const by of sortKeys) {
  for (const [where, offset] of [
    ['first page', 0],
    ['middle page', Math.floor(merged.total / 2)],
  ] as const) {
    const sort: Sort = { by, direction: 'asc' };
    const mergedMs = time(() => view.list(accounts, '/Big', sort, offset, pageSize));
    const singleMs = time(() => items.listChildren('single', 'root', sort, offset, pageSize));
    console.log(
      `| ${by} asc, ${where} | ${fmt(mergedMs)} | ${by} asc, ${where} | ${fmt(singleMs)} | ${(mergedMs / singleMs).toFixed(1)}x |`,
    );
  }
}
db.close();
