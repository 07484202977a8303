import { describe, expect, it } from 'vitest';
import type { MethodArgs } from '../../../common/contract';
import type { ItemDto, MergedRowDto } from '../../../common/dto';
import { accountCrumbs, collapseCrumbs, initialMenuIndex, menuKeyCommand, mergedCrumbs } from './crumbs';

function folder(id: string, parentId: string | null, name = id, targetId: string | null = null): ItemDto {
  return {
    accountId: 'acc',
    id,
    parentId,
    name,
    kind: 'folder',
    size: null,
    modifiedAt: null,
    mimeType: null,
    targetId,
  };
}

const file = (id: string, parentId: string): ItemDto => ({ ...folder(id, parentId), kind: 'file', size: 1 });

/** A listFolder over a fixed tree: `children[folderId]`, folders first. */
function folderApi(children: Record<string, ItemDto[]>) {
  const asked: string[] = [];
  return {
    asked,
    listFolder: (args: MethodArgs<'listFolder'>) => {
      asked.push(args.folderId);
      const items = children[args.folderId] ?? [];
      return Promise.resolve({
        folder: folder(args.folderId, null),
        ancestors: [],
        total: items.length,
        offset: args.offset,
        items: items.slice(args.offset, args.offset + args.limit),
      });
    },
  };
}

describe('accountCrumbs', () => {
  const root = folder('root', null, '/home/me');
  const photos = folder('photos', 'root', 'Photos');
  const y2024 = folder('y2024', 'photos', '2024');
  const account = { id: 'acc', name: 'Work' };

  it('labels the root with the account’s name and leads each crumb to its folder', () => {
    const api = folderApi({});
    const crumbs = accountCrumbs(account, y2024, [root, photos], api);
    expect(crumbs.map((crumb) => crumb.label)).toEqual(['Work', 'Photos', '2024']);
    expect(crumbs.map((crumb) => crumb.location)).toEqual([
      { view: 'folder', accountId: 'acc', folderId: null },
      { view: 'folder', accountId: 'acc', folderId: 'photos' },
      { view: 'folder', accountId: 'acc', folderId: 'y2024' },
    ]);
    expect(crumbs.map((crumb) => crumb.current)).toEqual([false, false, true]);
    expect(crumbs[0]!.dropTarget).toEqual({ accountId: 'acc', folderId: 'root' });
    expect(api.asked).toEqual([]); // nothing is listed until a dropdown opens
  });

  it('is one crumb at the root', () => {
    const crumbs = accountCrumbs(account, root, [], folderApi({}));
    expect(crumbs).toHaveLength(1);
    expect(crumbs[0]).toMatchObject({ label: 'Work', current: true });
  });

  it('lists a crumb’s subfolders, marking the next crumb and leading shortcuts to their targets', async () => {
    const api = folderApi({
      root: [
        folder('docs', 'root', 'Docs'),
        photos,
        folder('link', 'root', 'Link', 'far'),
        file('a', 'root'),
      ],
      y2024: [folder('summer', 'y2024', 'Summer')],
    });
    const crumbs = accountCrumbs(account, y2024, [root, photos], api);
    expect(await crumbs[0]!.children()).toEqual([
      { label: 'Docs', location: { view: 'folder', accountId: 'acc', folderId: 'docs' }, onPath: false },
      { label: 'Photos', location: { view: 'folder', accountId: 'acc', folderId: 'photos' }, onPath: true },
      { label: 'Link', location: { view: 'folder', accountId: 'acc', folderId: 'far' }, onPath: false },
    ]);
    expect(await crumbs[2]!.children()).toEqual([
      { label: 'Summer', location: { view: 'folder', accountId: 'acc', folderId: 'summer' }, onPath: false },
    ]);
    expect(api.asked).toEqual(['root', 'y2024']);
  });
});

describe('mergedCrumbs', () => {
  const row = (name: string, kind: 'file' | 'folder' = 'folder'): MergedRowDto => ({
    name,
    kind,
    items: [kind === 'folder' ? folder(name, 'root', name) : file(name, 'root')],
  });
  const asked: string[] = [];
  const api = {
    listMerged: (args: MethodArgs<'listMerged'>) => {
      asked.push(args.path);
      const rows = [row('Music'), row('PHOTOS'), row('readme.txt', 'file')];
      return Promise.resolve({ path: args.path, folders: [], total: rows.length, offset: 0, rows });
    },
  };

  it('starts with "All clouds" and has a crumb per name of the path', () => {
    const crumbs = mergedCrumbs('/Photos/2024', api);
    expect(crumbs.map((crumb) => crumb.label)).toEqual(['All clouds', 'Photos', '2024']);
    expect(crumbs.map((crumb) => crumb.location)).toEqual([
      { view: 'merged', path: '/' },
      { view: 'merged', path: '/Photos' },
      { view: 'merged', path: '/Photos/2024' },
    ]);
    expect(crumbs.map((crumb) => crumb.current)).toEqual([false, false, true]);
    expect(crumbs.every((crumb) => crumb.dropTarget === null)).toBe(true);
    expect(mergedCrumbs('/', api)).toMatchObject([{ label: 'All clouds', current: true }]);
  });

  it('lists the merged folders inside a crumb, marking the next crumb whatever its case', async () => {
    const children = await mergedCrumbs('/Photos/2024', api)[0]!.children();
    expect(children).toEqual([
      { label: 'Music', location: { view: 'merged', path: '/Music' }, onPath: false },
      { label: 'PHOTOS', location: { view: 'merged', path: '/PHOTOS' }, onPath: true },
    ]);
    await mergedCrumbs('/Photos/2024', api)[1]!.children();
    expect(asked).toEqual(['/', '/Photos']);
  });
});

describe('collapseCrumbs', () => {
  it('shows a short trail whole', () => {
    expect(collapseCrumbs(['a', 'b', 'c', 'd', 'e'])).toEqual(
      ['a', 'b', 'c', 'd', 'e'].map((crumb) => ({ kind: 'crumb', crumb })),
    );
  });

  it('folds the middle of a long trail, keeping the first and the last crumbs', () => {
    expect(collapseCrumbs(['a', 'b', 'c', 'd', 'e', 'f', 'g'])).toHaveLength(7);
    expect(collapseCrumbs(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'])).toEqual([
      { kind: 'crumb', crumb: 'a' },
      { kind: 'overflow', hidden: ['b', 'c', 'd'] },
      { kind: 'crumb', crumb: 'e' },
      { kind: 'crumb', crumb: 'f' },
      { kind: 'crumb', crumb: 'g' },
      { kind: 'crumb', crumb: 'h' },
      { kind: 'crumb', crumb: 'i' },
    ]);
    expect(collapseCrumbs(['a', 'b', 'c', 'd'], 3)).toEqual([
      { kind: 'crumb', crumb: 'a' },
      { kind: 'overflow', hidden: ['b', 'c'] },
      { kind: 'crumb', crumb: 'd' },
    ]);
  });
});

describe('menuKeyCommand', () => {
  it('moves with the arrows, wrapping around, and jumps with Home and End', () => {
    expect(menuKeyCommand(3, 0, 'ArrowDown')).toEqual({ type: 'focus', index: 1 });
    expect(menuKeyCommand(3, 2, 'ArrowDown')).toEqual({ type: 'focus', index: 0 });
    expect(menuKeyCommand(3, 0, 'ArrowUp')).toEqual({ type: 'focus', index: 2 });
    expect(menuKeyCommand(3, -1, 'ArrowUp')).toEqual({ type: 'focus', index: 2 });
    expect(menuKeyCommand(3, 1, 'Home')).toEqual({ type: 'focus', index: 0 });
    expect(menuKeyCommand(3, 1, 'End')).toEqual({ type: 'focus', index: 2 });
  });

  it('activates with Enter and Space, closes with Escape, even when empty', () => {
    expect(menuKeyCommand(3, 1, 'Enter')).toEqual({ type: 'activate', index: 1 });
    expect(menuKeyCommand(3, 1, ' ')).toEqual({ type: 'activate', index: 1 });
    expect(menuKeyCommand(0, -1, 'Escape')).toEqual({ type: 'close' });
    expect(menuKeyCommand(0, -1, 'ArrowDown')).toBeNull();
    expect(menuKeyCommand(3, 1, 'x')).toBeNull();
  });

  it('opens on the folder of the path, else at the start or the end', () => {
    expect(initialMenuIndex([{ onPath: false }, { onPath: true }], false)).toBe(1);
    expect(initialMenuIndex([{ onPath: false }, { onPath: false }], false)).toBe(0);
    expect(initialMenuIndex([{}, {}, {}], true)).toBe(2);
    expect(initialMenuIndex([], false)).toBe(-1);
  });
});
