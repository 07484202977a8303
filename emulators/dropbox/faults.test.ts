/** Connection-level faults on Dropbox routes: cut uploads, dropped answers, truncated downloads, delays. */
import { afterEach, describe, expect, it } from 'vitest';
import { content, rejection, startHarness, tags, type Harness } from './test-support';

let h: Harness;
afterEach(() => h.close());

describe('faults', () => {
  it('a body cut by reset=BYTES keeps nothing: the session offset is unchanged and the append can be retried', async () => {
    h = await startHarness();
    const sessionId = (await h.dbx.filesUploadSessionStart({ contents: Buffer.alloc(10, 1) })).result
      .session_id;
    h.emulator.admin.setFaults('reset=100 POST /2/files/upload_session/append_v2 times=1');
    const append = () =>
      content(
        h,
        'files/upload_session/append_v2',
        { cursor: { session_id: sessionId, offset: 10 } },
        { body: Buffer.alloc(64 * 1024, 2) },
      );
    await expect(append()).rejects.toThrow();
    const retried = await append();
    expect(retried.status).toBe(200);
    const finished = await h.dbx.filesUploadSessionFinish({
      cursor: { session_id: sessionId, offset: 10 + 64 * 1024 },
      commit: { path: '/retried.bin' },
      contents: Buffer.alloc(0),
    });
    expect(finished.result.size).toBe(10 + 64 * 1024);
  });

  it('drop runs the request but loses the answer: a retried finish then reads lookup_failed/closed', async () => {
    h = await startHarness();
    const sessionId = (await h.dbx.filesUploadSessionStart({ contents: Buffer.from('abc'), close: true }))
      .result.session_id;
    h.emulator.admin.setFaults('drop POST /2/files/upload_session/finish times=1');
    const finish = () =>
      h.dbx.filesUploadSessionFinish({
        cursor: { session_id: sessionId, offset: 3 },
        commit: { path: '/dropped.txt' },
        contents: Buffer.alloc(0),
      });
    await expect(finish()).rejects.toThrow();
    expect(tags(await rejection(finish()))).toBe('lookup_failed/closed');
    expect((await h.dbx.filesGetMetadata({ path: '/dropped.txt' })).result.name).toBe('dropped.txt');
  });

  it('truncate cuts a download short; slow waits through the injected sleep', async () => {
    const waits: number[] = [];
    h = await startHarness({
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    await h.dbx.filesUpload({ path: '/t.bin', contents: Buffer.alloc(1000, 7) });
    h.emulator.admin.setFaults('truncate=100 /2/files/download times=1; slow=250 /2/users/* times=1');
    const response = await content(h, 'files/download', { path: '/t.bin' });
    expect(response.headers.get('content-length')).toBe('1000');
    await expect(response.arrayBuffer()).rejects.toThrow();
    await h.dbx.usersGetSpaceUsage();
    expect(waits).toEqual([250]);
  });

  it('flip in=request stores flipped bytes (the content_hash tells); flip alters a download, length kept', async () => {
    h = await startHarness();
    const sent = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));
    h.emulator.admin.setFaults('flip=4096 in=request POST /2/files/upload times=1');
    const stored = (await h.dbx.filesUpload({ path: '/f.bin', contents: sent })).result;
    expect(stored.size).toBe(sent.length);
    const downloaded = async () =>
      Buffer.from(await (await content(h, 'files/download', { path: '/f.bin' })).arrayBuffer());
    const kept = await downloaded();
    const expected = Buffer.from(sent);
    expected[4096] = expected[4096]! ^ 0xff;
    expect(kept).toEqual(expected);
    h.emulator.admin.setFaults('flip=0 count=2 POST /2/files/download times=1');
    const flipped = await downloaded();
    expect(flipped.length).toBe(kept.length);
    expect(flipped.subarray(2)).toEqual(kept.subarray(2));
    expect([flipped[0], flipped[1]]).toEqual([kept[0]! ^ 0xff, kept[1]! ^ 0xff]);
    expect(await downloaded()).toEqual(kept);
  });
});
