/** The change feed (list_folder/continue), cursor errors, get_latest_cursor and list_folder/longpoll. */
import type { files } from 'dropbox';
import { afterEach, describe, expect, it } from 'vitest';
import { rejection, rpc, startHarness, tags, type Harness } from './test-support';

let h: Harness;
afterEach(() => h.close());

const upload = (path: string, text = path) => h.dbx.filesUpload({ path, contents: Buffer.from(text) });

/** Summarises feed entries as `tag path [id]`. */
const feed = (entries: readonly files.MetadataReference[]) =>
  entries.map((e) => `${e['.tag']} ${e.path_display}${'id' in e ? ` ${String(e.id).slice(0, 8)}` : ''}`);

async function latestCursor(path = '', recursive = true): Promise<string> {
  return (await h.dbx.filesListFolderGetLatestCursor({ path, recursive })).result.cursor;
}

describe('files/list_folder/continue', () => {
  it('reports a move as deleted at the old path plus the same id at the new one, parents first', async () => {
    h = await startHarness();
    const file = (await upload('/a/x.txt')).result;
    const cursor = await latestCursor();
    await h.dbx.filesMoveV2({ from_path: '/a', to_path: '/b/a' });
    const changes = await h.dbx.filesListFolderContinue({ cursor });
    const entries = changes.result.entries;
    expect(entries.map((e) => `${e['.tag']} ${e.path_lower}`)).toEqual([
      'deleted /a',
      'folder /b',
      'folder /b/a',
      'file /b/a/x.txt',
    ]);
    expect(entries[0]).toEqual({ '.tag': 'deleted', name: 'a', path_lower: '/a', path_display: '/a' });
    expect((entries[3] as files.FileMetadataReference).id).toBe(file.id);
    expect(changes.result.has_more).toBe(false);
    const none = await h.dbx.filesListFolderContinue({ cursor: changes.result.cursor });
    expect(none.result.entries).toEqual([]);
  });

  it('reports a deleted folder as one deleted entry, and a re-created path as deleted then the new item', async () => {
    h = await startHarness();
    await upload('/old/one.txt');
    await upload('/old/two.txt');
    await upload('/keep.txt', 'v1');
    const cursor = await latestCursor();
    await h.dbx.filesDeleteV2({ path: '/old' });
    await h.dbx.filesDeleteV2({ path: '/keep.txt' });
    await upload('/keep.txt', 'v2');
    await h.dbx.filesUpload({ path: '/old', contents: Buffer.from('now a file') });
    const changes = await h.dbx.filesListFolderContinue({ cursor });
    expect(changes.result.entries.map((e) => `${e['.tag']} ${e.path_display}`)).toEqual([
      'deleted /keep.txt',
      'file /keep.txt',
      'deleted /old',
      'file /old',
    ]);
  });

  it('scopes the feed to the listed folder; non-recursive cursors see direct children only', async () => {
    h = await startHarness();
    await h.dbx.filesCreateFolderV2({ path: '/in/sub' });
    const shallow = await latestCursor('/in', false);
    const deep = await latestCursor('/in', true);
    await upload('/in/top.txt');
    await upload('/in/sub/low.txt');
    await upload('/out.txt');
    expect(
      feed((await h.dbx.filesListFolderContinue({ cursor: shallow })).result.entries).map(
        (e) => e.split(' ')[1],
      ),
    ).toEqual(['/in/top.txt']);
    expect(
      feed((await h.dbx.filesListFolderContinue({ cursor: deep })).result.entries).map(
        (e) => e.split(' ')[1],
      ),
    ).toEqual(['/in/sub/low.txt', '/in/top.txt']);
    await h.dbx.filesDeleteV2({ path: '/in' });
    expect(tags(await rejection(h.dbx.filesListFolderContinue({ cursor: deep })))).toBe('path/not_found');
  });

  it('pages the changes with the listing limit and does not report case-only renames', async () => {
    h = await startHarness();
    const listing = await h.dbx.filesListFolder({ path: '', limit: 2 });
    for (const name of ['1', '2', '3', '4', '5']) await upload(`/${name}.txt`);
    const first = await h.dbx.filesListFolderContinue({ cursor: listing.result.cursor });
    expect(first.result.entries).toHaveLength(2);
    expect(first.result.has_more).toBe(true);
    const second = await h.dbx.filesListFolderContinue({ cursor: first.result.cursor });
    const third = await h.dbx.filesListFolderContinue({ cursor: second.result.cursor });
    expect(
      [...first.result.entries, ...second.result.entries, ...third.result.entries].map((e) => e.name),
    ).toEqual(['1.txt', '2.txt', '3.txt', '4.txt', '5.txt']);
    expect(third.result.has_more).toBe(false);
    await h.dbx.filesMoveV2({ from_path: '/1.txt', to_path: '/1.TXT' });
    expect((await h.dbx.filesListFolderContinue({ cursor: third.result.cursor })).result.entries).toEqual([]);
  });

  it('lists the whole account recursively without deleted entries, then reports later changes from the last cursor', async () => {
    h = await startHarness();
    await upload('/a/one.txt');
    await upload('/a/b/two.txt');
    await upload('/top.txt');
    await upload('/dead/x.txt');
    await h.dbx.filesDeleteV2({ path: '/dead' });
    const listed: string[] = [];
    let page = (await h.dbx.filesListFolder({ path: '', recursive: true, include_deleted: false, limit: 2 }))
      .result;
    for (;;) {
      expect(page.entries.length).toBeLessThanOrEqual(2);
      listed.push(...feed(page.entries).map((e) => e.split(' ').slice(0, 2).join(' ')));
      if (!page.has_more) break;
      page = (await h.dbx.filesListFolderContinue({ cursor: page.cursor })).result;
    }
    // No entry for the root, no deleted entry; folders before their content.
    expect(listed).toEqual([
      'folder /a',
      'folder /a/b',
      'file /a/b/two.txt',
      'file /a/one.txt',
      'file /top.txt',
    ]);
    await h.dbx.filesDeleteV2({ path: '/a/one.txt' });
    await upload('/a/b/three.txt');
    const changes = await h.dbx.filesListFolderContinue({ cursor: page.cursor });
    expect(feed(changes.result.entries).map((e) => e.split(' ').slice(0, 2).join(' '))).toEqual([
      'file /a/b/three.txt',
      'deleted /a/one.txt',
    ]);
  });

  it('lists deleted entries with include_deleted, after the live ones', async () => {
    h = await startHarness();
    await upload('/live.txt');
    await upload('/dead/x.txt');
    await h.dbx.filesDeleteV2({ path: '/dead' });
    const listing = await h.dbx.filesListFolder({ path: '', recursive: true, include_deleted: true });
    expect(feed(listing.result.entries).map((e) => e.split(' ').slice(0, 2).join(' '))).toEqual([
      'file /live.txt',
      'deleted /dead',
      'deleted /dead/x.txt',
    ]);
  });

  it('answers reset (409) for a cursor from before an admin reset, 400 for garbage', async () => {
    h = await startHarness();
    const cursor = await latestCursor();
    await h.emulator.admin.reset();
    const reset = await rejection(h.dbx.filesListFolderContinue({ cursor }));
    expect(reset.status).toBe(409);
    expect(reset.error).toEqual({
      error_summary: expect.stringMatching(/^reset\/\.+$/),
      error: { '.tag': 'reset' },
    });
    const garbage = await rpc(h, 'files/list_folder/continue', { cursor: 'foo' });
    expect(garbage.status).toBe(400);
    expect(garbage.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await garbage.text()).toBe(
      `Error in call to API function "files/list_folder/continue": Invalid "cursor" parameter: 'foo'`,
    );
  });
});

describe('files/list_folder/longpoll', () => {
  const never = () => new Promise<void>(() => undefined);
  const longpoll = (cursor: string, timeout?: number) =>
    fetch(`${h.url}/2/files/list_folder/longpoll`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ cursor, timeout }),
    });

  it('needs no token, answers at once when changes are waiting and early when one lands', async () => {
    h = await startHarness({ sleep: never });
    const cursor = await latestCursor();
    await upload('/first.txt');
    expect(await (await longpoll(cursor)).json()).toEqual({ changes: true });
    const fresh = await latestCursor();
    const pending = longpoll(fresh, 480);
    await upload('/second.txt');
    const answer = await pending;
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(await answer.json()).toEqual({ changes: true });
    const sdk = await h.dbx.filesListFolderLongpoll({ cursor: fresh });
    expect(sdk.result).toEqual({ changes: true });
  });

  it('times out with changes: false when the clock passes the timeout, ignores changes elsewhere', async () => {
    h = await startHarness({ sleep: never });
    await h.dbx.filesCreateFolderV2({ path: '/watched' });
    const cursor = await latestCursor('/watched');
    const pending = longpoll(cursor, 60);
    await upload('/elsewhere.txt');
    h.emulator.admin.advanceClock(59_000);
    h.emulator.admin.advanceClock(1_000);
    expect(await (await pending).json()).toEqual({ changes: false });
  });

  it('counts a deleted or moved listed folder (or a folder above it) as a change, as continue does', async () => {
    h = await startHarness();
    await upload('/a/b/c.txt');
    await upload('/m/n.txt');
    const underA = await latestCursor('/a/b', false);
    const moved = await latestCursor('/m', false);
    const replaced = await latestCursor('/a/b', false);
    expect(await (await longpoll(underA)).json()).toEqual({ changes: false });
    await h.dbx.filesMoveV2({ from_path: '/m', to_path: '/elsewhere' });
    await h.dbx.filesDeleteV2({ path: '/a' });
    for (const cursor of [underA, moved]) {
      expect(await (await longpoll(cursor)).json()).toEqual({ changes: true });
      expect(tags(await rejection(h.dbx.filesListFolderContinue({ cursor })))).toBe('path/not_found');
    }
    // Back again, the folder lost what the feed cannot describe: continue says reset.
    await h.dbx.filesCreateFolderV2({ path: '/a/b' });
    expect(await (await longpoll(replaced)).json()).toEqual({ changes: true });
    expect(tags(await rejection(h.dbx.filesListFolderContinue({ cursor: replaced })))).toBe('reset');
  });

  it('refuses an Authorization header or parameter: the route takes no credentials', async () => {
    h = await startHarness();
    const cursor = await latestCursor();
    const body = JSON.stringify({ cursor });
    const url = `${h.url}/2/files/list_folder/longpoll`;
    const withHeader = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${h.token}` },
      body,
    });
    const withParameter = await fetch(`${url}?authorization=${encodeURIComponent(`Bearer ${h.token}`)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
    });
    for (const response of [withHeader, withParameter]) {
      expect(response.status).toBe(400);
      expect(await response.text()).toBe(
        'Error in call to API function "files/list_folder/longpoll": Your request includes an Authorization header, but this function does not use it.',
      );
    }
  });

  it('ends with the injected timer, and refuses bad timeouts and reset cursors', async () => {
    h = await startHarness();
    const cursor = await latestCursor();
    expect(await (await longpoll(cursor)).json()).toEqual({ changes: false });
    const short = await longpoll(cursor, 10);
    expect(short.status).toBe(400);
    expect(await short.text()).toBe(
      'Error in call to API function "files/list_folder/longpoll": request body: timeout: 10 is not within range [30, 480]',
    );
    await h.emulator.admin.reset();
    const reset = await longpoll(cursor);
    expect(reset.status).toBe(409);
    expect(await reset.json()).toEqual({
      error_summary: expect.stringMatching(/^reset\//),
      error: { '.tag': 'reset' },
    });
  });
});
