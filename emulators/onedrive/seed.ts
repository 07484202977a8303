/**
 * Builds OneDrive stores from the shared seeds; the same seed always gives the same user ids, drive
 * ids, item ids, names, times and bytes. Mapping of what OneDrive cannot hold as such:
 * - characters OneDrive refuses in names (`" * : < > ? / \ |`) become their full-width forms
 *   (`AC／DC - Back in Black.txt`, as rclone encodes them); a trailing dot or space is dropped;
 * - a second item with the same name (case-insensitively) in a folder gets `name 1.ext`, `name 2.ext`
 *   (OneDrive's own `rename` conflict behaviour);
 * - native documents become the office files a Drive export gives (`Project plan.docx`, `.xlsx`, `.pptx`);
 * - shortcuts are left out;
 * - trashed items go to the recycle bin: not in the tree, counted in `quota.deleted` (and `used`).
 */
import type { Clock } from '../shared/clock';
import { docx, pptx, xlsx } from '../shared/documents';
import { Prng, hashString } from '../shared/prng';
import {
  seedTime,
  syntheticItems,
  type Seed,
  type SeedContent,
  type SeedNode,
  type SeedUser,
} from '../shared/seeds';
import { freeName as numbered } from './names';
import { OnedriveStore, SyntheticQuickXor, type Content, type FolderItem, type Item } from './store';

export { numberedName } from './names';

export interface SeedDeps {
  clock: Clock;
  /** Storage limit of users whose seed sets none; null = unlimited. */
  defaultQuotaBytes: number | null;
}

const NATIVE_EXPORTS = {
  document: {
    extension: 'docx',
    render: docx,
    mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  },
  spreadsheet: {
    extension: 'xlsx',
    render: xlsx,
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  },
  presentation: {
    extension: 'pptx',
    render: pptx,
    mimeType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  },
} as const;

/** A name OneDrive accepts: refused characters to their full-width forms, no trailing dot or space. */
export function legalName(name: string): string {
  const mapped = name.replace(/["*:<>?/\\|]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
  return mapped.replace(/[. ]+$/, '') || '_';
}

function freeName(store: OnedriveStore, folder: FolderItem, wanted: string, isFolder: boolean): string {
  return numbered(legalName(wanted), isFolder, (candidate) => store.child(folder, candidate) !== undefined);
}

function toContent(content: SeedContent): Content {
  switch (content.type) {
    case 'text': {
      const data = Buffer.from(content.text);
      return { kind: 'bytes', data: () => data, size: data.length };
    }
    case 'bytes': {
      const data = content.data();
      return { kind: 'bytes', data: () => data, size: data.length };
    }
    case 'generated':
      return { kind: 'synthetic', key: content.key, size: content.size };
  }
}

const hex = (prng: Prng, length: number) => {
  let out = '';
  for (let i = 0; i < length; i++) out += '0123456789abcdef'[prng.int(16)];
  return out;
};

function buildUser(user: SeedUser, deps: SeedDeps): OnedriveStore {
  const prng = new Prng(hashString(`onedrive:${user.email}`));
  const cid = hex(prng, 16);
  const store = new OnedriveStore(
    { email: user.email, displayName: user.displayName, userId: cid, driveId: cid },
    user.quotaBytes ?? deps.defaultQuotaBytes,
    deps.clock,
    new SyntheticQuickXor(user.synthetic?.count ?? 0),
    seedTime(`${user.email}:/`),
  );
  const trashed: Item[] = [];
  const addAll = (nodes: readonly SeedNode[], folder: FolderItem, path: string) => {
    for (const node of nodes) {
      if (node.kind === 'shortcut') continue;
      const key = `${user.email}:${path}/${node.name}`;
      const time = node.modifiedTime ? Date.parse(node.modifiedTime) : seedTime(key);
      let item: Item;
      if (node.kind === 'folder') {
        item = store.createFolder(folder, freeName(store, folder, node.name, true), time);
        addAll(node.children, item, `${path}/${node.name}`);
      } else if (node.kind === 'native') {
        const native = NATIVE_EXPORTS[node.docType];
        const data = native.render(node.text);
        item = store.createFile(
          folder,
          freeName(store, folder, `${node.name}.${native.extension}`, false),
          native.mimeType,
          { kind: 'bytes', data: () => data, size: data.length },
          time,
        );
      } else {
        item = store.createFile(
          folder,
          freeName(store, folder, node.name, false),
          node.mimeType,
          toContent(node.content),
          time,
        );
      }
      if (node.trashed) trashed.push(item);
    }
  };
  addAll(user.tree, store.root, '');
  for (const item of trashed) store.recycle(item, false);
  if (user.synthetic) addSynthetic(store, user.synthetic.count, user.synthetic.flat);
  store.startRecording();
  return store;
}

function addSynthetic(store: OnedriveStore, count: number, flat: boolean): void {
  const folders: (FolderItem | undefined)[] = new Array<FolderItem | undefined>(count);
  for (const item of syntheticItems(count, flat)) {
    const parent = item.parent < 0 ? store.root : (folders[item.parent] as FolderItem);
    if (item.folder) folders[item.index] = store.createFolder(parent, item.name, item.modifiedTime);
    else
      store.createFile(
        parent,
        item.name,
        item.mimeType,
        { kind: 'synthetic', key: item.index, size: item.size },
        item.modifiedTime,
      );
  }
}

/** One store per seeded user, keyed by email. */
export function buildStores(seed: Seed, deps: SeedDeps): Map<string, OnedriveStore> {
  return new Map(seed.users.map((user) => [user.email, buildUser(user, deps)]));
}
