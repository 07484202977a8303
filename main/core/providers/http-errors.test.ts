import { describe, expect, it } from 'vitest';
import { isNetworkFailure, readErrorBody, retryAfterHeaderMs } from './http-errors';

describe('isNetworkFailure', () => {
  it('recognizes a failed connection by its code, the code of its cause, or its message', () => {
    expect(isNetworkFailure(Object.assign(new Error('read'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isNetworkFailure(Object.assign(new TypeError('x'), { cause: { code: 'UND_ERR_SOCKET' } }))).toBe(
      true,
    );
    expect(isNetworkFailure(new TypeError('fetch failed'))).toBe(true);
    expect(isNetworkFailure(new Error('other side closed'))).toBe(true);
  });

  it('leaves anything else alone', () => {
    expect(isNetworkFailure(new Error('Unexpected token < in JSON'))).toBe(false);
    expect(isNetworkFailure(Object.assign(new Error('no'), { code: 'EACCES' }))).toBe(false);
    expect(isNetworkFailure(null)).toBe(false);
  });
});

describe('retryAfterHeaderMs', () => {
  it('reads seconds or an HTTP date; undefined when absent or unreadable', () => {
    expect(retryAfterHeaderMs('2')).toBe(2000);
    expect(retryAfterHeaderMs('Wed, 21 Oct 2015 07:28:05 GMT', Date.parse('2015-10-21T07:28:00Z'))).toBe(
      5000,
    );
    expect(retryAfterHeaderMs(null)).toBeUndefined();
    expect(retryAfterHeaderMs('soon')).toBeUndefined();
  });
});

describe('readErrorBody', () => {
  it('parses JSON and keeps plain text as it came', async () => {
    expect(await readErrorBody(new Response('{"error":"x"}'))).toEqual({ error: 'x' });
    expect(await readErrorBody(new Response('Error in call to API function'))).toBe(
      'Error in call to API function',
    );
    expect(await readErrorBody(new Response(null))).toBe('');
  });
});
