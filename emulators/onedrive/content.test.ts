/**
 * Downloads and thumbnails over raw HTTP: `/content` redirects to a pre-authenticated download URL
 * (no Authorization needed), Range on that URL, `@microsoft.graph.downloadUrl` on file items, link
 * expiry, thumbnails of images (real JPEGs) and none for other files.
 */
import { describe, expect, it } from 'vitest';
import { QuickXorHash } from '../../main/core/providers/hashes/quickxor';
import { jpegSize } from '../shared/jpeg';
import {
  call,
  expectGraphError,
  graph,
  graphJson,
  startHarness,
  upload,
  useHarness,
  type DriveItem,
} from './test-support';

// The clock moves by hours here: the access token must outlive it.
const h = useHarness({ tokenLifetimeSeconds: 30 * 24 * 3600 });

const bytesOf = async (response: Response) => Buffer.from(await response.arrayBuffer());

describe('downloads', () => {
  it('GET /content answers 302 to a download URL that needs no Authorization; Range works there', async () => {
    const item = await graphJson<DriveItem>(h, '/v1.0/me/drive/root:/Documents/notes.txt');
    const redirect = await call(h, 'GET', `/v1.0/me/drive/items/${item.id}/content`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    const location = redirect.headers.get('location') as string;
    expect(
      location.startsWith(`${h.url}/personal/${item.parentReference.driveId}/_layouts/15/download.aspx?`),
    ).toBe(true);
    expect(new URL(location).searchParams.get('tempauth')).toBeTruthy();
    // The same URL as the item's @microsoft.graph.downloadUrl (same host and path).
    expect(item['@microsoft.graph.downloadUrl']?.split('?')[0]).toBe(location.split('?')[0]);

    const full = await call(h, 'GET', location, { token: null });
    expect(full.status).toBe(200);
    expect(full.headers.get('content-length')).toBe(String(item.size));
    expect(full.headers.get('accept-ranges')).toBe('bytes');
    const content = await bytesOf(full);
    expect(content.toString()).toBe('Buy milk.\nCall Bob.\n');
    expect(new QuickXorHash().update(content).digest()).toBe(item.file?.hashes.quickXorHash);

    const part = await call(h, 'GET', location, { token: null, headers: { Range: 'bytes=4-7' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 4-7/${item.size}`);
    expect((await bytesOf(part)).toString()).toBe('milk');
    const suffix = await call(h, 'GET', location, { token: null, headers: { Range: 'bytes=-5' } });
    expect((await bytesOf(suffix)).toString()).toBe('Bob.\n');
    const open = await call(h, 'GET', location, { token: null, headers: { Range: 'bytes=10-' } });
    expect(open.headers.get('content-range')).toBe(`bytes 10-${item.size - 1}/${item.size}`);
    const unsatisfiable = await call(h, 'GET', location, {
      token: null,
      headers: { Range: `bytes=${item.size}-` },
    });
    expect(unsatisfiable.status).toBe(416);
    expect(unsatisfiable.headers.get('content-range')).toBe(`bytes */${item.size}`);
    // A same-origin redirect keeps Authorization in fetch: the download host ignores it.
    const followed = await call(h, 'GET', `/v1.0/me/drive/items/${item.id}/content`, {
      headers: { Range: 'bytes=0-2' },
    });
    expect(followed.status).toBe(206);
    expect((await bytesOf(followed)).toString()).toBe('Buy');
    const head = await call(h, 'HEAD', location, { token: null });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(item.size));
  });

  it('download URLs expire after an hour and stop working when the content changes', async () => {
    const item = await upload(h, 'expiring.txt', 'first');
    const url = item['@microsoft.graph.downloadUrl'] as string;
    expect((await call(h, 'GET', url, { token: null })).status).toBe(200);
    h.clock.advance(3600 * 1000);
    await expectGraphError(await call(h, 'GET', url, { token: null }), 401, 'unauthenticated');
    const fresh = await graphJson<DriveItem>(h, `/v1.0/me/drive/items/${item.id}`);
    const freshUrl = fresh['@microsoft.graph.downloadUrl'] as string;
    await upload(h, 'expiring.txt', 'second');
    await expectGraphError(await call(h, 'GET', freshUrl, { token: null }), 404, 'itemNotFound');
    const tampered = freshUrl.replace(/tempauth=[^&]+/, 'tempauth=abc.def');
    await expectGraphError(await call(h, 'GET', tampered, { token: null }), 404, 'itemNotFound');
  });

  it('ignores Range on download URLs while the admin switch says so (200, the whole body)', async () => {
    const item = await upload(h, 'ranged.txt', '0123456789');
    const url = item['@microsoft.graph.downloadUrl'] as string;
    const ranged = () => call(h, 'GET', url, { token: null, headers: { Range: 'bytes=2-4' } });
    const partial = await ranged();
    expect(partial.status).toBe(206);
    expect((await bytesOf(partial)).toString()).toBe('234');
    try {
      h.emulator.admin.setDownloadRanges('ignored');
      const whole = await ranged();
      expect(whole.status).toBe(200);
      expect(whole.headers.get('content-range')).toBeNull();
      expect((await bytesOf(whole)).toString()).toBe('0123456789');
      // A reset restores the option (honoured by default); the HTTP admin switch does the same.
      await h.emulator.admin.reset();
      const again = await upload(h, 'ranged.txt', '0123456789');
      const url2 = again['@microsoft.graph.downloadUrl'] as string;
      const rangedAgain = () => call(h, 'GET', url2, { token: null, headers: { Range: 'bytes=2-4' } });
      expect((await rangedAgain()).status).toBe(206);
      const admin = await fetch(`${h.emulator.adminUrl}/download-ranges`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ ranges: 'ignored' }),
      });
      expect(await admin.json()).toEqual({ ranges: 'ignored' });
      expect((await rangedAgain()).status).toBe(200);
      const bad = await fetch(`${h.emulator.adminUrl}/download-ranges`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ ranges: 'sometimes' }),
      });
      expect(bad.status).toBe(400);
    } finally {
      h.emulator.admin.setDownloadRanges('honoured');
    }
  });

  it('takes the download URL lifetime as an option, and the Range switch as an option', async () => {
    const short = await startHarness({
      seed: 'empty',
      downloadUrlLifetimeSeconds: 60,
      downloadRanges: 'ignored',
    });
    try {
      const item = await upload(short, 'short.txt', 'abcdef');
      const url = item['@microsoft.graph.downloadUrl'] as string;
      const whole = await call(short, 'GET', url, { token: null, headers: { Range: 'bytes=0-1' } });
      expect(whole.status).toBe(200);
      await whole.arrayBuffer();
      short.clock.advance(60 * 1000);
      await expectGraphError(await call(short, 'GET', url, { token: null }), 401, 'unauthenticated');
    } finally {
      await short.close();
    }
  });

  it('downloadUrl only under $select when named; /content of a folder is 404; If-None-Match -> 304', async () => {
    const plain = await graphJson<DriveItem>(h, '/v1.0/me/drive/root:/Documents/notes.txt?$select=id,name');
    expect(Object.keys(plain)).toEqual(['@odata.context', 'id', 'name']);
    const picked = await graphJson<DriveItem>(
      h,
      '/v1.0/me/drive/root:/Documents/notes.txt?$select=id,@microsoft.graph.downloadUrl',
    );
    expect(Object.keys(picked)).toEqual(['@odata.context', '@microsoft.graph.downloadUrl', 'id']);
    const folder = await graphJson<DriveItem>(h, '/v1.0/me/drive/root:/Documents');
    expect(folder['@microsoft.graph.downloadUrl']).toBeUndefined();
    await expectGraphError(await graph(h, `/v1.0/me/drive/items/${folder.id}/content`), 404, 'itemNotFound');
    const item = await graphJson<DriveItem>(h, '/v1.0/me/drive/root:/Documents/notes.txt');
    const cached = await call(h, 'GET', '/v1.0/me/drive/root:/Documents/notes.txt:/content', {
      headers: { 'If-None-Match': item.cTag },
      redirect: 'manual',
    });
    expect(cached.status).toBe(304);
    await expectGraphError(
      await graph(h, '/v1.0/me/drive/root:/Documents/notes.txt:/content', { token: null }),
      401,
      'InvalidAuthenticationToken',
    );
  });
});

describe('thumbnails', () => {
  it('lists small, medium and large JPEG thumbnails of images, scaled from the picture', async () => {
    const beach = await graphJson<DriveItem>(h, '/v1.0/me/drive/root:/Photos/2024/beach.png');
    const list = await graphJson<{ value: Record<string, { width: number; height: number; url: string }>[] }>(
      h,
      `/v1.0/me/drive/items/${beach.id}/thumbnails`,
    );
    expect(list.value).toHaveLength(1);
    const set = list.value[0] as Record<string, unknown>;
    expect(Object.keys(set)).toEqual(['id', 'small', 'medium', 'large']);
    expect(set.id).toBe('0');
    // beach.png is 640x427: small fits 96, medium 176, large is the picture itself (never enlarged).
    expect(set.small).toMatchObject({ width: 96, height: 64 });
    expect(set.medium).toMatchObject({ width: 176, height: 117 });
    expect(set.large).toMatchObject({ width: 640, height: 427 });
    const small = set.small as { url: string; width: number; height: number };
    const image = await call(h, 'GET', small.url, { token: null });
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/jpeg');
    expect(jpegSize(await bytesOf(image))).toEqual({ width: 96, height: 64 });

    const one = await graphJson<{ width: number; height: number; url: string }>(
      h,
      `/v1.0/me/drive/items/${beach.id}/thumbnails/0/medium`,
    );
    expect(one).toMatchObject({ width: 176, height: 117 });
    const content = await call(
      h,
      'GET',
      `/v1.0/me/drive/items/${beach.id}/thumbnails/0/mediumSquare/content`,
      {
        redirect: 'manual',
      },
    );
    expect(content.status).toBe(302);
    const square = await call(h, 'GET', content.headers.get('location') as string, { token: null });
    expect(jpegSize(await bytesOf(square))).toEqual({ width: 176, height: 176 });
    const custom = await graphJson<{ value: Record<string, unknown>[] }>(
      h,
      `/v1.0/me/drive/items/${beach.id}/thumbnails?$select=c300x100_Crop`,
    );
    expect(Object.keys(custom.value[0] as object)).toEqual(['id', 'c300x100_Crop']);
    expect(custom.value[0]?.c300x100_Crop).toMatchObject({ width: 300, height: 100 });
  });

  it('has no thumbnails for other files and folders', async () => {
    const notes = await graphJson<DriveItem>(h, '/v1.0/me/drive/root:/Documents/notes.txt');
    expect(
      (await graphJson<{ value: unknown[] }>(h, `/v1.0/me/drive/items/${notes.id}/thumbnails`)).value,
    ).toEqual([]);
    await expectGraphError(
      await graph(h, `/v1.0/me/drive/items/${notes.id}/thumbnails/0/small`),
      404,
      'itemNotFound',
    );
    const folder = await graphJson<DriveItem>(h, '/v1.0/me/drive/root:/Photos');
    expect(
      (await graphJson<{ value: unknown[] }>(h, `/v1.0/me/drive/items/${folder.id}/thumbnails`)).value,
    ).toEqual([]);
    // An uploaded JPEG gets thumbnails too (sniffed from its bytes, not its name).
    const beach = await graphJson<DriveItem>(h, '/v1.0/me/drive/root:/Photos/2024/beach.png');
    const small = (
      await graphJson<{ value: { large: { url: string } }[] }>(
        h,
        `/v1.0/me/drive/items/${beach.id}/thumbnails`,
      )
    ).value[0]?.large.url as string;
    const jpeg = await bytesOf(await call(h, 'GET', small, { token: null }));
    const uploaded = await upload(h, 'photo-without-extension', jpeg);
    const thumbs = await graphJson<{ value: { small: { width: number } }[] }>(
      h,
      `/v1.0/me/drive/items/${uploaded.id}/thumbnails`,
    );
    expect(thumbs.value[0]?.small.width).toBe(96);
  });
});
