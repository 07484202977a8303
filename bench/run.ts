/**
 * Benchmarks for the walking skeleton, each a ratio against a baseline measured in the same run:
 *
 * 1. Crawl: indexing the demo folder (~103,000 entries) vs. the bare filesystem walk it needs
 *    (opendir + lstat of every entry, no database). Ratio near 1 = the index adds little.
 * 2. Browse: one 200-row page of the 100,000-entry folder, sorted, at the start, middle and end, vs.
 *    the cheapest 200-row read SQLite can do from the same table (no order, no offset), and vs. the
 *    naive approach (load the whole folder, sort in JS, slice).
 *
 * 3. Loading the Google Drive client: the per-API module `@googleapis/drive` (what the app ships)
 *    vs. the whole `googleapis` package, in fresh Node processes; and both packages' size on disk.
 *
 * 4. Content hashes over 64 MiB in memory: QuickXorHash (OneDrive) and Dropbox's content_hash vs.
 *    Node's native SHA-256 (the baseline: what hashing costs at best).
 *
 * 5. Dropbox transfers against its emulator (bench/dropbox.ts): streamed download vs. the SDK's
 *    buffered one, upload session vs. one bare upload request.
 *
 * 6. OneDrive transfers against its emulator (bench/onedrive.ts): the same two comparisons with the
 *    Graph client's buffered download and one bare simple upload as baselines.
 *
 * Run: npm run bench  (prints a Markdown table; copy it into BENCHMARKS.md)
 *      npm run bench -- index  (index and search figures as JSON lines, bench/index-search.ts)
 *      npm run bench -- transfers  (transfer figures as JSON lines, bench/transfers.ts)
 *      npm run bench -- merged  (merged-view pages vs. one folder's, bench/merged-view.ts)
 *      npm run bench -- thumbnails  (a grid of 60 thumbnails, first and cached, bench/thumbnails.ts)
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { openDatabase } from '../main/core/index/database';
import { ItemStore } from '../main/core/index/item-store';
import { indexMigrations } from '../main/core/index/migrations';
import { SyncStateStore } from '../main/core/index/sync-state-store';
import { DropboxContentHash } from '../main/core/providers/hashes/dropbox-content-hash';
import { QuickXorHash } from '../main/core/providers/hashes/quickxor';
import { LocalProvider } from '../main/core/providers/local/local-provider';
import { crawlAccount } from '../main/core/sync/crawl';
import { dropboxRows } from './dropbox';
import { onedriveRows } from './onedrive';
import { bigFolderName, generateDemoFiles } from '../scripts/demo-files';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function time(run: () => unknown, repeats: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = process.hrtime.bigint();
    await run();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

async function rawWalk(dir: string): Promise<number> {
  let count = 0;
  const pending = [dir];
  while (pending.length > 0) {
    const batch = pending.splice(0, 4);
    await Promise.all(
      batch.map(async (folder) => {
        const entries = await fs.readdir(folder);
        const stats = await Promise.all(entries.map((name) => fs.lstat(path.join(folder, name))));
        stats.forEach((stat, i) => {
          count++;
          if (stat.isDirectory()) pending.push(path.join(folder, entries[i]!));
        });
      }),
    );
  }
  return count;
}

// `npm run bench -- index`: the index and search figures only (bench/index-search.ts).
if (process.argv[2] === 'index') {
  await import('./index-search');
  process.exit(0);
}
// `npm run bench -- merged`: the merged browser's pages (bench/merged-view.ts).
if (process.argv[2] === 'merged') {
  await import('./merged-view');
  process.exit(0);
}
// `npm run bench -- thumbnails`: a grid screen's thumbnails, first and cached (bench/thumbnails.ts).
if (process.argv[2] === 'thumbnails') {
  await import('./thumbnails');
  process.exit(0);
}
// `npm run bench -- transfers`: the transfer figures only (bench/transfers.ts).
if (process.argv[2] === 'transfers') {
  await import('./transfers');
  process.exit(0);
}

const root = generateDemoFiles(path.join(os.tmpdir(), 'skyfold-bench-demo', 'files'));
const rows: string[][] = [];
const fmt = (ms: number) => `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;

// 1. Crawl
const provider = await LocalProvider.open(root);
const walkMs = await time(() => rawWalk(root), 3);
let db = openDatabase(':memory:', { migrations: indexMigrations, synchronous: 'NORMAL' });
let items = new ItemStore(db);
let seen = 0;
const crawlMs = await time(async () => {
  db.close();
  db = openDatabase(':memory:', { migrations: indexMigrations, synchronous: 'NORMAL' });
  items = new ItemStore(db);
  seen = (await crawlAccount('bench', provider, { items, syncState: new SyncStateStore(db) })).itemCount;
}, 3);
rows.push([
  'crawl ' + seen.toLocaleString('en') + ' entries into the index',
  fmt(crawlMs),
  'bare fs walk (opendir+lstat)',
  fmt(walkMs),
  `${(crawlMs / walkMs).toFixed(2)}x`,
]);

// 2. Browse the 100,000-entry folder
const big = bigFolderName;
const count = items.listChildren('bench', big, { by: 'name', direction: 'asc' }, 0, 1).total;
const cheapest = db.prepare('SELECT * FROM items WHERE account_id = ? AND parent_id = ? LIMIT 200');
const baselineMs = await time(() => cheapest.all('bench', big), 51);
for (const [label, sort, offset] of [
  ['name asc, first page', { by: 'name', direction: 'asc' }, 0],
  ['name asc, middle page', { by: 'name', direction: 'asc' }, Math.floor(count / 2)],
  ['name asc, last page', { by: 'name', direction: 'asc' }, count - 200],
  ['size desc, last page', { by: 'size', direction: 'desc' }, count - 200],
  ['modified desc, middle page', { by: 'modified', direction: 'desc' }, Math.floor(count / 2)],
] as const) {
  const ms = await time(() => items.listChildren('bench', big, sort, offset, 200), 51);
  rows.push([
    `page of 200 in ${count.toLocaleString('en')}-entry folder: ${label}`,
    fmt(ms),
    'unsorted 200-row read',
    fmt(baselineMs),
    `${(ms / baselineMs).toFixed(2)}x`,
  ]);
}
const all = db.prepare('SELECT * FROM items WHERE account_id = ? AND parent_id = ?');
const naiveMs = await time(() => {
  const loaded = all.all('bench', big) as Array<{ name_key: string }>;
  loaded.sort((a, b) => (a.name_key < b.name_key ? -1 : 1));
  return loaded.slice(count - 200);
}, 5);
const lastPageMs = await time(
  () => items.listChildren('bench', big, { by: 'name', direction: 'asc' }, count - 200, 200),
  51,
);
rows.push([
  'naive: load whole folder, sort in JS, slice last page',
  fmt(naiveMs),
  'indexed last page (above)',
  fmt(lastPageMs),
  `${(naiveMs / lastPageMs).toFixed(1)}x slower`,
]);

// 3. Google Drive client: per-API module vs. the whole googleapis package
function loadMs(moduleName: string): number {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(moduleName)});console.log(Number(process.hrtime.bigint()-t)/1e6)`;
  const samples = Array.from({ length: 5 }, () =>
    Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })),
  );
  return median(samples);
}
async function diskBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await fs.stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}
const driveModuleMs = loadMs('@googleapis/drive');
const googleapisMs = loadMs('googleapis');
rows.push([
  'load @googleapis/drive (shipped)',
  fmt(driveModuleMs),
  'load googleapis (every API)',
  fmt(googleapisMs),
  `${(googleapisMs / driveModuleMs).toFixed(1)}x faster`,
]);
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const driveBytes =
  (await diskBytes('node_modules/@googleapis/drive')) + (await diskBytes('node_modules/googleapis-common'));
const googleapisBytes = await diskBytes('node_modules/googleapis');
rows.push([
  '@googleapis/drive + googleapis-common on disk',
  mib(driveBytes),
  'googleapis on disk',
  mib(googleapisBytes),
  `${(googleapisBytes / driveBytes).toFixed(0)}x smaller`,
]);

// 4. Content hashes
const hashInput = Buffer.alloc(64 * 1024 * 1024, 0x5a);
const mibPerSecond = (ms: number) => (64 / (ms / 1000)).toFixed(0);
const sha256Ms = await time(() => createHash('sha256').update(hashInput).digest(), 3);
for (const [label, run] of [
  ['QuickXorHash (OneDrive), 64 MiB', () => new QuickXorHash().update(hashInput).digest()],
  ['Dropbox content_hash, 64 MiB', () => new DropboxContentHash().update(hashInput).digest()],
] as const) {
  const ms = await time(run, 3);
  rows.push([
    `${label}: ${mibPerSecond(ms)} MiB/s`,
    fmt(ms),
    `SHA-256: ${mibPerSecond(sha256Ms)} MiB/s`,
    fmt(sha256Ms),
    `${(ms / sha256Ms).toFixed(2)}x`,
  ]);
}

// 5. Dropbox transfers (emulator on loopback)
rows.push(...(await dropboxRows(fmt)));

// 6. OneDrive transfers (emulator on loopback)
rows.push(...(await onedriveRows(fmt)));

console.log(`Node ${process.version}, ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}\n`);
console.log('| measurement | time | baseline | baseline time | ratio |');
console.log('|---|---|---|---|---|');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
db.close();
