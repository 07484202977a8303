import { describe, expect, it } from 'vitest';
import type { SkyfoldApi } from '../../../common/contract';
import type { AccountDto, ItemDto, MergedRowDto } from '../../../common/dto';
import {
  accountNode,
  accountNodeKey,
  childNodes,
  expandTrail,
  flattenTree,
  folderNodes,
  folderTrail,
  listMergedSubfolders,
  listSubfolders,
  loadChildren,
  mergedNodes,
  mergedRootKey,
  mergedRootNode,
  mergedTrail,
  readLeadingFolders,
  setExpanded,
  topKey,
  treeKeyCommand,
  typedRow,
  type Children,
  type Expanded,
  type TreeNode,
  type TreeRow,
} from './tree';

const account: AccountDto = {
  id: 'acc',
  name: 'Work',
  provider: 'gdrive',
  location: 'me@example.com',
  rootId: 'root',
  sync: { state: 'idle', itemCount: 0, lastSyncedAt: null },
  quota: null,
  health: 'ok',
};

function item(id: string, parentId: string | null, kind: 'file' | 'folder' = 'folder', name = id): ItemDto {
  return {
    accountId: 'acc',
    id,
    parentId,
    name,
    kind,
    size: kind === 'file' ? 1 : null,
    modifiedAt: null,
    mimeType: null,
    targetId: null,
  };
}

const mergedRow = (name: string, kind: 'file' | 'folder' = 'folder'): MergedRowDto => ({
  name,
  kind,
  items: [item(name, 'root', kind)],
});

const loaded = (nodes: readonly TreeNode[], more = false): Children => ({ status: 'loaded', nodes, more });

describe('nodes', () => {
  it('makes an account node of the root, leading to the account and listing its root', () => {
    expect(accountNode(account)).toMatchObject({
      key: 'account:acc',
      label: 'Work',
      location: { view: 'folder', accountId: 'acc', folderId: null },
      source: { kind: 'folder', accountId: 'acc', folderId: 'root' },
      dropTarget: { accountId: 'acc', folderId: 'root' },
      provider: 'gdrive',
    });
  });

  it('keeps folders only, and leads a folder shortcut to its target', () => {
    const shortcut = { ...item('s1', 'root', 'folder', 'Link'), targetId: 'far' };
    const nodes = folderNodes('account:acc', [item('a', 'root'), shortcut, item('f', 'root', 'file')]);
    expect(nodes.map((node) => node.key)).toEqual(['account:acc/a', 'account:acc/s1']);
    expect(nodes[1]).toMatchObject({
      label: 'Link',
      location: { view: 'folder', accountId: 'acc', folderId: 'far' },
      source: { kind: 'folder', accountId: 'acc', folderId: 'far' },
    });
  });

  it('makes merged nodes with paths under their parent and keys that ignore case', () => {
    const nodes = mergedNodes('merged/photos', '/Photos', [mergedRow('2024'), mergedRow('a.txt', 'file')]);
    expect(nodes).toHaveLength(1);
    expect(nodes[0]).toMatchObject({
      key: 'merged/photos/2024',
      location: { view: 'merged', path: '/Photos/2024' },
      dropTarget: null,
    });
    expect(mergedNodes(mergedRootKey, '/', [mergedRow('Photos')])[0]!.key).toBe('merged/photos');
  });
});

describe('readLeadingFolders', () => {
  const listing = (folders: number, files: number) => {
    const rows = [...Array.from({ length: folders }, () => 'd'), ...Array.from({ length: files }, () => 'f')];
    const calls: number[] = [];
    const read = (offset: number, limit: number) => {
      calls.push(offset);
      return Promise.resolve({ total: rows.length, rows: rows.slice(offset, offset + limit) });
    };
    return { read, calls };
  };
  const isFolder = (row: string) => row === 'd';

  it('stops at the first file', async () => {
    const { read, calls } = listing(150, 10_000);
    expect(await readLeadingFolders(read, isFolder)).toEqual({
      folders: Array.from({ length: 150 }, () => 'd'),
      more: false,
    });
    expect(calls).toEqual([0, 100]);
  });

  it('stops where the listing ends', async () => {
    const { read, calls } = listing(200, 0);
    expect((await readLeadingFolders(read, isFolder)).folders).toHaveLength(200);
    expect(calls).toEqual([0, 100]);
  });

  it('cuts at the limit and says there are more', async () => {
    const { read } = listing(12, 0);
    expect(await readLeadingFolders(read, isFolder, 10)).toEqual({
      folders: Array.from({ length: 10 }, () => 'd'),
      more: true,
    });
    expect((await readLeadingFolders(read, isFolder, 12)).more).toBe(false);
  });
});

describe('listing children', () => {
  const api = {
    listFolder: (args) =>
      Promise.resolve({
        folder: item(args.folderId, null),
        ancestors: [],
        total: 2,
        offset: args.offset,
        items: [item('sub', args.folderId), item('file', args.folderId, 'file')].slice(args.offset),
      }),
    listMerged: (args) =>
      Promise.resolve({
        path: args.path,
        folders: [],
        total: 2,
        offset: args.offset,
        rows: [mergedRow('Photos'), mergedRow('x.txt', 'file')].slice(args.offset),
      }),
  } satisfies Pick<SkyfoldApi, 'listFolder' | 'listMerged'>;

  it('lists an account folder’s subfolders and a merged folder’s folder rows', async () => {
    expect((await listSubfolders(api, 'acc', 'root')).folders.map((folder) => folder.id)).toEqual(['sub']);
    expect((await listMergedSubfolders(api, '/')).folders.map((row) => row.name)).toEqual(['Photos']);
  });

  it('makes nodes below the parent from either source’s listing', async () => {
    const folder = await loadChildren(api, { kind: 'folder', accountId: 'acc', folderId: 'root' });
    expect(folder).toMatchObject({ kind: 'folder', more: false });
    expect(childNodes('account:acc', folder).map((node) => node.key)).toEqual(['account:acc/sub']);
    expect(childNodes('account:acc/link', folder).map((node) => node.key)).toEqual(['account:acc/link/sub']);
    const merged = await loadChildren(api, { kind: 'merged', path: '/' });
    expect(childNodes(mergedRootKey, merged)[0]!.location).toEqual({ view: 'merged', path: '/Photos' });
  });
});

describe('flattenTree', () => {
  const root = accountNode(account);
  const [a, b] = folderNodes(root.key, [item('a', 'root'), item('b', 'root')]);
  const [a1] = folderNodes(a!.key, [item('a1', 'a')]);
  const roots = [mergedRootNode(), root];
  const keys = (rows: TreeRow[]) => rows.map((row) => row.key);

  it('shows only the top nodes while nothing is expanded', () => {
    const rows = flattenTree(roots, new Map(), () => undefined);
    expect(keys(rows)).toEqual(['merged', 'account:acc']);
    expect(rows[1]).toMatchObject({ level: 1, expanded: false, posInSet: 2, setSize: 2, parentKey: null });
  });

  it('puts expanded children after their parent, depth first, with levels', () => {
    const expanded: Expanded = new Map([
      [root.key, root.source],
      [a!.key, a!.source],
    ]);
    const children = new Map([
      [root.key, loaded([a!, b!])],
      [a!.key, loaded([a1!])],
    ]);
    const rows = flattenTree(roots, expanded, (key) => children.get(key));
    expect(keys(rows)).toEqual([
      'merged',
      'account:acc',
      'account:acc/a',
      'account:acc/a/a1',
      'account:acc/b',
    ]);
    expect(rows.map((row) => row.level)).toEqual([1, 1, 2, 3, 2]);
    expect(rows[4]).toMatchObject({ parentKey: root.key, posInSet: 2, setSize: 2, expanded: false });
  });

  it('shows a loading note until the listing arrives, and an error note when it failed', () => {
    const expanded: Expanded = new Map([[root.key, root.source]]);
    expect(flattenTree(roots, expanded, () => undefined)[2]).toMatchObject({
      type: 'note',
      note: 'loading',
      level: 2,
      parentKey: root.key,
    });
    const failed = flattenTree(roots, expanded, () => ({ status: 'error', message: 'offline' }));
    expect(failed[2]).toMatchObject({ note: 'error', text: 'Could not list folders: offline' });
  });

  it('makes an expanded node without folders a leaf', () => {
    const rows = flattenTree(roots, new Map([[root.key, root.source]]), () => loaded([]));
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({ expanded: null });
  });

  it('ends a cut level with a note that opens the parent', () => {
    const rows = flattenTree(roots, new Map([[root.key, root.source]]), () => loaded([a!], true));
    expect(rows[3]).toMatchObject({
      type: 'note',
      note: 'more',
      location: root.location,
      text: 'More folders… (open Work to see all)',
    });
  });
});

describe('treeKeyCommand', () => {
  const root = accountNode(account);
  const [a, b] = folderNodes(root.key, [item('a', 'root'), item('b', 'root')]);
  const expanded: Expanded = new Map([[root.key, root.source]]);
  const rows = flattenTree([mergedRootNode(), root], expanded, () => loaded([a!, b!]));
  // merged, account (expanded), a, b

  it('moves up and down, stopping at the ends, and jumps with Home and End', () => {
    expect(treeKeyCommand(rows, 0, 'ArrowDown')).toEqual({ type: 'focus', index: 1 });
    expect(treeKeyCommand(rows, 3, 'ArrowDown')).toBeNull();
    expect(treeKeyCommand(rows, 2, 'ArrowUp')).toEqual({ type: 'focus', index: 1 });
    expect(treeKeyCommand(rows, 0, 'ArrowUp')).toBeNull();
    expect(treeKeyCommand(rows, 2, 'Home')).toEqual({ type: 'focus', index: 0 });
    expect(treeKeyCommand(rows, 0, 'End')).toEqual({ type: 'focus', index: 3 });
  });

  it('expands a collapsed node with Right and enters an expanded one', () => {
    expect(treeKeyCommand(rows, 0, 'ArrowRight')).toEqual({
      type: 'expand',
      key: 'merged',
      source: { kind: 'merged', path: '/' },
    });
    expect(treeKeyCommand(rows, 1, 'ArrowRight')).toEqual({ type: 'focus', index: 2 });
  });

  it('collapses an expanded node with Left, else goes to the parent', () => {
    expect(treeKeyCommand(rows, 1, 'ArrowLeft')).toEqual({ type: 'collapse', key: root.key });
    expect(treeKeyCommand(rows, 3, 'ArrowLeft')).toEqual({ type: 'focus', index: 1 });
    expect(treeKeyCommand(rows, 0, 'ArrowLeft')).toBeNull();
  });

  it('does nothing with Right on a leaf, activates with Enter, ignores other keys', () => {
    const leafRows = flattenTree([root], expanded, () => loaded([]));
    expect(treeKeyCommand(leafRows, 0, 'ArrowRight')).toBeNull();
    expect(treeKeyCommand(rows, 2, 'Enter')).toEqual({ type: 'activate', index: 2 });
    expect(treeKeyCommand(rows, 2, 'x')).toBeNull();
  });

  it('finds nodes by their first letters, skipping notes', () => {
    expect(typedRow(rows, 'b', 0)).toBe(3);
    expect(typedRow(rows, 'w', 2)).toBe(1);
    expect(typedRow(rows, 'z', 0)).toBe(-1);
  });
});

describe('trails', () => {
  it('leads from the account’s node to a folder through its ancestors', () => {
    const trail = folderTrail(account, item('c', 'b'), [
      item('root', null),
      item('a', 'root'),
      item('b', 'a'),
    ]);
    expect(trail.map((step) => step.key)).toEqual([
      'account:acc',
      'account:acc/a',
      'account:acc/a/b',
      'account:acc/a/b/c',
    ]);
    expect(trail[2]!.source).toEqual({ kind: 'folder', accountId: 'acc', folderId: 'b' });
    expect(trail[0]!.source).toEqual({ kind: 'folder', accountId: 'acc', folderId: 'root' });
  });

  it('is the account’s node alone for its root', () => {
    expect(folderTrail(account, null, []).map((step) => step.key)).toEqual([accountNodeKey('acc')]);
    expect(folderTrail(account, item('root', null), []).map((step) => step.key)).toEqual(['account:acc']);
  });

  it('leads from "All clouds" to a merged path, matching the nodes’ keys whatever the case', () => {
    const trail = mergedTrail('/photos/2024');
    expect(trail.map((step) => step.key)).toEqual(['merged', 'merged/photos', 'merged/photos/2024']);
    expect(trail[1]!.source).toEqual({ kind: 'merged', path: '/photos' });
    const node = mergedNodes('merged', '/', [mergedRow('PHOTOS')])[0]!;
    expect(node.key).toBe(trail[1]!.key);
  });

  it('expands every step but the last', () => {
    const expanded = expandTrail(new Map(), mergedTrail('/Photos/2024'));
    expect([...expanded.keys()]).toEqual(['merged', 'merged/photos']);
  });
});

describe('setExpanded', () => {
  const source = { kind: 'merged', path: '/' } as const;

  it('adds and removes keys, and keeps the same map when nothing changes', () => {
    const one = setExpanded(new Map(), 'merged', source);
    expect(one.get('merged')).toEqual(source);
    expect(setExpanded(one, 'merged', source)).toBe(one);
    expect(setExpanded(one, 'merged', null).size).toBe(0);
    expect(setExpanded(one, 'other', null)).toBe(one);
  });

  it('collapses the nodes below a collapsed node, not its siblings', () => {
    const map = expandTrail(new Map(), mergedTrail('/a/b/c'));
    const withSibling = setExpanded(map, 'merged/ab', source);
    expect([...setExpanded(withSibling, 'merged/a', null).keys()]).toEqual(['merged', 'merged/ab']);
  });
});

describe('topKey', () => {
  it('names the top node of a key', () => {
    expect(topKey('account:acc/a/b')).toBe('account:acc');
    expect(topKey('merged')).toBe('merged');
  });
});
