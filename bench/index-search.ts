/**
 * Index and search figures (issue 6), `npm run bench -- index`. One JSON line per figure:
 * `{"figure", "value", "unit", "baseline", "ratio", "goal", "pass"}`, baselines measured in this run.
 *
 * 1. ingest: 1,000,000 synthetic items (3 accounts, folder trees up to 7 deep, realistic names and
 *    extensions, some accented) crawled in parts of 1,000 through the sync engine's crawl
 *    (syncAccount on a synthetic cloud's listAll: grouped commits, generations, the final sweep),
 *    plus the search engine's build from the index, into a WAL file; vs. raw prepared inserts of the
 *    same rows into a plain table (pages of 1,000, same pragmas). Goal: >= 50% of baseline.
 * 2. search p95 per query length (1, 2, 3, 8 characters): several queries each, common and selective,
 *    with and without filters, top 100 (relevance), 15 timed runs each after 2 warm-ups. Baseline: a
 *    naive `SELECT ... WHERE name LIKE '%q%' LIMIT 100` (no order, no count: the cheapest naive form)
 *    on the selective queries of that length; `ratio` = baseline p95 / engine p95 on those same
 *    selective queries. Goal: p95 <= 16 ms over all queries of the length AND ratio >= 20.
 * 3. incremental sync: (a) one file written on each emulated cloud reaches the index in how many HTTP
 *    requests (counted by the emulator; bench/sync-requests.ts), baseline a full crawl's requests,
 *    goal <= 2; (b) 10,000 changes applied to the 1M-item index vs. raw inserts (applyChangesFigure),
 *    goal >= 50% of baseline.
 * 4. cold open: a fresh Node process opens the 1M-item index file and lists the first 200 children of
 *    a folder (ItemStore, name order). The OS file cache is warm (the file was just written), so this
 *    is a process cold start, not a disk cold start. Baseline: a fresh process that opens the file
 *    with bare better-sqlite3 and reads 200 rows unordered. Goal: <= 300 ms.
 * 5. memory: resident set size of a fresh process with the index open, the search engine built and a
 *    search run (max RSS). Baseline: the same process with the index open and a folder listed, no
 *    search engine. Both processes run TypeScript through tsx, which the shipped app does not.
 *    Goal: <= 200 MB.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { SearchQuery } from '../common/search';
import { openDatabase } from '../main/core/index/database';
import { ItemStore, itemColumns, toDto, type ItemRow } from '../main/core/index/item-store';
import { indexMigrations } from '../main/core/index/migrations';
import { SearchEngine, type SearchAccount } from '../main/core/index/search';
import { SyncStateStore } from '../main/core/index/sync-state-store';
import type { Provider, ProviderChange, ProviderItem } from '../main/core/providers/types';
import { syncAccount } from '../main/core/sync/account-sync';
import { ChangeApplier } from '../main/core/sync/apply-changes';
import { printFigure } from './figure';

const total = 1_000_000;
const pageSize = 1_000;
const accounts: SearchAccount[] = [
  { id: 'acc-gdrive', name: 'Personal Drive', provider: 'gdrive' },
  { id: 'acc-dropbox', name: 'Work Dropbox', provider: 'dropbox' },
  { id: 'acc-onedrive', name: 'OneDrive', provider: 'onedrive' },
];

const figure = printFigure;

// ---- synthetic data

const words = `report invoice budget draft final meeting notes project summary plan scan image video music
  track backup archive data export copy new old team client contract proposal presentation slides
  holiday vacation photo trip family wedding birthday school homework thesis chapter résumé Übersicht
  café naïve façade Straße document letter receipt tax statement quarterly annual review design mockup
  logo banner screenshot recording podcast episode interview lecture release build config script test`
  .split(/\s+/)
  .filter(Boolean);
const rareWords = ['xylophone', 'Ærøskøbing', 'жук'];
const extensions: Array<[string, string]> = [
  ['pdf', 'application/pdf'],
  ['jpg', 'image/jpeg'],
  ['jpg', 'image/jpeg'],
  ['png', 'image/png'],
  ['heic', 'image/heic'],
  ['docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  ['xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  ['pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
  ['mp4', 'video/mp4'],
  ['mov', 'video/quicktime'],
  ['mp3', 'audio/mpeg'],
  ['zip', 'application/zip'],
  ['ts', 'text/plain'],
  ['txt', 'text/plain'],
  ['md', 'text/markdown'],
  ['csv', 'text/csv'],
  ['json', 'application/json'],
];

let seed = 42;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

function nameFor(index: number, folder: boolean): string {
  const parts: string[] = [];
  const count = 1 + Math.floor(random() * 3);
  for (let i = 0; i < count; i++) parts.push(pick(words));
  if (index % 20_000 === 7) parts.push(pick(rareWords)); // ~50 names with rare words
  if (random() < 0.2) parts[0] = parts[0]![0]!.toUpperCase() + parts[0]!.slice(1);
  if (random() < 0.5) parts.push(String(Math.floor(random() * (random() < 0.5 ? 100 : 100_000))));
  const base = parts.join(pick([' ', '_', '-', ' ']));
  return folder ? base : `${base}.${pick(extensions)[0]}`;
}

/** Items of one account in crawl order, folders spread over a tree up to 7 levels deep. */
function* accountItems(account: number, count: number): Generator<ProviderItem> {
  const folders: Array<{ id: string; depth: number }> = [{ id: 'root', depth: 0 }];
  yield {
    id: 'root',
    parentId: null,
    name: '',
    kind: 'folder',
    size: null,
    modifiedAt: null,
    mimeType: null,
    targetId: null,
    hashes: {},
  };
  for (let i = 1; i < count; i++) {
    const isFolder = random() < 0.06 || folders.length < 20;
    // Prefer recent folders, so trees get deep, but keep some items near the top.
    const parent =
      random() < 0.3 ? pick(folders) : folders[Math.max(0, folders.length - 1 - Math.floor(random() * 50))]!;
    const id = `${account}-${i.toString(36)}`;
    const extension = pick(extensions);
    const name = nameFor(i, isFolder);
    if (isFolder && parent.depth < 7) folders.push({ id, depth: parent.depth + 1 });
    yield {
      id,
      parentId: parent.id,
      name,
      kind: isFolder ? 'folder' : 'file',
      size: isFolder ? null : Math.floor(random() ** 3 * 200_000_000),
      modifiedAt: 1_500_000_000_000 + Math.floor(random() * 300_000_000_000),
      mimeType: isFolder ? null : extension[1],
      targetId: null,
      hashes: random() < 0.5 ? { sha256: 'ab'.repeat(32) } : {},
    };
  }
}

function generatePages(): Array<{ accountId: string; items: ProviderItem[] }> {
  const pages: Array<{ accountId: string; items: ProviderItem[] }> = [];
  accounts.forEach((account, a) => {
    const count = a < 2 ? Math.floor(total / 3) : total - 2 * Math.floor(total / 3);
    let items: ProviderItem[] = [];
    for (const item of accountItems(a, count)) {
      items.push(item);
      if (items.length === pageSize) {
        pages.push({ accountId: account.id, items });
        items = [];
      }
    }
    if (items.length > 0) pages.push({ accountId: account.id, items });
  });
  return pages;
}

const msSince = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const percentile = (samples: number[], p: number) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

// ---- figure 1

/**
 * A cloud whose one listing of everything (`changeFeed.listAll`) hands out the generated pages, one
 * per call, as a provider would after each request: the crawl's own work alone (grouped commits,
 * generations, the sweep of unseen and unreachable rows), no network.
 */
function syntheticCloud(pages: ReadonlyArray<{ items: ProviderItem[] }>): Provider {
  const [first] = pages;
  const root = first!.items[0]!;
  const unused = () => {
    throw new Error('not used by a crawl');
  };
  return {
    kind: 'synthetic',
    rootId: root.id,
    features: {
      serverSideCopy: false,
      serverSideMove: false,
      changeFeed: true,
      resumableUpload: false,
      hashTypes: [],
      caseInsensitive: false,
      duplicateNamesAllowed: true,
      maxFileSize: null,
      thumbnails: false,
    },
    nameProblem: () => null,
    about: async () => ({ displayName: 'synthetic', usedBytes: null, totalBytes: null }),
    // eslint-disable-next-line require-yield
    list: async function* () {
      unused();
    },
    stat: async () => root,
    read: unused,
    write: unused,
    mkdir: unused,
    move: unused,
    trash: unused,
    hash: unused,
    changeFeed: {
      listAll: async (from) => {
        const index = from === null ? 0 : Number(from);
        const items = pages[index]!.items.filter((item) => item.id !== root.id);
        const done = index === pages.length - 1;
        return {
          changes: items.map((item): ProviderChange => ({ kind: 'upsert', item })),
          next: done ? 'cursor' : String(index + 1),
          done,
        };
      },
      startCursor: async () => 'cursor',
      changesSince: async () => ({ changes: [], cursor: 'cursor' }),
    },
  };
}

// ---- figure 3b

/**
 * 10,000 changes as a feed reports them, in batches of 1,000, through ChangeApplier (with the
 * end-of-run checks): 6,000 new files in existing folders, 2,000 renames, 1,000 moves and 1,000
 * removals of existing files of the first account. Baseline: raw prepared inserts of 10,000 rows in
 * batches of 1,000 into the 1M-row plain table of figure 1 (same pragmas).
 */
function applyChangesFigure(
  db: ReturnType<typeof openDatabase>,
  store: ItemStore,
  baselineFile: string,
): void {
  const accountId = accounts[0]!.id;
  const folders = db
    .prepare('SELECT id FROM items WHERE account_id = ? AND is_folder = 1 ORDER BY item_no LIMIT 2000')
    .pluck()
    .all(accountId) as string[];
  const existing = db
    .prepare(
      `SELECT ${itemColumns} FROM items WHERE account_id = ? AND is_folder = 0 ORDER BY item_no LIMIT 4000 OFFSET 1000`,
    )
    .all(accountId) as ItemRow[];
  const changes: ProviderChange[] = [];
  const fresh: ProviderItem[] = [];
  for (let i = 0; i < 6000; i++) {
    const item: ProviderItem = {
      id: `new-${i}`,
      parentId: pick(folders),
      name: nameFor(i, false),
      kind: 'file',
      size: Math.floor(random() * 1_000_000),
      modifiedAt: 1_700_000_000_000 + i,
      mimeType: 'text/plain',
      targetId: null,
      hashes: {},
    };
    fresh.push(item);
    changes.push({ kind: 'upsert', item });
  }
  existing.forEach((row, i) => {
    const item = { ...toDto(row), hashes: {} };
    if (i < 2000) changes.push({ kind: 'upsert', item: { ...item, name: `renamed ${item.name}` } });
    else if (i < 3000) changes.push({ kind: 'upsert', item: { ...item, parentId: pick(folders) } });
    else changes.push({ kind: 'remove', id: item.id });
  });
  const syncState = new SyncStateStore(db);
  const applier = new ChangeApplier(accountId, store, 1, {
    rootId: 'root',
    caseInsensitive: true,
    duplicateNamesAllowed: false,
  });
  let start = process.hrtime.bigint();
  for (let i = 0; i < changes.length; i += 1000) {
    applier.applyBatch(changes.slice(i, i + 1000), () => syncState.saveCursor(accountId, String(i)));
  }
  applier.finish(() => syncState.markSynced(accountId, Date.now(), 'end'));
  const applyMs = msSince(start);

  const raw = new Database(baselineFile);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  const insert = raw.prepare('INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const batch = raw.transaction((items: readonly ProviderItem[]) => {
    for (const item of items) {
      insert.run(
        accountId,
        `raw-${item.id}`,
        item.parentId,
        item.name,
        0,
        item.size,
        item.modifiedAt,
        item.mimeType,
        null,
        null,
        1,
      );
    }
  });
  const rows = [...fresh, ...existing.map((row) => ({ ...toDto(row), hashes: {} }))];
  start = process.hrtime.bigint();
  for (let i = 0; i < rows.length; i += 1000) batch(rows.slice(i, i + 1000));
  const rawMs = msSince(start);
  raw.close();
  const rate = (ms: number) => changes.length / (ms / 1000);
  console.error(
    `apply 10k changes: ${applyMs.toFixed(0)} ms; raw insert of 10k rows: ${rawMs.toFixed(0)} ms`,
  );
  figure(
    'sync-apply-10k-changes',
    rate(applyMs),
    'changes/s',
    rate(rawMs),
    rate(applyMs) / rate(rawMs),
    'ratio >= 0.5',
    rate(applyMs) / rate(rawMs) >= 0.5,
  );
}

// ---- child processes (figures 4 and 5)

async function child(mode: string, file: string): Promise<void> {
  const start = process.hrtime.bigint();
  if (mode === 'open' || mode === 'open-baseline') {
    if (mode === 'open') {
      const db = openDatabase(file, { migrations: indexMigrations, synchronous: 'NORMAL' });
      const store = new ItemStore(db);
      const page = store.listChildren(accounts[1]!.id, 'root', { by: 'name', direction: 'asc' }, 0, 200);
      if (page.items.length === 0) throw new Error('empty listing');
    } else {
      const db = new Database(file);
      if (db.prepare('SELECT * FROM items LIMIT 200').all().length === 0) throw new Error('empty');
    }
    console.log(JSON.stringify({ ms: msSince(start) }));
    return;
  }
  const db = openDatabase(file, { migrations: indexMigrations, synchronous: 'NORMAL' });
  new ItemStore(db).listChildren(accounts[0]!.id, 'root', { by: 'name', direction: 'asc' }, 0, 200);
  if (mode === 'memory') {
    const engine = new SearchEngine(db, () => accounts);
    engine.search({ terms: ['a'] });
    engine.search({
      terms: ['report', '2'],
      extensions: ['pdf'],
      sort: { by: 'modified', direction: 'desc' },
    });
  }
  const rss = process.memoryUsage().rss;
  const maxRss = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify({ rss, maxRss }));
}

function runChild(mode: string, file: string): Record<string, number> {
  const script = fileURLToPath(import.meta.url);
  const output = execFileSync(process.execPath, ['--import', 'tsx', script, '--child', mode, file], {
    encoding: 'utf8',
  });
  return JSON.parse(output.trim().split('\n').pop()!) as Record<string, number>;
}

// ---- main

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skyfold-bench-index-'));
  try {
    console.error(`generating ${total.toLocaleString('en')} items...`);
    const pages = generatePages();

    // 1. Ingest
    const baselineFile = path.join(dir, 'baseline.db');
    const raw = new Database(baselineFile);
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.exec(`CREATE TABLE items (account_id TEXT, id TEXT, parent_id TEXT, name TEXT, is_folder INTEGER,
      size INTEGER, modified_at INTEGER, mime_type TEXT, target_id TEXT, hashes TEXT, crawl_gen INTEGER)`);
    const rawInsert = raw.prepare('INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const rawPage = raw.transaction((accountId: string, items: readonly ProviderItem[]) => {
      for (const item of items) {
        rawInsert.run(
          accountId,
          item.id,
          item.parentId,
          item.name,
          item.kind === 'folder' ? 1 : 0,
          item.size,
          item.modifiedAt,
          item.mimeType,
          item.targetId,
          Object.keys(item.hashes).length > 0 ? JSON.stringify(item.hashes) : null,
          1,
        );
      }
    });
    let start = process.hrtime.bigint();
    for (const page of pages) rawPage(page.accountId, page.items);
    const rawMs = msSince(start);
    raw.close();

    const file = path.join(dir, 'index.db');
    const db = openDatabase(file, { migrations: indexMigrations, synchronous: 'NORMAL' });
    const store = new ItemStore(db);
    const syncState = new SyncStateStore(db);
    const engine = new SearchEngine(db, () => accounts);
    start = process.hrtime.bigint();
    for (const account of accounts) {
      await syncAccount(account.id, syntheticCloud(pages.filter((page) => page.accountId === account.id)), {
        items: store,
        syncState,
      });
    }
    const upsertMs = msSince(start);
    const buildStart = process.hrtime.bigint();
    engine.search({ terms: ['warm'] });
    const buildMs = msSince(buildStart);
    const ingestMs = upsertMs + buildMs;
    console.error(
      `ingest: upserts ${upsertMs.toFixed(0)} ms + search build ${buildMs.toFixed(0)} ms; raw ${rawMs.toFixed(0)} ms`,
    );
    const rate = (ms: number) => total / (ms / 1000);
    figure(
      'index-ingest-1M',
      rate(ingestMs),
      'items/s',
      rate(rawMs),
      rate(ingestMs) / rate(rawMs),
      'ratio >= 0.5',
      rate(ingestMs) / rate(rawMs) >= 0.5,
    );

    // 2. Search
    const deepFolder = db
      .prepare(
        `SELECT id FROM items WHERE account_id = ? AND is_folder = 1 AND parent_id IS NOT NULL
         ORDER BY item_no LIMIT 1 OFFSET 200`,
      )
      .pluck()
      .get(accounts[1]!.id) as string;
    const filters: Array<Omit<SearchQuery, 'terms'>> = [
      {},
      { extensions: ['pdf'] },
      { categories: ['images'], size: { min: 1_000_000 } },
      { accounts: ['dropbox'], modified: { from: 1_600_000_000_000 } },
      { within: { accountId: accounts[1]!.id, folderId: deepFolder } },
      { kind: 'folder' },
    ];
    const groups: Array<{ length: number; common: string[]; selective: string[] }> = [
      { length: 1, common: ['a', 'e', 'p', '7'], selective: ['ж', 'æ'] },
      { length: 2, common: ['re', 'ph', 'ca', '20'], selective: ['xy', 'жу'] },
      { length: 3, common: ['rep', 'pho', 'caf', '199'], selective: ['xyl', 'røs'] },
      {
        length: 8,
        common: ['vacation', 'document', 'quarterl', 'presenta'],
        selective: ['xylophon', 'ærøskøbi'],
      },
    ];
    const like = db.prepare('SELECT item_no, name FROM items WHERE name LIKE ? LIMIT 100');
    const timeRuns = (run: () => unknown, repeats: number) => {
      run();
      run();
      const samples: number[] = [];
      for (let i = 0; i < repeats; i++) {
        const t = process.hrtime.bigint();
        run();
        samples.push(msSince(t));
      }
      return samples;
    };
    for (const group of groups) {
      const all: number[] = [];
      const selective: number[] = [];
      const naive: number[] = [];
      for (const term of [...group.common, ...group.selective]) {
        const isSelective = group.selective.includes(term);
        for (const filter of filters) {
          const samples = timeRuns(() => engine.search({ terms: [term], ...filter }, { limit: 100 }), 15);
          all.push(...samples);
          if (isSelective && Object.keys(filter).length === 0) selective.push(...samples);
        }
        if (isSelective) naive.push(...timeRuns(() => like.all(`%${term}%`), 5));
      }
      const p95 = percentile(all, 95);
      const selectiveP95 = percentile(selective, 95);
      const naiveP95 = percentile(naive, 95);
      const ratio = naiveP95 / selectiveP95;
      figure(
        `search-p95-${group.length}char`,
        p95,
        'ms',
        naiveP95,
        ratio,
        'p95 <= 16 ms and naive/engine >= 20 (selective)',
        p95 <= 16 && ratio >= 20,
      );
    }
    // 3b. Applying 10,000 changes (a change feed's batches) to the 1M-item index
    applyChangesFigure(db, store, path.join(dir, 'baseline.db'));
    db.close();

    // 3a. One remote change, in HTTP requests, per cloud (emulators)
    // Loaded here, not at the top: the memory figure's child processes run this file too, and must
    // not carry the cloud SDKs and emulators the request counts need.
    const { measureChangeCosts } = await import('./sync-requests');
    for (const cost of await measureChangeCosts()) {
      console.error(
        `${cost.cloud}: one change = ${cost.paths.join(', ')}; a full crawl = ${cost.crawlRequests}`,
      );
      figure(
        `sync-one-change-requests-${cost.cloud}`,
        cost.requests,
        'requests',
        cost.crawlRequests,
        cost.crawlRequests / cost.requests,
        '<= 2 requests',
        cost.requests <= 2,
      );
    }

    // 4. Cold open to the first folder listing
    const openRuns = (mode: string) => Array.from({ length: 5 }, () => runChild(mode, file).ms!);
    const openMs = percentile(openRuns('open'), 50);
    const openBaselineMs = percentile(openRuns('open-baseline'), 50);
    figure(
      'index-cold-open-1M',
      openMs,
      'ms',
      openBaselineMs,
      openMs / openBaselineMs,
      '<= 300 ms',
      openMs <= 300,
    );

    // 5. Memory
    const mb = (bytes: number) => bytes / 1024 / 1024;
    const memory = runChild('memory', file);
    const memoryBaseline = runChild('memory-baseline', file);
    console.error(
      `memory: rss after search ${mb(memory.rss!).toFixed(0)} MB, max ${mb(memory.maxRss!).toFixed(0)} MB`,
    );
    figure(
      'engine-rss-1M-searching',
      mb(memory.maxRss!),
      'MB',
      mb(memoryBaseline.maxRss!),
      memory.maxRss! / memoryBaseline.maxRss!,
      '<= 200 MB',
      mb(memory.maxRss!) <= 200,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const childAt = process.argv.indexOf('--child');
if (childAt >= 0) await child(process.argv[childAt + 1]!, process.argv[childAt + 2]!);
else await main();
