/**
 * ONE conformance suite for every provider (like rclone's fstests): the same scenarios run against
 * local folders now and against each cloud provider (on its emulator) later. A provider is done when
 * it passes; a scenario that does not apply is skipped by checking `features`, with the reason named.
 *
 * Each scenario gets a fresh, empty folder (`scratch`) inside the account, so providers whose
 * accounts cannot be created per test (clouds) can run the suite in one account.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SkyfoldError, type ErrorCode } from '../../common/errors';
import {
  caseInsensitiveKinds,
  cloudMaxPathLength,
  permanentDeleteKinds,
} from '../../main/core/providers/kinds';
import type {
  Provider,
  ProviderChange,
  ProviderFeatures,
  ProviderItem,
} from '../../main/core/providers/types';

/** Providers whose API cannot restore a trashed folder (`restore` throws permanent). */
const noFolderRestoreKinds: ReadonlySet<string> = new Set(['dropbox']);

/** The items a `listAll` part lists (its upserts). */
const listedIn = (part: { changes: readonly ProviderChange[] }): ProviderItem[] =>
  part.changes.flatMap((change) => (change.kind === 'upsert' ? [change.item] : []));

export interface ConformanceTarget {
  provider: Provider;
  /** An empty folder for one scenario. */
  scratchId: string;
  /** Removes everything the scenario left (optional). */
  cleanup?: () => Promise<void>;
}

export interface ConformanceOptions {
  /** Creates a fresh provider + empty scratch folder for each scenario. */
  setup: () => Promise<ConformanceTarget>;
  /** Number of files for the paging scenario (more than one page). */
  largeFolderSize?: number;
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

export async function listAll(
  provider: Provider,
  folderId: string,
  pageSize?: number,
): Promise<ProviderItem[]> {
  const items: ProviderItem[] = [];
  for await (const page of provider.list(folderId, pageSize === undefined ? {} : { pageSize }))
    items.push(...page);
  return items;
}

async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error, `expected a ${code} error`).toBeInstanceOf(SkyfoldError);
  expect((error as SkyfoldError).code).toBe(code);
}

function bytes(text: string): Readable {
  return Readable.from([Buffer.from(text)]);
}

/** A stream of `size` deterministic bytes in 64 KiB chunks. */
function patternStream(size: number): { stream: Readable; expected: Buffer } {
  const expected = Buffer.alloc(size);
  for (let i = 0; i < size; i++) expected[i] = (i * 31 + (i >> 8)) & 0xff;
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < size; offset += 65536) chunks.push(expected.subarray(offset, offset + 65536));
  return { stream: Readable.from(chunks), expected };
}

/** What an index knows of an item: enough to apply a change feed. */
interface KnownItem {
  name: string;
  parentId: string | null;
  kind: ProviderItem['kind'];
}

/** The chain of folders from the root down to `folderId`, plus everything under `folderId`. */
async function snapshotAround(provider: Provider, folderId: string): Promise<Map<string, KnownItem>> {
  const known = new Map<string, KnownItem>();
  for (let id: string | null = folderId; id !== null;) {
    const item = await provider.stat(id);
    known.set(item.id, { name: item.name, parentId: item.parentId, kind: item.kind });
    id = item.parentId;
  }
  const pending = [folderId];
  while (pending.length > 0) {
    const parent = pending.pop()!;
    for (const child of await listAll(provider, parent)) {
      known.set(child.id, { name: child.name, parentId: child.parentId, kind: child.kind });
      if (child.kind === 'folder') pending.push(child.id);
    }
  }
  return known;
}

/**
 * Applies a change feed the way the index does: upserts and removals by id (an upsert evicting
 * another item of its name where names are unique); path removals resolved name by name from the
 * root, removing the item and everything under it.
 */
function applyChanges(
  known: ReadonlyMap<string, KnownItem>,
  changes: readonly ProviderChange[],
  {
    caseInsensitive,
    duplicateNamesAllowed,
  }: Pick<ProviderFeatures, 'caseInsensitive' | 'duplicateNamesAllowed'>,
): Map<string, KnownItem> {
  const items = new Map(known);
  const same = (a: string, b: string) => (caseInsensitive ? a.toLowerCase() === b.toLowerCase() : a === b);
  const removeWithDescendants = (id: string) => {
    items.delete(id);
    for (const [childId, child] of [...items]) if (child.parentId === id) removeWithDescendants(childId);
  };
  for (const change of changes) {
    if (change.kind === 'upsert') {
      const { id, name, parentId, kind } = change.item;
      if (!duplicateNamesAllowed) {
        for (const [otherId, other] of [...items])
          if (otherId !== id && other.parentId === parentId && same(other.name, name))
            removeWithDescendants(otherId);
      }
      items.set(id, { name, parentId, kind });
    } else if (change.kind === 'remove') {
      removeWithDescendants(change.id);
    } else {
      let current = [...items].find(([, item]) => item.parentId === null)?.[0];
      for (const name of change.path) {
        if (current === undefined) break;
        const parent: string = current;
        current = [...items].find(([, item]) => item.parentId === parent && same(item.name, name))?.[0];
      }
      if (current !== undefined && change.path.length > 0) removeWithDescendants(current);
    }
  }
  return items;
}

/** The subtree under `folderId` as sorted `path:kind` lines (ids left out: they may differ in shape). */
function describeTree(items: ReadonlyMap<string, KnownItem>, folderId: string, prefix = ''): string[] {
  const lines: string[] = [];
  for (const [id, item] of items) {
    if (item.parentId !== folderId) continue;
    lines.push(`${prefix}${item.name}:${item.kind}`);
    if (item.kind === 'folder') lines.push(...describeTree(items, id, `${prefix}${item.name}/`));
  }
  return lines.sort();
}

export function defineProviderConformance(name: string, options: ConformanceOptions): void {
  describe(`provider conformance: ${name}`, () => {
    let target: ConformanceTarget;
    let provider: Provider;
    let scratch: string;

    beforeEach(async () => {
      target = await options.setup();
      provider = target.provider;
      scratch = target.scratchId;
    });
    afterEach(async () => {
      await target.cleanup?.();
    });

    const names = async (folderId = scratch) =>
      (await listAll(provider, folderId)).map((item) => item.name).sort();
    const write = (
      parentId: string,
      fileName: string,
      text: string,
      conflict: 'fail' | 'replace' | 'rename' = 'fail',
    ) => provider.write(parentId, fileName, bytes(text), { conflict, size: Buffer.byteLength(text) });
    const contentOf = async (id: string) => (await readAll(await provider.read(id))).toString();

    it('lists an empty folder as empty', async () => {
      expect(await listAll(provider, scratch)).toEqual([]);
    });

    it('stats the root and the scratch folder as folders', async () => {
      expect((await provider.stat(provider.rootId)).kind).toBe('folder');
      const folder = await provider.stat(scratch);
      expect(folder.kind).toBe('folder');
      expect(folder.size).toBeNull();
    });

    it('reports not_found for missing items', async () => {
      const file = await write(scratch, 'gone.txt', 'x');
      await provider.trash(file.id);
      await expectCode(provider.stat(file.id), 'not_found');
      await expectCode(provider.read(file.id), 'not_found');
    });

    it('writes a file and reads it back whole, with size and time', async () => {
      const before = Date.now();
      const item = await write(scratch, 'hello.txt', 'hello, world');
      expect(item).toMatchObject({ name: 'hello.txt', kind: 'file', size: 12, parentId: scratch });
      expect(item.modifiedAt).toBeGreaterThan(before - 5 * 60_000);
      expect(await contentOf(item.id)).toBe('hello, world');
      const listed = await listAll(provider, scratch);
      expect(listed).toHaveLength(1);
      expect(listed[0]).toMatchObject({ id: item.id, name: 'hello.txt', kind: 'file', size: 12 });
      expect(await provider.stat(item.id)).toMatchObject({ id: item.id, size: 12, kind: 'file' });
    });

    it('writes an empty file', async () => {
      const item = await write(scratch, 'empty', '');
      expect(item.size).toBe(0);
      expect(await contentOf(item.id)).toBe('');
    });

    it('streams a multi-megabyte file without changing a byte', async () => {
      const { stream, expected } = patternStream(3 * 1024 * 1024 + 17);
      const item = await provider.write(scratch, 'big.bin', stream, {
        conflict: 'fail',
        size: expected.length,
      });
      expect(item.size).toBe(expected.length);
      expect((await readAll(await provider.read(item.id))).equals(expected)).toBe(true);
    });

    it('reads byte ranges (inclusive end, open end) and refuses ranges outside the file', async () => {
      const item = await write(scratch, 'digits.txt', '0123456789');
      expect((await readAll(await provider.read(item.id, { start: 2, end: 5 }))).toString()).toBe('2345');
      expect((await readAll(await provider.read(item.id, { start: 7 }))).toString()).toBe('789');
      expect((await readAll(await provider.read(item.id, { start: 8, end: 100 }))).toString()).toBe('89');
      await expectCode(provider.read(item.id, { start: 10 }), 'invalid_argument');
      await expectCode(provider.read(item.id, { start: 5, end: 2 }), 'invalid_argument');
      const empty = await write(scratch, 'empty.txt', '');
      expect((await readAll(await provider.read(empty.id, { start: 0 }))).length).toBe(0);
      await expectCode(provider.read(empty.id, { start: 1 }), 'invalid_argument');
    });

    it('refuses to read a folder as a file', async () => {
      await expectCode(provider.read(scratch), 'invalid_argument');
    });

    it('fails a write whose stream is shorter than its size, leaving nothing behind', async () => {
      await expectCode(
        provider.write(scratch, 'short.bin', bytes('only this'), { conflict: 'fail', size: 1000 }),
        'transient',
      );
      expect(await names()).toEqual([]);
    });

    it('keeps the existing file when a write with conflict=fail hits its name', async () => {
      await write(scratch, 'a.txt', 'original');
      await expectCode(write(scratch, 'a.txt', 'intruder'), 'conflict');
      const [only] = await listAll(provider, scratch);
      expect(await contentOf(only!.id)).toBe('original');
    });

    it('replaces the content with conflict=replace', async () => {
      await write(scratch, 'a.txt', 'original');
      const replaced = await write(scratch, 'a.txt', 'second version', 'replace');
      expect(await names()).toEqual(['a.txt']);
      expect(await contentOf(replaced.id)).toBe('second version');
    });

    it('writes beside it as "name (2).ext" with conflict=rename', async () => {
      await write(scratch, 'a.txt', 'one');
      const second = await write(scratch, 'a.txt', 'two', 'rename');
      const third = await write(scratch, 'a.txt', 'three', 'rename');
      expect([second.name, third.name]).toEqual(['a (2).txt', 'a (3).txt']);
      expect(await names()).toEqual(['a (2).txt', 'a (3).txt', 'a.txt']);
      expect(await contentOf(second.id)).toBe('two');
    });

    it('creates folders, refusing or renaming on a taken name', async () => {
      const folder = await provider.mkdir(scratch, 'Photos', { conflict: 'fail' });
      expect(folder).toMatchObject({ name: 'Photos', kind: 'folder', parentId: scratch });
      await expectCode(provider.mkdir(scratch, 'Photos', { conflict: 'fail' }), 'conflict');
      expect((await provider.mkdir(scratch, 'Photos', { conflict: 'rename' })).name).toBe('Photos (2)');
      const nested = await provider.mkdir(folder.id, 'Nested', { conflict: 'fail' });
      expect(await names(folder.id)).toEqual(['Nested']);
      expect(nested.parentId).toBe(folder.id);
    });

    it('renames a file in place', async () => {
      const item = await write(scratch, 'draft.txt', 'text');
      const renamed = await provider.move(item.id, { name: 'final.txt', conflict: 'fail' });
      expect(renamed.name).toBe('final.txt');
      expect(await names()).toEqual(['final.txt']);
      expect(await contentOf(renamed.id)).toBe('text');
    });

    it('moves files and folders into another folder, with their content', async () => {
      const folder = await provider.mkdir(scratch, 'dest', { conflict: 'fail' });
      const sub = await provider.mkdir(scratch, 'sub', { conflict: 'fail' });
      await write(sub.id, 'inner.txt', 'inside');
      const file = await write(scratch, 'f.txt', 'content');
      const movedFile = await provider.move(file.id, { parentId: folder.id, conflict: 'fail' });
      const movedSub = await provider.move(sub.id, { parentId: folder.id, conflict: 'fail' });
      expect(await names()).toEqual(['dest']);
      expect(await names(folder.id)).toEqual(['f.txt', 'sub']);
      expect(await contentOf(movedFile.id)).toBe('content');
      const [inner] = await listAll(provider, movedSub.id);
      expect(await contentOf(inner!.id)).toBe('inside');
    });

    it('never overwrites on move: conflict=fail refuses, conflict=rename numbers', async () => {
      const folder = await provider.mkdir(scratch, 'dest', { conflict: 'fail' });
      await write(folder.id, 'x.txt', 'already there');
      const incoming = await write(scratch, 'x.txt', 'incoming');
      await expectCode(provider.move(incoming.id, { parentId: folder.id, conflict: 'fail' }), 'conflict');
      expect(await contentOf(incoming.id)).toBe('incoming');
      const moved = await provider.move(incoming.id, { parentId: folder.id, conflict: 'rename' });
      expect(moved.name).toBe('x (2).txt');
      expect(await names(folder.id)).toEqual(['x (2).txt', 'x.txt']);
    });

    it('moving a file onto itself changes nothing and loses nothing', async () => {
      const item = await write(scratch, 'self.txt', 'keep me');
      const result = await provider.move(item.id, { parentId: scratch, name: 'self.txt', conflict: 'fail' });
      expect(result.name).toBe('self.txt');
      expect(await contentOf(result.id)).toBe('keep me');
    });

    it('refuses to move a folder into itself or its descendant', async () => {
      const outer = await provider.mkdir(scratch, 'outer', { conflict: 'fail' });
      const inner = await provider.mkdir(outer.id, 'inner', { conflict: 'fail' });
      await expectCode(provider.move(outer.id, { parentId: outer.id, conflict: 'fail' }), 'invalid_argument');
      await expectCode(provider.move(outer.id, { parentId: inner.id, conflict: 'fail' }), 'invalid_argument');
      expect(await names()).toEqual(['outer']);
    });

    it('renames by case only without losing the file', async () => {
      const item = await write(scratch, 'readme.md', 'case');
      const renamed = await provider.move(item.id, { name: 'README.md', conflict: 'fail' });
      expect(renamed.name).toBe('README.md');
      expect(await names()).toEqual(['README.md']);
      expect(await contentOf(renamed.id)).toBe('case');
    });

    it('copies files and folders server side when supported', async (context) => {
      if (!provider.copy)
        return context.skip('the provider has no server-side copy (features.serverSideCopy is false)');
      const folder = await provider.mkdir(scratch, 'src', { conflict: 'fail' });
      await write(folder.id, 'one.txt', '1');
      const file = await write(scratch, 'file.txt', 'copy me');
      const fileCopy = await provider.copy(file.id, { name: 'file copy.txt', conflict: 'fail' });
      const folderCopy = await provider.copy(folder.id, { name: 'src copy', conflict: 'fail' });
      expect(await contentOf(fileCopy.id)).toBe('copy me');
      expect(await contentOf(file.id)).toBe('copy me');
      expect(await names(folderCopy.id)).toEqual(['one.txt']);
      await expectCode(provider.copy(file.id, { name: 'file copy.txt', conflict: 'fail' }), 'conflict');
      expect((await provider.copy(file.id, { name: 'file copy.txt', conflict: 'rename' })).name).toBe(
        'file copy (2).txt',
      );
    });

    it('trashes files and folders (gone from listings, recoverable by the provider)', async () => {
      const folder = await provider.mkdir(scratch, 'old', { conflict: 'fail' });
      await write(folder.id, 'inside.txt', 'x');
      const file = await write(scratch, 'junk.txt', 'x');
      await provider.trash(file.id);
      await provider.trash(folder.id);
      expect(await names()).toEqual([]);
      await expectCode(provider.trash(file.id), 'not_found');
    });

    it('restores a trashed file where it was (restore); again is safe; a taken name is a conflict', async (context) => {
      const restore = provider.restore?.bind(provider);
      if (!restore) return context.skip('the provider has no restore: its own trash page restores');
      const file = await write(scratch, 'note.txt', 'remember');
      await provider.trash(file.id);
      const restored = await restore(file.id);
      expect(restored).toMatchObject({ name: 'note.txt', kind: 'file', parentId: scratch, size: 8 });
      expect(await names()).toEqual(['note.txt']);
      expect(await contentOf(restored.id)).toBe('remember');
      expect((await restore(restored.id)).id).toBe(restored.id);
      expect(await names()).toEqual(['note.txt']);

      await provider.trash(restored.id);
      const intruder = await write(scratch, 'note.txt', 'newer');
      await expectCode(restore(restored.id), 'conflict');
      expect(await contentOf(intruder.id)).toBe('newer');
    });

    it('restores a trashed folder with its content (restore)', async (context) => {
      const restore = provider.restore?.bind(provider);
      if (!restore) return context.skip('the provider has no restore: its own trash page restores');
      const folder = await provider.mkdir(scratch, 'album', { conflict: 'fail' });
      await write(folder.id, 'photo.txt', 'pixels');
      await provider.trash(folder.id);
      if (noFolderRestoreKinds.has(provider.kind)) {
        await expectCode(restore(folder.id), 'permanent');
        return context.skip(
          "Dropbox's API restores files only: trashed folders are restored at dropbox.com (Deleted files)",
        );
      }
      const restored = await restore(folder.id);
      expect(restored).toMatchObject({ name: 'album', kind: 'folder', parentId: scratch });
      expect(await names()).toEqual(['album']);
      const [photo] = await listAll(provider, restored.id);
      expect(photo?.name).toBe('photo.txt');
      expect(await contentOf(photo!.id)).toBe('pixels');
      expect((await restore(folder.id)).id).toBe(restored.id);

      await provider.trash(restored.id);
      await provider.mkdir(scratch, 'album', { conflict: 'fail' });
      await expectCode(restore(restored.id), 'conflict');
    });

    it.each([
      ['a parent reference', '..'],
      ['a dot', '.'],
      ['a slash', 'a/b'],
      ['a traversal', '../escape.txt'],
      ['an absolute path', '/etc/passwd'],
      ['a NUL byte', 'nul\0.txt'],
      ['an empty name', ''],
    ])('never treats a name with %s as a path: refused, or stored exactly', async (_label, hostile) => {
      const rootBefore = await names(provider.rootId);
      if (provider.nameProblem(hostile) !== null) {
        await expectCode(write(scratch, hostile, 'x'), 'invalid_argument');
        await expectCode(provider.mkdir(scratch, hostile, { conflict: 'fail' }), 'invalid_argument');
        expect(await names()).toEqual([]);
      } else {
        const item = await write(scratch, hostile, 'x');
        expect(item.name).toBe(hostile);
        expect(item.parentId).toBe(scratch);
        expect(await names()).toEqual([hostile]);
        expect(await contentOf(item.id)).toBe('x');
      }
      expect(await names(provider.rootId)).toEqual(rootBefore);
    });

    it('refuses at least empty names and NUL bytes', () => {
      expect(provider.nameProblem('')).not.toBeNull();
      expect(provider.nameProblem('a\0b')).not.toBeNull();
      expect(provider.nameProblem('ordinary name.txt')).toBeNull();
    });

    it('keeps unusual but legal names exactly (spaces, NFC vs NFD, leading dots, emoji, long)', async () => {
      const legal = [
        'with space.txt',
        ' leading space',
        '.hidden',
        '..double-dot-prefix',
        'caf\u00e9 NFC.txt',
        'cafe\u0301 NFD.txt',
        '日本語のファイル.txt',
        '🌤️ sky.png',
        `${'long'.repeat(50)}.txt`,
      ];
      // A cloud may refuse one of them (OneDrive: a leading space): it must say so in nameProblem and
      // refuse the write with invalid_argument, never store another name.
      const refused = legal.filter((legalName) => provider.nameProblem(legalName) !== null);
      for (const refusedName of refused)
        await expectCode(write(scratch, refusedName, 'x'), 'invalid_argument');
      const stored = legal.filter((legalName) => !refused.includes(legalName));
      for (const legalName of stored) await write(scratch, legalName, legalName);
      const listed = await listAll(provider, scratch);
      expect(listed.map((item) => item.name).sort()).toEqual([...stored].sort());
      for (const item of listed) expect(await contentOf(item.id)).toBe(item.name);
    });

    it('pages a large folder: every child exactly once, no page over the size asked', async () => {
      const count = options.largeFolderSize ?? 2500;
      const folder = await provider.mkdir(scratch, 'large', { conflict: 'fail' });
      for (let i = 0; i < count; i += 100) {
        await Promise.all(
          Array.from({ length: Math.min(100, count - i) }, (_, j) =>
            write(folder.id, `file-${i + j}.txt`, String(i + j)),
          ),
        );
      }
      const pageSizes: number[] = [];
      const seen = new Set<string>();
      for await (const page of provider.list(folder.id, { pageSize: 1000 })) {
        pageSizes.push(page.length);
        for (const item of page) {
          expect(seen.has(item.id), `${item.name} listed twice`).toBe(false);
          seen.add(item.id);
        }
      }
      expect(seen.size).toBe(count);
      expect(Math.max(...pageSizes)).toBeLessThanOrEqual(1000);
      expect(pageSizes.length).toBeGreaterThanOrEqual(Math.ceil(count / 1000));
    });

    it('reports the hashes it declares, matching the bytes', async (context) => {
      if (!provider.features.hashTypes.includes('sha256')) {
        return context.skip(
          'sha256 is not among features.hashTypes; provider-specific hashes have their own suites',
        );
      }
      const item = await write(scratch, 'hash-me.txt', 'The quick brown fox');
      const expected = createHash('sha256').update('The quick brown fox').digest('hex');
      expect(await provider.hash(item.id, 'sha256')).toBe(expected);
      expect(item.hashes.sha256).toBe(expected);
    });

    it('reports creations, renames, moves and removals in its change feed', async (context) => {
      const feed = provider.changeFeed;
      if (!feed)
        return context.skip(
          'the provider has no change feed (features.changeFeed is false): it is re-crawled',
        );
      expect(provider.features.changeFeed).toBe(true);
      const kept = await write(scratch, 'kept.txt', 'k');
      const gone = await write(scratch, 'gone.txt', 'g');
      const before = await snapshotAround(provider, scratch);
      const cursor = await feed.startCursor();
      const folder = await provider.mkdir(scratch, 'moved-into', { conflict: 'fail' });
      const created = await write(scratch, 'created.txt', 'c');
      await provider.move(kept.id, { parentId: folder.id, name: 'renamed.txt', conflict: 'fail' });
      await provider.trash(gone.id);
      const { changes, cursor: next } = await feed.changesSince(cursor);
      const last = new Map<string, (typeof changes)[number]>();
      for (const change of changes) {
        if (change.kind === 'upsert') last.set(change.item.id, change);
        else if (change.kind === 'remove') last.set(change.id, change);
      }
      expect(last.get(folder.id)).toMatchObject({
        kind: 'upsert',
        item: { name: 'moved-into', kind: 'folder' },
      });
      expect(last.get(created.id)).toMatchObject({
        kind: 'upsert',
        item: { name: 'created.txt', parentId: scratch },
      });
      expect(last.get(kept.id)).toMatchObject({
        kind: 'upsert',
        item: { name: 'renamed.txt', parentId: folder.id },
      });
      // Applied in order to what the index knew, the feed yields exactly the account as it is now.
      const after = applyChanges(before, changes, provider.features);
      expect(after.has(gone.id)).toBe(false);
      expect(describeTree(after, scratch)).toEqual(
        describeTree(await snapshotAround(provider, scratch), scratch),
      );
      expect((await feed.changesSince(next)).changes).toEqual([]);
    });

    it('reports a file removed and written again under its name so that only the new one remains', async (context) => {
      const feed = provider.changeFeed;
      if (!feed)
        return context.skip(
          'the provider has no change feed (features.changeFeed is false): it is re-crawled',
        );
      const old = await write(scratch, 'again.txt', 'old');
      const before = await snapshotAround(provider, scratch);
      const cursor = await feed.startCursor();
      await provider.trash(old.id);
      const renewed = await write(scratch, 'again.txt', 'new!');
      const after = applyChanges(before, (await feed.changesSince(cursor)).changes, provider.features);
      const children = [...after].filter(([, item]) => item.parentId === scratch);
      expect(children).toEqual([[renewed.id, { name: 'again.txt', parentId: scratch, kind: 'file' }]]);
    });

    it('lists the whole account in resumable parts (listAll), then reports later changes from its cursor', async (context) => {
      const feed = provider.changeFeed;
      if (!feed)
        return context.skip(
          'the provider has no change feed (features.changeFeed is false): it is re-crawled folder by folder',
        );
      // Three levels of folders with files at each, and a file in the trash.
      let parent = scratch;
      for (const level of ['one', 'two', 'three']) {
        await Promise.all(['a', 'b', 'c'].map((file) => write(parent, `${level}-${file}.txt`, file)));
        parent = (await provider.mkdir(parent, `folder-${level}`, { conflict: 'fail' })).id;
      }
      const deepest = parent;
      await write(deepest, 'deepest.txt', 'd');
      const trashed = await write(scratch, 'trashed.txt', 't');
      await provider.trash(trashed.id);
      const expected = await snapshotAround(provider, scratch);

      // The first part, then the rest from its `next` (as after an interruption); the same `from`
      // may be asked twice.
      const first = await feed.listAll(null);
      expect(first.done, 'the crawl comes in more than one part').toBe(false);
      const again = await feed.listAll(first.next);
      expect(listedIn(await feed.listAll(first.next)).map((item) => item.id)).toEqual(
        listedIn(again).map((item) => item.id),
      );
      const listed = new Map<string, KnownItem>();
      const add = (items: readonly ProviderItem[]) => {
        for (const item of items)
          listed.set(item.id, { name: item.name, parentId: item.parentId, kind: item.kind });
      };
      add(listedIn(first));
      add(listedIn(again));
      let { next, done } = again;
      for (let parts = 2; !done; parts++) {
        expect(parts, 'the crawl ends').toBeLessThan(100_000);
        const part = await feed.listAll(next);
        add(listedIn(part));
        ({ next, done } = part);
      }
      expect(listed.has(provider.rootId), 'the root is not listed').toBe(false);
      expect(listed.has(trashed.id), 'trashed items are not listed').toBe(false);
      for (const [id, item] of listed)
        expect(item.parentId, `${item.name} (${id}) has a parent`).not.toBeNull();
      for (const [id, item] of expected) {
        if (id === provider.rootId) continue;
        expect(listed.get(id), `${item.name} listed as it is`).toEqual(item);
      }
      expect(describeTree(listed, scratch)).toEqual(describeTree(expected, scratch));

      // Once done, `next` is a change cursor: what changes afterwards comes through it.
      const later = await write(deepest, 'later.txt', 'l');
      const changes: ProviderChange[] = [];
      for (let cursor = next, more = true; more;) {
        const batch = await feed.changesSince(cursor);
        changes.push(...batch.changes);
        cursor = batch.cursor;
        more = batch.more ?? false;
      }
      const root = expected.get(provider.rootId)!;
      const after = applyChanges(new Map([[provider.rootId, root], ...listed]), changes, provider.features);
      expect(after.get(later.id)).toEqual({ name: 'later.txt', parentId: deepest, kind: 'file' });
      expect(describeTree(after, scratch)).toEqual(
        describeTree(await snapshotAround(provider, scratch), scratch),
      );
    });

    it('finds a child by name (findChildren): files, folders, nothing, case as the provider matches', async () => {
      const findChildren = provider.findChildren?.bind(provider);
      expect(findChildren, 'every provider implements findChildren').toBeDefined();
      if (!findChildren) return;
      const file = await write(scratch, 'Report 2024.txt', 'findme');
      const folder = await provider.mkdir(scratch, 'Sub', { conflict: 'fail' });
      const inner = await write(folder.id, 'inner.txt', 'x');
      const found = await findChildren(scratch, 'Report 2024.txt');
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({
        id: file.id,
        name: 'Report 2024.txt',
        parentId: scratch,
        kind: 'file',
        size: 6,
      });
      expect((await findChildren(scratch, 'Sub')).map((item) => [item.id, item.kind])).toEqual([
        [folder.id, 'folder'],
      ]);
      expect((await findChildren(folder.id, 'inner.txt')).map((item) => item.id)).toEqual([inner.id]);
      // Only direct children, only that name.
      expect(await findChildren(scratch, 'inner.txt')).toEqual([]);
      expect(await findChildren(scratch, 'Report 2024.tx')).toEqual([]);
      // Case: folded where the provider folds, reported with the stored spelling; else nothing.
      const folded = await findChildren(scratch, 'REPORT 2024.TXT');
      if (provider.features.caseInsensitive) {
        expect(folded.map((item) => [item.id, item.name])).toEqual([[file.id, 'Report 2024.txt']]);
      } else {
        expect(folded).toEqual([]);
      }
      // Trashed items are never found; a missing parent finds nothing.
      await provider.trash(file.id);
      expect(await findChildren(scratch, 'Report 2024.txt')).toEqual([]);
      await provider.trash(folder.id);
      expect(await findChildren(folder.id, 'inner.txt')).toEqual([]);
      await expectCode(findChildren(scratch, ''), 'invalid_argument');
    });

    it('finds a child written under an unusual name (NFC/NFD, spaces, emoji) exactly as stored', async () => {
      const findChildren = provider.findChildren?.bind(provider);
      if (!findChildren) return;
      for (const name of ['caf\u00e9.txt', ' lead and trail spaces .txt', '\u{1F600} smile.txt']) {
        if (provider.nameProblem(name) !== null) continue;
        const item = await write(scratch, name, name);
        const found = await findChildren(scratch, name);
        expect(found.map((child) => [child.id, child.name])).toEqual([[item.id, item.name]]);
      }
    });

    it('removes permanently where it declares so (removePermanently), else only trashes', async () => {
      expect(provider.features.permanentDelete ?? false).toBe(permanentDeleteKinds.has(provider.kind));
      expect(provider.removePermanently !== undefined).toBe(provider.features.permanentDelete ?? false);
      const removePermanently = provider.removePermanently?.bind(provider);
      if (!removePermanently) return;
      const folder = await provider.mkdir(scratch, 'bad copies', { conflict: 'fail' });
      const inside = await write(folder.id, 'inside.txt', 'x');
      const file = await write(scratch, 'bad.bin', 'corrupted');
      const keep = await write(scratch, 'keep.txt', 'keep');
      await removePermanently(file.id);
      await removePermanently(folder.id);
      expect(await names()).toEqual(['keep.txt']);
      await expectCode(provider.stat(file.id), 'not_found');
      await expectCode(provider.stat(inside.id), 'not_found');
      await expectCode(removePermanently(file.id), 'not_found');
      await expectCode(removePermanently(provider.rootId), 'invalid_argument');
      expect(await contentOf(keep.id)).toBe('keep');
      // The name is free again at once.
      expect((await write(scratch, 'bad.bin', 'good')).name).toBe('bad.bin');
    });

    it('declares its path-length limit (maxPathLength) as its kind does', () => {
      const limit = provider.features.maxPathLength;
      expect(limit === null || (typeof limit === 'number' && limit > 0)).toBe(true);
      if (provider.kind !== 'local') expect(limit).toBe(cloudMaxPathLength.get(provider.kind) ?? null);
    });

    it('exposes its pacing (maxConcurrency, pausedUntil) where requests are paced', () => {
      if (provider.kind === 'local') return expect(provider.pacer).toBeUndefined();
      expect(provider.pacer?.maxConcurrency).toBeGreaterThanOrEqual(1);
      expect(typeof provider.pacer?.pausedUntil()).toBe('number');
    });

    it('declares case-insensitivity as its kind does (index-only path lookups rely on it)', () => {
      expect(provider.features.caseInsensitive).toBe(caseInsensitiveKinds.has(provider.kind));
    });

    it('answers about() with a display name', async () => {
      const about = await provider.about();
      expect(about.displayName.length).toBeGreaterThan(0);
    });
  });
}
