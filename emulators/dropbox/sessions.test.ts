/** Upload sessions through the SDK: start/append_v2/finish, offsets, closed and expired sessions, concurrent sessions. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentHashOf } from './content';
import { content, dropboxFor, rejection, startHarness, tags, type Harness } from './test-support';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const MiB = 1024 * 1024;
const part = (size: number, fill: number) => Buffer.alloc(size, fill);
/** The error tags of a one-byte append_v2 at `offset` that the emulator must refuse. */
const refusedAppend = async (sessionId: string, offset: number) =>
  tags(
    await rejection(
      h.dbx.filesUploadSessionAppendV2({ cursor: { session_id: sessionId, offset }, contents: part(1, 1) }),
    ),
  );

describe('sequential upload sessions', () => {
  it('starts, appends and finishes into a file whose content_hash covers every part', async () => {
    const start = await h.dbx.filesUploadSessionStart({ contents: part(5 * MiB, 1) });
    const sessionId = start.result.session_id;
    expect(sessionId).toMatch(/^pid_upload_session:[\w-]+$/);
    await h.dbx.filesUploadSessionAppendV2({
      cursor: { session_id: sessionId, offset: 5 * MiB },
      contents: part(MiB, 2),
    });
    const finished = await h.dbx.filesUploadSessionFinish({
      cursor: { session_id: sessionId, offset: 6 * MiB },
      commit: { path: '/big/data.bin', client_modified: '2024-02-03T04:05:06Z' },
      contents: part(10, 3),
    });
    const expected = contentHashOf(Buffer.concat([part(5 * MiB, 1), part(MiB, 2), part(10, 3)]));
    expect(finished.result).toMatchObject({
      path_display: '/big/data.bin',
      size: 6 * MiB + 10,
      content_hash: expected,
      client_modified: '2024-02-03T04:05:06Z',
    });
    const download = await content(
      h,
      'files/download',
      { path: '/big/data.bin' },
      { headers: { Range: 'bytes=5242879-5242880' } },
    );
    expect([...new Uint8Array(await download.arrayBuffer())]).toEqual([1, 2]);
  });

  it('answers incorrect_offset with correct_offset, so a client can resume', async () => {
    const sessionId = (await h.dbx.filesUploadSessionStart({ contents: part(100, 1) })).result.session_id;
    const wrong = await rejection(
      h.dbx.filesUploadSessionAppendV2({
        cursor: { session_id: sessionId, offset: 0 },
        contents: part(50, 2),
      }),
    );
    expect(wrong.status).toBe(409);
    expect(wrong.error).toEqual({
      error_summary: expect.stringMatching(/^incorrect_offset\/\.+$/),
      error: { '.tag': 'incorrect_offset', correct_offset: 100 },
    });
    const finish = await rejection(
      h.dbx.filesUploadSessionFinish({
        cursor: { session_id: sessionId, offset: 7 },
        commit: { path: '/x' },
        contents: Buffer.alloc(0),
      }),
    );
    expect(finish.error.error).toEqual({
      '.tag': 'lookup_failed',
      lookup_failed: { '.tag': 'incorrect_offset', correct_offset: 100 },
    });
    expect(tags(finish)).toBe('lookup_failed/incorrect_offset');
  });

  it('refuses data after close, unknown and expired sessions, and content_hash mismatches', async () => {
    const closed = (await h.dbx.filesUploadSessionStart({ contents: part(10, 1), close: true })).result
      .session_id;
    expect(await refusedAppend(closed, 10)).toBe('closed');
    const done = await h.dbx.filesUploadSessionFinish({
      cursor: { session_id: closed, offset: 10 },
      commit: { path: '/closed.bin' },
      contents: Buffer.alloc(0),
    });
    expect(done.result.size).toBe(10);
    expect(await refusedAppend(closed, 10)).toBe('closed');
    expect(await refusedAppend('pid_upload_session:nope', 0)).toBe('not_found');
    const expiring = (await h.dbx.filesUploadSessionStart({ contents: part(1, 1) })).result.session_id;
    h.emulator.admin.advanceClock(7 * 24 * 3600 * 1000);
    h.token = h.emulator.admin.issueTokens('alice@example.com').access_token;
    h.dbx = dropboxFor(h.url, h.token);
    const expired = await content(
      h,
      'files/upload_session/finish',
      {
        cursor: { session_id: expiring, offset: 1 },
        commit: { path: '/late.bin' },
      },
      { body: '' },
    );
    expect(await expired.json()).toMatchObject({
      error: { '.tag': 'lookup_failed', lookup_failed: { '.tag': 'not_found' } },
    });
    const mismatch = (await h.dbx.filesUploadSessionStart({ contents: part(1, 1) })).result.session_id;
    const appended = await content(
      h,
      'files/upload_session/append_v2',
      { cursor: { session_id: mismatch, offset: 1 }, content_hash: contentHashOf(Buffer.from('other')) },
      { body: 'data' },
    );
    expect(await appended.json()).toMatchObject({ error: { '.tag': 'content_hash_mismatch' } });
    const retry = await content(
      h,
      'files/upload_session/append_v2',
      { cursor: { session_id: mismatch, offset: 1 } },
      { body: 'data' },
    );
    expect(retry.status).toBe(200);
    expect(await retry.text()).toBe('null');
  });

  it('keeps the session after a failed commit so finish can be retried', async () => {
    await h.dbx.filesUpload({ path: '/exists.txt', contents: Buffer.from('old') });
    const sessionId = (await h.dbx.filesUploadSessionStart({ contents: part(4, 7) })).result.session_id;
    const conflict = await rejection(
      h.dbx.filesUploadSessionFinish({
        cursor: { session_id: sessionId, offset: 4 },
        commit: { path: '/exists.txt' },
        contents: part(2, 8),
      }),
    );
    expect(conflict.error.error).toEqual({
      '.tag': 'path',
      path: { '.tag': 'conflict', conflict: { '.tag': 'file' } },
    });
    const retried = await h.dbx.filesUploadSessionFinish({
      cursor: { session_id: sessionId, offset: 6 },
      commit: { path: '/exists.txt', mode: { '.tag': 'overwrite' } },
      contents: Buffer.alloc(0),
    });
    expect(retried.result.size).toBe(6);
    expect(
      tags(
        await rejection(
          h.dbx.filesUploadSessionFinish({
            cursor: { session_id: sessionId, offset: 6 },
            commit: { path: '/again' },
            contents: Buffer.alloc(0),
          }),
        ),
      ),
    ).toBe('lookup_failed/closed');
  });
});

describe('committed sessions', () => {
  it('answer lookup_failed/closed to another finish and closed to an append', async () => {
    const sessionId = (await h.dbx.filesUploadSessionStart({ contents: part(2, 1), close: true })).result
      .session_id;
    const finish = () =>
      h.dbx.filesUploadSessionFinish({
        cursor: { session_id: sessionId, offset: 2 },
        commit: { path: '/once.bin' },
        contents: Buffer.alloc(0),
      });
    await finish();
    expect((await rejection(finish())).error.error).toEqual({
      '.tag': 'lookup_failed',
      lookup_failed: { '.tag': 'closed' },
    });
    expect(await refusedAppend(sessionId, 2)).toBe('closed');
  });
});

describe('concurrent upload sessions', () => {
  it('takes 4 MiB-aligned pieces in any order and finishes once closed and complete', async () => {
    const sessionId = (
      await h.dbx.filesUploadSessionStart({
        session_type: { '.tag': 'concurrent' },
        contents: Buffer.alloc(0),
      })
    ).result.session_id;
    const append = (offset: number, data: Buffer, close = false) =>
      h.dbx.filesUploadSessionAppendV2({ cursor: { session_id: sessionId, offset }, close, contents: data });
    expect(tags(await rejection(append(1, part(4 * MiB, 1))))).toBe('concurrent_session_invalid_offset');
    expect(tags(await rejection(append(0, part(100, 1))))).toBe('concurrent_session_invalid_data_size');
    await append(4 * MiB, part(3, 2), true);
    const early = await rejection(
      h.dbx.filesUploadSessionFinish({
        cursor: { session_id: sessionId, offset: 0 },
        commit: { path: '/c.bin' },
        contents: Buffer.alloc(0),
      }),
    );
    expect(tags(early)).toBe('concurrent_session_missing_data');
    await append(0, part(4 * MiB, 1));
    const finished = await h.dbx.filesUploadSessionFinish({
      cursor: { session_id: sessionId, offset: 4 * MiB + 3 },
      commit: { path: '/c.bin' },
      contents: Buffer.alloc(0),
    });
    expect(finished.result).toMatchObject({
      size: 4 * MiB + 3,
      content_hash: contentHashOf(Buffer.concat([part(4 * MiB, 1), part(3, 2)])),
    });
  });

  it('answers incorrect_offset to a finish whose offset is not the total of the closed session', async () => {
    const sessionId = (
      await h.dbx.filesUploadSessionStart({
        session_type: { '.tag': 'concurrent' },
        contents: Buffer.alloc(0),
      })
    ).result.session_id;
    await h.dbx.filesUploadSessionAppendV2({
      cursor: { session_id: sessionId, offset: 0 },
      close: true,
      contents: part(3, 1),
    });
    const finish = (offset: number) =>
      h.dbx.filesUploadSessionFinish({
        cursor: { session_id: sessionId, offset },
        commit: { path: '/three.bin' },
        contents: Buffer.alloc(0),
      });
    for (const offset of [999, 2]) {
      const wrong = await rejection(finish(offset));
      expect(wrong.error.error).toEqual({
        '.tag': 'lookup_failed',
        lookup_failed: { '.tag': 'incorrect_offset', correct_offset: 3 },
      });
    }
    expect((await finish(3)).result.size).toBe(3);
  });

  it('refuses data in start and a closing start', async () => {
    const data = await rejection(
      h.dbx.filesUploadSessionStart({ session_type: { '.tag': 'concurrent' }, contents: part(1, 1) }),
    );
    expect(tags(data)).toBe('concurrent_session_data_not_allowed');
    const close = await rejection(
      h.dbx.filesUploadSessionStart({
        session_type: { '.tag': 'concurrent' },
        close: true,
        contents: Buffer.alloc(0),
      }),
    );
    expect(tags(close)).toBe('concurrent_session_close_not_allowed');
  });
});
