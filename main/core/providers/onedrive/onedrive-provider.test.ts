/**
 * OnedriveProvider beyond the shared conformance suite, against the emulator: writes whose answer was
 * lost (checked, never repeated blindly), case-insensitive names and case-only renames, the delta
 * change feed (parts, removals, expired and foreign cursors), listing, copies, authentication and
 * malformed answers.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listAll, readAll } from '../../../../test/conformance/provider-suite';
import { OnedriveChangeFeed } from './change-feed';
import type { ProviderChange, ProviderItem } from '../types';
import type { OnedriveProvider } from './onedrive-provider';
import { itemFields } from './wire';
import { pattern, startLab, streamOf, type Lab } from './test-support';

/** The items a `listAll` part lists (its upserts). */
const listedIn = (part: { changes: readonly ProviderChange[] }): ProviderItem[] =>
  part.changes.flatMap((change) => (change.kind === 'upsert' ? [change.item] : []));

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(() => lab.close());
beforeEach(() => {
  lab.sent.length = 0;
  lab.emulator.admin.clearFaults();
});

const names = async (provider: OnedriveProvider, folder: string) =>
  (await listAll(provider, folder)).map((item) => item.name).sort();
const text = (provider: OnedriveProvider, value: string, parent: string, name: string) =>
  provider.write(parent, name, streamOf(Buffer.from(value)), {
    conflict: 'fail',
    size: Buffer.byteLength(value),
  });
const contentOf = async (provider: OnedriveProvider, id: string) =>
  (await readAll(await provider.read(id))).toString();
/** How often the fault rules fired so far. */
const fired = () => lab.emulator.admin.faults().reduce((total, rule) => total + rule.fired, 0);

describe('OnedriveProvider writes whose answer was lost', () => {
  it('creates a folder once (conflict=fail, and rename beside a taken name)', async () => {
    const provider = await lab.connect();
    const folder = await lab.scratch(provider);
    lab.emulator.admin.setFaults('drop POST /v1.0/* times=1');
    const first = await provider.mkdir(folder, 'Photos', { conflict: 'fail' });
    lab.emulator.admin.setFaults('drop POST /v1.0/* times=1');
    const second = await provider.mkdir(folder, 'Photos', { conflict: 'rename' });
    expect(fired()).toBe(1);
    expect([first.name, second.name]).toEqual(['Photos', 'Photos (2)']);
    expect(await names(provider, folder)).toEqual(['Photos', 'Photos (2)']);
  });

  it('moves once: the item found at its new place is the answer', async () => {
    const provider = await lab.connect();
    const folder = await lab.scratch(provider);
    const dest = await provider.mkdir(folder, 'dest', { conflict: 'fail' });
    const file = await text(provider, 'move me', folder, 'm.txt');
    lab.emulator.admin.setFaults('drop PATCH /v1.0/* times=1');
    const moved = await provider.move(file.id, { parentId: dest.id, name: 'moved.txt', conflict: 'fail' });
    expect(fired()).toBe(1);
    expect(moved).toMatchObject({ id: file.id, name: 'moved.txt', parentId: dest.id });
    expect(await names(provider, dest.id)).toEqual(['moved.txt']);
    expect(await contentOf(provider, file.id)).toBe('move me');
  });

  it('trashes once: an id OneDrive no longer finds was trashed', async () => {
    const provider = await lab.connect();
    const folder = await lab.scratch(provider);
    const file = await text(provider, 'x', folder, 'gone.txt');
    lab.emulator.admin.setFaults('drop DELETE /v1.0/* times=1');
    await provider.trash(file.id);
    expect(fired()).toBe(1);
    await expect(provider.stat(file.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('copies once when the answer of the copy request is lost (files and folders)', async () => {
    const provider = await lab.connect();
    const folder = await lab.scratch(provider);
    const file = await text(provider, 'copy me', folder, 'c.txt');
    const sub = await provider.mkdir(folder, 'sub', { conflict: 'fail' });
    await text(provider, 'inner', sub.id, 'inner.txt');
    lab.emulator.admin.setFaults('drop POST /v1.0/* times=1');
    const fileCopy = await provider.copy(file.id, { name: 'c copy.txt', conflict: 'fail' });
    lab.emulator.admin.setFaults('drop POST /v1.0/* times=1');
    const folderCopy = await provider.copy(sub.id, { name: 'sub copy', conflict: 'rename' });
    expect(fired()).toBe(1);
    expect(await contentOf(provider, fileCopy.id)).toBe('copy me');
    expect(folderCopy.name).toBe('sub copy');
    expect(await names(provider, folderCopy.id)).toEqual(['inner.txt']);
    // Let any job whose answer was lost run: it must not leave a second copy.
    lab.emulator.admin.advanceClock(10_000);
    expect(await names(provider, folder)).toEqual(['c copy.txt', 'c.txt', 'sub', 'sub copy']);
  });
});

describe('OnedriveProvider names', () => {
  it('treats names case-insensitively: a taken name in another case is a conflict, or numbered', async () => {
    const provider = await lab.connect();
    const folder = await lab.scratch(provider);
    await text(provider, 'one', folder, 'Notes.TXT');
    await expect(text(provider, 'two', folder, 'notes.txt')).rejects.toMatchObject({ code: 'conflict' });
    await expect(provider.mkdir(folder, 'NOTES.txt', { conflict: 'fail' })).rejects.toMatchObject({
      code: 'conflict',
    });
    const renamed = await provider.write(folder, 'notes.txt', streamOf(Buffer.from('two')), {
      conflict: 'rename',
      size: 3,
    });
    expect(renamed.name).toBe('notes (2).txt');
  });

  it('renames in case only with one PATCH, keeping the id', async () => {
    const provider = await lab.connect();
    const folder = await lab.scratch(provider);
    const file = await text(provider, 'case', folder, 'readme.md');
    lab.sent.length = 0;
    const renamed = await provider.move(file.id, { name: 'README.md', conflict: 'fail' });
    expect(renamed).toMatchObject({ id: file.id, name: 'README.md' });
    expect(lab.sent.filter((request) => request.method === 'PATCH')).toHaveLength(1);
    expect(await names(provider, folder)).toEqual(['README.md']);
  });

  it('never moves, copies or trashes the root, and refuses a folder copied into itself', async () => {
    const provider = await lab.connect();
    const folder = await lab.scratch(provider);
    const inner = await provider.mkdir(folder, 'inner', { conflict: 'fail' });
    await expect(provider.move(provider.rootId, { name: 'x', conflict: 'fail' })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(
      provider.copy(provider.rootId, { parentId: folder, conflict: 'fail' }),
    ).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(provider.trash(provider.rootId)).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(provider.copy(folder, { parentId: inner.id, conflict: 'fail' })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
  });
});

describe('OnedriveProvider listing and reading', () => {
  it('pages children with $top and $select, following absolute nextLinks', async () => {
    const provider = await lab.connect();
    const folder = await lab.scratch(provider);
    for (let i = 0; i < 7; i++) await text(provider, String(i), folder, `f${i}.txt`);
    lab.sent.length = 0;
    const pages: number[] = [];
    for await (const page of provider.list(folder, { pageSize: 3 })) pages.push(page.length);
    expect(pages).toEqual([3, 3, 1]);
    const listings = lab.sent.filter((request) => request.path.endsWith('/children'));
    expect(listings).toHaveLength(3);
    expect(decodeURIComponent(listings[0]!.query)).toContain('$top=3');
    expect(decodeURIComponent(listings[0]!.query)).toContain('$select=id,name,size');
    expect(listings[1]!.query).toContain('skiptoken');
  });

  it('refuses to list a file (invalid_argument) and a missing folder (not_found)', async () => {
    const provider = await lab.connect();
    const folder = await lab.scratch(provider);
    const file = await text(provider, 'x', folder, 'file.txt');
    await expect(listAll(provider, file.id)).rejects.toMatchObject({ code: 'invalid_argument' });
    await provider.trash(folder);
    await expect(listAll(provider, folder)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('reports the QuickXorHash of the bytes, and refuses other hash types and folders', async () => {
    const provider = await lab.connect();
    const folder = await lab.scratch(provider);
    const file = await text(provider, 'hello world', folder, 'h.txt');
    expect(await provider.hash(file.id, 'quickxor')).toBe('aCgDG9jwBhDc4Q1yawMZAAAAAAA=');
    await expect(provider.hash(file.id, 'sha256')).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(provider.hash(folder, 'quickxor')).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  it('reports the account e-mail and its quota', async () => {
    const provider = await lab.connect();
    const about = await provider.about();
    expect(about.displayName).toBe(lab.emulator.users[0]);
    expect(about.totalBytes).toBeGreaterThan(0);
    expect(about.usedBytes).toEqual(expect.any(Number));
  });

  it('refreshes an expired token once and goes on', async () => {
    const provider = await lab.connect();
    lab.emulator.admin.expireTokens();
    lab.sent.length = 0;
    expect((await provider.stat(provider.rootId)).kind).toBe('folder');
    expect(lab.sent.map((request) => request.path)).toEqual([
      `/v1.0/me/drive/items/${provider.rootId}`,
      `/v1.0/me/drive/items/${provider.rootId}`,
    ]);
  });

  it('fails with a clear permanent error on a malformed answer', async () => {
    const provider = await lab.connect({
      fetch: (inner) => async (input, init) => {
        if (String(input).includes('/children')) {
          return new Response('{"value": [{"id": ', {
            status: 200,
            headers: { 'Content-Type': 'application/json' },
          });
        }
        return inner(input, init);
      },
    });
    await expect(listAll(provider, provider.rootId)).rejects.toMatchObject({
      code: 'permanent',
      message: expect.stringContaining('malformed JSON'),
    });
  });
});

describe('OnedriveProvider change feed', () => {
  it('reports new nested items with their parents, moves, and removals by id (deleted facet)', async () => {
    const provider = await lab.connect();
    const folder = await lab.scratch(provider);
    const gone = await text(provider, 'g', folder, 'gone.txt');
    const cursor = await provider.changeFeed.startCursor();
    const sub = await provider.mkdir(folder, 'sub', { conflict: 'fail' });
    const nested = await text(provider, 'n', sub.id, 'nested.txt');
    await provider.move(nested.id, { parentId: folder, conflict: 'fail' });
    await provider.trash(gone.id);
    const { changes, more } = await provider.changeFeed.changesSince(cursor);
    expect(more).toBe(false);
    const last = new Map(
      changes.map((change) => [
        change.kind === 'upsert' ? change.item.id : change.kind === 'remove' ? change.id : '',
        change,
      ]),
    );
    expect(last.get(sub.id)).toMatchObject({
      kind: 'upsert',
      item: { name: 'sub', parentId: folder, kind: 'folder' },
    });
    expect(last.get(nested.id)).toMatchObject({
      kind: 'upsert',
      item: { name: 'nested.txt', parentId: folder },
    });
    expect(last.get(gone.id)).toEqual({ kind: 'remove', id: gone.id });
    expect(changes.some((change) => change.kind === 'upsert' && change.item.id === provider.rootId)).toBe(
      false,
    );
  });

  it('comes in parts when long (more: true), each cursor going on from the last', async () => {
    const provider = await lab.connect();
    const folder = await lab.scratch(provider);
    const cursor = await provider.changeFeed.startCursor();
    for (let i = 0; i < 12; i++) await text(provider, String(i), folder, `p${i}.txt`);
    const feed = new OnedriveChangeFeed((provider as unknown as { api: never }).api, provider.rootId, 1);
    const seen = new Set<string>();
    // Pages of 5 items (the delta link keeps `$top`), one page per call.
    let next = `${cursor}&$top=5`;
    let parts = 0;
    for (let more = true; more; parts++) {
      const batch = await feed.changesSince(next);
      for (const change of batch.changes) if (change.kind === 'upsert') seen.add(change.item.name);
      next = batch.cursor;
      more = batch.more;
    }
    expect(parts).toBeGreaterThanOrEqual(3);
    expect([...seen].filter((name) => name.startsWith('p'))).toHaveLength(12);
    expect((await provider.changeFeed.changesSince(next)).changes).toEqual([]);
  });

  it('throws invalid_argument for an expired delta token (410 resyncRequired), an unreadable one and a foreign cursor', async () => {
    const provider = await lab.connect();
    const cursor = await provider.changeFeed.startCursor();
    lab.emulator.admin.expireDeltaTokens();
    await expect(provider.changeFeed.changesSince(cursor)).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    // A token OneDrive cannot read (400).
    await expect(
      provider.changeFeed.changesSince('/me/drive/root/delta?token=garbage'),
    ).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    for (const foreign of [
      '',
      'https://graph.microsoft.com/v1.0/me/drive/root/delta?token=x',
      '/me/drive/items/x/children',
    ]) {
      await expect(provider.changeFeed.changesSince(foreign)).rejects.toMatchObject({
        code: 'invalid_argument',
      });
    }
  });
});

describe('OnedriveProvider first crawl (listAll)', () => {
  it('enumerates the drive with delta, a page per call, leaving out the root and trashed items', async () => {
    const setup = await lab.connect();
    const folder = await lab.scratch(setup);
    const sub = await setup.mkdir(folder, 'sub', { conflict: 'fail' });
    const created = [sub];
    for (const parent of [folder, sub.id])
      for (const name of ['a.txt', 'b.txt', 'c.txt']) created.push(await text(setup, name, parent, name));
    const gone = await text(setup, 'g', folder, 'gone.txt');
    await setup.trash(gone.id);
    const provider = await lab.connect({ listAllPageSize: 3 });
    lab.sent.length = 0;
    const listed = new Map<string, { parentId: string | null; name: string; kind: string }>();
    let part = await provider.changeFeed.listAll(null);
    const links = [part.next];
    while (!part.done) {
      for (const item of listedIn(part)) listed.set(item.id, item);
      part = await provider.changeFeed.listAll(part.next);
      links.push(part.next);
    }
    for (const item of listedIn(part)) listed.set(item.id, item);
    // One delta request per part: the first without a token, then each nextLink as it came.
    expect(lab.sent.map((sent) => sent.path + sent.query)).toEqual([
      `/v1.0/me/drive/root/delta?$select=${itemFields}&$top=3`,
      ...links.slice(0, -1).map((link) => `/v1.0${link}`),
    ]);
    expect(lab.sent.length).toBeGreaterThanOrEqual(3);
    expect(listed.has(provider.rootId)).toBe(false);
    expect(listed.has(gone.id)).toBe(false);
    expect(listed.get(folder)).toMatchObject({ parentId: provider.rootId, kind: 'folder' });
    for (const item of created)
      expect(listed.get(item.id)).toMatchObject({
        parentId: item.parentId,
        name: item.name,
        kind: item.kind,
      });

    // Done: `next` is a delta link from the start of the enumeration; later changes come through it.
    const later = await text(provider, 'l', sub.id, 'later.txt');
    const { changes } = await provider.changeFeed.changesSince(part.next);
    expect(changes).toContainEqual({
      kind: 'upsert',
      item: expect.objectContaining({ id: later.id, parentId: sub.id }),
    });
  });

  it('resumes from a persisted nextLink in a new instance; an expired or foreign one is invalid_argument', async () => {
    const setup = await lab.connect();
    const folder = await lab.scratch(setup);
    for (const name of ['a.txt', 'b.txt', 'c.txt', 'd.txt']) await text(setup, name, folder, name);
    const first = await (await lab.connect({ listAllPageSize: 2 })).changeFeed.listAll(null);
    expect(first.done).toBe(false);
    const restarted = await lab.connect({ listAllPageSize: 2 });
    const names = new Set(listedIn(first).map((item) => item.name));
    for (let next = first.next, done = false; !done;) {
      const part = await restarted.changeFeed.listAll(next);
      for (const item of listedIn(part)) names.add(item.name);
      ({ next, done } = part);
    }
    expect([...names]).toEqual(expect.arrayContaining(['a.txt', 'b.txt', 'c.txt', 'd.txt']));

    for (const foreign of [
      '',
      'https://graph.microsoft.com/v1.0/me/drive/root/delta',
      '/me/drive/items/x/children',
    ]) {
      await expect(restarted.changeFeed.listAll(foreign)).rejects.toMatchObject({ code: 'invalid_argument' });
    }
    await expect(restarted.changeFeed.listAll('/me/drive/root/delta?token=garbage')).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    lab.emulator.admin.expireDeltaTokens();
    await expect(restarted.changeFeed.listAll(first.next)).rejects.toMatchObject({
      code: 'invalid_argument',
    });
  });
});

describe('OnedriveProvider content', () => {
  it('writes and reads a file whose name needs encoding in a path (#, %, ?, spaces, non-ASCII)', async () => {
    const provider = await lab.connect();
    const folder = await lab.scratch(provider);
    const name = 'a #1 100% ready? caf\u00e9 & co.txt';
    // `?` is refused by OneDrive; the rest must be sent encoded and stored exactly.
    expect(provider.nameProblem(name)).not.toBeNull();
    const legal = name.replace('?', '');
    const item = await provider.write(folder, legal, streamOf(pattern(20)), { conflict: 'fail', size: 20 });
    expect(item.name).toBe(legal);
    expect(await names(provider, folder)).toEqual([legal]);
    expect((await readAll(await provider.read(item.id))).equals(pattern(20))).toBe(true);
    await expect(text(provider, 'again', folder, legal)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('reads a byte range also when the download URL ignores Range and sends the whole file (200)', async () => {
    const provider = await lab.connect();
    const folder = await lab.scratch(provider);
    const bytes = pattern(100_000);
    const item = await provider.write(folder, 'ranged.bin', streamOf(bytes), {
      conflict: 'fail',
      size: bytes.length,
    });
    const ranges = [{ start: 0, end: 9 }, { start: 12_345, end: 67_890 }, { start: 99_999 }];
    const expected = ranges.map((range) => bytes.subarray(range.start, (range.end ?? bytes.length - 1) + 1));
    for (const [index, range] of ranges.entries())
      expect((await readAll(await provider.read(item.id, range))).equals(expected[index]!)).toBe(true);
    lab.emulator.admin.setDownloadRanges('ignored');
    try {
      for (const [index, range] of ranges.entries())
        expect((await readAll(await provider.read(item.id, range))).equals(expected[index]!)).toBe(true);
    } finally {
      lab.emulator.admin.setDownloadRanges('honoured');
    }
  });
});
