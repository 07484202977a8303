import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BodyTooLargeError, Router, mediaType, mediaTypeParam, parseRange, readBody } from './http';

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

describe('parseRange', () => {
  it('reads a-b, a- and -n as [start, end) within the size', () => {
    expect(parseRange('bytes=2-5', 10)).toEqual({ start: 2, end: 6 });
    expect(parseRange(' bytes=2-50 ', 10)).toEqual({ start: 2, end: 10 });
    expect(parseRange('bytes=9-9', 10)).toEqual({ start: 9, end: 10 });
    expect(parseRange('bytes=4-', 10)).toEqual({ start: 4, end: 10 });
    expect(parseRange('bytes=-3', 10)).toEqual({ start: 7, end: 10 });
    expect(parseRange('bytes=-30', 10)).toEqual({ start: 0, end: 10 });
  });

  it('ignores what it cannot read, and b < a (RFC 9110): the whole body', () => {
    for (const header of [undefined, '', 'bytes=-', 'bytes=0-1,3-4', 'items=0-1', 'bytes=a-b', 'bytes=5-2'])
      expect(parseRange(header, 10)).toBeUndefined();
  });

  it('is unsatisfiable from the end on, for -0, and for any suffix of an empty body', () => {
    expect(parseRange('bytes=10-', 10)).toBeNull();
    expect(parseRange('bytes=10-20', 10)).toBeNull();
    expect(parseRange('bytes=-0', 10)).toBeNull();
    expect(parseRange('bytes=-5', 0)).toBeNull();
    expect(parseRange('bytes=0-', 0)).toBeNull();
  });
});
