import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SkyfoldError } from '../../../common/errors';
import { previewUrl, thumbnailUrl } from '../../../common/uploads';
import { contentDisposition, mediaResponse, type MediaSource } from './media-responses';

const base = 'http://host';
const url = (relative: string) => new URL(relative, base);

function source(overrides: Partial<MediaSource> = {}): MediaSource & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  return {
    calls,
    openThumbnail: async (...args) => {
      calls.push(args);
      return { mimeType: 'image/jpeg', bytes: Buffer.from('jpeg') };
    },
    openPreview: async () => ({
      kind: 'text',
      contentType: 'text/plain; charset=utf-8',
      range: undefined,
      truncated: false,
      name: 'notes.txt',
      stream: Readable.from(['hello']),
    }),
    ...overrides,
  };
}

const sandboxed = {
  'Content-Security-Policy': "sandbox; default-src 'none'",
  'X-Content-Type-Options': 'nosniff',
};

describe('mediaResponse', () => {
  it('leaves other paths to the host', async () => {
    expect(await mediaResponse(source(), 'GET', url('/download?account=a&item=b'))).toBeNull();
  });

  it('serves a thumbnail with its type, length and a private cache lifetime', async () => {
    const engine = source();
    const answer = await mediaResponse(engine, 'GET', url(thumbnailUrl('acc', 'a/b.png', 256)));
    expect(answer).toMatchObject({
      status: 200,
      headers: {
        ...sandboxed,
        'Content-Type': 'image/jpeg',
        'Content-Length': '4',
        'Cache-Control': 'private, max-age=300',
      },
      body: Buffer.from('jpeg'),
    });
    expect(engine.calls).toEqual([['acc', 'a/b.png', 256]]);
  });

  it('answers 404 (cacheable) when there is no thumbnail, 400 for a size not served', async () => {
    const none = await mediaResponse(
      source({ openThumbnail: async () => null }),
      'GET',
      url(thumbnailUrl('a', 'b', 96)),
    );
    expect(none).toMatchObject({
      status: 404,
      headers: { ...sandboxed, 'Cache-Control': 'private, max-age=300' },
    });
    for (const size of ['100', '', 'x', '96.5']) {
      const engine = source();
      const answer = await mediaResponse(engine, 'GET', url(`/thumbnail?account=a&item=b&size=${size}`));
      expect(answer?.status).toBe(400);
      expect(engine.calls).toEqual([]);
    }
  });

  it.each([
    [new SkyfoldError('not_found', 'no account "x"'), 404],
    [new SkyfoldError('invalid_argument', '"Photos" is a folder'), 400],
    [new SkyfoldError('rate_limited', 'slow down'), 503],
    [new Error('boom'), 500],
  ])('answers the engine error %s with %i, never cached', async (error, status) => {
    const failing = source({
      openThumbnail: async () => Promise.reject(error),
      openPreview: async () => Promise.reject(error),
    });
    for (const target of [thumbnailUrl('a', 'b', 96), previewUrl('a', 'b')]) {
      const answer = await mediaResponse(failing, 'GET', url(target));
      expect(answer).toMatchObject({ status, headers: { ...sandboxed, 'Cache-Control': 'no-store' } });
      expect(String(answer?.body)).toBe(`${error.message}\n`);
    }
  });

  it('serves a preview inline, sandboxed, with the type decided by the policy', async () => {
    const answer = await mediaResponse(source(), 'GET', url(previewUrl('acc', 'notes.txt')));
    expect(answer).toMatchObject({
      status: 200,
      headers: {
        ...sandboxed,
        'Content-Type': 'text/plain; charset=utf-8',
        'Content-Disposition': `inline; filename="notes.txt"; filename*=UTF-8''notes.txt`,
      },
    });
    expect(answer?.headers['X-Preview-Truncated']).toBeUndefined();
  });

  it('answers 415 for a type not previewed, 413 for a file too large', async () => {
    const refusing = (refused: 'type' | 'size') => source({ openPreview: async () => ({ refused }) });
    expect((await mediaResponse(refusing('type'), 'GET', url(previewUrl('a', 'b'))))?.status).toBe(415);
    expect((await mediaResponse(refusing('size'), 'GET', url(previewUrl('a', 'b'))))?.status).toBe(413);
  });

  it('refuses other methods (405) and missing or oversized ids (400)', async () => {
    const post = await mediaResponse(source(), 'POST', url(previewUrl('a', 'b')));
    expect(post).toMatchObject({ status: 405, headers: { Allow: 'GET' } });
    expect((await mediaResponse(source(), 'GET', url('/preview?account=a')))?.status).toBe(400);
    const long = `/thumbnail?account=a&item=${'x'.repeat(1025)}&size=96`;
    expect((await mediaResponse(source(), 'GET', url(long)))?.status).toBe(400);
  });
});

describe('contentDisposition', () => {
  it('keeps a hostile name inside one parameter pair', () => {
    expect(contentDisposition('inline', 'a"b\r\n../x.txt')).toBe(
      `inline; filename="a_b__.._x.txt"; filename*=UTF-8''a%22b__.._x.txt`,
    );
  });
});
