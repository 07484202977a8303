/**
 * Thumbnails of a grid screen (issue 8), `npm run bench -- thumbnails`: 60 pictures' 256 px
 * thumbnails, as the grid asks for them (all at once; the account's pacer runs 4 requests at a
 * time), on a Google Drive emulator:
 * - first load: through the provider (files.get + the thumbnail link, the picture scaled by sharp)
 *   into an empty ThumbnailCache;
 * - cached load: the same 60 from the cache (what every later visit costs);
 * - baseline, in the same run: reading the 60 cached files straight from disk (fs.readFile), the
 *   least any disk cache can cost.
 * Prints one JSON line per figure (bench/figure.ts).
 */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { startGdriveEmulator } from '../emulators';
import { GdriveProvider } from '../main/core/providers/gdrive/gdrive-provider';
import { checkedThumbnail } from '../main/core/providers/thumbnail-image';
import { ThumbnailCache } from '../main/core/thumbnails/thumbnail-cache';
import { printFigure } from './figure';

const pictures = 60;
const size = 256;
const repeats = 7;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
async function ms(run: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const emulator = await startGdriveEmulator({ seed: 'empty' });
const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-bench-thumbnails-'));
try {
  const token = emulator.admin.issueTokens(emulator.users[0]!).access_token;
  const provider = await GdriveProvider.connect({
    apiBaseUrl: emulator.url,
    tokens: { getAccessToken: async () => token, invalidate: () => undefined },
  });
  const folder = await provider.mkdir(provider.rootId, 'Grid', { conflict: 'fail' });
  const ids: string[] = [];
  for (let i = 0; i < pictures; i++) {
    const png = await sharp({
      create: { width: 640, height: 427, channels: 3, background: { r: i * 4, g: 120, b: 255 - i * 4 } },
    })
      .png()
      .toBuffer();
    const item = await provider.write(folder.id, `photo ${i}.png`, Readable.from([png]), {
      conflict: 'fail',
      size: png.length,
    });
    ids.push(item.id);
  }
  const cache = new ThumbnailCache({ dir });
  const screen = () =>
    Promise.all(
      ids.map((id) =>
        cache.get({ accountId: 'bench', itemId: id, size, version: 'v1' }, async () =>
          checkedThumbnail(await provider.thumbnail(id, size)),
        ),
      ),
    );
  const firstMs = await ms(screen);
  const cachedSamples: number[] = [];
  for (let i = 0; i < repeats; i++) cachedSamples.push(await ms(screen));
  const cachedMs = median(cachedSamples);
  const files = (await fs.readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
  if (files.length !== pictures)
    throw new Error(`expected ${pictures} cached thumbnails, found ${files.length}`);
  const diskSamples: number[] = [];
  for (let i = 0; i < repeats; i++)
    diskSamples.push(await ms(() => Promise.all(files.map((file) => fs.readFile(file)))));
  const diskMs = median(diskSamples);
  printFigure(
    'thumbnails: grid of 60, first load (emulator)',
    firstMs,
    'ms',
    diskMs,
    firstMs / diskMs,
    'informative',
    true,
  );
  printFigure(
    'thumbnails: grid of 60, cached',
    cachedMs,
    'ms',
    diskMs,
    cachedMs / diskMs,
    '<= 10x disk read',
    cachedMs <= 10 * diskMs,
  );
  printFigure('thumbnails: first load / cached', firstMs / cachedMs, 'x', null, null, 'informative', true);
} finally {
  await emulator.close();
  await fs.rm(dir, { recursive: true, force: true });
}
