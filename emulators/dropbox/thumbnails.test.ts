/** files/get_thumbnail_v2 (and v1): real, decodable JPEG and PNG thumbnails, sizes, modes and errors. */
import type { files } from 'dropbox';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeJpeg } from '../shared/jpeg-decoder';
import { decodePng, drawPicture, encodePng } from '../shared/png';
import { content, rejection, startHarness, tags, type Harness } from './test-support';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const thumbnail = async (arg: files.ThumbnailV2Arg) => {
  const response = await h.dbx.filesGetThumbnailV2(arg);
  return response.result as files.PreviewResult & { fileBinary: Buffer };
};

describe('files/get_thumbnail_v2', () => {
  it('returns a JPEG by default (w64h64, strict) with PreviewResult in the header', async () => {
    const uploaded = await h.dbx.filesUpload({
      path: '/Photos/wide.png',
      contents: encodePng(drawPicture(640, 320, 9)),
    });
    const result = await thumbnail({ resource: { '.tag': 'path', path: '/photos/WIDE.png' } });
    expect(result.file_metadata).toMatchObject({ id: uploaded.result.id, path_display: '/Photos/wide.png' });
    const image = decodeJpeg(result.fileBinary);
    expect([image.width, image.height]).toEqual([64, 32]);
  });

  it('produces PNG on request and applies bestfit, fitone_bestfit and original', async () => {
    await h.dbx.filesUpload({ path: '/tall.png', contents: encodePng(drawPicture(300, 600, 4)) });
    const size = async (format: 'png' | 'jpeg', mode: string, box: string) => {
      const result = await thumbnail({
        resource: { '.tag': 'path', path: '/tall.png' },
        format: { '.tag': format },
        mode: { '.tag': mode } as files.ThumbnailMode,
        size: { '.tag': box } as files.ThumbnailSize,
      });
      const image = format === 'png' ? decodePng(result.fileBinary) : decodeJpeg(result.fileBinary);
      return [image?.width, image?.height];
    };
    expect(await size('png', 'strict', 'w480h320')).toEqual([160, 320]);
    expect(await size('png', 'bestfit', 'w480h320')).toEqual([240, 480]);
    expect(await size('jpeg', 'fitone_bestfit', 'w128h128')).toEqual([128, 128]);
    expect(await size('png', 'original', 'w32h32')).toEqual([300, 600]);
  });

  it('answers unsupported_extension, unsupported_image, path errors and conversion_error for webp', async () => {
    await h.dbx.filesUpload({ path: '/notes.txt', contents: Buffer.from('text') });
    await h.dbx.filesUpload({ path: '/broken.jpg', contents: Buffer.from('not an image') });
    await h.dbx.filesUpload({ path: '/ok.png', contents: encodePng(drawPicture(10, 10, 1)) });
    const on = (path: string, format: 'jpeg' | 'webp' = 'jpeg') =>
      rejection(
        h.dbx.filesGetThumbnailV2({ resource: { '.tag': 'path', path }, format: { '.tag': format } }),
      );
    expect((await on('/notes.txt')).error.error).toEqual({ '.tag': 'unsupported_extension' });
    expect(tags(await on('/broken.jpg'))).toBe('unsupported_image');
    expect(tags(await on('/missing.png'))).toBe('path/not_found');
    expect(tags(await on('/ok.png', 'webp'))).toBe('conversion_error');
  });

  it('serves the v1 route with FileMetadata in the header', async () => {
    await h.dbx.filesUpload({ path: '/p.png', contents: encodePng(drawPicture(100, 50, 2)) });
    const response = await content(h, 'files/get_thumbnail', {
      path: '/p.png',
      format: 'png',
      size: 'w32h32',
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.headers.get('dropbox-api-result') as string)).toMatchObject({
      name: 'p.png',
      size: expect.any(Number),
    });
    const image = decodePng(Buffer.from(await response.arrayBuffer()));
    expect([image?.width, image?.height]).toEqual([32, 16]);
  });
});
