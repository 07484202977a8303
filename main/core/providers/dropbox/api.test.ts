/**
 * DropboxApi's handling of calls that are not safe to repeat: which failures leave open whether
 * Dropbox acted, and that the pacer does not repeat those (`settle`: ../unconfirmed.test.ts).
 */
import { DropboxResponseError } from 'dropbox';
import { describe, expect, it } from 'vitest';
import { SkyfoldError } from '../../../../common/errors';
import { Pacer } from '../pacer';
import { UnconfirmedError } from '../unconfirmed';
import { DropboxApi, isAmbiguousFailure } from './api';

const answer = (status: number, body: unknown = 'error') =>
  new DropboxResponseError(status, new Headers(), body);
const network = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: { code } });

/** An api whose every request fails with `failure()` (counted), under a pacer with 3 retries. */
function failingApi(failure: () => unknown) {
  let requests = 0;
  const api = new DropboxApi({
    apiBaseUrl: null,
    tokens: { getAccessToken: async () => 'token', invalidate: () => undefined },
    pacer: new Pacer({
      maxConcurrency: 1,
      maxRetries: 3,
      baseDelayMs: 1,
      maxDelayMs: 1,
      sleep: async () => undefined,
    }),
  });
  const run = (idempotent: boolean) =>
    api.call(
      'a call',
      async () => {
        requests++;
        throw failure();
      },
      { idempotent },
    );
  return { run, requests: () => requests };
}

describe('isAmbiguousFailure', () => {
  it('is true when the request may have been acted on: a broken connection, 500, 502, 504', () => {
    expect(isAmbiguousFailure(network('ECONNRESET'))).toBe(true);
    expect(isAmbiguousFailure(network('UND_ERR_SOCKET'))).toBe(true);
    expect(isAmbiguousFailure(new Error('other side closed'))).toBe(true);
    for (const status of [500, 502, 504]) expect(isAmbiguousFailure(answer(status))).toBe(true);
  });

  it('is false when Dropbox cannot have acted: 429, 503, route and auth errors, no connection', () => {
    for (const status of [400, 401, 409, 429, 503, 507])
      expect(isAmbiguousFailure(answer(status))).toBe(false);
    expect(isAmbiguousFailure(network('ECONNREFUSED'))).toBe(false);
    expect(isAmbiguousFailure(network('ENOTFOUND'))).toBe(false);
    expect(isAmbiguousFailure(new SkyfoldError('transient', 'the source failed'))).toBe(false);
  });
});

describe('DropboxApi calls with idempotent: false', () => {
  it('does not let the pacer repeat a call whose answer was lost, and says so distinctly', async () => {
    const lost = failingApi(() => network('ECONNRESET'));
    const error = await lost.run(false).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnconfirmedError);
    expect(error).toMatchObject({
      code: 'transient',
      failure: { code: 'transient' },
      message: expect.stringContaining('(Dropbox may have acted on it)'),
    });
    expect(lost.requests()).toBe(1);

    const internal = failingApi(() => answer(500));
    await expect(internal.run(false)).rejects.toBeInstanceOf(UnconfirmedError);
    expect(internal.requests()).toBe(1);
  });

  it('still retries what Dropbox documents as not acted on (503, 429), and idempotent calls', async () => {
    const unavailable = failingApi(() => answer(503));
    const error = await unavailable.run(false).catch((caught: unknown) => caught);
    expect(error).not.toBeInstanceOf(UnconfirmedError);
    expect(error).toMatchObject({ code: 'transient' });
    expect(unavailable.requests()).toBe(4);

    const limited = failingApi(() => answer(429, { error: { '.tag': 'too_many_requests' } }));
    await expect(limited.run(false)).rejects.toMatchObject({ code: 'rate_limited' });
    expect(limited.requests()).toBe(4);

    const lostIdempotent = failingApi(() => network('ECONNRESET'));
    await expect(lostIdempotent.run(true)).rejects.not.toBeInstanceOf(UnconfirmedError);
    expect(lostIdempotent.requests()).toBe(4);
  });
});
