/**
 * Seeds shared by every emulator, described independently of any service so Drive, Dropbox and
 * OneDrive get the same accounts and trees:
 * - `demo`: realistic users with folders, real small photos (PNG), documents, native office documents,
 *   duplicate names, a deep tree, a name containing `/`, a shortcut, trashed items, a larger file.
 * - `empty`: the demo users with empty drives (tests build what they need).
 * - `synthetic:N` (or `synthetic:N:flat`): one user with N items generated deterministically, content
 *   derived from the item number, so a million files need neither disk nor memory for content.
 * All timestamps and bytes are deterministic: the same seed gives the same accounts, names and bytes.
 */
import { pdf } from './documents';
import { drawPicture, encodePng } from './png';
import { Prng, hashString } from './prng';

export type NativeDocType = 'document' | 'spreadsheet' | 'presentation';

export type SeedContent =
  | { type: 'text'; text: string }
  /** Bytes produced on demand (images, PDFs), memoised by the caller if needed. */
  | { type: 'bytes'; data: () => Buffer }
  /** `size` deterministic pseudo-random bytes derived from `key` (see shared/synthetic.ts). */
  | { type: 'generated'; key: number; size: number };

interface SeedBase {
  name: string;
  /** RFC 3339; defaults to a fixed time derived from the item's path. */
  modifiedTime?: string;
  trashed?: boolean;
}

export type SeedNode =
  | (SeedBase & { kind: 'folder'; children: SeedNode[] })
  | (SeedBase & { kind: 'file'; mimeType: string; content: SeedContent })
  /** A service-native office document (Google Docs/Sheets/Slides); other services store an export. */
  | (SeedBase & { kind: 'native'; docType: NativeDocType; text: string })
  /** A shortcut to the item at `target`, a path of names from the root joined by ` > `. */
  | (SeedBase & { kind: 'shortcut'; target: string });

export interface SeedUser {
  email: string;
  displayName: string;
  /** Storage limit in bytes; absent = the emulator's default. */
  quotaBytes?: number;
  tree: SeedNode[];
  /** When set, the user's drive also holds this many synthetic items (see syntheticItems). */
  synthetic?: { count: number; flat: boolean };
}

export interface Seed {
  name: string;
  users: SeedUser[];
}

export class SeedSpecError extends Error {}

/** Resolves a seed name: `demo`, `empty`, `synthetic:N`, `synthetic:N:flat`. */
export function resolveSeed(spec: string): Seed {
  if (spec === 'demo') return { name: spec, users: demoUsers() };
  if (spec === 'empty') return { name: spec, users: demoUsers().map((u) => ({ ...u, tree: [] })) };
  const match = /^synthetic:(\d+)(:flat)?$/.exec(spec);
  if (match) {
    const count = Number(match[1]);
    if (count > 5_000_000) throw new SeedSpecError('synthetic seeds are limited to 5,000,000 items');
    return {
      name: spec,
      users: [
        {
          email: 'alice@example.com',
          displayName: 'Alice Example',
          tree: [],
          synthetic: { count, flat: !!match[2] },
        },
      ],
    };
  }
  throw new SeedSpecError(`unknown seed "${spec}" (use demo, empty, synthetic:N or synthetic:N:flat)`);
}

const photo = (width: number, height: number, key: string): SeedContent => ({
  type: 'bytes',
  data: () => encodePng(drawPicture(width, height, hashString(key))),
});

const text = (value: string): SeedContent => ({ type: 'text', text: value });

function deepTree(depth: number): SeedNode[] {
  let node: SeedNode = {
    kind: 'file',
    name: 'bottom.txt',
    mimeType: 'text/plain',
    content: text(`You reached level ${depth}.\n`),
  };
  for (let level = depth; level >= 1; level--) {
    node = { kind: 'folder', name: `Level ${level}`, children: [node] };
  }
  return [node];
}

function demoUsers(): SeedUser[] {
  return [
    {
      email: 'alice@example.com',
      displayName: 'Alice Example',
      tree: [
        {
          kind: 'folder',
          name: 'Documents',
          children: [
            {
              kind: 'native',
              docType: 'document',
              name: 'Project plan',
              text: 'Project plan\nGoals: ship the multi-cloud browser.\nMilestones: index, transfers, UI.\nOwner: Alice',
            },
            {
              kind: 'native',
              docType: 'spreadsheet',
              name: 'Budget 2025',
              text: 'Item,Q1,Q2,Q3,Q4\nHosting,120,120,130,140\nDesign,400,0,250,0\nTravel,80,300,90,60',
            },
            {
              kind: 'native',
              docType: 'presentation',
              name: 'Quarterly review',
              text: 'Quarterly review\nQ3 2025\n\nHighlights\nOne index for every cloud\n\nNext steps\nOneDrive support',
            },
            {
              kind: 'file',
              name: 'notes.txt',
              mimeType: 'text/plain',
              content: text('Buy milk.\nCall Bob.\n'),
            },
            {
              kind: 'file',
              name: 'README.md',
              mimeType: 'text/markdown',
              content: text('# Documents\n\nEverything about the project lives here.\n'),
            },
            {
              kind: 'file',
              name: 'Invoice 2025-03.pdf',
              mimeType: 'application/pdf',
              content: {
                type: 'bytes',
                data: () => pdf('Invoice 2025-03', ['Consulting: 10 h x 90 EUR', 'Total: 900 EUR']),
              },
            },
            {
              kind: 'file',
              name: 'contacts.csv',
              mimeType: 'text/csv',
              content: text('name,email\nAlice,alice@example.com\nBob,bob@example.com\n'),
            },
          ],
        },
        {
          kind: 'folder',
          name: 'Photos',
          children: [
            {
              kind: 'folder',
              name: '2024',
              children: [
                { kind: 'file', name: 'beach.png', mimeType: 'image/png', content: photo(640, 427, 'beach') },
                {
                  kind: 'file',
                  name: 'sunset.png',
                  mimeType: 'image/png',
                  content: photo(640, 427, 'sunset'),
                },
                {
                  kind: 'file',
                  name: 'mountain.png',
                  mimeType: 'image/png',
                  content: photo(480, 640, 'mountain'),
                },
              ],
            },
            {
              kind: 'folder',
              name: '2025',
              children: [
                { kind: 'file', name: 'city.png', mimeType: 'image/png', content: photo(800, 533, 'city') },
                {
                  kind: 'file',
                  name: 'forest.png',
                  mimeType: 'image/png',
                  content: photo(320, 320, 'forest'),
                },
              ],
            },
            { kind: 'file', name: 'profile.png', mimeType: 'image/png', content: photo(256, 256, 'profile') },
          ],
        },
        {
          kind: 'folder',
          name: 'Duplicates',
          children: [
            { kind: 'file', name: 'report.txt', mimeType: 'text/plain', content: text('First report.\n') },
            {
              kind: 'file',
              name: 'report.txt',
              mimeType: 'text/plain',
              content: text('Second report, same name.\n'),
            },
            { kind: 'folder', name: 'Same', children: [] },
            { kind: 'folder', name: 'Same', children: [] },
          ],
        },
        { kind: 'folder', name: 'Deep', children: deepTree(12) },
        {
          kind: 'file',
          name: 'AC/DC - Back in Black.txt',
          mimeType: 'text/plain',
          content: text('A name with a slash.\n'),
        },
        {
          kind: 'file',
          name: 'dataset.bin',
          mimeType: 'application/octet-stream',
          content: { type: 'generated', key: 0xda7a5e7, size: 12 * 1024 * 1024 + 12345 },
        },
        { kind: 'shortcut', name: 'Summer photos', target: 'Photos > 2024' },
        {
          kind: 'file',
          name: 'old draft.txt',
          mimeType: 'text/plain',
          content: text('Thrown away.\n'),
          trashed: true,
        },
        {
          kind: 'folder',
          name: 'Old stuff',
          trashed: true,
          children: [
            { kind: 'file', name: 'ancient.txt', mimeType: 'text/plain', content: text('From 2019.\n') },
          ],
        },
      ],
    },
    {
      email: 'bob@example.com',
      displayName: 'Bob Builder',
      tree: [
        {
          kind: 'folder',
          name: 'Work',
          children: [
            {
              kind: 'native',
              docType: 'document',
              name: 'Specs',
              text: 'Specs\nThe bridge must carry 40 t.',
            },
            { kind: 'file', name: 'plan.png', mimeType: 'image/png', content: photo(400, 300, 'bob-plan') },
          ],
        },
        { kind: 'file', name: 'todo.txt', mimeType: 'text/plain', content: text('Fix the roof.\n') },
      ],
    },
    { email: 'carol@example.com', displayName: 'Carol Empty', tree: [] },
  ];
}

/** A fixed, deterministic modification time for a seeded item (between 2023 and 2025). */
export function seedTime(key: string): number {
  return Date.UTC(2023, 0, 1) + (hashString(key) % (2 * 365 * 24 * 3600)) * 1000;
}

export interface SyntheticItem {
  /** 0-based item number; also the key of its content. */
  index: number;
  /** Item number of the parent folder, or -1 for the root. */
  parent: number;
  folder: boolean;
  name: string;
  mimeType: string;
  size: number;
  modifiedTime: number;
}

const WORDS = [
  'alpha',
  'amber',
  'atlas',
  'birch',
  'cedar',
  'cobalt',
  'delta',
  'ember',
  'fjord',
  'garnet',
  'harbor',
  'indigo',
  'juniper',
  'kestrel',
  'lagoon',
  'maple',
  'nectar',
  'onyx',
  'pebble',
  'quartz',
  'raven',
  'sierra',
  'tundra',
  'umber',
  'violet',
  'willow',
  'xenon',
  'yarrow',
  'zephyr',
  'report',
  'invoice',
  'photo',
  'notes',
  'draft',
];
const TYPES: readonly [string, string][] = [
  ['txt', 'text/plain'],
  ['bin', 'application/octet-stream'],
  ['pdf', 'application/pdf'],
  ['jpg', 'image/jpeg'],
  ['csv', 'text/csv'],
  ['md', 'text/markdown'],
  ['json', 'application/json'],
  ['zip', 'application/zip'],
];

/**
 * The synthetic items, in creation order (a parent always comes before its children). Tree shape:
 * 1 item in 25 is a folder; each item sits in the root (1 in 10) or in an earlier folder picked
 * at random. `flat`: every item is a file in the root. Sizes: mostly 0-2047 bytes, 1 in 1000 between
 * 64 KiB and 1 MiB.
 */
export function* syntheticItems(count: number, flat: boolean): Generator<SyntheticItem> {
  const folders: number[] = [];
  const base = Date.UTC(2024, 0, 1);
  for (let index = 0; index < count; index++) {
    const prng = new Prng(hashString(`synthetic-${index}`));
    const folder = !flat && index % 25 === 0;
    const parent =
      flat || folders.length === 0 || prng.next() < 0.1 ? -1 : (folders[prng.int(folders.length)] as number);
    const word = `${prng.pick(WORDS)}-${prng.pick(WORDS)}-${index}`;
    const [ext, mimeType] = prng.pick(TYPES);
    // A flat copy: template strings are ropes that would cost hundreds of bytes per item.
    const name = Buffer.from(folder ? `folder ${word}` : `${word}.${ext}`).toString();
    const size = folder ? 0 : prng.int(1000) === 0 ? 65536 + prng.int(1024 * 1024 - 65536) : prng.int(2048);
    yield {
      index,
      parent,
      folder,
      name,
      mimeType: folder ? '' : mimeType,
      size,
      modifiedTime: base + prng.int(365 * 24 * 3600) * 1000,
    };
    if (folder) folders.push(index);
  }
}
