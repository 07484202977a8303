import sharp from 'sharp';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fitThumbnail, mayHaveThumbnail, sizeAtLeast } from './thumbnail-image';

function picture(width: number, height: number, alpha = false) {
  return sharp({
    create: {
      width,
      height,
      channels: alpha ? 4 : 3,
      background: alpha ? { r: 10, g: 200, b: 30, alpha: 0.5 } : { r: 10, g: 200, b: 30 },
    },
  });
}

/** A PNG whose header declares another size (the IHDR chunk rewritten, its CRC fixed). */
function withDeclaredSize(png: Buffer, width: number, height: number): Buffer {
  const copy = Buffer.from(png);
  copy.writeUInt32BE(width, 16);
  copy.writeUInt32BE(height, 20);
  copy.writeUInt32BE(crc32(copy.subarray(12, 29)), 29);
  return copy;
}

describe('fitThumbnail', () => {
  it('scales a large JPEG down inside the box, keeping its proportions', async () => {
    const bytes = await picture(800, 400).jpeg().toBuffer();
    const thumbnail = await fitThumbnail(bytes, 96);
    expect(thumbnail?.mimeType).toBe('image/jpeg');
    const meta = await sharp(thumbnail!.bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 96, 48]);
  });

  it('keeps a JPEG or PNG that already fits as it is (never enlarged)', async () => {
    const bytes = await picture(50, 20).png().toBuffer();
    expect(await fitThumbnail(bytes, 96)).toEqual({ mimeType: 'image/png', bytes });
  });

  it('turns other formats into PNG when transparent, JPEG otherwise', async () => {
    const webp = await fitThumbnail(await picture(300, 300, true).webp().toBuffer(), 256);
    expect(webp?.mimeType).toBe('image/png');
    expect((await sharp(webp!.bytes).metadata()).width).toBe(256);
    const tiff = await fitThumbnail(await picture(40, 30).tiff().toBuffer(), 256);
    expect(tiff?.mimeType).toBe('image/jpeg');
    expect((await sharp(tiff!.bytes).metadata()).width).toBe(40);
  });

  it('applies the EXIF orientation (a portrait photo stays upright)', async () => {
    const rotated = await picture(200, 100).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const meta = await sharp((await fitThumbnail(rotated, 96))!.bytes).metadata();
    expect([meta.width, meta.height]).toEqual([48, 96]);
  });

  it('answers null for text, SVG, corrupt images and decompression bombs', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
    const png = await picture(100, 100).png().toBuffer();
    expect(await fitThumbnail(Buffer.from('just some text'), 96)).toBeNull();
    expect(await fitThumbnail(svg, 96)).toBeNull();
    expect(await fitThumbnail(png.subarray(0, png.length / 2), 96)).toBeNull();
    expect(await fitThumbnail(withDeclaredSize(png, 30_000, 30_000), 96)).toBeNull();
  });
});

describe('mayHaveThumbnail and sizeAtLeast', () => {
  it('recognises raster images by type or extension, never SVG', () => {
    expect(mayHaveThumbnail('a.JPG', null)).toBe(true);
    expect(mayHaveThumbnail('scan', 'image/png')).toBe(true);
    expect(mayHaveThumbnail('logo.svg', 'image/svg+xml')).toBe(false);
    expect(mayHaveThumbnail('notes.txt', 'text/plain')).toBe(false);
    expect(mayHaveThumbnail('.png', null)).toBe(false);
  });

  it('picks the smallest offered size at least the one asked, else the largest', () => {
    const offered = [{ side: 64 }, { side: 128 }, { side: 256 }];
    expect(sizeAtLeast(offered, 96)).toEqual({ side: 128 });
    expect(sizeAtLeast(offered, 256)).toEqual({ side: 256 });
    expect(sizeAtLeast(offered, 1000)).toEqual({ side: 256 });
  });
});
