import { deflateSync, crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodePng, drawPicture, encodePng, pngSize, scaleDown } from './png';

describe('png', () => {
  it('round-trips an encoded picture and reads its size from the header', () => {
    const image = drawPicture(40, 30, 7);
    const png = encodePng(image);
    expect(pngSize(png)).toEqual({ width: 40, height: 30 });
    expect(decodePng(png)).toEqual(image);
  });

  it('decodes filtered RGBA rows (Sub, Up, Average, Paeth), compositing alpha on white', () => {
    const width = 2;
    const rows = [
      [1, 10, 20, 30, 255, 5, 5, 5, 0], // Sub
      [2, 1, 1, 1, 0, 2, 2, 2, 0], // Up
      [3, 4, 4, 4, 0, 4, 4, 4, 0], // Average
      [4, 0, 0, 0, 0, 0, 0, 0, 0], // Paeth
    ];
    const header = Buffer.alloc(13);
    header.writeUInt32BE(width, 0);
    header.writeUInt32BE(rows.length, 4);
    header[8] = 8;
    header[9] = 6;
    const chunk = (type: string, data: Buffer) => {
      const head = Buffer.alloc(8);
      head.writeUInt32BE(data.length, 0);
      head.write(type, 4, 'latin1');
      const crc = Buffer.alloc(4);
      crc.writeUInt32BE(crc32(data, crc32(head.subarray(4))), 0);
      return Buffer.concat([head, data, crc]);
    };
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', deflateSync(Buffer.from(rows.flat()))),
      chunk('IEND', Buffer.alloc(0)),
    ]);
    const image = decodePng(png);
    // Row 0 pixel 0 is opaque (10,20,30); pixel 1 = pixel 0 + (5,5,5,0) keeps alpha 255.
    expect([...image!.pixels.subarray(0, 6)]).toEqual([10, 20, 30, 15, 25, 35]);
    expect(image!.height).toBe(4);
  });

  it('scales down to the longest side and never enlarges', () => {
    const image = drawPicture(400, 200, 1);
    expect(scaleDown(image, 100)).toMatchObject({ width: 100, height: 50 });
    expect(scaleDown(image, 1000)).toBe(image);
    expect(decodePng(Buffer.from('not a png'))).toBeUndefined();
  });
});
