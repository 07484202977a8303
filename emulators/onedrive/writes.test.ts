/**
 * Graph writes over raw HTTP: simple upload (create, replace, conflictBehavior, by id, missing folders),
 * folder creation, rename and move (case-only, conflicts, If-Match, into itself, the root), delete into
 * the recycle bin, quota accounting and 507, OneDrive's naming rules, write throttling.
 */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { QuickXorHash } from '../../main/core/providers/hashes/quickxor';
import {
  ALICE,
  call,
  expectGraphError,
  graph,
  graphJson,
  mkdir,
  upload,
  useHarness,
  type DriveItem,
} from './test-support';

type Page = { value: DriveItem[] };
type Drive = { quota: { used: number; deleted: number; remaining: number; total: number } };

const h = useHarness({ seed: 'empty' });
afterEach(async () => {
  h.emulator.admin.clearFaults();
  h.emulator.admin.setWriteRate(null);
  await h.emulator.admin.reset();
});

const names = async (path = '/v1.0/me/drive/root/children') =>
  (await graphJson<Page>(h, path)).value.map((i) => i.name);

describe('simple upload (PUT .../content)', () => {
  it('creates (201), replaces (200, same id, new eTag/cTag) and honours conflictBehavior', async () => {
    const created = await call(h, 'PUT', '/v1.0/me/drive/root:/notes.txt:/content', { body: 'hello world' });
    expect(created.status).toBe(201);
    const item = (await created.json()) as DriveItem;
    expect(item).toMatchObject({
      '@odata.context': `${h.url}/v1.0/$metadata#drives('${item.parentReference.driveId}')/items/$entity`,
      name: 'notes.txt',
      size: 11,
      file: { mimeType: 'text/plain', hashes: { quickXorHash: 'aCgDG9jwBhDc4Q1yawMZAAAAAAA=' } },
      parentReference: { driveType: 'personal', path: '/drive/root:' },
    });
    expect(created.headers.get('etag')).toBe(item.eTag);

    const replaced = await call(h, 'PUT', '/v1.0/me/drive/root:/NOTES.txt:/content', { body: 'hello again' });
    expect(replaced.status).toBe(200);
    const second = (await replaced.json()) as DriveItem;
    expect(second.id).toBe(item.id);
    expect(second.name).toBe('notes.txt'); // the name keeps its case
    expect(second.eTag).not.toBe(item.eTag);
    expect(second.cTag).not.toBe(item.cTag);

    const failed = await call(
      h,
      'PUT',
      '/v1.0/me/drive/root:/notes.txt:/content?@microsoft.graph.conflictBehavior=fail',
      { body: 'x' },
    );
    await expectGraphError(failed, 409, 'nameAlreadyExists');
    const renamed = await upload(h, 'notes.txt', 'third', '?@microsoft.graph.conflictBehavior=rename');
    expect(renamed.name).toBe('notes 1.txt');
    const renamedAgain = await upload(h, 'notes.txt', 'fourth', '?@microsoft.graph.conflictBehavior=rename');
    expect(renamedAgain.name).toBe('notes 2.txt');
    await expectGraphError(
      await call(h, 'PUT', '/v1.0/me/drive/root:/x.txt:/content?@microsoft.graph.conflictBehavior=maybe', {
        body: 'x',
      }),
      400,
      'invalidRequest',
    );

    // Replace by id; If-Match with a stale eTag: 412.
    const byId = await call(h, 'PUT', `/v1.0/me/drive/items/${item.id}/content`, { body: 'by id' });
    expect(byId.status).toBe(200);
    const stale = await call(h, 'PUT', `/v1.0/me/drive/items/${item.id}/content`, {
      body: 'stale',
      headers: { 'If-Match': item.eTag },
    });
    const error = await expectGraphError(stale, 412, 'resourceModified');
    expect(error.innerCode).toBe('entityTagDoesNotMatch');
    const current = (await byId.json()) as DriveItem;
    const matching = await call(h, 'PUT', `/v1.0/me/drive/items/${item.id}/content`, {
      body: 'fresh',
      headers: { 'If-Match': current.eTag },
    });
    expect(matching.status).toBe(200);
    const content = await call(h, 'GET', `/v1.0/me/drive/items/${item.id}/content`);
    expect(await content.text()).toBe('fresh');
  });

  it('uploads below a parent id, creates the missing folders of a path, and keeps empty files', async () => {
    const docs = await mkdir(h, 'Docs');
    const response = await call(h, 'PUT', `/v1.0/me/drive/items/${docs.id}:/a%20b.bin:/content`, {
      body: new Uint8Array([1, 2, 3]),
    });
    expect(response.status).toBe(201);
    const file = (await response.json()) as DriveItem;
    expect(file).toMatchObject({
      name: 'a b.bin',
      size: 3,
      parentReference: { id: docs.id, path: '/drive/root:/Docs' },
    });
    expect(file.file?.mimeType).toBe('application/octet-stream');
    const deep = await upload(h, 'x/y/z.txt', '');
    expect(deep).toMatchObject({ size: 0, parentReference: { path: '/drive/root:/x/y' } });
    expect(deep.file?.hashes.quickXorHash).toBe(new QuickXorHash().digest());
    expect(await names()).toEqual(['Docs', 'x']);
    // A file in the middle of the path: 409.
    await upload(h, 'plain.txt', 'p');
    await expectGraphError(
      await call(h, 'PUT', '/v1.0/me/drive/root:/plain.txt/child.txt:/content', { body: 'c' }),
      409,
      'nameAlreadyExists',
    );
    // Content to a folder by id: 400; an unknown parent: 404.
    await expectGraphError(
      await call(h, 'PUT', `/v1.0/me/drive/items/${docs.id}/content`, { body: 'x' }),
      400,
      'invalidRequest',
    );
    await expectGraphError(
      await call(h, 'PUT', '/v1.0/me/drive/items/NOPE!1:/f.txt:/content', { body: 'x' }),
      404,
      'itemNotFound',
    );
  });

  it('refuses a simple upload declared larger than 250 MB with 413, before its body', async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${h.url}/v1.0/me/drive/root:/huge.bin:/content`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${h.token}`, 'Content-Length': String(250 * 1024 * 1024 + 1) },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body });
          req.destroy();
        });
      });
      req.on('error', reject);
      req.write('only the start');
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({
      error: { code: 'invalidRequest', innerError: { code: 'maxFileSizeExceeded' } },
    });
  });

  it('accounts for quota: used grows, a write past the limit is 507', async () => {
    const before = (await graphJson<Drive>(h, '/v1.0/me/drive')).quota;
    await upload(h, 'ten.bin', new Uint8Array(10));
    const after = (await graphJson<Drive>(h, '/v1.0/me/drive')).quota;
    expect(after.used - before.used).toBe(10);
    h.emulator.admin.setQuota(ALICE, after.used + 5);
    await expectGraphError(
      await call(h, 'PUT', '/v1.0/me/drive/root:/big.bin:/content', { body: new Uint8Array(6) }),
      507,
      'quotaLimitReached',
    );
    // Replacing with something only 5 bytes larger fits.
    expect(
      (await call(h, 'PUT', '/v1.0/me/drive/root:/ten.bin:/content', { body: new Uint8Array(15) })).status,
    ).toBe(200);
  });
});

describe('POST children (folders)', () => {
  it('creates folders: 201, fail -> 409, rename numbers the name, replace recycles the old one', async () => {
    const response = await call(h, 'POST', '/v1.0/me/drive/root/children', {
      json: {
        name: 'New Folder',
        folder: {},
        fileSystemInfo: { lastModifiedDateTime: '2020-02-03T04:05:06Z' },
      },
    });
    expect(response.status).toBe(201);
    const folder = (await response.json()) as DriveItem;
    expect(folder).toMatchObject({
      name: 'New Folder',
      size: 0,
      folder: { childCount: 0 },
      fileSystemInfo: { lastModifiedDateTime: '2020-02-03T04:05:06Z' },
    });
    const conflict = await call(h, 'POST', '/v1.0/me/drive/root/children', {
      json: { name: 'new folder', folder: {} },
    });
    expect((await expectGraphError(conflict, 409, 'nameAlreadyExists')).message).toBe('Name already exists');
    const renamed = await call(h, 'POST', '/v1.0/me/drive/root/children', {
      json: { name: 'New Folder', folder: {}, '@microsoft.graph.conflictBehavior': 'rename' },
    });
    expect(((await renamed.json()) as DriveItem).name).toBe('New Folder 1');
    await upload(h, 'New Folder/inside.txt', 'in');
    const replaced = await call(h, 'POST', '/v1.0/me/drive/root/children', {
      json: { name: 'New Folder', folder: {}, '@microsoft.graph.conflictBehavior': 'replace' },
    });
    expect(replaced.status).toBe(201);
    const fresh = (await replaced.json()) as DriveItem;
    expect(fresh.id).not.toBe(folder.id);
    expect(fresh.folder?.childCount).toBe(0);
    expect((await graphJson<Drive>(h, '/v1.0/me/drive')).quota.deleted).toBe(2);
    // Nested, by parent id.
    const child = await mkdir(h, 'Child', fresh.id);
    expect(child.parentReference).toMatchObject({ id: fresh.id, path: '/drive/root:/New Folder' });
    await expectGraphError(
      await call(h, 'POST', '/v1.0/me/drive/root/children', { json: { name: 'no facet' } }),
      400,
      'invalidRequest',
    );
    await expectGraphError(
      await call(h, 'POST', '/v1.0/me/drive/root/children', {
        body: 'not json',
        headers: { 'Content-Type': 'application/json' },
      }),
      400,
      'BadRequest',
    );
  });
});

describe('PATCH (rename, move) and DELETE', () => {
  it('renames (case-only too), moves by id or path, refuses conflicts, cycles, stale eTags and the root', async () => {
    const a = await mkdir(h, 'A');
    const b = await mkdir(h, 'B');
    const file = await upload(h, 'A/file.txt', 'content');
    const renamed = await call(h, 'PATCH', `/v1.0/me/drive/items/${file.id}`, { json: { name: 'File.TXT' } });
    expect(renamed.status).toBe(200);
    const afterRename = (await renamed.json()) as DriveItem;
    expect(afterRename).toMatchObject({ id: file.id, name: 'File.TXT', cTag: file.cTag });
    expect(afterRename.eTag).not.toBe(file.eTag);

    const moved = await call(h, 'PATCH', `/v1.0/me/drive/items/${file.id}`, {
      json: { parentReference: { id: b.id }, name: 'moved.txt' },
    });
    expect(((await moved.json()) as DriveItem).parentReference).toMatchObject({
      id: b.id,
      path: '/drive/root:/B',
    });
    const byPath = await call(h, 'PATCH', `/v1.0/me/drive/items/${file.id}`, {
      json: { parentReference: { path: '/drive/root:/A' } },
    });
    expect(((await byPath.json()) as DriveItem).parentReference.id).toBe(a.id);
    // "When moving items to the root of a drive your app cannot use the "id:" "root" syntax" (move docs),
    // though items/root addresses the root in a URL.
    await expectGraphError(
      await call(h, 'PATCH', `/v1.0/me/drive/items/${file.id}`, {
        json: { parentReference: { id: 'root' } },
      }),
      404,
      'itemNotFound',
    );
    const root = await graphJson<DriveItem>(h, '/v1.0/me/drive/items/root');
    const toRoot = await call(h, 'PATCH', `/v1.0/me/drive/items/${file.id}`, {
      json: { parentReference: { id: root.id } },
    });
    expect(((await toRoot.json()) as DriveItem).parentReference.id).toBe(root.id);
    await call(h, 'PATCH', `/v1.0/me/drive/items/${file.id}`, { json: { parentReference: { id: a.id } } });

    await upload(h, 'A/other.txt', 'o');
    const conflict = await call(h, 'PATCH', `/v1.0/me/drive/items/${file.id}`, {
      json: { name: 'OTHER.txt' },
    });
    await expectGraphError(conflict, 409, 'nameAlreadyExists');
    const renameOnConflict = await call(
      h,
      'PATCH',
      `/v1.0/me/drive/items/${file.id}?@microsoft.graph.conflictBehavior=rename`,
      {
        json: { name: 'other.txt' },
      },
    );
    expect(((await renameOnConflict.json()) as DriveItem).name).toBe('other 1.txt');

    const inner = await mkdir(h, 'Inner', a.id);
    await expectGraphError(
      await call(h, 'PATCH', `/v1.0/me/drive/items/${a.id}`, { json: { parentReference: { id: inner.id } } }),
      400,
      'invalidRequest',
    );
    await expectGraphError(
      await call(h, 'PATCH', `/v1.0/me/drive/items/${a.id}`, { json: { parentReference: { id: a.id } } }),
      400,
      'invalidRequest',
    );
    await expectGraphError(
      await call(h, 'PATCH', `/v1.0/me/drive/items/${a.id}`, {
        json: { name: 'A2' },
        headers: { 'If-Match': '"stale"' },
      }),
      412,
      'resourceModified',
    );
    const current = await graphJson<DriveItem>(h, `/v1.0/me/drive/items/${a.id}`);
    const withTag = await call(h, 'PATCH', `/v1.0/me/drive/items/${a.id}`, {
      json: { name: 'A2' },
      headers: { 'If-Match': current.eTag },
    });
    expect(withTag.status).toBe(200);
    // Children follow their folder: the path of a file below it changed.
    const below = await graphJson<DriveItem>(h, `/v1.0/me/drive/items/${inner.id}`);
    expect(below.parentReference.path).toBe('/drive/root:/A2');
    await expectGraphError(
      await call(h, 'PATCH', '/v1.0/me/drive/root', { json: { name: 'x' } }),
      400,
      'invalidRequest',
    );
    await expectGraphError(
      await call(h, 'PATCH', `/v1.0/me/drive/items/${a.id}`, { json: { parentReference: { id: 'NOPE!1' } } }),
      404,
      'itemNotFound',
    );
    await expectGraphError(
      await call(h, 'PATCH', `/v1.0/me/drive/items/${a.id}`, {
        json: { parentReference: { driveId: '0000000000000000', id: b.id } },
      }),
      400,
      'invalidRequest',
    );
    // fileSystemInfo and description.
    const touched = await call(h, 'PATCH', `/v1.0/me/drive/items/${file.id}`, {
      json: { fileSystemInfo: { lastModifiedDateTime: '2001-02-03T04:05:06.789Z' }, description: 'notes' },
    });
    expect((await touched.json()) as DriveItem).toMatchObject({
      description: 'notes',
      fileSystemInfo: { lastModifiedDateTime: '2001-02-03T04:05:06Z' },
    });
  });

  it('deletes into the recycle bin (204, then 404), refuses the root and stale eTags', async () => {
    const folder = await mkdir(h, 'Trash me');
    await upload(h, 'Trash me/one.txt', '12345');
    await upload(h, 'Trash me/two.txt', '678');
    const used = (await graphJson<Drive>(h, '/v1.0/me/drive')).quota.used;
    await expectGraphError(
      await call(h, 'DELETE', `/v1.0/me/drive/items/${folder.id}`, { headers: { 'If-Match': '"nope"' } }),
      412,
      'resourceModified',
    );
    const deleted = await call(h, 'DELETE', `/v1.0/me/drive/items/${folder.id}`);
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    const quota = (await graphJson<Drive>(h, '/v1.0/me/drive')).quota;
    expect(quota).toMatchObject({ used, deleted: 8 });
    await expectGraphError(await call(h, 'DELETE', `/v1.0/me/drive/items/${folder.id}`), 404, 'itemNotFound');
    await expectGraphError(await graph(h, '/v1.0/me/drive/root:/Trash me/one.txt'), 404, 'itemNotFound');
    await expectGraphError(await call(h, 'DELETE', '/v1.0/me/drive/root'), 400, 'invalidRequest');
    await expectGraphError(await call(h, 'POST', '/v1.0/me/drive/root'), 405, 'BadRequest');
  });

  it('restores a deleted folder with its subtree and ids (POST restore), reported by delta', async () => {
    const folder = await mkdir(h, 'Album');
    const photo = await upload(h, 'Album/photo.jpg', 'jpeg bytes');
    const deltaLink = (await graphJson(h, '/v1.0/me/drive/root/delta?token=latest'))[
      '@odata.deltaLink'
    ] as string;
    expect((await call(h, 'DELETE', `/v1.0/me/drive/items/${folder.id}`)).status).toBe(204);
    // Only the recycle bin's entries: not an item inside a deleted folder.
    await expectGraphError(
      await call(h, 'POST', `/v1.0/me/drive/items/${photo.id}/restore`, { json: {} }),
      404,
      'itemNotFound',
    );
    const restored = await call(h, 'POST', `/v1.0/me/drive/items/${folder.id}/restore`, { json: {} });
    expect(restored.status).toBe(200);
    expect(await restored.json()).toMatchObject({ id: folder.id, name: 'Album', folder: { childCount: 1 } });
    expect(await graphJson(h, '/v1.0/me/drive/root:/Album/photo.jpg')).toMatchObject({
      id: photo.id,
      size: 10,
    });
    expect((await graphJson<Drive>(h, '/v1.0/me/drive')).quota.deleted).toBe(0);
    const changed = (await graphJson<Page>(h, deltaLink)).value;
    expect(changed.filter((item) => !item.deleted).map((item) => item.id)).toEqual(
      expect.arrayContaining([folder.id, photo.id]),
    );
    // Live again: no longer in the recycle bin.
    await expectGraphError(
      await call(h, 'POST', `/v1.0/me/drive/items/${folder.id}/restore`, { json: {} }),
      404,
      'itemNotFound',
    );
  });

  it('refuses to restore onto a taken name (409), and restores elsewhere or renamed when asked', async () => {
    const file = await upload(h, 'report.txt', 'first');
    expect((await call(h, 'DELETE', `/v1.0/me/drive/items/${file.id}`)).status).toBe(204);
    await upload(h, 'REPORT.txt', 'second');
    await expectGraphError(
      await call(h, 'POST', `/v1.0/me/drive/items/${file.id}/restore`),
      409,
      'nameAlreadyExists',
    );
    const folder = await mkdir(h, 'Old');
    const moved = await call(h, 'POST', `/v1.0/me/drive/items/${file.id}/restore`, {
      json: { parentReference: { id: folder.id }, name: 'report (old).txt' },
    });
    expect(moved.status).toBe(200);
    expect(await moved.json()).toMatchObject({ id: file.id, name: 'report (old).txt', size: 5 });
    expect(await names(`/v1.0/me/drive/items/${folder.id}/children`)).toEqual(['report (old).txt']);
    await expectGraphError(
      await call(h, 'POST', '/v1.0/me/drive/items/NOPE!999/restore', { json: {} }),
      404,
      'itemNotFound',
    );
  });
});

describe('names', () => {
  it('refuses the names OneDrive refuses, on every write', async () => {
    const refused = [
      'a:b.txt',
      'what?.txt',
      'star*.txt',
      'pipe|.txt',
      'quote".txt',
      'less<.txt',
      ' leading.txt',
      'trailing.txt ',
      'dot.',
      'CON',
      'nul',
      'com1',
      'LPT9',
      '.lock',
      'desktop.ini',
      '~$report.docx',
      'x_vti_y.txt',
    ];
    for (const name of refused) {
      const response = await call(h, 'POST', '/v1.0/me/drive/root/children', { json: { name, folder: {} } });
      await expectGraphError(response, 400, 'invalidRequest');
    }
    const byPath = await call(h, 'PUT', `/v1.0/me/drive/root:/${encodeURIComponent('dot.')}:/content`, {
      body: 'x',
    });
    expect((await expectGraphError(byPath, 400, 'invalidRequest')).message).toBe(
      'Path (/dot.) contains invalid trailing character.',
    );
    const file = await upload(h, 'fine.txt', 'x');
    await expectGraphError(
      await call(h, 'PATCH', `/v1.0/me/drive/items/${file.id}`, { json: { name: 'bad\\name' } }),
      400,
      'invalidRequest',
    );
    // Accepted: names close to the reserved ones, unicode, # and %.
    for (const name of ['CON.txt', 'console', 'COM10', 'a#b%c.txt', 'ünïcödé ✓.txt', '.hidden', '~tilde'])
      expect((await upload(h, name, 'ok')).name).toBe(name);
    // The 400-character path limit.
    const long = 'd'.repeat(200);
    await mkdir(h, long);
    const tooLong = await call(h, 'PUT', `/v1.0/me/drive/root:/${long}/${'f'.repeat(200)}.txt:/content`, {
      body: 'x',
    });
    expect((await expectGraphError(tooLong, 400, 'invalidRequest')).innerCode).toBe('pathIsTooLong');
    expect((await upload(h, `${long}/${'f'.repeat(195)}.txt`, 'x')).name).toHaveLength(199);
  });
});

describe('throttling and faults on writes', () => {
  it('throttles writes per user with 429 + Retry-After, and faults apply to writes', async () => {
    h.emulator.admin.setWriteRate(1, 1);
    expect(
      (await call(h, 'POST', '/v1.0/me/drive/root/children', { json: { name: 'one', folder: {} } })).status,
    ).toBe(201);
    const limited = await call(h, 'POST', '/v1.0/me/drive/root/children', {
      json: { name: 'two', folder: {} },
    });
    expect(limited.headers.get('retry-after')).toBe('1');
    expect((await expectGraphError(limited, 429, 'activityLimitReached')).innerCode).toBe('throttledRequest');
    h.clock.advance(1000);
    expect(
      (await call(h, 'POST', '/v1.0/me/drive/root/children', { json: { name: 'two', folder: {} } })).status,
    ).toBe(201);
    h.emulator.admin.setWriteRate(null);

    h.emulator.admin.setFaults('error=503 PATCH /v1.0/* retryAfter=3 times=1; user-rate-limit PUT times=1');
    const folder = await mkdir(h, 'F');
    const unavailable = await call(h, 'PATCH', `/v1.0/me/drive/items/${folder.id}`, { json: { name: 'G' } });
    expect(unavailable.headers.get('retry-after')).toBe('3');
    await expectGraphError(unavailable, 503, 'serviceNotAvailable');
    await expectGraphError(
      await call(h, 'PUT', '/v1.0/me/drive/root:/f.txt:/content', { body: 'x' }),
      429,
      'activityLimitReached',
    );
    expect((await call(h, 'PUT', '/v1.0/me/drive/root:/f.txt:/content', { body: 'x' })).status).toBe(201);
    // `drop`: the write happens, the answer is lost.
    h.emulator.admin.setFaults('drop PATCH /v1.0/* times=1');
    await expect(
      call(h, 'PATCH', `/v1.0/me/drive/items/${folder.id}`, { json: { name: 'Dropped' } }),
    ).rejects.toThrow();
    expect((await graphJson<DriveItem>(h, `/v1.0/me/drive/items/${folder.id}`)).name).toBe('Dropped');
  });
});
