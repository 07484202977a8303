import { describe, expect, it } from 'vitest';
import { encodeJpeg } from './jpeg';
import { drawPicture, encodePng } from './png';
import { BoundedCache, cropCenter, fitInto, placeholderFor, sniffImage } from './thumbnails';

describe('thumbnail helpers', () => {
  it('recognises PNG, JPEG, GIF and BMP by their first bytes', () => {
    const picture = drawPicture(40, 30, 1);
    expect(sniffImage(encodePng(picture).subarray(0, 32))).toEqual({ width: 40, height: 30 });
    expect(sniffImage(encodeJpeg(picture))).toEqual({ width: 40, height: 30 });
    expect(sniffImage(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('unknown');
    const gif = Buffer.from('GIF89a\x05\x00\x07\x00', 'latin1');
    expect(sniffImage(gif)).toEqual({ width: 5, height: 7 });
    const bmp = Buffer.alloc(26);
    bmp.write('BM', 0, 'latin1');
    bmp.writeInt32LE(9, 18);
    bmp.writeInt32LE(-4, 22);
    expect(sniffImage(bmp)).toEqual({ width: 9, height: 4 });
    expect(sniffImage(Buffer.from('plain text'))).toBeUndefined();
  });

  it('fits inside a box or covers it (cropped to it), never enlarging', () => {
    const picture = drawPicture(200, 100, 2);
    expect(fitInto(picture, 50, 50, 'inside')).toMatchObject({ width: 50, height: 25 });
    expect(fitInto(picture, 50, 50, 'cover')).toMatchObject({ width: 50, height: 50 });
    expect(fitInto(picture, 400, 400, 'inside')).toBe(picture);
    expect(fitInto(picture, 400, 50, 'cover')).toMatchObject({ width: 200, height: 50 });
    expect(cropCenter(picture, 300, 300)).toBe(picture);
    const centre = cropCenter(picture, 2, 1);
    expect(centre).toEqual({
      width: 2,
      height: 1,
      pixels: picture.pixels.slice((49 * 200 + 99) * 3, (49 * 200 + 101) * 3),
    });
  });

  it('sizes placeholders by the shorter side, capped, 256 when unknown', () => {
    expect(placeholderFor({ width: 3000, height: 2000 }, 1024, 'k')).toMatchObject({
      width: 1024,
      height: 1024,
    });
    expect(placeholderFor({ width: 30, height: 20 }, 1024, 'k')).toMatchObject({ width: 20, height: 20 });
    expect(placeholderFor('unknown', 1024, 'k')).toMatchObject({ width: 256, height: 256 });
  });

  it('forgets the oldest entry when full', () => {
    const cache = new BoundedCache<number>(2);
    expect(cache.set('a', 1)).toBe(1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, 2, 3]);
  });
});
