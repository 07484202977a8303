/**
 * DropboxChangeFeed on scripted pages (no emulator): batches bounded by a page count, parents
 * resolved from `path_lower` (Dropbox's folding, not JavaScript's), looked up together, and entries
 * whose parent is no folder any more left out.
 */
import { describe, expect, it } from 'vitest';
import { SkyfoldError } from '../../../../common/errors';
import type { DropboxApi } from './api';
import { DropboxChangeFeed } from './change-feed';
import type { DropboxEntry } from './wire';

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
