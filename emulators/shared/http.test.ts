import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BodyTooLargeError, Router, mediaType, mediaTypeParam, readBody } from './http';

describe('Router', () => {
  const noop = () => undefined;
  const router = new Router()
    .on('GET', '/files/:id', noop)
    .on('DELETE', '/files/trash', noop)
    .on(['PUT', 'POST'], '/upload/*', noop);

  it('matches params (decoded), prefers literal segments, and reports allowed methods', () => {
    expect(router.match('GET', '/files/a%2Fb')).toMatchObject({ kind: 'found', params: { id: 'a/b' } });
    expect(router.match('DELETE', '/files/trash')).toMatchObject({ kind: 'found', params: {} });
    expect(router.match('POST', '/files/x')).toEqual({ kind: 'method-not-allowed', allow: ['GET'] });
    expect(router.match('PUT', '/upload/a/b')).toMatchObject({ params: { '*': 'a/b' } });
    expect(router.match('GET', '/files/x/y')).toEqual({ kind: 'not-found' });
    expect(router.match('GET', '/files/%E0%A4%A')).toEqual({ kind: 'not-found' });
  });
});

describe('body helpers', () => {
  it('reads bodies up to a limit', async () => {
    expect((await readBody(Readable.from([Buffer.from('ab'), Buffer.from('c')]), 3)).toString()).toBe('abc');
    await expect(readBody(Readable.from([Buffer.alloc(4)]), 3)).rejects.toBeInstanceOf(BodyTooLargeError);
  });

  it('parses media types and parameters', () => {
    expect(mediaType('Multipart/Related; boundary="a b"')).toBe('multipart/related');
    expect(mediaTypeParam('multipart/related; boundary="a b"', 'boundary')).toBe('a b');
    expect(mediaTypeParam('text/plain', 'charset')).toBeUndefined();
  });
});
