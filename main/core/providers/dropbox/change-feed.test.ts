/**
 * DropboxChangeFeed on scripted pages (no emulator): batches bounded by a page count, parents
 * resolved from `path_lower` (Dropbox's folding, not JavaScript's), looked up together, and entries
 * whose parent is no folder any more left out.
 */
import { describe, expect, it } from 'vitest';
import { SkyfoldError } from '../../../../common/errors';
import type { ProviderChange, ProviderItem } from '../types';
import type { DropboxApi } from './api';
import { DropboxChangeFeed } from './change-feed';
import type { DropboxEntry } from './wire';

/** The items a `listAll` part lists (its upserts). */
const listedIn = (part: { changes: readonly ProviderChange[] }): ProviderItem[] =>
  part.changes.flatMap((change) => (change.kind === 'upsert' ? [change.item] : []));

const folder = (display: string, lower: string, id: string) => ({
  '.tag': 'folder',
  name: display.slice(display.lastIndexOf('/') + 1),
  path_display: display,
  path_lower: lower,
  id,
});
const file = (display: string, lower: string, id: string) => ({
  '.tag': 'file',
  name: display.slice(display.lastIndexOf('/') + 1),
  path_display: display,
  path_lower: lower,
  id,
  client_modified: '2024-01-01T00:00:00Z',
  server_modified: '2024-01-01T00:00:00Z',
  rev: '0123456789abc',
  size: 1,
});

/** An api whose list_folder/continue answers `pages` in turn (cursor `c<n>` leads to page n). */
function scriptedApi(pages: Array<{ entries: unknown[]; has_more: boolean }>): DropboxApi {
  const client = {
    filesListFolderContinue: async ({ cursor }: { cursor: string }) => {
      const index = Number(cursor.slice(1));
      return { result: { ...pages[index]!, cursor: `c${index + 1}` } };
    },
  };
  const api = {
    rpc: async (_what: string, request: (c: typeof client) => Promise<{ result: unknown }>) =>
      (await request(client)).result,
  };
  return api as unknown as DropboxApi;
}

/**
 * An api listing `pages` recursively: list_folder answers page 0 with cursor `c1`, list_folder/continue
 * with cursor `c<n>` answers page n with cursor `c<n+1>`. `calls` records the routes and arguments.
 */
function listingApi(pages: Array<{ entries: unknown[]; has_more: boolean }>) {
  const calls: Array<{ route: string; arg: unknown }> = [];
  const client = {
    filesListFolder: async (arg: unknown) => {
      calls.push({ route: 'list_folder', arg });
      return { result: { ...pages[0]!, cursor: 'c1' } };
    },
    filesListFolderContinue: async (arg: { cursor: string }) => {
      calls.push({ route: 'list_folder/continue', arg });
      const index = Number(arg.cursor.slice(1));
      return { result: { ...pages[index]!, cursor: `c${index + 1}` } };
    },
  };
  const api = {
    rpc: async (_what: string, request: (c: typeof client) => Promise<{ result: unknown }>) =>
      (await request(client)).result,
  };
  return { api: api as unknown as DropboxApi, calls };
}

/** A lookup over `entries` (by path_lower) that records its calls and how many ran at once. */
function lookupOf(entries: ReturnType<typeof folder | typeof file>[]) {
  const calls: string[] = [];
  let running = 0;
  let mostAtOnce = 0;
  const lookup = async (path: string): Promise<DropboxEntry> => {
    calls.push(path);
    mostAtOnce = Math.max(mostAtOnce, ++running);
    await new Promise((resolve) => setImmediate(resolve));
    running--;
    const entry = entries.find((candidate) => candidate.path_lower === path);
    if (!entry) throw new SkyfoldError('not_found', `nothing at ${path}`);
    return entry as DropboxEntry;
  };
  return { lookup, calls, mostAtOnce: () => mostAtOnce };
}

describe('DropboxChangeFeed.changesSince', () => {
  it('returns a partial batch with the cursor reached after its page limit; the next call goes on', async () => {
    const pages = Array.from({ length: 7 }, (_, n) => ({
      entries: [file(`/f${n}`, `/f${n}`, `id:f${n}`)],
      has_more: n < 6,
    }));
    const feed = new DropboxChangeFeed(scriptedApi(pages), lookupOf([]).lookup, 3);
    const first = await feed.changesSince('c0');
    expect(first).toMatchObject({ cursor: 'c3', more: true });
    expect(first.changes.map((change) => change.kind === 'upsert' && change.item.id)).toEqual([
      'id:f0',
      'id:f1',
      'id:f2',
    ]);
    const second = await feed.changesSince(first.cursor);
    const third = await feed.changesSince(second.cursor);
    expect(second.more).toBe(true);
    expect(third).toMatchObject({ cursor: 'c7', more: false });
    expect([...second.changes, ...third.changes]).toHaveLength(4);
  });

  it('stops at a bounded number of pages by default instead of failing on a long feed', async () => {
    const pages = Array.from({ length: 1200 }, (_, n) => ({ entries: [], has_more: n < 1199 }));
    const feed = new DropboxChangeFeed(scriptedApi(pages), lookupOf([]).lookup);
    const { cursor, more } = await feed.changesSince('c0');
    expect(Number(cursor.slice(1))).toBeLessThan(1200);
    expect(more).toBe(true);
  });

  it('leaves out an entry whose parent path now holds a file (as for a vanished parent)', async () => {
    const pages = [
      { entries: [file('/x/a.txt', '/x/a.txt', 'id:a'), file('/b.txt', '/b.txt', 'id:b')], has_more: false },
    ];
    const { lookup } = lookupOf([file('/x', '/x', 'id:x')]);
    const { changes } = await new DropboxChangeFeed(scriptedApi(pages), lookup).changesSince('c0');
    expect(changes).toEqual([
      { kind: 'upsert', item: expect.objectContaining({ id: 'id:b', parentId: 'root' }) },
    ]);
  });

  it('looks up distinct unknown parents once each, several at a time, and not those the page lists', async () => {
    const known = [
      folder('/p1', '/p1', 'id:p1'),
      folder('/p2', '/p2', 'id:p2'),
      folder('/p3', '/p3', 'id:p3'),
    ];
    const pages = [
      {
        entries: [
          file('/p1/a', '/p1/a', 'id:a'),
          file('/p2/b', '/p2/b', 'id:b'),
          file('/p1/c', '/p1/c', 'id:c'),
          file('/p3/d', '/p3/d', 'id:d'),
          folder('/new', '/new', 'id:new'),
          file('/new/e', '/new/e', 'id:e'),
        ],
        has_more: false,
      },
    ];
    const lookups = lookupOf(known);
    const { changes } = await new DropboxChangeFeed(scriptedApi(pages), lookups.lookup).changesSince('c0');
    expect(lookups.calls.sort()).toEqual(['/p1', '/p2', '/p3']);
    expect(lookups.mostAtOnce()).toBeGreaterThan(1);
    const parents = Object.fromEntries(
      changes.flatMap((change) => (change.kind === 'upsert' ? [[change.item.id, change.item.parentId]] : [])),
    );
    expect(parents).toMatchObject({
      'id:a': 'id:p1',
      'id:b': 'id:p2',
      'id:c': 'id:p1',
      'id:d': 'id:p3',
      'id:e': 'id:new',
    });
  });

  it("tells folders apart by Dropbox's path_lower, not by JavaScript's case folding", async () => {
    // Two folders whose names JavaScript lower-cases alike (U+212A KELVIN SIGN -> "k") but Dropbox does not.
    const pages = [
      {
        entries: [
          folder('/\u212a', '/\u212a', 'id:kelvin'),
          folder('/k', '/k', 'id:k'),
          file('/\u212a/x', '/\u212a/x', 'id:x'),
          { '.tag': 'deleted', name: 'k', path_display: '/K', path_lower: '/k' },
          file('/\u212a/y', '/\u212a/y', 'id:y'),
        ],
        has_more: false,
      },
    ];
    const lookups = lookupOf([]);
    const { changes } = await new DropboxChangeFeed(scriptedApi(pages), lookups.lookup).changesSince('c0');
    const parents = Object.fromEntries(
      changes.flatMap((change) => (change.kind === 'upsert' ? [[change.item.id, change.item.parentId]] : [])),
    );
    expect(parents).toMatchObject({ 'id:x': 'id:kelvin', 'id:y': 'id:kelvin' });
    expect(lookups.calls).toEqual([]);
    expect(changes).toContainEqual({ kind: 'removePath', path: ['K'] });
  });
});

describe('DropboxChangeFeed.listAll', () => {
  const tree = [
    folder('/A', '/a', 'id:a'),
    file('/A/one', '/a/one', 'id:one'),
    folder('/A/B', '/a/b', 'id:b'),
    file('/A/B/two', '/a/b/two', 'id:two'),
    file('/A/three', '/a/three', 'id:three'),
    file('/top', '/top', 'id:top'),
  ];
  /** The tree in pages of two entries, in Dropbox's order (a folder before its content). */
  const pages = [0, 2, 4].map((start) => ({ entries: tree.slice(start, start + 2), has_more: start < 4 }));
  const parentsOf = (items: Array<{ id: string; parentId: string | null }>) =>
    Object.fromEntries(items.map((item) => [item.id, item.parentId]));

  it('lists the root recursively without deleted entries, a page per call, and ends on a change cursor', async () => {
    const { api, calls } = listingApi(pages);
    const lookups = lookupOf(tree);
    const feed = new DropboxChangeFeed(api, lookups.lookup, 50, 2);
    const first = await feed.listAll(null);
    expect(calls).toEqual([
      { route: 'list_folder', arg: { path: '', recursive: true, include_deleted: false, limit: 2 } },
    ]);
    expect(first).toMatchObject({ next: 'c1', done: false });
    const second = await feed.listAll(first.next);
    const third = await feed.listAll(second.next);
    expect(calls.slice(1).map((call) => call.arg)).toEqual([{ cursor: 'c1' }, { cursor: 'c2' }]);
    expect(second).toMatchObject({ next: 'c2', done: false });
    expect(third).toMatchObject({ next: 'c3', done: true });
    // Folders of earlier parts are remembered: nothing is looked up.
    expect(lookups.calls).toEqual([]);
    expect(parentsOf([...listedIn(first), ...listedIn(second), ...listedIn(third)])).toEqual({
      'id:a': 'root',
      'id:one': 'id:a',
      'id:b': 'id:a',
      'id:two': 'id:b',
      'id:three': 'id:a',
      'id:top': 'root',
    });
  });

  it('repeats a part without lookups, and looks up the parents a resumed listing does not know', async () => {
    const { api } = listingApi(pages);
    const lookups = lookupOf(tree);
    const feed = new DropboxChangeFeed(api, lookups.lookup, 50, 2);
    const first = await feed.listAll(null);
    const second = await feed.listAll(first.next);
    expect(await feed.listAll(first.next)).toEqual(second);
    expect(lookups.calls).toEqual([]);
    // Another instance (a restart) resuming from a persisted cursor.
    const resumed = await new DropboxChangeFeed(api, lookups.lookup, 50, 2).listAll(second.next);
    expect(lookups.calls).toEqual(['/a']);
    expect(parentsOf(listedIn(resumed))).toEqual({ 'id:three': 'id:a', 'id:top': 'root' });
  });

  it('forgets the folders once done, and leaves out deleted entries and items whose parent is gone', async () => {
    const odd = [
      {
        entries: [
          { '.tag': 'deleted', name: 'old', path_display: '/old', path_lower: '/old' },
          file('/gone/x', '/gone/x', 'id:x'),
          folder('/C', '/c', 'id:c'),
        ],
        has_more: true,
      },
      { entries: [file('/C/y', '/c/y', 'id:y')], has_more: false },
    ];
    const { api } = listingApi(odd);
    const lookups = lookupOf([]);
    const feed = new DropboxChangeFeed(api, lookups.lookup, 50, 2);
    const first = await feed.listAll(null);
    expect(listedIn(first).map((item) => item.id)).toEqual(['id:c']);
    expect(lookups.calls).toEqual(['/gone']);
    expect(listedIn(await feed.listAll(first.next))).toEqual([expect.objectContaining({ parentId: 'id:c' })]);
    // Done: the next listing from that cursor knows nothing any more.
    await feed.listAll(first.next);
    expect(lookups.calls).toEqual(['/gone', '/c']);
  });
});
