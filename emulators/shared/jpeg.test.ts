import { describe, expect, it } from 'vitest';
import { encodeJpeg, jpegSize } from './jpeg';
import { decodeJpeg } from './jpeg-decoder';
import { drawPicture, type RgbImage } from './png';

/** Peak signal-to-noise ratio between two images of the same size, in dB. */
function psnr(a: RgbImage, b: RgbImage): number {
  let sum = 0;
  for (let i = 0; i < a.pixels.length; i++) sum += ((a.pixels[i] as number) - (b.pixels[i] as number)) ** 2;
  return 10 * Math.log10((255 * 255) / (sum / a.pixels.length));
}

describe('jpeg', () => {
  it('encodes a baseline JFIF file that decodes to the same picture (partial blocks included)', () => {
    const image = drawPicture(203, 117, 42);
    const jpeg = encodeJpeg(image);
    expect([...jpeg.subarray(0, 4)]).toEqual([0xff, 0xd8, 0xff, 0xe0]);
    expect([...jpeg.subarray(-2)]).toEqual([0xff, 0xd9]);
    expect(jpegSize(jpeg)).toEqual({ width: 203, height: 117 });
    const decoded = decodeJpeg(jpeg);
    expect(decoded.width).toBe(203);
    expect(decoded.height).toBe(117);
    expect(psnr(image, decoded)).toBeGreaterThan(30);
  });

  it('gets closer to the picture as quality rises', () => {
    const image = drawPicture(64, 48, 3);
    const low = decodeJpeg(encodeJpeg(image, 20));
    const high = decodeJpeg(encodeJpeg(image, 95));
    expect(psnr(image, high)).toBeGreaterThan(psnr(image, low));
    expect(encodeJpeg(image, 95).length).toBeGreaterThan(encodeJpeg(image, 20).length);
  });

  it('reads no size from bytes that are not a JPEG', () => {
    expect(jpegSize(Buffer.from('not a jpeg at all'))).toBeUndefined();
  });
});
