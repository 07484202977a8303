/**
 * Resumable uploads over raw HTTP (googleapis never speaks this protocol): session creation, the
 * 256 KiB chunk rule, 308 + Range, status queries, resuming after an interrupted chunk, completion,
 * cancellation, content updates and session expiry.
 */
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { api, reasonOf, startHarness, type Harness } from './test-support';

const KIB = 1024;
const CHUNK = 256 * KIB;
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ seed: 'empty', uploadSessionLifetimeSeconds: 3600 });
});
afterAll(() => h.close());
beforeEach(async () => {
  await h.emulator.admin.reset();
  h.renew();
});

const bytes = (size: number) => {
  const data = Buffer.alloc(size);
  for (let i = 0; i < size; i++) data[i] = (i * 31 + 7) & 0xff;
  return data;
};
const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');

async function openSession(
  metadata: Record<string, unknown>,
  options: { total?: number; path?: string; method?: string; query?: string } = {},
): Promise<string> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json; charset=UTF-8',
    'X-Upload-Content-Type': 'application/octet-stream',
  };
  if (options.total !== undefined) headers['X-Upload-Content-Length'] = String(options.total);
  const res = await api(
    h,
    `${options.path ?? '/upload/drive/v3/files'}?uploadType=resumable${options.query ?? ''}`,
    {
      method: options.method ?? 'POST',
      headers,
      body: JSON.stringify(metadata),
    },
  );
  expect(res.status).toBe(200);
  expect(await res.text()).toBe('');
  const location = res.headers.get('location');
  expect(location).toMatch(/upload_id=/);
  return location as string;
}

function put(session: string, body: Buffer, range: string | undefined): Promise<Response> {
  const headers: Record<string, string> = {};
  if (range !== undefined) headers['Content-Range'] = range;
  return fetch(session, { method: 'PUT', headers, body: new Uint8Array(body) });
}

describe('resumable uploads', () => {
  it('uploads in 256 KiB chunks: 308 + Range in between, 200 + File at the end', async () => {
    const data = bytes(CHUNK * 2 + 1000);
    const session = await openSession(
      { name: 'big.bin', parents: ['root'] },
      { total: data.length, query: '&fields=id,name,size,md5Checksum' },
    );
    const first = await put(session, data.subarray(0, CHUNK), `bytes 0-${CHUNK - 1}/${data.length}`);
    expect(first.status).toBe(308);
    expect(first.headers.get('range')).toBe(`bytes=0-${CHUNK - 1}`);
    expect(await first.text()).toBe('');
    const second = await put(session, data.subarray(CHUNK, 2 * CHUNK), `bytes ${CHUNK}-${2 * CHUNK - 1}/*`);
    expect(second.status).toBe(308);
    expect(second.headers.get('range')).toBe(`bytes=0-${2 * CHUNK - 1}`);
    const last = await put(
      session,
      data.subarray(2 * CHUNK),
      `bytes ${2 * CHUNK}-${data.length - 1}/${data.length}`,
    );
    expect(last.status).toBe(200);
    const file = (await last.json()) as Record<string, string>;
    expect(file).toMatchObject({ name: 'big.bin', size: String(data.length), md5Checksum: md5(data) });
    const download = await api(h, `/drive/v3/files/${file.id}?alt=media`);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(data);
    // A completed session answers a status query with the file.
    const status = await put(session, Buffer.alloc(0), `bytes */${data.length}`);
    expect(status.status).toBe(200);
  });

  it('answers status queries: 308 without Range before any byte, with Range after', async () => {
    const session = await openSession({ name: 's' }, { total: CHUNK + 10 });
    const none = await put(session, Buffer.alloc(0), `bytes */${CHUNK + 10}`);
    expect(none.status).toBe(308);
    expect(none.headers.get('range')).toBeNull();
    await put(session, bytes(CHUNK), `bytes 0-${CHUNK - 1}/${CHUNK + 10}`);
    const some = await put(session, Buffer.alloc(0), 'bytes */*');
    expect(some.status).toBe(308);
    expect(some.headers.get('range')).toBe(`bytes=0-${CHUNK - 1}`);
  });

  it('enforces the chunk rule: small non-final chunks are refused, unaligned ones kept to 256 KiB', async () => {
    const data = bytes(CHUNK * 2 + 5);
    const session = await openSession({ name: 'rule' }, { total: data.length });
    const small = await put(session, data.subarray(0, 1000), `bytes 0-999/${data.length}`);
    expect(small.status).toBe(400);
    expect(reasonOf(await small.json())).toBe('badRequest');
    const unaligned = await put(
      session,
      data.subarray(0, CHUNK + 100),
      `bytes 0-${CHUNK + 99}/${data.length}`,
    );
    expect(unaligned.status).toBe(308);
    expect(unaligned.headers.get('range')).toBe(`bytes=0-${CHUNK - 1}`);
    // The client resumes from what was persisted; re-sent overlapping bytes are skipped.
    const rest = await put(
      session,
      data.subarray(CHUNK - 10),
      `bytes ${CHUNK - 10}-${data.length - 1}/${data.length}`,
    );
    expect(rest.status).toBe(200);
    expect(((await rest.json()) as { id: string }).id).toBeTruthy();
    const ahead = await openSession({ name: 'gap' }, { total: data.length });
    const gap = await put(
      ahead,
      data.subarray(CHUNK, 2 * CHUNK),
      `bytes ${CHUNK}-${2 * CHUNK - 1}/${data.length}`,
    );
    expect(gap.status).toBe(400);
    expect(((await gap.json()) as { error: { message: string } }).error.message).toContain(
      'exceeds already uploaded size of 0 byte(s)',
    );
  });

  it('resumes after a chunk is cut off mid-body: only whole 256 KiB units were kept', async () => {
    const data = bytes(CHUNK * 3);
    const session = await openSession(
      { name: 'resume.bin' },
      { total: data.length, query: '&fields=size,md5Checksum' },
    );
    h.emulator.admin.setFaults(`reset bytes=${CHUNK + 5000} PUT /upload/*`);
    await expect(put(session, data, `bytes 0-${data.length - 1}/${data.length}`)).rejects.toThrow();
    h.emulator.admin.clearFaults();
    const status = await put(session, Buffer.alloc(0), `bytes */${data.length}`);
    expect(status.status).toBe(308);
    expect(status.headers.get('range')).toBe(`bytes=0-${CHUNK - 1}`);
    const done = await put(session, data.subarray(CHUNK), `bytes ${CHUNK}-${data.length - 1}/${data.length}`);
    expect(await done.json()).toEqual({ size: String(data.length), md5Checksum: md5(data) });
  });

  it('takes a whole upload in one PUT without Content-Range, and POST chunks as rclone sends them', async () => {
    const data = bytes(5000);
    const session = await openSession({ name: 'one.bin' }, { total: data.length, query: '&fields=size' });
    const res = await put(session, data, undefined);
    expect(await res.json()).toEqual({ size: '5000' });
    const other = await openSession({ name: 'post.bin' }, { query: '&fields=size' });
    const post = await fetch(other, {
      method: 'POST',
      headers: { 'Content-Range': `bytes 0-99/100` },
      body: new Uint8Array(bytes(100)),
    });
    expect(await post.json()).toEqual({ size: '100' });
  });

  it('updates content through PATCH /upload/drive/v3/files/ID?uploadType=resumable', async () => {
    const created = await h.drive.files.create({ requestBody: { name: 'doc.bin' } });
    const data = bytes(777);
    const session = await openSession(
      {},
      {
        path: `/upload/drive/v3/files/${created.data.id}`,
        method: 'PATCH',
        total: data.length,
        query: '&fields=id,size',
      },
    );
    expect(session).toContain(`/upload/drive/v3/files/${created.data.id}?`);
    const res = await put(session, data, `bytes 0-776/777`);
    expect(await res.json()).toEqual({ id: created.data.id, size: '777' });
  });

  it('cancels with DELETE (499), then the session is gone (404)', async () => {
    const session = await openSession({ name: 'gone' }, { total: 10 });
    const cancel = await fetch(session, { method: 'DELETE' });
    expect(cancel.status).toBe(499);
    const after = await put(session, bytes(10), 'bytes 0-9/10');
    expect(after.status).toBe(404);
    expect(reasonOf(await after.json())).toBe('notFound');
  });

  it('expires sessions after their lifetime: 404, start again', async () => {
    const session = await openSession({ name: 'late' }, { total: CHUNK * 2 });
    await put(session, bytes(CHUNK), `bytes 0-${CHUNK - 1}/${CHUNK * 2}`);
    h.clock.advance(3601_000);
    const res = await put(session, bytes(CHUNK), `bytes ${CHUNK}-${2 * CHUNK - 1}/${CHUNK * 2}`);
    expect(res.status).toBe(404);
  });

  it('refuses a session larger than the remaining quota at creation', async () => {
    h.emulator.admin.setQuota('alice@example.com', 1000);
    const res = await api(h, '/upload/drive/v3/files?uploadType=resumable', {
      method: 'POST',
      headers: { 'X-Upload-Content-Length': '5000', 'Content-Type': 'application/json' },
      body: '{"name":"too big"}',
    });
    expect(res.status).toBe(403);
    expect(reasonOf(await res.json())).toBe('storageQuotaExceeded');
  });

  it('streams a chunked (no Content-Length) multipart body of several MiB', async () => {
    const data = bytes(3 * 1024 * KIB);
    const boundary = 'xyz123';
    const head = Buffer.from(
      `--${boundary}\r\ncontent-type: application/json\r\n\r\n{"name":"stream.bin"}\r\n--${boundary}\r\ncontent-type: application/octet-stream\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--`);
    const url = new URL(`${h.url}/upload/drive/v3/files?uploadType=multipart&fields=size,md5Checksum`);
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(url, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${h.token}`,
          'Content-Type': `multipart/related; boundary=${boundary}`,
        },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.write(head);
      for (let at = 0; at < data.length; at += 100_000) req.write(data.subarray(at, at + 100_000));
      req.end(tail);
    });
    expect(JSON.parse(body)).toEqual({ size: String(data.length), md5Checksum: md5(data) });
  });
});
