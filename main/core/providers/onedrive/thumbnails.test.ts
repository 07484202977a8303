/** OneDrive thumbnails through the provider, against the emulator (which scales PNGs and JPEGs). */
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnedriveProvider } from './onedrive-provider';
import { startLab, type Lab } from './test-support';

let lab: Lab;
let provider: OnedriveProvider;
let folder: string;

beforeAll(async () => {
  lab = await startLab();
  provider = await lab.connect();
  folder = await lab.scratch(provider);
});
afterAll(() => lab.close());

async function upload(name: string, bytes: Buffer): Promise<string> {
  const item = await provider.write(folder, name, Readable.from([bytes]), {
    conflict: 'fail',
    size: bytes.length,
  });
  return item.id;
}

describe('OnedriveProvider.thumbnail', () => {
  it.each([
    [96, 96],
    [256, 600],
  ])(
    'takes the smallest listed size at least %i px, fetched without the token, scaled down',
    async (size, fetchedSide) => {
      const photo = await sharp({ create: { width: 600, height: 300, channels: 3, background: 'teal' } })
        .png()
        .toBuffer();
      const id = await upload(`photo-${size}.png`, photo);
      lab.sent.length = 0;
      const thumbnail = await provider.thumbnail(id, size);
      const meta = await sharp(thumbnail!.bytes).metadata();
      expect([thumbnail!.mimeType, Math.max(meta.width, meta.height)]).toEqual(['image/jpeg', size]);
      const [list, picture, ...others] = lab.sent;
      expect(list).toMatchObject({ path: expect.stringMatching(/\/thumbnails$/), authorized: true });
      expect(picture).toMatchObject({ authorized: false });
      expect(picture!.path).toMatch(
        new RegExp(`/thumbnails/0/${fetchedSide === 96 ? 'small' : 'large'}/content$`),
      );
      expect(others).toEqual([]);
    },
  );

  it('answers null when OneDrive lists no thumbnail (not an image)', async () => {
    expect(await provider.thumbnail(await upload('notes.txt', Buffer.from('hello')), 96)).toBeNull();
  });

  it('throws not_found for a missing item', async () => {
    await expect(provider.thumbnail('0123456789ABCDEF!999', 96)).rejects.toMatchObject({ code: 'not_found' });
  });
});
