/**
 * Generates the demo's local folder: nested folders, a few thousand files of varied types with
 * varied sizes and dates, names that test the edges (spaces, NFC/NFD unicode, leading dots), and one
 * folder with 100,000 entries. Deterministic (seeded), and reused when already complete.
 * Used by `npm run demo`, the end-to-end tests and the benchmarks.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface DemoOptions {
  /** Entries in "Big Folder" (default 100,000). */
  bigFolderSize?: number;
}

export const bigFolderName = 'Big Folder';

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const tree: Record<string, { extensions: string[]; count: number }> = {
  'Documents/Reports 2024': { extensions: ['pdf', 'docx', 'md'], count: 120 },
  'Documents/Invoices': { extensions: ['pdf', 'xlsx'], count: 300 },
  'Documents/Presentations': { extensions: ['pptx', 'key', 'pdf'], count: 40 },
  'Photos/2023/Summer': { extensions: ['jpg', 'heic', 'png'], count: 400 },
  'Photos/2023/Winter': { extensions: ['jpg', 'png'], count: 250 },
  'Photos/2024': { extensions: ['jpg', 'mp4', 'mov'], count: 500 },
  Music: { extensions: ['mp3', 'flac', 'm4a'], count: 300 },
  'Code/skyfold-demo/src': { extensions: ['ts', 'tsx', 'json', 'css'], count: 150 },
  'Code/skyfold-demo/docs': { extensions: ['md', 'png'], count: 30 },
  Archive: { extensions: ['zip', 'tar.gz', '7z'], count: 200 },
  'Archive/Old Projects/2019/Deep/Deeper/Deepest': { extensions: ['txt'], count: 5 },
  'Empty Folder': { extensions: [], count: 0 },
};

const words = [
  'alpha',
  'budget',
  'draft',
  'final',
  'notes',
  'plan',
  'review',
  'summary',
  'travel',
  'meeting',
  'export',
  'scan',
];

/** Names at the edges of what people and clouds produce; all legal on every desktop OS. */
const edgeNames = [
  'with spaces in name.txt',
  'caf\u00e9 (NFC).txt',
  'cafe\u0301 (NFD).txt',
  '.hidden-settings',
  '..two-leading-dots.txt',
  'Ünïcödé — ☁️ clouds.md',
  '日本語のファイル.txt',
  'UPPER lower MiXeD.TXT',
  'file2.txt',
  'file10.txt',
];

/** Creates the demo folder under `root` (idempotent: a completed folder is reused). Returns `root`. */
export function generateDemoFiles(root: string, options: DemoOptions = {}): string {
  const bigFolderSize = options.bigFolderSize ?? 100_000;
  const marker = `${root}.complete-${bigFolderSize}`;
  if (fs.existsSync(marker) && fs.existsSync(root)) return root;
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(root, { recursive: true });
  const next = random(42);
  const year = 365 * 24 * 3600 * 1000;
  const base = Date.UTC(2026, 0, 1);

  const writeFile = (file: string, size: number, mtime: number) => {
    const content = Buffer.alloc(size, path.basename(file));
    fs.writeFileSync(file, content);
    fs.utimesSync(file, new Date(mtime), new Date(mtime));
  };

  for (const [folder, spec] of Object.entries(tree)) {
    const dir = path.join(root, ...folder.split('/'));
    fs.mkdirSync(dir, { recursive: true });
    for (let i = 0; i < spec.count; i++) {
      const extension = spec.extensions[i % spec.extensions.length]!;
      const word = words[Math.floor(next() * words.length)]!;
      const name = `${word}-${String(i + 1).padStart(4, '0')}.${extension}`;
      writeFile(
        path.join(dir, name),
        Math.floor(next() ** 3 * 200_000),
        base - Math.floor(next() * 3 * year),
      );
    }
  }
  for (const name of edgeNames)
    writeFile(path.join(root, name), name.length * 10, base - Math.floor(next() * year));

  const big = path.join(root, bigFolderName);
  fs.mkdirSync(big);
  for (let i = 0; i < bigFolderSize; i++) {
    fs.writeFileSync(path.join(big, `entry-${String(i).padStart(6, '0')}.txt`), String(i));
  }
  fs.writeFileSync(marker, new Date().toISOString());
  return root;
}
