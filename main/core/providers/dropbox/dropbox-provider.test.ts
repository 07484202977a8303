/**
 * DropboxProvider behaviour beyond the shared conformance suite, against the emulator: the change
 * feed (path removals, parent resolution, reset cursors, longpoll), authentication, malformed
 * answers, writes whose answer was lost (checked, never repeated blindly), case-insensitive names and
 * case-only renames, ranged reads without a lookup, and account facts.
 */
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDropboxEmulator, type DropboxEmulator } from '../../../../emulators/dropbox/emulator';
import { readAll } from '../../../../test/conformance/provider-suite';
import { Pacer } from '../pacer';
import type { AccessTokenSource, ProviderChange, ProviderItem } from '../types';
import { DropboxProvider } from './dropbox-provider';

/** The items a `listAll` part lists (its upserts). */
const listedIn = (part: { changes: readonly ProviderChange[] }): ProviderItem[] =>
  part.changes.flatMap((change) => (change.kind === 'upsert' ? [change.item] : []));

let emulator: DropboxEmulator;
/** Releases the emulator's pending longpoll timeouts (its injected `sleep`). */
const pendingTimeouts: Array<() => void> = [];
let folderCount = 0;

beforeAll(async () => {
  emulator = await startDropboxEmulator({
    seed: 'empty',
    sleep: () => new Promise<void>((resolve) => pendingTimeouts.push(resolve)),
  });
});
afterAll(async () => {
  for (const release of pendingTimeouts.splice(0)) release();
  await emulator.close();
});
afterEach(() => emulator.admin.clearFaults());

function tokenSource(): AccessTokenSource & { invalidated: string[] } {
  const user = emulator.users[0]!;
  let token = emulator.admin.issueTokens(user).access_token;
  const invalidated: string[] = [];
  return {
    invalidated,
    getAccessToken: async () => token,
    invalidate: (rejected) => {
      invalidated.push(rejected);
      if (rejected === token) token = emulator.admin.issueTokens(user).access_token;
    },
  };
}

function connect(
  options: {
    fetch?: typeof fetch;
    tokens?: AccessTokenSource;
    retries?: number;
    listAllPageSize?: number;
  } = {},
) {
  return DropboxProvider.connect({
    apiBaseUrl: emulator.url,
    ...(options.listAllPageSize === undefined ? {} : { listAllPageSize: options.listAllPageSize }),
    tokens: options.tokens ?? tokenSource(),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.retries === undefined
      ? {}
      : {
          pacer: new Pacer({
            maxConcurrency: 4,
            maxRetries: options.retries,
            baseDelayMs: 1,
            maxDelayMs: 1,
            sleep: async () => undefined,
          }),
        }),
  });
}

/** The routes (`/2/files/...`) of the requests sent through it, in order. */
function recording(): { fetch: typeof fetch; routes: string[] } {
  const routes: string[] = [];
  return {
    routes,
    fetch: async (input, init) => {
      routes.push(new URL(input instanceof Request ? input.url : String(input)).pathname);
      return fetch(input, init);
    },
  };
}

async function childNames(provider: DropboxProvider, parentId: string): Promise<string[]> {
  const names: string[] = [];
  for await (const page of provider.list(parentId)) names.push(...page.map((item) => item.name));
  return names.sort();
}

async function folder(provider: DropboxProvider, parentId = provider.rootId, name?: string) {
  return provider.mkdir(parentId, name ?? `folder-${++folderCount}`, { conflict: 'fail' });
}

const text = (value: string) => Readable.from([Buffer.from(value)]);

describe('DropboxProvider change feed', () => {
  it('resolves parents of new nested items and reports removals by path', async () => {
    const provider = await connect();
    const base = await folder(provider);
    const old = await folder(provider, base.id, 'Old');
    const cursor = await provider.changeFeed.startCursor();
    const outer = await folder(provider, base.id, 'Outer');
    const inner = await folder(provider, outer.id, 'Inner');
    const file = await provider.write(inner.id, 'deep.txt', text('x'), { conflict: 'fail' });
    await provider.trash(old.id);
    const { changes } = await provider.changeFeed.changesSince(cursor);
    const upserts = new Map(
      changes.flatMap((change) => (change.kind === 'upsert' ? [[change.item.id, change.item]] : [])),
    );
    expect(upserts.get(outer.id)).toMatchObject({ parentId: base.id, kind: 'folder' });
    expect(upserts.get(inner.id)).toMatchObject({ parentId: outer.id });
    expect(upserts.get(file.id)).toMatchObject({ parentId: inner.id, name: 'deep.txt' });
    expect(changes).toContainEqual({ kind: 'removePath', path: [base.name, 'Old'] });
  });

  it('leaves out an item whose parent vanished while the feed was read (its removal follows)', async () => {
    const setup = await connect();
    const base = await folder(setup);
    const doomed = await folder(setup, base.id, 'Doomed');
    const cursor = await setup.changeFeed.startCursor();
    const orphan = await setup.write(doomed.id, 'orphan.txt', text('o'), { conflict: 'fail' });
    // The parent is trashed right after Dropbox answered the page that still lists its child.
    let listed = '';
    const racing: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (String(input).endsWith('/2/files/list_folder/continue')) {
        listed += await response.clone().text();
        await setup.trash(doomed.id).catch(() => undefined);
      }
      return response;
    };
    const provider = await connect({ fetch: racing });
    const first = await provider.changeFeed.changesSince(cursor);
    expect(listed).toContain('orphan.txt');
    expect(first.changes.some((change) => change.kind === 'upsert' && change.item.id === orphan.id)).toBe(
      false,
    );
    const next = await setup.changeFeed.changesSince(first.cursor);
    expect(next.changes).toContainEqual({ kind: 'removePath', path: [base.name, 'Doomed'] });
  });

  it('wakes a longpoll when something changes, with no backoff asked', async () => {
    const provider = await connect();
    const cursor = await provider.changeFeed.startCursor();
    const waiting = provider.changeFeed.waitForChanges(cursor, { timeoutSeconds: 30 });
    await folder(provider);
    expect(await waiting).toEqual({ changed: true, backoffSeconds: null });
  });

  it('ends a longpoll without changes when its timeout passes, or when aborted', async () => {
    const provider = await connect();
    const cursor = await provider.changeFeed.startCursor();
    pendingTimeouts.splice(0);
    const waiting = provider.changeFeed.waitForChanges(cursor, { timeoutSeconds: 30 });
    while (pendingTimeouts.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    pendingTimeouts.shift()!();
    expect(await waiting).toEqual({ changed: false, backoffSeconds: null });

    const controller = new AbortController();
    const aborted = provider.changeFeed.waitForChanges(cursor, { signal: controller.signal });
    controller.abort();
    expect(await aborted).toEqual({ changed: false, backoffSeconds: null });
  });

  it('throws invalid_argument for a cursor Dropbox reset (the caller crawls again)', async () => {
    const provider = await connect();
    const cursor = await provider.changeFeed.startCursor();
    await emulator.admin.reset();
    await expect(provider.changeFeed.changesSince(cursor)).rejects.toMatchObject({
      code: 'invalid_argument',
    });
  });
});

describe('DropboxProvider first crawl (listAll)', () => {
  /** A folder with two levels of folders under it and files at each level. */
  async function tree(provider: DropboxProvider) {
    const base = await folder(provider);
    const outer = await folder(provider, base.id, 'Outer');
    const inner = await folder(provider, outer.id, 'Inner');
    const files = [];
    for (const parent of [base, outer, inner]) {
      for (const name of ['a.txt', 'b.txt'])
        files.push(await provider.write(parent.id, name, text(name), { conflict: 'fail' }));
    }
    return { base, items: [outer, inner, ...files] };
  }

  it('lists the whole account in pages of a recursive list_folder, resolving parents with no lookup', async () => {
    const { base, items } = await tree(await connect());
    const { fetch, routes } = recording();
    const provider = await connect({ fetch, listAllPageSize: 3 });
    const listed = new Map<string, { parentId: string | null; name: string }>();
    let part = await provider.changeFeed.listAll(null);
    for (let parts = 1; ; parts++) {
      for (const item of listedIn(part)) listed.set(item.id, item);
      if (part.done) {
        expect(parts).toBeGreaterThanOrEqual(3);
        break;
      }
      part = await provider.changeFeed.listAll(part.next);
    }
    expect(routes[0]).toBe('/2/files/list_folder');
    expect(new Set(routes.slice(1))).toEqual(new Set(['/2/files/list_folder/continue']));
    expect(listed.get(base.id)).toMatchObject({ parentId: provider.rootId, name: base.name });
    for (const item of items)
      expect(listed.get(item.id)).toMatchObject({ parentId: item.parentId, name: item.name });
    expect(listed.has(provider.rootId)).toBe(false);

    // Done: `next` reports what changes afterwards.
    const later = await provider.write(base.id, 'later.txt', text('l'), { conflict: 'fail' });
    await provider.trash(items[0]!.id);
    const { changes } = await provider.changeFeed.changesSince(part.next);
    expect(changes).toContainEqual({
      kind: 'upsert',
      item: expect.objectContaining({ id: later.id, parentId: base.id }),
    });
    expect(changes).toContainEqual({ kind: 'removePath', path: [base.name, 'Outer'] });
  });

  it('resumes from a persisted cursor in another instance, looking up the parents it does not know', async () => {
    const { items } = await tree(await connect());
    const first = await (await connect({ listAllPageSize: 3 })).changeFeed.listAll(null);
    const { fetch, routes } = recording();
    const restarted = await connect({ fetch, listAllPageSize: 3 });
    const listed = new Map<string, { parentId: string | null }>(
      listedIn(first).map((item) => [item.id, item]),
    );
    for (let next = first.next, done = first.done; !done;) {
      const part = await restarted.changeFeed.listAll(next);
      for (const item of listedIn(part)) listed.set(item.id, item);
      ({ next, done } = part);
    }
    expect(routes).toContain('/2/files/get_metadata');
    for (const item of items) expect(listed.get(item.id)).toMatchObject({ parentId: item.parentId });
  });

  it('throws invalid_argument for a listing cursor Dropbox reset or does not know', async () => {
    const provider = await connect({ listAllPageSize: 1 });
    await folder(provider);
    const first = await provider.changeFeed.listAll(null);
    await expect(provider.changeFeed.listAll('not a cursor')).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await emulator.admin.reset();
    await expect(provider.changeFeed.listAll(first.next)).rejects.toMatchObject({
      code: 'invalid_argument',
    });
  });
});

describe('DropboxProvider authentication', () => {
  it('invalidates an expired token and repeats the request once with a fresh one', async () => {
    const tokens = tokenSource();
    const provider = await connect({ tokens });
    const expired = await tokens.getAccessToken();
    emulator.admin.expireTokens(emulator.users[0]!);
    expect((await provider.about()).displayName).toBe(emulator.users[0]);
    expect(new Set(tokens.invalidated)).toEqual(new Set([expired]));
  });

  it('gives up with auth_expired when the fresh token is refused too', async () => {
    const revoked = emulator.admin.issueTokens(emulator.users[0]!).access_token;
    emulator.admin.revokeTokens(emulator.users[0]!);
    const invalidated: string[] = [];
    const provider = await connect({
      tokens: { getAccessToken: async () => revoked, invalidate: (token) => invalidated.push(token) },
    });
    await expect(provider.stat(`id:anything`)).rejects.toMatchObject({ code: 'auth_expired' });
    expect(invalidated).toEqual([revoked]);
  });
});

describe('DropboxProvider with malformed answers', () => {
  /** A fetch whose answers for `route` are replaced by `answer()`. */
  const tampering =
    (route: string, answer: () => Response): typeof fetch =>
    async (input, init) =>
      String(input instanceof Request ? input.url : input).endsWith(route) ? answer() : fetch(input, init);

  it('fails with a clear permanent error on a non-JSON or incomplete answer', async () => {
    const html = () => new Response('<html>proxy error</html>', { headers: { 'Content-Type': 'text/html' } });
    const provider = await connect({ fetch: tampering('/2/files/get_metadata', html) });
    await expect(provider.stat('id:whatever')).rejects.toMatchObject({
      code: 'permanent',
      message: expect.stringContaining('malformed'),
    });
    const empty = () => Response.json({});
    const lister = await connect({ fetch: tampering('/2/files/list_folder', empty) });
    await expect(lister.list(lister.rootId)[Symbol.asyncIterator]().next()).rejects.toMatchObject({
      code: 'permanent',
    });
  });

  it('refuses a download without its Dropbox-API-Result header', async () => {
    const setup = await connect();
    const item = await setup.write((await folder(setup)).id, 'a.txt', text('abc'), { conflict: 'fail' });
    const provider = await connect({ fetch: tampering('/2/files/download', () => new Response('abc')) });
    await expect(provider.read(item.id)).rejects.toMatchObject({ code: 'permanent' });
  });
});

describe('DropboxProvider names and content', () => {
  it('treats names case-insensitively: a taken name in another case is a conflict', async () => {
    const provider = await connect();
    const parent = await folder(provider);
    await provider.write(parent.id, 'Notes.txt', text('n'), { conflict: 'fail' });
    await expect(
      provider.write(parent.id, 'NOTES.TXT', text('x'), { conflict: 'fail' }),
    ).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(provider.mkdir(parent.id, 'notes.txt', { conflict: 'fail' })).rejects.toMatchObject({
      code: 'conflict',
    });
  });

  it('renames in case only through a temporary name (Dropbox ignores case-only moves)', async () => {
    const provider = await connect();
    const parent = await folder(provider);
    const file = await provider.write(parent.id, 'report.txt', text('r'), { conflict: 'fail' });
    const renamed = await provider.move(file.id, { name: 'Report.TXT', conflict: 'fail' });
    expect(renamed).toMatchObject({ id: file.id, name: 'Report.TXT', parentId: parent.id });
    const sub = await folder(provider, parent.id, 'photos');
    expect(await provider.move(sub.id, { name: 'Photos', conflict: 'fail' })).toMatchObject({
      id: sub.id,
      name: 'Photos',
    });
    const children = [];
    for await (const page of provider.list(parent.id)) children.push(...page.map((item) => item.name));
    expect(children.sort()).toEqual(['Photos', 'Report.TXT']);
  });

  it('puts an item back when the second step of a case-only rename fails', async () => {
    const provider = await connect();
    const parent = await folder(provider);
    const file = await provider.write(parent.id, 'report.txt', text('r'), { conflict: 'fail' });
    emulator.admin.setFaults('error=409 POST /2/files/move_v2 after=1 times=1');
    await expect(provider.move(file.id, { name: 'REPORT.txt', conflict: 'fail' })).rejects.toMatchObject({
      code: 'permanent',
    });
    expect(await childNames(provider, parent.id)).toEqual(['report.txt']);
  });

  it('names the temporary path when a failed case-only rename cannot be put back', async () => {
    const provider = await connect();
    const parent = await folder(provider);
    const file = await provider.write(parent.id, 'report.txt', text('r'), { conflict: 'fail' });
    emulator.admin.setFaults('error=400 POST /2/files/move_v2 after=1');
    const error = (await provider
      .move(file.id, { name: 'Report.txt', conflict: 'fail' })
      .catch((caught: unknown) => caught)) as Error;
    emulator.admin.clearFaults();
    const [temporary] = await childNames(provider, parent.id);
    expect(temporary).toMatch(/^\.skyfold-rename-[0-9a-f]+$/);
    expect(error).toMatchObject({ code: 'invalid_argument' });
    expect(error.message).toContain(`the item is now at "/${parent.name}/${temporary}"`);
  });

  it('does not undo a case-only rename whose second step answer was lost', async () => {
    const provider = await connect({ retries: 3 });
    const parent = await folder(provider);
    const file = await provider.write(parent.id, 'report.txt', text('r'), { conflict: 'fail' });
    emulator.admin.setFaults('drop POST /2/files/move_v2 after=1 times=1');
    expect(await provider.move(file.id, { name: 'Report.TXT', conflict: 'fail' })).toMatchObject({
      id: file.id,
      name: 'Report.TXT',
    });
    expect(emulator.admin.faults()[0]!.fired).toBe(1);
    expect(await childNames(provider, parent.id)).toEqual(['Report.TXT']);
  });

  it('reads ranges of a file with a non-ASCII name (header-safe arguments)', async () => {
    const provider = await connect();
    const parent = await folder(provider);
    const item = await provider.write(parent.id, 'café ☕ 日本.txt', text('0123456789'), {
      conflict: 'fail',
    });
    expect((await readAll(await provider.read(item.id, { start: 3, end: 5 }))).toString()).toBe('345');
    expect(await provider.stat(item.id)).toMatchObject({ name: 'café ☕ 日本.txt', parentId: parent.id });
  });

  it('reports the account e-mail and its space allocation', async () => {
    const about = await (await connect()).about();
    expect(about).toMatchObject({ displayName: emulator.users[0] });
    expect(about.usedBytes).toEqual(expect.any(Number));
    expect(about.totalBytes).toEqual(expect.any(Number));
  });

  it('never moves or trashes the root, and refuses ids that are not Dropbox ids', async () => {
    const provider = await connect();
    await expect(provider.trash(provider.rootId)).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(provider.move(provider.rootId, { name: 'x', conflict: 'fail' })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(provider.stat('/etc/passwd')).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('DropboxProvider writes whose answer was lost', () => {
  it('creates a folder once (conflict=fail, and rename beside a taken name)', async () => {
    const provider = await connect({ retries: 3 });
    const parent = await folder(provider);
    emulator.admin.setFaults('drop POST /2/files/create_folder_v2 times=1');
    expect(await provider.mkdir(parent.id, 'Photos', { conflict: 'fail' })).toMatchObject({ name: 'Photos' });
    emulator.admin.setFaults('drop POST /2/files/create_folder_v2 times=1');
    expect(await provider.mkdir(parent.id, 'Photos', { conflict: 'rename' })).toMatchObject({
      name: 'Photos (2)',
    });
    expect(emulator.admin.faults()[0]!.fired).toBe(1);
    expect(await childNames(provider, parent.id)).toEqual(['Photos', 'Photos (2)']);
  });

  it('copies once (conflict=fail, and rename beside a taken name), files and folders', async () => {
    const provider = await connect({ retries: 3 });
    const parent = await folder(provider);
    const file = await provider.write(parent.id, 'a.txt', text('a'), { conflict: 'fail' });
    const sub = await folder(provider, parent.id, 'sub');
    for (const [id, target, expected] of [
      [file.id, { name: 'b.txt', conflict: 'fail' }, 'b.txt'],
      [file.id, { conflict: 'rename' }, 'a (2).txt'],
      [sub.id, { conflict: 'rename' }, 'sub (2)'],
    ] as const) {
      emulator.admin.setFaults('drop POST /2/files/copy_v2 times=1');
      expect(await provider.copy(id, target)).toMatchObject({ name: expected, parentId: parent.id });
      expect(emulator.admin.faults()[0]!.fired).toBe(1);
    }
    expect(await childNames(provider, parent.id)).toEqual(['a (2).txt', 'a.txt', 'b.txt', 'sub', 'sub (2)']);
  });

  it('moves once: the item found at its new place is the answer', async () => {
    const provider = await connect({ retries: 3 });
    const parent = await folder(provider);
    const target = await folder(provider, parent.id, 'target');
    const file = await provider.write(parent.id, 'a.txt', text('a'), { conflict: 'fail' });
    emulator.admin.setFaults('drop POST /2/files/move_v2 times=1');
    expect(
      await provider.move(file.id, { parentId: target.id, name: 'b.txt', conflict: 'fail' }),
    ).toMatchObject({
      id: file.id,
      name: 'b.txt',
      parentId: target.id,
    });
    expect(emulator.admin.faults()[0]!.fired).toBe(1);
    expect(await childNames(provider, target.id)).toEqual(['b.txt']);
  });

  it('trashes once: an id Dropbox no longer finds was trashed', async () => {
    const provider = await connect({ retries: 3 });
    const parent = await folder(provider);
    const file = await provider.write(parent.id, 'a.txt', text('a'), { conflict: 'fail' });
    emulator.admin.setFaults('drop POST /2/files/delete_v2 times=1');
    await provider.trash(file.id);
    expect(emulator.admin.faults()[0]!.fired).toBe(1);
    await expect(provider.stat(file.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('restores once: the file back under its id is the answer', async () => {
    const provider = await connect({ retries: 3 });
    const parent = await folder(provider);
    const file = await provider.write(parent.id, 'a.txt', text('a'), { conflict: 'fail' });
    await provider.trash(file.id);
    emulator.admin.setFaults('drop POST /2/files/restore times=1');
    expect(await provider.restore(file.id)).toMatchObject({
      id: file.id,
      name: 'a.txt',
      parentId: parent.id,
    });
    expect(emulator.admin.faults()[0]!.fired).toBe(1);
    expect(await childNames(provider, parent.id)).toEqual(['a.txt']);
  });
});

describe('DropboxProvider restore', () => {
  it('restores a file trashed by another process by its id, where it was', async () => {
    const trashing = await connect();
    const parent = await folder(trashing);
    const file = await trashing.write(parent.id, 'kept.txt', text('kept'), { conflict: 'fail' });
    await trashing.trash(file.id);
    const restored = await (await connect()).restore(file.id);
    expect(restored).toMatchObject({ id: file.id, name: 'kept.txt', parentId: parent.id, size: 4 });
    expect((await readAll(await trashing.read(restored.id))).toString()).toBe('kept');
  });

  it('refuses folders: permanent when trashed here, not_found by id elsewhere; both point to dropbox.com', async () => {
    const trashing = await connect();
    const gone = await folder(trashing);
    await trashing.trash(gone.id);
    await expect(trashing.restore(gone.id)).rejects.toMatchObject({
      code: 'permanent',
      message: expect.stringContaining('dropbox.com (Deleted files)'),
    });
    await expect((await connect()).restore(gone.id)).rejects.toMatchObject({
      code: 'not_found',
      message: expect.stringContaining('dropbox.com (Deleted files)'),
    });
  });
});

describe('DropboxProvider ranged reads and lookups', () => {
  it('reads a range in one request, checking it against the size the answer gives', async () => {
    const setup = await connect();
    const parent = await folder(setup);
    const file = await setup.write(parent.id, 'digits.txt', text('0123456789'), { conflict: 'fail' });
    const empty = await setup.write(parent.id, 'empty.txt', text(''), { conflict: 'fail' });
    const { fetch: recorder, routes } = recording();
    const provider = await connect({ fetch: recorder });
    const read = async (id: string, range: { start: number; end?: number }) =>
      (await readAll(await provider.read(id, range))).toString();
    expect(await read(file.id, { start: 3, end: 5 })).toBe('345');
    expect(await read(file.id, { start: 7 })).toBe('789');
    expect(await read(file.id, { start: 8, end: 100 })).toBe('89');
    expect(await read(empty.id, { start: 0 })).toBe('');
    expect(await read(empty.id, { start: 0, end: 4 })).toBe('');
    expect(routes).toEqual(Array(5).fill('/2/files/download'));
    for (const [id, range] of [
      [file.id, { start: 10 }],
      [empty.id, { start: 1 }],
      [file.id, { start: -1 }],
      [file.id, { start: 5, end: 4 }],
      [parent.id, { start: 0 }],
    ] as const) {
      await expect(provider.read(id, range)).rejects.toMatchObject({ code: 'invalid_argument' });
    }
    expect(routes.filter((route) => route !== '/2/files/download')).toEqual([]);
  });

  it('looks up the item and the target folder of a move at the same time', async () => {
    const setup = await connect();
    const parent = await folder(setup);
    const target = await folder(setup, parent.id, 'target');
    const file = await setup.write(parent.id, 'a.txt', text('a'), { conflict: 'fail' });
    // get_metadata answers are held until two are waiting (or a while has passed, so that a
    // provider looking up one after the other still finishes, and fails the check below).
    let waiting = 0;
    let mostAtOnce = 0;
    let release: () => void = () => undefined;
    const bothAsked = new Promise<void>((resolve) => (release = resolve));
    const holding: typeof fetch = async (input, init) => {
      if (String(input instanceof Request ? input.url : input).endsWith('/2/files/get_metadata')) {
        mostAtOnce = Math.max(mostAtOnce, ++waiting);
        if (waiting >= 2) release();
        await Promise.race([bothAsked, new Promise((resolve) => setTimeout(resolve, 1000))]);
        waiting--;
      }
      return fetch(input, init);
    };
    const provider = await connect({ fetch: holding });
    expect(await provider.move(file.id, { parentId: target.id, conflict: 'fail' })).toMatchObject({
      parentId: target.id,
    });
    expect(mostAtOnce).toBe(2);
  });
});
