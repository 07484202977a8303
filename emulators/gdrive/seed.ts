/**
 * Builds Drive stores from a shared seed: the same seed always gives the same root ids, file ids,
 * names, times and bytes (ids come from a PRNG keyed by the user's email, walked in a fixed order).
 * Native documents become Google Docs/Sheets/Slides; shortcuts are resolved after the tree exists.
 */
import type { Clock } from '../shared/clock';
import { Prng, hashString } from '../shared/prng';
import {
  seedTime,
  syntheticItems,
  type Seed,
  type SeedContent,
  type SeedNode,
  type SeedUser,
} from '../shared/seeds';
import { SyntheticDigests, digestBuffer, type BlobStore, type Content } from './content';
import { newFileId, newRootId } from './ids';
import { FOLDER, NATIVE_MIME, SHORTCUT } from './mime';
import { DriveStore, type FileRecord } from './store';

export interface SeedDeps {
  clock: Clock;
  blobs: BlobStore;
  /** Storage limit for users whose seed sets none; null = unlimited. */
  defaultQuotaBytes: number | null;
}

/** A stable 20-digit numeric id for a user (Drive permission ids and OpenID `sub` look like this). */
export function numericUserId(email: string): string {
  const prng = new Prng(hashString(`user:${email}`));
  let id = '1';
  while (id.length < 20) id += String(prng.int(10));
  return id;
}

function toContent(content: SeedContent): Content {
  switch (content.type) {
    case 'text': {
      const data = Buffer.from(content.text);
      return { kind: 'bytes', data, digests: digestBuffer(data) };
    }
    case 'bytes': {
      const data = content.data();
      return { kind: 'bytes', data, digests: digestBuffer(data) };
    }
    case 'generated':
      return { kind: 'synthetic', key: content.key, size: content.size };
  }
}

function buildUser(user: SeedUser, deps: SeedDeps): DriveStore {
  const prng = new Prng(hashString(`gdrive:${user.email}`));
  const created = seedTime(`${user.email}:root`) - 400 * 24 * 3600 * 1000;
  const store = new DriveStore(
    { email: user.email, displayName: user.displayName, permissionId: numericUserId(user.email) },
    newRootId(prng),
    created,
    user.quotaBytes ?? deps.defaultQuotaBytes,
    deps.clock,
    deps.blobs,
    new SyntheticDigests(user.synthetic?.count ?? 0),
  );
  const shortcuts: {
    node: Extract<SeedNode, { kind: 'shortcut' }>;
    parent: string;
    id: string;
    time: number;
  }[] = [];
  const addAll = (nodes: readonly SeedNode[], parent: string, path: string) => {
    for (const node of nodes) {
      const key = `${user.email}:${path}/${node.name}`;
      const modifiedTime = node.modifiedTime ? Date.parse(node.modifiedTime) : seedTime(key);
      const base = {
        id: newFileId(prng),
        name: node.name,
        parent,
        createdTime: modifiedTime - (hashString(key) % (30 * 24 * 3600)) * 1000,
        modifiedTime,
        explicitlyTrashed: node.trashed ?? false,
      };
      switch (node.kind) {
        case 'folder': {
          const record = store.create({ ...base, mimeType: FOLDER });
          addAll(node.children, record.id, `${path}/${node.name}`);
          break;
        }
        case 'file':
          store.create({
            ...base,
            mimeType: node.mimeType,
            content: toContent(node.content),
            originalFilename: node.name,
          });
          break;
        case 'native':
          store.create({
            ...base,
            mimeType: NATIVE_MIME[node.docType],
            content: { kind: 'native', text: node.text },
          });
          break;
        case 'shortcut':
          shortcuts.push({ node, parent, id: base.id, time: modifiedTime });
          break;
      }
    }
  };
  addAll(user.tree, store.root.id, '');
  for (const { node, parent, id, time } of shortcuts) {
    const target = resolvePath(store, node.target);
    store.create({
      id,
      name: node.name,
      mimeType: SHORTCUT,
      parent,
      createdTime: time,
      modifiedTime: time,
      shortcutTarget: { id: target.id, mimeType: target.mimeType },
    });
  }
  if (user.synthetic) addSynthetic(store, user.synthetic.count, user.synthetic.flat, prng);
  return store;
}

function resolvePath(store: DriveStore, path: string): FileRecord {
  let current = store.root;
  for (const name of path.split(' > ')) {
    const next = [...store.childrenOf(current.id)].find((r) => r.name === name);
    if (!next) throw new Error(`seed shortcut target not found: ${path}`);
    current = next;
  }
  return current;
}

function addSynthetic(store: DriveStore, count: number, flat: boolean, prng: Prng): void {
  const ids: string[] = new Array<string>(count);
  for (const item of syntheticItems(count, flat)) {
    const id = newFileId(prng);
    ids[item.index] = id;
    store.create({
      id,
      name: item.name,
      mimeType: item.folder ? FOLDER : item.mimeType,
      parent: item.parent < 0 ? store.root.id : (ids[item.parent] as string),
      createdTime: item.modifiedTime,
      modifiedTime: item.modifiedTime,
      content: item.folder ? undefined : { kind: 'synthetic', key: item.index, size: item.size },
    });
  }
}

/** One store per seeded user, keyed by email. */
export function buildDrives(seed: Seed, deps: SeedDeps): Map<string, DriveStore> {
  return new Map(seed.users.map((user) => [user.email, buildUser(user, deps)]));
}
