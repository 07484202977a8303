/**
 * The app:// scheme's byte routes (thumbnails, previews): the same answers as the web host's, from
 * the same engine calls (media-responses.ts), through the stand-in `electron` module.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { app, protocol, resetElectron } from '../../test/stand-ins/electron';
import { SkyfoldError } from '../../common/errors';
import { previewUrl, thumbnailUrl } from '../../common/uploads';
import type { MediaSource } from '../core/media/media-responses';
import { contentSecurityPolicy, createAppProtocolHandler } from './protocol';

const root = mkdtempSync(path.join(tmpdir(), 'skyfold-protocol-media-'));
writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const calls: unknown[][] = [];
const engine: MediaSource = {
  openThumbnail: async (...args) => {
    calls.push(['thumbnail', ...args]);
    if (args[1] === 'notes.txt') return null;
    if (args[0] !== 'acc') throw new SkyfoldError('not_found', `no account "${args[0]}"`);
    return { mimeType: 'image/png', bytes: Buffer.from('png bytes') };
  },
  openPreview: async (accountId, itemId) => {
    calls.push(['preview', accountId, itemId]);
    if (itemId.endsWith('.svg') || itemId.endsWith('.html')) return { refused: 'type' };
    return {
      kind: 'text',
      contentType: 'text/plain; charset=utf-8',
      range: undefined,
      truncated: true,
      name: itemId,
      stream: Readable.from([Buffer.from('first '), Buffer.from('bytes')]),
    };
  },
};

/** Fetches `url` from a fresh app whose scheme handler reaches the engine `media` returns. */
async function fetchApp(url: string, media: () => MediaSource | undefined = () => engine): Promise<Response> {
  resetElectron();
  app.emitReady();
  protocol.handle('app', createAppProtocolHandler({ root, media }));
  return protocol.fetch(url);
}

const sandboxed = (response: Response) => {
  expect(response.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
};

describe('app:// byte routes', () => {
  it('serves a thumbnail from the engine at the same relative address as the web host', async () => {
    calls.length = 0;
    const response = await fetchApp(`app://skyfold${thumbnailUrl('acc', 'a/b.png', 256)}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('cache-control')).toBe('private, max-age=300');
    sandboxed(response);
    expect(await response.text()).toBe('png bytes');
    expect(calls).toEqual([['thumbnail', 'acc', 'a/b.png', 256]]);
  });

  it('answers 404 for no thumbnail or an unknown account, 400 for a size not served', async () => {
    expect((await fetchApp(`app://skyfold${thumbnailUrl('acc', 'notes.txt', 96)}`)).status).toBe(404);
    const unknown = await fetchApp(`app://skyfold${thumbnailUrl('nobody', 'a.png', 96)}`);
    expect(unknown.status).toBe(404);
    sandboxed(unknown);
    expect((await fetchApp('app://skyfold/thumbnail?account=acc&item=a.png&size=97')).status).toBe(400);
  });

  it('streams a preview inline and sandboxed, saying when it is cut', async () => {
    const response = await fetchApp(`app://skyfold${previewUrl('acc', 'notes.txt')}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^inline; filename="notes.txt"/);
    expect(response.headers.get('x-preview-truncated')).toBe('true');
    sandboxed(response);
    expect(await response.text()).toBe('first bytes');
  });

  it('refuses SVG and HTML previews (415)', async () => {
    for (const item of ['logo.svg', 'page.html']) {
      const response = await fetchApp(`app://skyfold${previewUrl('acc', item)}`);
      expect(response.status).toBe(415);
      sandboxed(response);
    }
  });

  it('answers 503 before the engine runs, and leaves the renderer files to the app policy', async () => {
    expect((await fetchApp(`app://skyfold${previewUrl('acc', 'a.txt')}`, () => undefined)).status).toBe(503);
    const page = await fetchApp('app://skyfold/index.html');
    expect(page.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
  });
});
