/**
 * DropboxApi's handling of calls that are not safe to repeat: which failures leave open whether
 * Dropbox acted, that the pacer does not repeat those, and how `settle` checks before repeating.
 */
import { DropboxResponseError } from 'dropbox';
import { describe, expect, it } from 'vitest';
import { SkyfoldError } from '../../../../common/errors';
import { Pacer } from '../pacer';
import { DropboxApi, UnconfirmedError, isAmbiguousFailure, maxUnconfirmedAttempts, settle } from './api';

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
    expect(error).toMatchObject({ code: 'transient', failure: { code: 'transient' } });
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

describe('settle', () => {
  const unconfirmed = () => new UnconfirmedError(new SkyfoldError('transient', 'connection reset'));

  it('checks after a lost answer and returns what the check found, without repeating the call', async () => {
    let attempts = 0;
    const result = await settle(
      async () => {
        attempts++;
        throw unconfirmed();
      },
      async () => 'found',
    );
    expect(result).toBe('found');
    expect(attempts).toBe(1);
  });

  it('repeats the call only when the check finds nothing, a bounded number of times', async () => {
    const events: string[] = [];
    let attempts = 0;
    const result = await settle(
      async () => {
        events.push('call');
        if (++attempts < 3) throw unconfirmed();
        return 'done';
      },
      async () => {
        events.push('check');
        return null;
      },
    );
    expect(result).toBe('done');
    expect(events).toEqual(['call', 'check', 'call', 'check', 'call']);

    let calls = 0;
    await expect(
      settle(
        async () => {
          calls++;
          throw unconfirmed();
        },
        async () => null,
      ),
    ).rejects.toBeInstanceOf(UnconfirmedError);
    expect(calls).toBe(maxUnconfirmedAttempts);
  });

  it('throws other errors at once, unchecked', async () => {
    let checks = 0;
    await expect(
      settle(
        async () => {
          throw new SkyfoldError('conflict', 'taken');
        },
        async () => {
          checks++;
          return null;
        },
      ),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(checks).toBe(0);
  });
});
