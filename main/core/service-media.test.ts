/** Thumbnails and previews through the service, on a local folder account (sharp makes its thumbnails). */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { maxPreviewTextBytes } from './media/preview-policy';
import { SkyfoldService } from './service';

let base: string;
let service: SkyfoldService;
let accountId: string;

const photo = (width: number, height: number, background = 'red') =>
  sharp({ create: { width, height, channels: 3, background } })
    .png()
    .toBuffer();

beforeEach(async () => {
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-media-'));
  const root = path.join(base, 'Home');
  await fs.mkdir(path.join(root, 'Photos'), { recursive: true });
  await fs.writeFile(path.join(root, 'Photos', 'big.png'), await photo(1000, 500));
  await fs.writeFile(path.join(root, 'notes.txt'), 'hello');
  await fs.writeFile(path.join(root, 'long.txt'), 'x'.repeat(maxPreviewTextBytes + 10));
  await fs.writeFile(
    path.join(root, 'logo.svg'),
    '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
  );
  service = SkyfoldService.open({ dataDir: path.join(base, 'data') });
  accountId = (await service.addLocalAccount({ path: root, name: 'Home' })).id;
  await service.refreshAccount({ accountId });
});
afterEach(async () => {
  service.close();
  await fs.rm(base, { recursive: true, force: true });
});

async function dimensions(bytes: Buffer): Promise<[number, number]> {
  const meta = await sharp(bytes).metadata();
  return [meta.width, meta.height];
}

describe('openThumbnail', () => {
  it('makes the thumbnail once, keeps it on disk, and makes a new one when the file changes', async () => {
    const first = await service.openThumbnail(accountId, 'Photos/big.png', 96);
    expect(await dimensions(first!.bytes)).toEqual([96, 48]);
    expect(await service.getIndexInfo()).toMatchObject({ thumbnailBytes: first!.bytes.length });
    // The file changes on disk but not yet in the index: the kept thumbnail is served.
    const file = path.join(base, 'Home', 'Photos', 'big.png');
    await fs.writeFile(file, await photo(400, 800, 'blue'));
    expect((await service.openThumbnail(accountId, 'Photos/big.png', 96))!.bytes).toEqual(first!.bytes);
    // Once the index has the new version, a new thumbnail is made.
    await service.refreshAccount({ accountId });
    expect(await dimensions((await service.openThumbnail(accountId, 'Photos/big.png', 96))!.bytes)).toEqual([
      48, 96,
    ]);
  });

  it('answers null for a file that is not an image, without asking the provider', async () => {
    expect(await service.openThumbnail(accountId, 'notes.txt', 96)).toBeNull();
    expect(await service.openThumbnail(accountId, 'logo.svg', 96)).toBeNull();
  });

  it('throws invalid_argument for a folder and not_found for an unknown account or item', async () => {
    await expect(service.openThumbnail(accountId, 'Photos', 96)).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(service.openThumbnail('nobody', 'Photos/big.png', 96)).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(service.openThumbnail(accountId, 'missing.png', 96)).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('forgets the thumbnails of a removed account', async () => {
    await service.openThumbnail(accountId, 'Photos/big.png', 256);
    expect((await service.getIndexInfo()).thumbnailBytes).toBeGreaterThan(0);
    await service.removeAccount({ accountId });
    await expect.poll(async () => (await service.getIndexInfo()).thumbnailBytes).toBe(0);
    expect(await fs.readdir(path.join(base, 'data', 'thumbnails'))).toEqual([]);
  });
});

describe('openPreview', () => {
  const read = async (stream: AsyncIterable<Buffer>) => {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    return Buffer.concat(chunks);
  };

  it('opens images and text as the policy says, cutting long text', async () => {
    const image = await service.openPreview(accountId, 'Photos/big.png');
    expect(image).toMatchObject({ kind: 'image', contentType: 'image/png', name: 'big.png' });
    const long = await service.openPreview(accountId, 'long.txt');
    expect(long).toMatchObject({ kind: 'text', truncated: true });
    expect((await read((long as { stream: AsyncIterable<Buffer> }).stream)).length).toBe(maxPreviewTextBytes);
    const notes = await service.openPreview(accountId, 'notes.txt');
    expect((await read((notes as { stream: AsyncIterable<Buffer> }).stream)).toString()).toBe('hello');
    if ('stream' in image) image.stream.destroy();
  });

  it('refuses SVG without reading it, and folders', async () => {
    expect(await service.openPreview(accountId, 'logo.svg')).toEqual({ refused: 'type' });
    await expect(service.openPreview(accountId, 'Photos')).rejects.toMatchObject({
      code: 'invalid_argument',
    });
  });
});
