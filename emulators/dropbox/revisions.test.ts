/** File revisions: files/list_revisions and files/restore (SDK and raw HTTP), `rev:` reads, the bound. */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { files } from 'dropbox';
import { afterEach, describe, expect, it } from 'vitest';
import { REVISIONS_PER_FILE } from './revisions';
import {
  content,
  fileMetadataFields,
  type Harness,
  rejection,
  rpc,
  startHarness,
  tags,
} from './test-support';

let h: Harness;
/** A data directory a test chose (to look at the blobs), removed after it. */
let dataDir: string | undefined;
afterEach(async () => {
  await h.close();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

const SECOND = 1000;
const upload = async (file: string, text: string) =>
  (await h.dbx.filesUpload({ path: file, contents: Buffer.from(text), mode: { '.tag': 'overwrite' } }))
    .result;
const revs = (entries: readonly files.FileMetadata[]) => entries.map((entry) => entry.rev);
const download = async (file: string) => (await content(h, 'files/download', { path: file })).text();

/** Three revisions of /r.txt, a second apart: one, two, three (newest last). */
async function threeRevisions(): Promise<files.FileMetadata[]> {
  const written: files.FileMetadata[] = [];
  for (const text of ['one', 'two', 'three']) {
    written.push(await upload('/r.txt', text));
    h.clock.advance(SECOND);
  }
  return written;
}

describe('files/list_revisions', () => {
  it('lists the revisions at a path, newest first, as FileMetadata; pages with limit and before_rev', async () => {
    h = await startHarness();
    const [one, two, three] = await threeRevisions();
    const listed = (await h.dbx.filesListRevisions({ path: '/R.TXT' })).result;
    expect(listed).toEqual({ is_deleted: false, entries: [three, two, one], has_more: false });
    expect(Object.keys(listed.entries[0]!)).toEqual(fileMetadataFields);
    const first = (await h.dbx.filesListRevisions({ path: '/r.txt', limit: 2 })).result;
    expect([revs(first.entries), first.has_more]).toEqual([[three!.rev, two!.rev], true]);
    const rest = (await h.dbx.filesListRevisions({ path: '/r.txt', limit: 2, before_rev: two!.rev })).result;
    expect([revs(rest.entries), rest.has_more]).toEqual([[one!.rev], false]);
    const restorable = (await h.dbx.filesListRevisions({ path: one!.id, include_restorable_info: true }))
      .result;
    expect(restorable.entries.map((entry) => entry.is_restorable)).toEqual([true, true, true]);
    // Every revision stays readable by rev.
    expect(await download(`rev:${one!.rev}`)).toBe('one');
  });

  it('follows a file across moves in id mode; path mode sees the path only', async () => {
    h = await startHarness();
    const [one] = await threeRevisions();
    const moved = (await h.dbx.filesMoveV2({ from_path: '/r.txt', to_path: '/m.txt' })).result
      .metadata as files.FileMetadataReference;
    const byId = (await h.dbx.filesListRevisions({ path: '/m.txt', mode: { '.tag': 'id' } })).result;
    expect(revs(byId.entries)).toHaveLength(4);
    expect(byId.entries.map((entry) => entry.path_display)).toEqual(['/m.txt', '/r.txt', '/r.txt', '/r.txt']);
    expect(byId.is_deleted).toBe(false);
    const atNewPath = (await h.dbx.filesListRevisions({ path: '/m.txt' })).result;
    expect(revs(atNewPath.entries)).toEqual([moved.rev]);
    // The old path: moved away, so deleted, without a deletion time.
    const atOldPath = (await h.dbx.filesListRevisions({ path: '/r.txt' })).result;
    expect(atOldPath).toMatchObject({ is_deleted: true, has_more: false });
    expect(atOldPath.server_deleted).toBeUndefined();
    expect(revs(atOldPath.entries)).toHaveLength(3);
    expect(atOldPath.entries[2]).toEqual(one);
  });

  it('answers ListRevisionsError: path/not_found, path/not_file, path/malformed_path, before_rev errors', async () => {
    h = await startHarness();
    const [one] = await threeRevisions();
    await h.dbx.filesCreateFolderV2({ path: '/folder' });
    const tagsOf = async (arg: files.ListRevisionsArg) =>
      tags(await rejection(h.dbx.filesListRevisions(arg)));
    expect(await tagsOf({ path: '/nothing.txt' })).toBe('path/not_found');
    expect(await tagsOf({ path: 'id:AAAAAAAAAAAAAAAAAAAAAA' })).toBe('path/not_found');
    expect(await tagsOf({ path: '/folder' })).toBe('path/not_file');
    expect(await tagsOf({ path: '/r.txt/' })).toBe('path/malformed_path');
    expect(await tagsOf({ path: '/r.txt', before_rev: 'abcdef0123456' })).toBe('invalid_before_rev');
    expect(await tagsOf({ path: '/r.txt', mode: { '.tag': 'id' }, before_rev: one!.rev })).toBe(
      'before_rev_not_supported',
    );
    const raw = await rpc(h, 'files/list_revisions', { path: '/r.txt', limit: 101 });
    expect([raw.status, await raw.text()]).toEqual([
      400,
      'Error in call to API function "files/list_revisions": request body: limit: 101 is not within range [1, 100]',
    ]);
    const missing = await rpc(h, 'files/list_revisions', { path: '/nothing.txt' });
    expect(await missing.json()).toEqual({
      error_summary: expect.stringMatching(/^path\/not_found\/\.{1,3}$/),
      error: { '.tag': 'path', path: { '.tag': 'not_found' } },
    });
  });

  it('lists a seeded file, which keeps its seeded revision once overwritten', async () => {
    h = await startHarness({ seed: 'demo' });
    const seeded = (await h.dbx.filesListRevisions({ path: '/Documents/notes.txt' })).result.entries;
    expect(seeded).toHaveLength(1);
    const original = await download('/Documents/notes.txt');
    await upload('/Documents/notes.txt', 'changed');
    const after = (await h.dbx.filesListRevisions({ path: '/Documents/notes.txt' })).result.entries;
    expect(revs(after.slice(1))).toEqual([seeded[0]!.rev]);
    expect(await download(`rev:${seeded[0]!.rev}`)).toBe(original);
  });
});

describe('files/restore', () => {
  it('writes the old content as a new revision of the same file, reported by the change feed', async () => {
    h = await startHarness();
    const [one, , three] = await threeRevisions();
    const cursor = (await h.dbx.filesListFolderGetLatestCursor({ path: '' })).result.cursor;
    const restored = (await h.dbx.filesRestore({ path: '/r.txt', rev: one!.rev })).result;
    expect(restored).toEqual({
      ...one,
      server_modified: '2025-01-15T09:30:03Z',
      rev: expect.stringMatching(/^[0-9a-f]{13}$/),
    });
    expect(restored.rev > three!.rev).toBe(true);
    expect(await download('/r.txt')).toBe('one');
    const changes = (await h.dbx.filesListFolderContinue({ cursor })).result.entries;
    expect(changes).toEqual([{ '.tag': 'file', ...restored }]);
    const listed = (await h.dbx.filesListRevisions({ path: '/r.txt' })).result.entries;
    expect(revs(listed)).toHaveLength(4);
    expect(listed[0]).toEqual(restored);
    // Restoring the content the file already has writes nothing.
    const again = (await h.dbx.filesRestore({ path: '/r.txt', rev: one!.rev })).result;
    expect(again.rev).toBe(restored.rev);
  });

  it('brings a deleted file back with its id; list_revisions tells when it was deleted', async () => {
    h = await startHarness();
    await h.dbx.filesCreateFolderV2({ path: '/d' });
    const [, two] = await (async () => {
      const a = await upload('/d/gone.txt', 'first');
      h.clock.advance(SECOND);
      return [a, await upload('/d/gone.txt', 'second')];
    })();
    h.clock.advance(SECOND);
    await h.dbx.filesDeleteV2({ path: '/d' });
    for (const arg of [{ path: '/d/gone.txt' }, { path: two!.id, mode: { '.tag': 'id' as const } }]) {
      const listed = (await h.dbx.filesListRevisions(arg)).result;
      expect(listed).toMatchObject({ is_deleted: true, server_deleted: '2025-01-15T09:30:02Z' });
      expect(listed.entries[0]).toEqual(two);
      expect(listed.entries).toHaveLength(2);
    }
    const cursor = (await h.dbx.filesListFolderGetLatestCursor({ path: '', recursive: true })).result.cursor;
    const back = (await h.dbx.filesRestore({ path: '/d/gone.txt', rev: two!.rev })).result;
    expect(back).toMatchObject({ id: two!.id, path_display: '/d/gone.txt', content_hash: two!.content_hash });
    expect(back.rev).not.toBe(two!.rev);
    expect(await download('/d/gone.txt')).toBe('second');
    const changes = (await h.dbx.filesListFolderContinue({ cursor })).result.entries;
    expect(changes.map((entry) => [entry['.tag'], entry.path_display])).toEqual([
      ['folder', '/d'],
      ['file', '/d/gone.txt'],
    ]);
    const listed = (await h.dbx.filesListRevisions({ path: '/d/gone.txt' })).result;
    expect([listed.is_deleted, listed.server_deleted, listed.entries.length]).toEqual([false, undefined, 3]);
  });

  it('answers RestoreError: invalid_revision, path_write/...; stone checks the arguments', async () => {
    h = await startHarness();
    const [one] = await threeRevisions();
    await h.dbx.filesCreateFolderV2({ path: '/folder' });
    const tagsOf = async (arg: files.RestoreArg) => tags(await rejection(h.dbx.filesRestore(arg)));
    expect(await tagsOf({ path: '/r.txt', rev: 'abcdef0123456' })).toBe('invalid_revision');
    expect(await tagsOf({ path: '/folder', rev: one!.rev })).toBe('path_write/conflict/folder');
    expect(await tagsOf({ path: '/r.txt/x', rev: one!.rev })).toBe('path_write/conflict/file_ancestor');
    expect(await tagsOf({ path: '/desktop.ini', rev: one!.rev })).toBe('path_write/disallowed_name');
    expect(await tagsOf({ path: '/bad/', rev: one!.rev })).toBe('path_write/malformed_path');
    const invalid = await rpc(h, 'files/restore', { path: '/r.txt', rev: 'abcdef0123456' });
    expect([invalid.status, await invalid.json()]).toEqual([
      409,
      {
        error_summary: expect.stringMatching(/^invalid_revision\/\.{1,3}$/),
        error: { '.tag': 'invalid_revision' },
      },
    ]);
    const short = await rpc(h, 'files/restore', { path: '/r.txt', rev: 'abc' });
    expect(await short.text()).toBe(
      `Error in call to API function "files/restore": request body: rev: 'abc' must be at least 9 characters, got 3`,
    );
    const byId = await rpc(h, 'files/restore', { path: one!.id, rev: one!.rev });
    expect(await byId.text()).toContain("request body: path: 'id:");
    // A restore elsewhere creates a new file (and its folders); the source file keeps its own id.
    const copy = (await h.dbx.filesRestore({ path: '/new/place.txt', rev: one!.rev })).result;
    expect(copy.id).not.toBe(one!.id);
    expect(await download('/new/place.txt')).toBe('one');
    h.emulator.admin.setFaults('quota POST /2/files/restore times=1');
    expect(await tagsOf({ path: '/r.txt', rev: one!.rev })).toBe('path_write/insufficient_space');
  });

  it(`keeps the last ${REVISIONS_PER_FILE} revisions of a file, removing older bytes from disk`, async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-dropbox-revisions-'));
    dataDir = dir;
    const blobs = async () => (await fs.readdir(path.join(dir, 'blobs'))).length;
    h = await startHarness({ dataDir: dir });
    // The copy's first revision shares the bytes of /a.txt.
    await upload('/a.txt', 'shared');
    const copied = (await h.dbx.filesCopyV2({ from_path: '/a.txt', to_path: '/many.txt' })).result
      .metadata as files.FileMetadataReference;
    const written: files.FileMetadata[] = [];
    for (let i = 1; i <= REVISIONS_PER_FILE; i++) written.push(await upload('/many.txt', `content ${i}`));
    const listed = (await h.dbx.filesListRevisions({ path: '/many.txt', limit: 100 })).result;
    expect([listed.entries.length, listed.has_more]).toEqual([REVISIONS_PER_FILE, false]);
    expect(listed.entries.at(-1)!.rev).toBe(written[0]!.rev);
    expect(tags(await rejection(h.dbx.filesGetMetadata({ path: `rev:${copied.rev}` })))).toBe(
      'path/not_found',
    );
    expect(tags(await rejection(h.dbx.filesRestore({ path: '/many.txt', rev: copied.rev })))).toBe(
      'invalid_revision',
    );
    // The forgotten revision's bytes stay: /a.txt still uses them.
    expect(await download('/a.txt')).toBe('shared');
    expect(await blobs()).toBe(1 + REVISIONS_PER_FILE);
    // The next write forgets the oldest upload, whose bytes no one else uses: the count stays.
    await upload('/many.txt', 'one more');
    expect(await blobs()).toBe(1 + REVISIONS_PER_FILE);
    expect(tags(await rejection(h.dbx.filesGetMetadata({ path: `rev:${written[0]!.rev}` })))).toBe(
      'path/not_found',
    );
  });
});
