import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalProvider } from './local-provider';

let root: string;
let provider: LocalProvider;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-local-thumbs-'));
  provider = await LocalProvider.open(root);
});
afterEach(() => fs.rm(root, { recursive: true, force: true }));

describe('local thumbnails', () => {
  it('declares the feature and scales a picture down with sharp', async () => {
    expect(provider.features.thumbnails).toBe(true);
    const photo = await sharp({ create: { width: 640, height: 480, channels: 3, background: 'red' } })
      .jpeg()
      .toBuffer();
    await fs.writeFile(path.join(root, 'photo.jpg'), photo);
    const thumbnail = await provider.thumbnail('photo.jpg', 256);
    expect(thumbnail?.mimeType).toBe('image/jpeg');
    const meta = await sharp(thumbnail!.bytes).metadata();
    expect([meta.width, meta.height]).toEqual([256, 192]);
  });

  it('answers null for a non-image and for bytes that are not the picture their name says', async () => {
    await fs.writeFile(path.join(root, 'notes.txt'), 'hello');
    await fs.writeFile(path.join(root, 'fake.png'), '<html>not a picture</html>');
    expect(await provider.thumbnail('notes.txt', 96)).toBeNull();
    expect(await provider.thumbnail('fake.png', 96)).toBeNull();
  });

  it('throws not_found for a missing file and invalid_argument for a folder', async () => {
    await fs.mkdir(path.join(root, 'album.png'));
    await expect(provider.thumbnail('missing.png', 96)).rejects.toMatchObject({ code: 'not_found' });
    await expect(provider.thumbnail('album.png', 96)).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  it('does not follow a symbolic link out of the folder', async () => {
    const outside = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-outside-'));
    const secret = await sharp({ create: { width: 8, height: 8, channels: 3, background: 'blue' } })
      .png()
      .toBuffer();
    await fs.writeFile(path.join(outside, 'secret.png'), secret);
    await fs.symlink(path.join(outside, 'secret.png'), path.join(root, 'link.png'));
    await expect(provider.thumbnail('link.png', 96)).rejects.toMatchObject({ code: 'not_found' });
    await fs.rm(outside, { recursive: true, force: true });
  });
});
