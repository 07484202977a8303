/**
 * Builds Dropbox stores from the shared seeds; the same seed always gives the same account ids, item
 * ids, revs, names, times and bytes (ids come from a PRNG keyed by the user's email).
 * Mapping of what Dropbox cannot hold as such:
 * - a `/` in a name becomes `∕` (U+2215) (`AC∕DC - Back in Black.txt`: also a non-ASCII name);
 * - a second item with the same name (case-insensitively) in a folder gets `name (2).ext`;
 * - native documents become the office files a Drive export gives (`Project plan.docx`, `.xlsx`, `.pptx`);
 * - shortcuts are left out (Dropbox has none);
 * - trashed items are deleted paths (tombstones): `include_deleted` shows them.
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
import { SyntheticHashes, bytesContent, type Content } from './content';
import { numberedName } from './paths';
import { DropboxStore, type FolderEntry } from './store';

export interface SeedDeps {
  clock: Clock;
  /** Storage allocation of users whose seed sets none; null = unlimited. */
  defaultQuotaBytes: number | null;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function token(prng: Prng, length: number, alphabet = ALPHABET): string {
  const out = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) out[i] = alphabet.charCodeAt(prng.int(alphabet.length));
  return out.toString('latin1');
}

const digits = (prng: Prng, length: number) =>
  String(1 + prng.int(9)) + token(prng, length - 1, '0123456789');

const NATIVE_EXPORTS = {
  document: { extension: 'docx', render: docx },
  spreadsheet: { extension: 'xlsx', render: xlsx },
  presentation: { extension: 'pptx', render: pptx },
} as const;

function toContent(content: SeedContent): Content {
  switch (content.type) {
    case 'text':
      return bytesContent(Buffer.from(content.text));
    case 'bytes':
      return bytesContent(content.data());
    case 'generated':
      return { kind: 'synthetic', key: content.key, size: content.size };
  }
}

/** A Dropbox-legal name, unique (case-insensitively) in `folder`. */
function freeSeedName(store: DropboxStore, folder: FolderEntry, wanted: string, isFolder: boolean): string {
  const name = wanted.replace(/\//g, '\u2215');
  if (!store.child(folder, name)) return name;
  for (let n = 2; ; n++) {
    const candidate = numberedName(name, n, isFolder);
    if (!store.child(folder, candidate)) return candidate;
  }
}

function buildUser(user: SeedUser, deps: SeedDeps): DropboxStore {
  const prng = new Prng(hashString(`dropbox:${user.email}`));
  const account = {
    email: user.email,
    displayName: user.displayName,
    accountId: `dbid:${token(prng, 35)}`,
    uid: digits(prng, 10),
    namespaceId: digits(prng, 10),
  };
  const store = new DropboxStore(
    account,
    user.quotaBytes ?? deps.defaultQuotaBytes,
    deps.clock,
    new SyntheticHashes(user.synthetic?.count ?? 0),
    token(prng, 4, '0123456789abcdef'),
  );
  const newId = () => `id:${token(prng, 22)}`;
  const trashed: string[] = [];
  const addAll = (nodes: readonly SeedNode[], folder: FolderEntry, path: string) => {
    for (const node of nodes) {
      if (node.kind === 'shortcut') continue;
      const key = `${user.email}:${path}/${node.name}`;
      const time = node.modifiedTime ? Date.parse(node.modifiedTime) : seedTime(key);
      const times = { clientModified: time, serverModified: time };
      if (node.kind === 'folder') {
        const created = store.createFolder(
          folder,
          freeSeedName(store, folder, node.name, true),
          newId(),
          false,
        );
        addAll(node.children, created, `${path}/${node.name}`);
        if (node.trashed) trashed.push(store.pathDisplay(created));
        continue;
      }
      const { name, content } =
        node.kind === 'native'
          ? {
              name: `${node.name}.${NATIVE_EXPORTS[node.docType].extension}`,
              content: bytesContent(NATIVE_EXPORTS[node.docType].render(node.text)),
            }
          : { name: node.name, content: toContent(node.content) };
      const file = store.createFile(folder, freeSeedName(store, folder, name, false), content, times, {
        id: newId(),
        record: false,
      });
      if (node.trashed) trashed.push(store.pathDisplay(file));
    }
  };
  addAll(user.tree, store.root, '');
  for (const path of trashed) {
    const entry = store.walk(store.root, path.slice(1).split('/'));
    if (entry) store.removeSilently(entry);
  }
  if (user.synthetic) addSynthetic(store, user.synthetic.count, user.synthetic.flat, newId);
  return store;
}

function addSynthetic(store: DropboxStore, count: number, flat: boolean, newId: () => string): void {
  const folders: (FolderEntry | undefined)[] = new Array<FolderEntry | undefined>(count);
  for (const item of syntheticItems(count, flat)) {
    const parent = item.parent < 0 ? store.root : (folders[item.parent] as FolderEntry);
    if (item.folder) {
      folders[item.index] = store.createFolder(parent, item.name, newId(), false);
    } else {
      const times = { clientModified: item.modifiedTime, serverModified: item.modifiedTime };
      const content: Content = { kind: 'synthetic', key: item.index, size: item.size };
      store.createFile(parent, item.name, content, times, { id: newId(), record: false });
    }
  }
}

/** One store per seeded user, keyed by email. */
export function buildStores(seed: Seed, deps: SeedDeps): Map<string, DropboxStore> {
  return new Map(seed.users.map((user) => [user.email, buildUser(user, deps)]));
}
