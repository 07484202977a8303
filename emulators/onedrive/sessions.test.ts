/**
 * Upload sessions over raw HTTP: createUploadSession (by parent id and path, conflictBehavior, name
 * and fileSize checks), fragments in 320 KiB multiples with nextExpectedRanges, status, cancel,
 * overlap and order errors, Authorization refused on the upload URL, commit conflicts, expiry,
 * replacing a file, and a fragment cut by a fault then resumed.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { QuickXorHash } from '../../main/core/providers/hashes/quickxor';
import {
  ALICE,
  call,
  expectGraphError,
  graphJson,
  mkdir,
  upload,
  useHarness,
  type DriveItem,
} from './test-support';

const KIB320 = 320 * 1024;

interface Session {
  '@odata.context': string;
  uploadUrl: string;
  expirationDateTime: string;
  nextExpectedRanges: string[];
}

const h = useHarness({
  seed: 'empty',
  uploadSessionLifetimeSeconds: 3600,
  tokenLifetimeSeconds: 30 * 24 * 3600,
});
afterEach(async () => {
  h.emulator.admin.clearFaults();
  await h.emulator.admin.reset();
});

async function createSession(path: string, item?: Record<string, unknown>): Promise<Session> {
  const response = await call(h, 'POST', `/v1.0/me/drive/${path}/createUploadSession`, {
    json: item ? { item } : undefined,
  });
  if (response.status !== 200) throw new Error(`${response.status} ${await response.text()}`);
  return (await response.json()) as Session;
}

/** PUTs bytes [start, end) of `data` as one fragment, without Authorization. */
function putFragment(
  url: string,
  data: Buffer,
  start: number,
  end: number,
  headers: Record<string, string> = {},
) {
  return call(h, 'PUT', url, {
    token: null,
    body: data.subarray(start, end),
    headers: { 'Content-Range': `bytes ${start}-${end - 1}/${data.length}`, ...headers },
  });
}

describe('upload sessions', () => {
  it('creates a session and takes 320 KiB fragments in order: 202 with nextExpectedRanges, then 201', async () => {
    const data = randomBytes(2 * KIB320 + 1000);
    const session = await createSession('root:/big.bin:', {
      '@microsoft.graph.conflictBehavior': 'rename',
      name: 'big.bin',
      fileSize: data.length,
    });
    expect(Object.keys(session)).toEqual([
      '@odata.context',
      'expirationDateTime',
      'nextExpectedRanges',
      'uploadUrl',
    ]);
    expect(session['@odata.context']).toBe(`${h.url}/v1.0/$metadata#microsoft.graph.uploadSession`);
    expect(session.nextExpectedRanges).toEqual(['0-']);
    expect(session.uploadUrl).toMatch(new RegExp(`^${h.url}/rup/[0-9a-f]{16}/[A-Za-z0-9_-]+$`));
    expect(Date.parse(session.expirationDateTime)).toBe(h.clock.now() + 3600 * 1000);

    const first = await putFragment(session.uploadUrl, data, 0, KIB320);
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({
      expirationDateTime: expect.any(String),
      nextExpectedRanges: [`${KIB320}-`],
    });
    h.clock.advance(60_000);
    const second = await putFragment(session.uploadUrl, data, KIB320, 2 * KIB320);
    const secondBody = (await second.json()) as { expirationDateTime: string; nextExpectedRanges: string[] };
    expect(secondBody.nextExpectedRanges).toEqual([`${2 * KIB320}-`]);
    // Each fragment extends the session.
    expect(Date.parse(secondBody.expirationDateTime)).toBe(h.clock.now() + 3600 * 1000);
    const status = await call(h, 'GET', session.uploadUrl, { token: null });
    expect(await status.json()).toMatchObject({ nextExpectedRanges: [`${2 * KIB320}-`] });

    const last = await putFragment(session.uploadUrl, data, 2 * KIB320, data.length);
    expect(last.status).toBe(201);
    const item = (await last.json()) as DriveItem;
    expect(item).toMatchObject({ name: 'big.bin', size: data.length });
    expect(item.file?.hashes.quickXorHash).toBe(new QuickXorHash().update(data).digest());
    const download = await call(h, 'GET', `/v1.0/me/drive/items/${item.id}/content`);
    expect(Buffer.from(await download.arrayBuffer()).equals(data)).toBe(true);
    // The session is gone.
    await expectGraphError(await call(h, 'GET', session.uploadUrl, { token: null }), 404, 'itemNotFound');
  });

  it('refuses overlaps, gaps, odd fragment sizes, a changed total and oversized fragments', async () => {
    const data = randomBytes(3 * KIB320);
    const { uploadUrl } = await createSession('root:/checks.bin:');
    const overlapFirst = await putFragment(uploadUrl, data, 0, KIB320);
    expect(overlapFirst.status).toBe(202);
    const overlap = await putFragment(uploadUrl, data, 0, KIB320);
    expect((await expectGraphError(overlap, 416, 'invalidRange')).innerCode).toBe('fragmentOverlap');
    const gap = await putFragment(uploadUrl, data, 2 * KIB320, 3 * KIB320);
    expect((await expectGraphError(gap, 416, 'invalidRange')).innerCode).toBe('fragmentOutOfOrder');
    await expectGraphError(await putFragment(uploadUrl, data, KIB320, KIB320 + 1000), 400, 'invalidRequest');
    const otherTotal = await call(h, 'PUT', uploadUrl, {
      token: null,
      body: data.subarray(KIB320, 2 * KIB320),
      headers: { 'Content-Range': `bytes ${KIB320}-${2 * KIB320 - 1}/${data.length + 1}` },
    });
    expect((await expectGraphError(otherTotal, 400, 'invalidRequest')).innerCode).toBe(
      'fragmentLengthMismatch',
    );
    await expectGraphError(
      await call(h, 'PUT', uploadUrl, { token: null, body: data.subarray(0, 10) }),
      400,
      'invalidRequest',
    );
    const huge = Buffer.alloc(60 * 1024 * 1024 + KIB320);
    const tooBig = await call(h, 'PUT', uploadUrl, {
      token: null,
      body: huge,
      headers: { 'Content-Range': `bytes ${KIB320}-${KIB320 + huge.length - 1}/${KIB320 + huge.length}` },
    });
    expect(tooBig.status).toBe(413);
    await tooBig.text();
    // After all that the session still expects the second fragment.
    const status = await call(h, 'GET', uploadUrl, { token: null });
    expect(((await status.json()) as Session).nextExpectedRanges).toEqual([`${KIB320}-`]);
  });

  it('refuses Authorization on the upload URL; DELETE cancels (204, then 404); sessions expire', async () => {
    const data = randomBytes(100);
    const { uploadUrl } = await createSession('root:/auth.bin:');
    const withAuth = await call(h, 'PUT', uploadUrl, {
      body: data,
      headers: { 'Content-Range': `bytes 0-99/100` },
    });
    expect(withAuth.status).toBe(401);
    expect(await withAuth.json()).toEqual({ error: { code: 'unauthenticated', message: 'Unauthenticated' } });
    const cancelled = await call(h, 'DELETE', uploadUrl, { token: null });
    expect(cancelled.status).toBe(204);
    const gone = await putFragment(uploadUrl, data, 0, 100);
    expect((await expectGraphError(gone, 404, 'itemNotFound')).innerCode).toBe('uploadSessionNotFound');

    const second = await createSession('root:/expiring.bin:');
    expect((await putFragment(second.uploadUrl, randomBytes(2 * KIB320), 0, KIB320)).status).toBe(202);
    h.clock.advance(3600 * 1000);
    await expectGraphError(await call(h, 'GET', second.uploadUrl, { token: null }), 404, 'itemNotFound');
    expect(await graphJson<{ value: unknown[] }>(h, '/v1.0/me/drive/root/children')).toMatchObject({
      value: [],
    });
  });

  it('conflictBehavior: fail (default) refuses a taken name at once and at the commit; replace gives 200', async () => {
    const existing = await upload(h, 'taken.txt', 'old');
    await expectGraphError(
      await call(h, 'POST', '/v1.0/me/drive/root:/taken.txt:/createUploadSession'),
      409,
      'nameAlreadyExists',
    );
    // Taken while the session was open: the last fragment answers 409, the session stays.
    const session = await createSession('root:/later.txt:');
    await upload(h, 'later.txt', 'first come');
    const data = Buffer.from('second');
    const conflict = await putFragment(session.uploadUrl, data, 0, data.length);
    await expectGraphError(conflict, 409, 'nameAlreadyExists');
    const status = await call(h, 'GET', session.uploadUrl, { token: null });
    expect(((await status.json()) as Session).nextExpectedRanges).toEqual([]);

    const replace = await createSession('root:/taken.txt:', {
      '@microsoft.graph.conflictBehavior': 'replace',
    });
    const replaced = await putFragment(replace.uploadUrl, data, 0, data.length);
    expect(replaced.status).toBe(200);
    expect(((await replaced.json()) as DriveItem).id).toBe(existing.id);
    // A session on an existing file by id replaces it too.
    const byId = await createSession(`items/${existing.id}`);
    const again = await putFragment(byId.uploadUrl, Buffer.from('third'), 0, 5);
    expect(again.status).toBe(200);
    const folder = await mkdir(h, 'Folder');
    await expectGraphError(
      await call(h, 'POST', `/v1.0/me/drive/items/${folder.id}/createUploadSession`),
      400,
      'invalidRequest',
    );
  });

  it('checks the name, the If-Match tag and the declared size; creates missing folders of the path', async () => {
    const folder = await mkdir(h, 'Parent');
    const byParent = await call(
      h,
      'POST',
      `/v1.0/me/drive/items/${folder.id}:/child.bin:/createUploadSession`,
      {
        json: { item: { name: 'other.bin' } },
      },
    );
    expect((await expectGraphError(byParent, 400, 'invalidRequest')).message).toBe(
      'The name in the provided oneDrive.item does not match the name in the URL',
    );
    await expectGraphError(
      await call(h, 'POST', `/v1.0/me/drive/root:/${encodeURIComponent('bad:name')}:/createUploadSession`),
      400,
      'invalidRequest',
    );
    h.emulator.admin.setQuota(ALICE, 1000);
    await expectGraphError(
      await call(h, 'POST', '/v1.0/me/drive/root:/huge.bin:/createUploadSession', {
        json: { item: { fileSize: 1001 } },
      }),
      507,
      'quotaLimitReached',
    );
    h.emulator.admin.setQuota(ALICE, null);
    const existing = await upload(h, 'Parent/tagged.txt', 'x');
    await expectGraphError(
      await call(h, 'POST', `/v1.0/me/drive/items/${existing.id}/createUploadSession`, {
        headers: { 'If-Match': '"stale"' },
      }),
      412,
      'resourceModified',
    );
    // If-None-Match: the item's eTag or cTag (or *) -> 412; another tag, or nothing at that name: fine.
    for (const tag of [existing.eTag, existing.cTag, '*'])
      await expectGraphError(
        await call(h, 'POST', '/v1.0/me/drive/root:/Parent/tagged.txt:/createUploadSession', {
          json: { item: { '@microsoft.graph.conflictBehavior': 'replace' } },
          headers: { 'If-None-Match': tag },
        }),
        412,
        'resourceModified',
      );
    for (const [path, tag] of [
      [`items/${existing.id}`, '"other"'],
      ['root:/Parent/fresh.txt:', '*'],
    ] as const) {
      const allowed = await call(h, 'POST', `/v1.0/me/drive/${path}/createUploadSession`, {
        headers: { 'If-None-Match': tag },
      });
      expect(allowed.status).toBe(200);
      await allowed.text();
    }
    const deep = await createSession('root:/one/two/deep.bin:', {
      fileSystemInfo: { lastModifiedDateTime: '2019-05-06T07:08:09Z' },
    });
    const tree = await graphJson<DriveItem>(h, '/v1.0/me/drive/root:/one/two');
    expect(tree.folder?.childCount).toBe(0);
    const done = await putFragment(deep.uploadUrl, Buffer.from('deep'), 0, 4);
    expect((await done.json()) as DriveItem).toMatchObject({
      parentReference: { id: tree.id },
      fileSystemInfo: { lastModifiedDateTime: '2019-05-06T07:08:09Z' },
    });
  });

  it('drops a fragment cut mid-way by a reset fault; the client resumes from nextExpectedRanges', async () => {
    const data = randomBytes(2 * KIB320);
    const { uploadUrl } = await createSession('root:/resumed.bin:');
    h.emulator.admin.setFaults(`reset=${KIB320 / 2} PUT /rup/* times=1`);
    await expect(putFragment(uploadUrl, data, 0, KIB320)).rejects.toThrow();
    const status = await call(h, 'GET', uploadUrl, { token: null });
    expect(((await status.json()) as Session).nextExpectedRanges).toEqual(['0-']);
    h.emulator.admin.setFaults('error=503 PUT /rup/* times=1 retryAfter=2');
    const unavailable = await putFragment(uploadUrl, data, 0, KIB320);
    expect(unavailable.headers.get('retry-after')).toBe('2');
    await expectGraphError(unavailable, 503, 'serviceNotAvailable');
    expect((await putFragment(uploadUrl, data, 0, KIB320)).status).toBe(202);
    const done = await putFragment(uploadUrl, data, KIB320, data.length);
    expect(((await done.json()) as DriveItem).file?.hashes.quickXorHash).toBe(
      new QuickXorHash().update(data).digest(),
    );
  });

  it('commits explicitly with @microsoft.graph.sourceUrl: after a conflict, and for deferCommit sessions', async () => {
    // A commit that failed on a taken name, recovered under another name.
    const session = await createSession('root:/report.txt:');
    await upload(h, 'report.txt', 'someone else');
    const data = Buffer.from('my report');
    await expectGraphError(
      await putFragment(session.uploadUrl, data, 0, data.length),
      409,
      'nameAlreadyExists',
    );
    const committed = await call(h, 'PUT', '/v1.0/me/drive/root:/report (mine).txt', {
      json: { '@microsoft.graph.sourceUrl': session.uploadUrl, '@microsoft.graph.conflictBehavior': 'fail' },
    });
    expect(committed.status).toBe(201);
    expect(((await committed.json()) as DriveItem).name).toBe('report (mine).txt');
    await expectGraphError(await call(h, 'GET', session.uploadUrl, { token: null }), 404, 'itemNotFound');

    // deferCommit: the last fragment commits nothing; a PUT on the folder with a name does.
    const folder = await mkdir(h, 'Deferred');
    const deferred = await call(h, 'POST', '/v1.0/me/drive/root:/Deferred/d.bin:/createUploadSession', {
      json: { deferCommit: true },
    });
    const { uploadUrl } = (await deferred.json()) as Session;
    // Nothing received yet: an explicit commit is refused.
    const early = await call(h, 'PUT', `/v1.0/me/drive/items/${folder.id}`, {
      json: { '@microsoft.graph.sourceUrl': uploadUrl, name: 'd.bin' },
    });
    expect((await expectGraphError(early, 400, 'invalidRequest')).innerCode).toBe('uploadSessionIncomplete');
    const whole = await putFragment(uploadUrl, Buffer.from('abcdef'), 0, 6);
    expect(whole.status).toBe(202);
    expect(((await whole.json()) as Session).nextExpectedRanges).toEqual([]);
    expect((await graphJson<DriveItem>(h, `/v1.0/me/drive/items/${folder.id}`)).folder?.childCount).toBe(0);
    const done = await call(h, 'PUT', `/v1.0/me/drive/items/${folder.id}`, {
      json: { '@microsoft.graph.sourceUrl': uploadUrl, name: 'd.bin' },
    });
    expect(done.status).toBe(201);
    expect((await done.json()) as DriveItem).toMatchObject({
      name: 'd.bin',
      size: 6,
      parentReference: { id: folder.id },
    });
    await expectGraphError(
      await call(h, 'PUT', `/v1.0/me/drive/items/${folder.id}`, { json: { name: 'x' } }),
      400,
      'invalidRequest',
    );
  });
});
