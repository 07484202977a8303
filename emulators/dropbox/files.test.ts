/** Metadata routes through the official SDK: listing, get_metadata, create/copy/move/delete and their error unions. */
import { createHash } from 'node:crypto';
import type { files } from 'dropbox';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SeedNode, SeedUser } from '../shared/seeds';
import { ALICE, fileMetadataFields, type Harness, rejection, rpc, startHarness, tags } from './test-support';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const ALICE_SEED: SeedUser = { email: ALICE, displayName: 'Alice Example', tree: [] };
const upload = (path: string, text: string) => h.dbx.filesUpload({ path, contents: Buffer.from(text) });
const names = (entries: readonly { path_display?: string }[]) => entries.map((e) => e.path_display);

describe('files/list_folder', () => {
  it('lists a folder with Dropbox metadata shapes, "" being the root', async () => {
    await h.dbx.filesCreateFolderV2({ path: '/Docs' });
    const file = (await upload('/Docs/Note.txt', 'hello')).result;
    const root = await h.dbx.filesListFolder({ path: '' });
    expect(root.headers.get('content-type')).toBe('application/json');
    expect(root.result.entries).toEqual([
      {
        '.tag': 'folder',
        name: 'Docs',
        path_lower: '/docs',
        path_display: '/Docs',
        id: expect.stringMatching(/^id:[\w-]{22}$/),
      },
    ]);
    expect(root.result.has_more).toBe(false);
    const docs = await h.dbx.filesListFolder({ path: '/DOCS' });
    const entry = docs.result.entries[0] as files.FileMetadataReference;
    expect(Object.keys(entry)).toEqual(['.tag', ...fileMetadataFields]);
    expect(entry).toMatchObject({
      name: 'Note.txt',
      path_lower: '/docs/note.txt',
      path_display: '/Docs/Note.txt',
      id: file.id,
      client_modified: '2025-01-15T09:30:00Z',
      server_modified: '2025-01-15T09:30:00Z',
      rev: expect.stringMatching(/^[0-9a-f]{9,}$/),
      size: 5,
      is_downloadable: true,
      // One block: SHA-256 of the block's SHA-256.
      content_hash: createHash('sha256').update(createHash('sha256').update('hello').digest()).digest('hex'),
    });
    const byId = await h.dbx.filesListFolder({
      path: (root.result.entries[0] as files.FolderMetadataReference).id,
    });
    expect(names(byId.result.entries)).toEqual(['/Docs/Note.txt']);
  });

  it('pages with limit and has_more, and lists recursively with the folder itself first', async () => {
    await h.dbx.filesCreateFolderV2({ path: '/a/b' });
    for (const name of ['3.txt', '1.txt', '2.txt']) await upload(`/a/${name}`, name);
    await upload('/a/b/deep.txt', 'deep');
    const first = await h.dbx.filesListFolder({ path: '/a', limit: 2 });
    expect(names(first.result.entries)).toEqual(['/a/1.txt', '/a/2.txt']);
    expect(first.result.has_more).toBe(true);
    const second = await h.dbx.filesListFolderContinue({ cursor: first.result.cursor });
    expect(names(second.result.entries)).toEqual(['/a/3.txt', '/a/b']);
    expect(second.result.has_more).toBe(false);
    const everything = ['/a', '/a/1.txt', '/a/2.txt', '/a/3.txt', '/a/b', '/a/b/deep.txt'];
    const recursive = await h.dbx.filesListFolder({ path: '/a', recursive: true });
    expect(names(recursive.result.entries)).toEqual(everything);
    const fromRoot = await h.dbx.filesListFolder({ path: '', recursive: true, limit: 4 });
    const rest = await h.dbx.filesListFolderContinue({ cursor: fromRoot.result.cursor });
    expect([...names(fromRoot.result.entries), ...names(rest.result.entries)]).toEqual(everything);
  });

  it('answers path/not_found, path/not_folder, malformed paths and the "/" root rule', async () => {
    await upload('/f.txt', 'x');
    expect(tags(await rejection(h.dbx.filesListFolder({ path: '/missing' })))).toBe('path/not_found');
    expect(tags(await rejection(h.dbx.filesListFolder({ path: '/f.txt' })))).toBe('path/not_folder');
    expect(tags(await rejection(h.dbx.filesListFolder({ path: '/a//b' })))).toBe('path/malformed_path');
    const slash = await rejection(h.dbx.filesListFolder({ path: '/' }));
    expect(slash.status).toBe(400);
    expect(slash.error).toBe(
      'Error in call to API function "files/list_folder": request body: path: Specify the root folder as an empty string rather than as "/".',
    );
    const limit = await rpc(h, 'files/list_folder', { path: '', limit: 0 });
    expect(limit.status).toBe(400);
    expect(await limit.text()).toBe(
      'Error in call to API function "files/list_folder": request body: limit: 0 is not within range [1, 2000]',
    );
  });
});

describe('files/get_metadata', () => {
  it('reads files and folders by path (any case), id and rev', async () => {
    const file = (await upload('/Dir/File.TXT', 'v1')).result;
    const byPath = await h.dbx.filesGetMetadata({ path: '/dir/file.txt' });
    expect(byPath.result).toMatchObject({ '.tag': 'file', id: file.id, path_display: '/Dir/File.TXT' });
    expect((await h.dbx.filesGetMetadata({ path: file.id })).result.path_lower).toBe('/dir/file.txt');
    const folder = await h.dbx.filesGetMetadata({ path: '/DIR' });
    expect(folder.result).toEqual({
      '.tag': 'folder',
      name: 'Dir',
      path_lower: '/dir',
      path_display: '/Dir',
      id: expect.any(String),
    });
    const relative = await h.dbx.filesGetMetadata({
      path: `${(folder.result as files.FolderMetadataReference).id}/file.txt`,
    });
    expect(relative.result.name).toBe('File.TXT');
    await h.dbx.filesUpload({
      path: '/Dir/File.TXT',
      contents: Buffer.from('v2'),
      mode: { '.tag': 'overwrite' },
    });
    const old = await h.dbx.filesGetMetadata({ path: `rev:${file.rev}` });
    expect(old.result).toMatchObject({ rev: file.rev, size: 2, content_hash: file.content_hash });
  });

  it('returns deleted metadata with include_deleted, else path/not_found; the root is not supported', async () => {
    await upload('/gone.txt', 'x');
    await h.dbx.filesDeleteV2({ path: '/gone.txt' });
    expect(tags(await rejection(h.dbx.filesGetMetadata({ path: '/gone.txt' })))).toBe('path/not_found');
    const deleted = await h.dbx.filesGetMetadata({ path: '/Gone.txt', include_deleted: true });
    expect(deleted.result).toEqual({
      '.tag': 'deleted',
      name: 'gone.txt',
      path_lower: '/gone.txt',
      path_display: '/gone.txt',
    });
    const root = await rejection(h.dbx.filesGetMetadata({ path: '' }));
    expect(root.status).toBe(400);
    expect(String(root.error)).toContain("request body: path: '' did not match pattern");
  });

  it('answers 400 "The root folder is unsupported." for "/" and the root namespace', async () => {
    const namespace = (await h.dbx.usersGetCurrentAccount()).result.root_info.root_namespace_id;
    for (const path of ['/', `ns:${namespace}`]) {
      const response = await rpc(h, 'files/get_metadata', { path });
      expect(response.status).toBe(400);
      expect(await response.text()).toBe(
        'Error in call to API function "files/get_metadata": request body: path: The root folder is unsupported.',
      );
    }
  });
});

describe('create_folder_v2, copy_v2, move_v2, delete_v2', () => {
  it('creates folders with their parents; conflicts are case-insensitive; autorename numbers', async () => {
    const created = await h.dbx.filesCreateFolderV2({ path: '/Projects/2025' });
    expect(created.result.metadata).toEqual({
      name: '2025',
      path_lower: '/projects/2025',
      path_display: '/Projects/2025',
      id: expect.any(String),
    });
    const conflict = await rejection(h.dbx.filesCreateFolderV2({ path: '/PROJECTS' }));
    expect(conflict.status).toBe(409);
    expect(conflict.error).toEqual({
      error_summary: expect.stringMatching(/^path\/conflict\/folder\/\.+$/),
      error: { '.tag': 'path', path: { '.tag': 'conflict', conflict: { '.tag': 'folder' } } },
    });
    const renamed = await h.dbx.filesCreateFolderV2({ path: '/projects', autorename: true });
    expect(renamed.result.metadata.name).toBe('projects (2)');
    await upload('/file.txt', 'x');
    expect(tags(await rejection(h.dbx.filesCreateFolderV2({ path: '/FILE.txt' })))).toBe(
      'path/conflict/file',
    );
    expect(tags(await rejection(h.dbx.filesCreateFolderV2({ path: '/file.txt/sub' })))).toBe(
      'path/conflict/file_ancestor',
    );
    expect(tags(await rejection(h.dbx.filesCreateFolderV2({ path: '/desktop.ini' })))).toBe(
      'path/disallowed_name',
    );
    expect(tags(await rejection(h.dbx.filesCreateFolderV2({ path: '/trailing/' })))).toBe(
      'path/malformed_path',
    );
  });

  it('moves keep the id, copies get new ids; relocation errors use RelocationError tags', async () => {
    const file = (await upload('/src/a.txt', 'a')).result;
    const moved = await h.dbx.filesMoveV2({ from_path: '/src/a.txt', to_path: '/dst/b.txt' });
    expect(moved.result.metadata).toMatchObject({ '.tag': 'file', id: file.id, path_display: '/dst/b.txt' });
    expect((moved.result.metadata as files.FileMetadataReference).rev).not.toBe(file.rev);
    const copied = await h.dbx.filesCopyV2({ from_path: '/dst', to_path: '/copy' });
    expect(copied.result.metadata).toMatchObject({ '.tag': 'folder', path_display: '/copy' });
    const copiedFile = await h.dbx.filesGetMetadata({ path: '/copy/b.txt' });
    expect((copiedFile.result as files.FileMetadataReference).id).not.toBe(file.id);
    expect((copiedFile.result as files.FileMetadataReference).content_hash).toBe(file.content_hash);

    expect(tags(await rejection(h.dbx.filesMoveV2({ from_path: '/nope', to_path: '/x' })))).toBe(
      'from_lookup/not_found',
    );
    expect(tags(await rejection(h.dbx.filesMoveV2({ from_path: '/copy', to_path: '/dst' })))).toBe(
      'to/conflict/folder',
    );
    expect(
      tags(await rejection(h.dbx.filesCopyV2({ from_path: '/copy/b.txt', to_path: '/dst/B.TXT' }))),
    ).toBe('to/conflict/file');
    expect(tags(await rejection(h.dbx.filesMoveV2({ from_path: '/copy', to_path: '/copy/inside' })))).toBe(
      'cant_move_folder_into_itself',
    );
    const autorenamed = await h.dbx.filesCopyV2({
      from_path: '/copy/b.txt',
      to_path: '/dst/b.txt',
      autorename: true,
    });
    expect(autorenamed.result.metadata.name).toBe('b (2).txt');
  });

  it('answers a case-only move_v2 with the metadata unchanged: no rename, no change reported', async () => {
    const file = (await upload('/F/a.txt', 'a')).result;
    const cursor = (await h.dbx.filesListFolderGetLatestCursor({ path: '', recursive: true })).result.cursor;
    const before = (await h.dbx.filesGetMetadata({ path: '/F/a.txt' })).result;
    const moved = await h.dbx.filesMoveV2({ from_path: '/F/a.txt', to_path: '/F/A.txt' });
    expect(moved.status).toBe(200);
    expect(moved.result.metadata).toEqual(before);
    expect(moved.result.metadata).toMatchObject({ path_display: '/F/a.txt', rev: file.rev });
    const folder = await h.dbx.filesMoveV2({ from_path: '/F', to_path: '/f' });
    expect(folder.result.metadata).toMatchObject({ '.tag': 'folder', path_display: '/F' });
    expect((await h.dbx.filesGetMetadata({ path: '/f/A.TXT' })).result).toEqual(before);
    expect((await h.dbx.filesListFolderContinue({ cursor })).result.entries).toEqual([]);
  });

  it('refuses names Dropbox cannot store on every write with malformed_path; trailing dots are fine', async () => {
    const refused = ['/back\\slash', '/del\u007f', '/trailing ', '/lone\ud800', '/dir /in.txt'];
    for (const path of refused) {
      expect(tags(await rejection(h.dbx.filesCreateFolderV2({ path })))).toBe('path/malformed_path');
      const uploaded = await rejection(h.dbx.filesUpload({ path, contents: Buffer.from('x') }));
      expect(uploaded.error.error).toMatchObject({ '.tag': 'path', reason: { '.tag': 'malformed_path' } });
    }
    await upload('/ok.txt', 'x');
    expect(tags(await rejection(h.dbx.filesCopyV2({ from_path: '/ok.txt', to_path: '/c\\d.txt' })))).toBe(
      'to/malformed_path',
    );
    expect(tags(await rejection(h.dbx.filesMoveV2({ from_path: '/ok.txt', to_path: '/ok.txt ' })))).toBe(
      'to/malformed_path',
    );
    const session = (await h.dbx.filesUploadSessionStart({ contents: Buffer.from('s') })).result.session_id;
    const finish = (path: string) =>
      h.dbx.filesUploadSessionFinish({
        cursor: { session_id: session, offset: 1 },
        commit: { path },
        contents: Buffer.alloc(0),
      });
    expect(tags(await rejection(finish('/s\u007f.txt')))).toBe('path/malformed_path');
    expect((await finish('/dots...')).result.path_display).toBe('/dots...');
    expect((await h.dbx.filesCreateFolderV2({ path: '/ lead.' })).result.metadata.name).toBe(' lead.');
    const invalidUtf8 = await fetch(`${h.url}/2/files/create_folder_v2`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${h.token}`, 'Content-Type': 'application/json' },
      body: Buffer.concat([Buffer.from('{"path":"/bad'), Buffer.from([0xff]), Buffer.from('"}')]),
    });
    expect(invalidUtf8.status).toBe(400);
    expect(await invalidUtf8.text()).toBe(
      'Error in call to API function "files/create_folder_v2": request body: could not decode input as JSON',
    );
  });

  it('refuses to delete a folder of more than 10,000 entries with too_many_files, like copy and move', async () => {
    await h.close();
    const files: SeedNode[] = Array.from({ length: 10_000 }, (_, i) => ({
      kind: 'file',
      name: `f${i}.txt`,
      mimeType: 'text/plain',
      content: { type: 'text', text: '' },
    }));
    h = await startHarness({
      seed: {
        name: 'big',
        users: [{ ...ALICE_SEED, tree: [{ kind: 'folder', name: 'big', children: files }] }],
      },
    });
    const refused = [
      () => h.dbx.filesDeleteV2({ path: '/big' }),
      () => h.dbx.filesCopyV2({ from_path: '/big', to_path: '/copy' }),
      () => h.dbx.filesMoveV2({ from_path: '/big', to_path: '/moved' }),
    ];
    for (const request of refused) expect(tags(await rejection(request()))).toBe('too_many_files');
    await h.dbx.filesDeleteV2({ path: '/big/f0.txt' });
    expect((await h.dbx.filesDeleteV2({ path: '/big' })).result.metadata.name).toBe('big');
  });

  it('deletes files and folders, returning the metadata they had', async () => {
    await upload('/tree/x/y.txt', 'y');
    const deleted = await h.dbx.filesDeleteV2({ path: '/TREE' });
    expect(deleted.result.metadata).toMatchObject({ '.tag': 'folder', path_display: '/tree' });
    expect(tags(await rejection(h.dbx.filesDeleteV2({ path: '/tree' })))).toBe('path_lookup/not_found');
    const file = (await upload('/r.txt', 'r')).result;
    expect(tags(await rejection(h.dbx.filesDeleteV2({ path: '/r.txt', parent_rev: '0123456789abc' })))).toBe(
      'path_write/conflict/file',
    );
    expect((await h.dbx.filesDeleteV2({ path: '/r.txt', parent_rev: file.rev })).result.metadata.name).toBe(
      'r.txt',
    );
  });
});

describe('files/search_v2', () => {
  it('matches word prefixes in names, scoped and paged, with highlights', async () => {
    await upload('/Reports/Annual report 2024.pdf', 'a');
    await upload('/Reports/report.txt', 'b');
    await upload('/Other/reporter-notes.md', 'c');
    await upload('/Other/unrelated.txt', 'd');
    const all = await h.dbx.filesSearchV2({ query: 'report' });
    const paths = (r: files.SearchV2Result) =>
      r.matches.map((m) => (m.metadata as files.MetadataV2Metadata).metadata.path_display);
    expect(paths(all.result)).toEqual([
      '/Reports/report.txt',
      '/Other/reporter-notes.md',
      '/Reports',
      '/Reports/Annual report 2024.pdf',
    ]);
    expect(all.result.matches[0]).toMatchObject({
      match_type: { '.tag': 'filename' },
      metadata: { '.tag': 'metadata' },
    });
    const scoped = await h.dbx.filesSearchV2({
      query: 'rep 2024',
      options: { path: '/reports', max_results: 1 },
      match_field_options: { include_highlights: true },
    });
    expect(paths(scoped.result)).toEqual(['/Reports/Annual report 2024.pdf']);
    expect(
      scoped.result.matches[0]?.highlight_spans?.filter((s) => s.is_highlighted).map((s) => s.highlight_str),
    ).toEqual(['rep', '2024']);
    const pdfs = await h.dbx.filesSearchV2({
      query: 'report',
      options: { file_categories: [{ '.tag': 'pdf' }], max_results: 1 },
    });
    expect(pdfs.result.has_more).toBe(false);
    const paged = await h.dbx.filesSearchV2({ query: 'report', options: { max_results: 3 } });
    expect(paged.result.has_more).toBe(true);
    const rest = await h.dbx.filesSearchContinueV2({ cursor: paged.result.cursor as string });
    expect(paths(rest.result)).toEqual(['/Reports/Annual report 2024.pdf']);
    expect(tags(await rejection(h.dbx.filesSearchV2({ query: '  ' })))).toBe('invalid_argument');
  });
});
