/** Dropbox's generic answers by raw HTTP and the SDK: 400 text, 401/409/429 JSON, void routes, faults, throttle, quota. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALICE, content, rejection, rpc, startHarness, tags, type Harness } from './test-support';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const LIST = 'Error in call to API function "files/list_folder": ';

describe('400 bad input, as plain text', () => {
  it('refuses malformed JSON, unknown fields, wrong types and a wrong Content-Type', async () => {
    const cases: [Response, string][] = [
      [
        await rpc(h, 'files/list_folder', undefined, { raw: '{"path":' }),
        'request body: could not decode input as JSON',
      ],
      [
        await rpc(h, 'files/list_folder', { path: '', colour: 'red' }),
        "request body: unknown field 'colour'",
      ],
      [await rpc(h, 'files/list_folder', {}), "request body: missing required field 'path'"],
      [
        await rpc(h, 'files/list_folder', { path: '', recursive: 'yes' }),
        "request body: recursive: 'yes' is not a valid boolean",
      ],
      [
        await rpc(h, 'files/list_folder', { path: 'relative' }),
        "request body: path: 'relative' did not match pattern '(/(.|[\\r\\n])*)?|id:.*|(ns:[0-9]+(/(.|[\\r\\n])*)?)'",
      ],
      [
        await rpc(h, 'files/list_folder', { path: '' }, { contentType: 'application/x-www-form-urlencoded' }),
        'Bad HTTP "Content-Type" header: "application/x-www-form-urlencoded".  Expecting one of "application/json", "application/json; charset=utf-8", "text/plain; charset=dropbox-cors-hack".',
      ],
    ];
    for (const [response, message] of cases) {
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(await response.text()).toBe(LIST + message);
    }
  });

  it('refuses a missing or malformed Authorization header, and unknown routes', async () => {
    const missing = await rpc(h, 'files/list_folder', { path: '' }, { token: null });
    expect(await missing.text()).toBe(
      `${LIST}Must provide HTTP header "Authorization" or URL parameter "authorization".`,
    );
    const malformed = await fetch(`${h.url}/2/files/list_folder`, {
      method: 'POST',
      headers: { Authorization: 'Basic abc', 'Content-Type': 'application/json' },
      body: '{"path":""}',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).toBe(
      `${LIST}Invalid authorization value in HTTP header "Authorization": "Basic abc".  Expecting "Bearer <oauth2-access-token>".`,
    );
    const unknown = await rpc(h, 'files/teleport', {});
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toBe('Unknown API function: "files/teleport"');
  });

  it('does not serve the deprecated v1 and batch routes (README: Not emulated)', async () => {
    const routes = [
      'files/upload_session/append',
      'files/delete',
      'files/create_folder',
      'files/copy',
      'files/move',
      'files/search',
      'files/delete_batch',
      'files/copy_batch_v2',
      'files/upload_session/finish_batch_v2',
    ];
    for (const route of routes) {
      const response = await rpc(h, route, {});
      expect(response.status).toBe(400);
      expect(await response.text()).toBe(`Unknown API function: "${route}"`);
    }
  });

  it('refuses a raw non-ASCII Dropbox-API-Arg and an upload without octet-stream', async () => {
    const raw = await content(h, 'files/upload', undefined, {
      argHeader: Buffer.from('{"path":"/é.txt"}').toString('latin1'),
      body: 'x',
    });
    expect(await raw.text()).toBe(
      'Error in call to API function "files/upload": HTTP header "Dropbox-API-Arg": could not decode input as JSON',
    );
    const json = await content(
      h,
      'files/upload',
      { path: '/a' },
      { body: 'x', headers: { 'Content-Type': 'application/json' } },
    );
    expect(json.status).toBe(400);
    expect(await json.text()).toContain(
      'Expecting one of "application/octet-stream", "text/plain; charset=dropbox-cors-hack".',
    );
  });
});

describe('void routes and success answers', () => {
  it('take no body, or null; answer application/json exactly', async () => {
    const none = await rpc(h, 'users/get_space_usage');
    expect(none.status).toBe(200);
    expect(none.headers.get('content-type')).toBe('application/json');
    expect(await none.json()).toEqual({
      used: 0,
      allocation: { '.tag': 'individual', allocated: 2 * 1024 ** 3 },
    });
    expect((await rpc(h, 'users/get_current_account', null)).status).toBe(200);
    const object = await rpc(h, 'users/get_current_account', {});
    expect(object.status).toBe(400);
    expect(await object.text()).toBe(
      'Error in call to API function "users/get_current_account": request body: expected null, got value',
    );
  });

  it('refuses an empty body sent with a JSON Content-Type; the SDK (no body, no type) still works', async () => {
    for (const route of ['users/get_current_account', 'users/get_space_usage', 'auth/token/revoke']) {
      const empty = await rpc(h, route, undefined, { raw: '' });
      expect(empty.status).toBe(400);
      expect(await empty.text()).toBe(
        `Error in call to API function "${route}": request body: could not decode input as JSON`,
      );
    }
    expect((await h.dbx.usersGetCurrentAccount()).result.email).toBe(ALICE);
    expect((await h.dbx.usersGetSpaceUsage()).result.used).toBe(0);
  });
});

describe('401 auth errors', () => {
  it('distinguishes invalid and expired tokens (fault expire-token included)', async () => {
    const invalid = await rpc(h, 'users/get_current_account', undefined, { token: 'sl.u.nope' });
    expect(invalid.status).toBe(401);
    expect(await invalid.json()).toEqual({
      error_summary: expect.stringMatching(/^invalid_access_token\/\.+$/),
      error: { '.tag': 'invalid_access_token' },
    });
    h.emulator.admin.setFaults('expire-token POST /2/users/* times=1');
    const expired = await rejection(h.dbx.usersGetCurrentAccount());
    expect(expired.status).toBe(401);
    expect(expired.error.error).toEqual({ '.tag': 'expired_access_token' });
  });
});

describe('429 rate limits and faults', () => {
  it('renders rate-limit faults as too_many_requests with Retry-After', async () => {
    h.emulator.admin.setFaults('rate-limit seq=x; user-rate-limit retryAfter=7 seq=.x');
    const limited = await rejection(h.dbx.filesListFolder({ path: '' }));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.error).toEqual({
      error_summary: expect.stringMatching(/^too_many_requests\/\.+$/),
      error: { reason: { '.tag': 'too_many_requests' }, retry_after: 1 },
    });
    const writes = await rejection(h.dbx.filesListFolder({ path: '' }));
    expect(writes.headers.get('retry-after')).toBe('7');
    expect(writes.error.error).toEqual({ reason: { '.tag': 'too_many_write_operations' }, retry_after: 7 });
  });

  it('throttles writes per user with too_many_write_operations, reads stay free', async () => {
    h.emulator.admin.setWriteRate(1);
    await h.dbx.filesCreateFolderV2({ path: '/one' });
    const throttled = await rejection(h.dbx.filesCreateFolderV2({ path: '/two' }));
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('1');
    expect(tags(throttled)).toBe('too_many_write_operations');
    expect((await h.dbx.filesListFolder({ path: '' })).status).toBe(200);
    h.clock.advance(1000);
    expect((await h.dbx.filesCreateFolderV2({ path: '/two' })).status).toBe(200);
  });

  it('renders error faults as 5xx plain text', async () => {
    h.emulator.admin.setFaults('error=503 seq=x');
    const unavailable = await rpc(h, 'files/list_folder', { path: '' });
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('content-type')).toBe('text/plain; charset=utf-8');
  });

  it('fires quota faults on write routes only, each answering its own space error', async () => {
    await h.dbx.filesUpload({ path: '/a.txt', contents: Buffer.from('a') });
    await h.dbx.filesUpload({ path: '/gone.txt', contents: Buffer.from('g') });
    const session = (await h.dbx.filesUploadSessionStart({ contents: Buffer.from('s') })).result.session_id;
    h.emulator.admin.setFaults('quota');
    // Reads, appends and deletes have no space error: the rule does not fire on them.
    await h.dbx.filesListFolder({ path: '' });
    await h.dbx.filesGetMetadata({ path: '/a.txt' });
    await h.dbx.filesDownload({ path: '/a.txt' });
    await h.dbx.filesUploadSessionAppendV2({
      cursor: { session_id: session, offset: 1 },
      contents: Buffer.from('t'),
    });
    await h.dbx.filesDeleteV2({ path: '/gone.txt' });
    expect(h.emulator.admin.faults()[0]).toMatchObject({ matched: 0, fired: 0 });

    const upload = await rejection(h.dbx.filesUpload({ path: '/b.txt', contents: Buffer.from('bb') }));
    expect(upload.error.error).toEqual({
      '.tag': 'path',
      reason: { '.tag': 'insufficient_space' },
      upload_session_id: expect.stringMatching(/^pid_upload_session:/),
    });
    const finish = (sessionId: string, offset: number, path: string) =>
      h.dbx.filesUploadSessionFinish({
        cursor: { session_id: sessionId, offset },
        commit: { path },
        contents: Buffer.alloc(0),
      });
    expect((await rejection(finish(session, 2, '/s.txt'))).error.error).toEqual({
      '.tag': 'path',
      path: { '.tag': 'insufficient_space' },
    });
    expect(tags(await rejection(h.dbx.filesCreateFolderV2({ path: '/c' })))).toBe('path/insufficient_space');
    for (const relocate of [h.dbx.filesCopyV2.bind(h.dbx), h.dbx.filesMoveV2.bind(h.dbx)])
      expect(tags(await rejection(relocate({ from_path: '/a.txt', to_path: '/d.txt' })))).toBe(
        'insufficient_quota',
      );
    expect(h.emulator.admin.faults()[0]).toMatchObject({ matched: 5, fired: 5 });

    // Both sessions still hold their bytes: finishing them works once the fault is gone.
    h.emulator.admin.clearFaults();
    const retried = await finish(upload.error.error.upload_session_id as string, 2, '/b.txt');
    expect(retried.result).toMatchObject({ path_display: '/b.txt', size: 2 });
    expect((await finish(session, 2, '/s.txt')).result.size).toBe(2);
  });
});

describe('storage allocation', () => {
  it('refuses writes past the allocation and reports usage', async () => {
    h.emulator.admin.setQuota('alice@example.com', 10);
    await h.dbx.filesUpload({ path: '/eight.bin', contents: Buffer.alloc(8) });
    expect(tags(await rejection(h.dbx.filesUpload({ path: '/four.bin', contents: Buffer.alloc(4) })))).toBe(
      'path/insufficient_space',
    );
    expect(tags(await rejection(h.dbx.filesCopyV2({ from_path: '/eight.bin', to_path: '/copy.bin' })))).toBe(
      'insufficient_quota',
    );
    const usage = await h.dbx.usersGetSpaceUsage();
    expect(usage.result).toEqual({ used: 8, allocation: { '.tag': 'individual', allocated: 10 } });
  });

  it('refuses folders and empty files once the allocation is used up; moves and deletes still work', async () => {
    h.emulator.admin.setQuota(ALICE, 8);
    await h.dbx.filesCreateFolderV2({ path: '/before' });
    await h.dbx.filesUpload({ path: '/eight.bin', contents: Buffer.alloc(8) });
    expect(tags(await rejection(h.dbx.filesCreateFolderV2({ path: '/after' })))).toBe(
      'path/insufficient_space',
    );
    expect(tags(await rejection(h.dbx.filesUpload({ path: '/empty.txt', contents: Buffer.alloc(0) })))).toBe(
      'path/insufficient_space',
    );
    await h.dbx.filesMoveV2({ from_path: '/eight.bin', to_path: '/before/eight.bin' });
    await h.dbx.filesDeleteV2({ path: '/before/eight.bin' });
    expect((await h.dbx.filesCreateFolderV2({ path: '/after' })).result.metadata.name).toBe('after');
  });
});
