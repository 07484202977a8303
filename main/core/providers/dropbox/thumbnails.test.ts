/** Dropbox thumbnails through the provider, against the emulator's demo seed (its photos are PNGs). */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDropboxEmulator, type DropboxEmulator } from '../../../../emulators/dropbox/emulator';
import { DropboxProvider } from './dropbox-provider';

let emulator: DropboxEmulator;
let provider: DropboxProvider;
const args: unknown[] = [];

beforeAll(async () => {
  emulator = await startDropboxEmulator({ seed: 'demo' });
  const token = emulator.admin.issueTokens(emulator.users[0]!).access_token;
  provider = await DropboxProvider.connect({
    apiBaseUrl: emulator.url,
    tokens: { getAccessToken: async () => token, invalidate: () => undefined },
    fetch: (input, init) => {
      const arg = new Headers(init?.headers).get('dropbox-api-arg');
      if (String(input).includes('get_thumbnail_v2') && arg) args.push(JSON.parse(arg));
      return fetch(input, init);
    },
  });
});
afterAll(() => emulator.close());

async function idOf(...names: string[]): Promise<string> {
  let id = provider.rootId;
  for (const name of names) {
    const [found] = await provider.findChildren(id, name);
    if (!found) throw new Error(`${name} not found`);
    id = found.id;
  }
  return id;
}

describe('DropboxProvider.thumbnail', () => {
  it.each([
    [96, 'w128h128'],
    [256, 'w256h256'],
  ])('asks for the size just above %i px (%s) and scales it down', async (size, tag) => {
    args.length = 0;
    const thumbnail = await provider.thumbnail(await idOf('Photos', '2024', 'beach.png'), size);
    expect(thumbnail?.mimeType).toBe('image/jpeg');
    const meta = await sharp(thumbnail!.bytes).metadata();
    expect(Math.max(meta.width, meta.height)).toBe(size);
    expect(args).toEqual([expect.objectContaining({ size: tag, format: 'jpeg', mode: 'strict' })]);
  });

  it('answers null where Dropbox makes no thumbnail (unsupported_extension)', async () => {
    expect(await provider.thumbnail(await idOf('Documents', 'notes.txt'), 96)).toBeNull();
  });

  it('throws invalid_argument for a folder and not_found for a missing file', async () => {
    await expect(provider.thumbnail(await idOf('Photos'), 96)).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(provider.thumbnail(provider.rootId, 96)).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(provider.thumbnail('id:AAAAAAAAAAAAAAAAAAAAAA', 96)).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});
