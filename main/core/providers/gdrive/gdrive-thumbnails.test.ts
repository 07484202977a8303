/** Drive thumbnails through the provider, against the emulator's demo seed (its photos are PNGs). */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGdriveEmulator, type GdriveEmulator } from '../../../../emulators';
import { GdriveProvider } from './gdrive-provider';
import { isTrustedThumbnailLink, sizedThumbnailLink } from './gdrive-thumbnails';

let emulator: GdriveEmulator;
let provider: GdriveProvider;
const requested: string[] = [];

beforeAll(async () => {
  emulator = await startGdriveEmulator({ seed: 'demo' });
  const token = emulator.admin.issueTokens(emulator.users[0]!).access_token;
  provider = await GdriveProvider.connect({
    apiBaseUrl: emulator.url,
    tokens: { getAccessToken: async () => token, invalidate: () => undefined },
    fetch: (input, init) => {
      requested.push(String(input instanceof Request ? input.url : input));
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

describe('GdriveProvider.thumbnail', () => {
  it.each([96, 256])('fetches the picture sized by Drive to %i px, with the account token', async (size) => {
    requested.length = 0;
    const thumbnail = await provider.thumbnail(await idOf('Photos', '2024', 'beach.png'), size);
    expect(thumbnail?.mimeType).toBe('image/png');
    const meta = await sharp(thumbnail!.bytes).metadata();
    expect(Math.max(meta.width, meta.height)).toBe(size);
    expect(requested.filter((url) => url.includes('/drive-storage/'))).toEqual([
      expect.stringMatching(new RegExp(`=s${size}$`)),
    ]);
  });

  it('answers null for a file Drive has no thumbnail of', async () => {
    expect(await provider.thumbnail(await idOf('Documents', 'notes.txt'), 96)).toBeNull();
  });

  it('throws invalid_argument for a folder and not_found for a missing file', async () => {
    await expect(provider.thumbnail(await idOf('Photos'), 96)).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(provider.thumbnail('no-such-file', 96)).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('thumbnail links', () => {
  it('sets the =sN suffix', () => {
    expect(sizedThumbnailLink('https://lh3.googleusercontent.com/drive-storage/AJx=s220', 96)).toBe(
      'https://lh3.googleusercontent.com/drive-storage/AJx=s96',
    );
    expect(sizedThumbnailLink('https://lh3.googleusercontent.com/d/AJx', 256)).toBe(
      'https://lh3.googleusercontent.com/d/AJx=s256',
    );
  });

  it('sends the token only to Google thumbnail hosts over https, or to the configured origin', () => {
    const google = 'https://www.googleapis.com';
    expect(isTrustedThumbnailLink('https://lh3.googleusercontent.com/drive-storage/x=s220', google)).toBe(
      true,
    );
    expect(isTrustedThumbnailLink('http://lh3.googleusercontent.com/drive-storage/x', google)).toBe(false);
    expect(isTrustedThumbnailLink('https://googleusercontent.com.evil.example/x', google)).toBe(false);
    expect(isTrustedThumbnailLink('https://evil.example/x', google)).toBe(false);
    expect(isTrustedThumbnailLink('not a url', google)).toBe(false);
    expect(isTrustedThumbnailLink('http://127.0.0.1:9/drive-storage/x', 'http://127.0.0.1:9')).toBe(true);
  });
});
