/** files/upload (modes, autorename, content_hash, limits) and files/download (header result, Range, ETag). */
import type { files } from 'dropbox';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentHashOf } from './content';
import { content, rejection, startHarness, tags, type Harness } from './test-support';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const bytes = (text: string) => Buffer.from(text);

describe('files/upload', () => {
  it('adds, autorenames on conflict, overwrites and updates by rev', async () => {
    const first = await h.dbx.filesUpload({
      path: '/docs/report.txt',
      contents: bytes('one'),
      client_modified: '2020-05-06T07:08:09Z',
    });
    expect(first.result).toMatchObject({
      name: 'report.txt',
      path_display: '/docs/report.txt',
      client_modified: '2020-05-06T07:08:09Z',
      server_modified: '2025-01-15T09:30:00Z',
      size: 3,
      content_hash: contentHashOf(bytes('one')),
    });
    expect(first.result).not.toHaveProperty('.tag');
    const conflict = await rejection(h.dbx.filesUpload({ path: '/Docs/REPORT.txt', contents: bytes('two') }));
    expect(conflict.status).toBe(409);
    expect(conflict.error).toEqual({
      error_summary: expect.stringMatching(/^path\/conflict\/file\/\.+$/),
      error: {
        '.tag': 'path',
        reason: { '.tag': 'conflict', conflict: { '.tag': 'file' } },
        upload_session_id: expect.stringMatching(/^pid_upload_session:/),
      },
    });
    const renamed = await h.dbx.filesUpload({
      path: '/docs/report.txt',
      contents: bytes('two'),
      autorename: true,
    });
    expect(renamed.result.name).toBe('report (2).txt');
    const overwritten = await h.dbx.filesUpload({
      path: '/docs/report.txt',
      contents: bytes('three'),
      mode: { '.tag': 'overwrite' },
    });
    expect(overwritten.result.id).toBe(first.result.id);
    expect(overwritten.result.rev).not.toBe(first.result.rev);
    const updated = await h.dbx.filesUpload({
      path: '/docs/report.txt',
      contents: bytes('four'),
      mode: { '.tag': 'update', update: overwritten.result.rev },
    });
    expect(updated.result.size).toBe(4);
    const stale = await h.dbx.filesUpload({
      path: '/docs/report.txt',
      contents: bytes('five'),
      mode: { '.tag': 'update', update: overwritten.result.rev },
      autorename: true,
    });
    expect(stale.result.name).toBe('report (conflicted copy).txt');
  });

  it('writes nothing for identical content unless strict_conflict; a folder in the way always conflicts', async () => {
    const first = await h.dbx.filesUpload({ path: '/same.txt', contents: bytes('same') });
    const again = await h.dbx.filesUpload({ path: '/same.txt', contents: bytes('same') });
    expect(again.result.rev).toBe(first.result.rev);
    expect(
      tags(
        await rejection(
          h.dbx.filesUpload({ path: '/same.txt', contents: bytes('same'), strict_conflict: true }),
        ),
      ),
    ).toBe('path/conflict/file');
    await h.dbx.filesCreateFolderV2({ path: '/dir' });
    expect(
      tags(
        await rejection(
          h.dbx.filesUpload({ path: '/dir', contents: bytes('x'), mode: { '.tag': 'overwrite' } }),
        ),
      ),
    ).toBe('path/conflict/folder');
  });

  it('checks content_hash, refuses disallowed names, and keeps a failed upload in a session', async () => {
    const response = await content(
      h,
      'files/upload',
      { path: '/h.txt', content_hash: 'a'.repeat(64) },
      { body: 'data' },
    );
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({
      error_summary: expect.stringMatching(/^content_hash_mismatch\/\.+$/),
      error: { '.tag': 'content_hash_mismatch' },
    });
    expect(tags(await rejection(h.dbx.filesUpload({ path: '/Thumbs.db', contents: bytes('x') })))).toBe(
      'path/disallowed_name',
    );
    await h.dbx.filesUpload({ path: '/taken.txt', contents: bytes('old') });
    const failed = await rejection(h.dbx.filesUpload({ path: '/taken.txt', contents: bytes('new bytes') }));
    const sessionId = (failed.error.error as { upload_session_id: string }).upload_session_id;
    const finished = await h.dbx.filesUploadSessionFinish({
      cursor: { session_id: sessionId, offset: 9 },
      commit: { path: '/taken (retry).txt' },
      contents: Buffer.alloc(0),
    });
    expect(finished.result).toMatchObject({
      name: 'taken (retry).txt',
      size: 9,
      content_hash: contentHashOf(bytes('new bytes')),
    });
  });

  it('refuses impossible client_modified dates as stone does (strptime), keeps a leap day', async () => {
    const upload = (clientModified: string) =>
      content(h, 'files/upload', { path: '/t.txt', client_modified: clientModified }, { body: 'x' });
    const refused: [string, string][] = [
      ['2020-02-30T00:00:00Z', 'day is out of range for month'],
      ['2021-02-29T00:00:00Z', 'day is out of range for month'],
      ['2020-04-31T00:00:00Z', 'day is out of range for month'],
      ['2020-01-01T00:00:60Z', 'second must be in 0..59'],
      ['2020-13-01T00:00:00Z', "time data '2020-13-01T00:00:00Z' does not match format '%Y-%m-%dT%H:%M:%SZ'"],
      ['2020-01-01T24:00:00Z', "time data '2020-01-01T24:00:00Z' does not match format '%Y-%m-%dT%H:%M:%SZ'"],
    ];
    for (const [date, reason] of refused) {
      const response = await upload(date);
      expect(response.status).toBe(400);
      expect(await response.text()).toBe(
        `Error in call to API function "files/upload": HTTP header "Dropbox-API-Arg": client_modified: ${reason}`,
      );
    }
    const leap = await upload('2024-02-29T23:59:59Z');
    expect(((await leap.json()) as files.FileMetadata).client_modified).toBe('2024-02-29T23:59:59Z');
  });

  it('refuses more than 150 MiB in one request with payload_too_large, after reading the body', async () => {
    const size = 150 * 1024 * 1024 + 1;
    const chunk = Buffer.alloc(1024 * 1024);
    let sent = 0;
    const body = Readable.from(
      (function* () {
        while (sent < size) {
          const part = chunk.subarray(0, Math.min(chunk.length, size - sent));
          sent += part.length;
          yield part;
        }
      })(),
    );
    const response = await content(h, 'files/upload', { path: '/big.bin' }, { body });
    expect(response.status).toBe(409);
    expect(((await response.json()) as { error: unknown }).error).toEqual({ '.tag': 'payload_too_large' });
  });
});

describe('files/download', () => {
  it('sends the bytes with the metadata in Dropbox-API-Result, non-ASCII escaped as \\uXXXX', async () => {
    const uploaded = await h.dbx.filesUpload({ path: '/Ünïcode ✓.txt', contents: bytes('héllo') });
    const download = await h.dbx.filesDownload({ path: '/ünïcode ✓.TXT' });
    const result = download.result as files.FileMetadata & { fileBinary: Buffer };
    expect(result.fileBinary.toString()).toBe('héllo');
    expect(result.name).toBe('Ünïcode ✓.txt');
    const header = download.headers.get('dropbox-api-result') as string;
    expect(header).toContain('"name":"\\u00dcn\\u00efcode \\u2713.txt"');
    expect(header).toMatch(/^[\x20-\x7e]+$/);
    expect(download.headers.get('content-type')).toBe('application/octet-stream');
    expect(download.headers.get('etag')).toBe(`"${uploaded.result.rev}"`);
  });

  it('serves ranges (206, 416), answers 304 to If-None-Match, and takes GET with URL parameters', async () => {
    await h.dbx.filesUpload({ path: '/r.txt', contents: bytes('0123456789') });
    const download = (headers: Record<string, string>) =>
      content(h, 'files/download', { path: '/r.txt' }, { headers });
    const partial = await download({ Range: 'bytes=2-5' });
    expect(partial.status).toBe(206);
    expect(partial.headers.get('content-range')).toBe('bytes 2-5/10');
    expect(await partial.text()).toBe('2345');
    const suffix = await download({ Range: 'bytes=-3' });
    expect(await suffix.text()).toBe('789');
    const beyond = await download({ Range: 'bytes=20-' });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe('bytes */10');
    const cached = await download({ 'If-None-Match': partial.headers.get('etag') as string });
    expect(cached.status).toBe(304);
    const query = new URLSearchParams({ arg: '{"path":"/r.txt"}', authorization: `Bearer ${h.token}` });
    const viaGet = await fetch(`${h.url}/2/files/download?${query}`);
    expect(viaGet.status).toBe(200);
    expect(await viaGet.text()).toBe('0123456789');
  });

  it('answers path/not_found and path/not_file as DownloadError', async () => {
    await h.dbx.filesCreateFolderV2({ path: '/folder' });
    expect(tags(await rejection(h.dbx.filesDownload({ path: '/missing' })))).toBe('path/not_found');
    const folder = await rejection(h.dbx.filesDownload({ path: '/folder' }));
    expect(folder.status).toBe(409);
    expect(folder.error.error).toEqual({ '.tag': 'path', path: { '.tag': 'not_file' } });
  });
});
