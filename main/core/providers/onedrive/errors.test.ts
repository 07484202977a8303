import { describe, expect, it } from 'vitest';
import { SkyfoldError } from '../../../../common/errors';
import {
  GraphAnswerError,
  graphErrorCodes,
  isAmbiguousFailure,
  onedriveHttpError,
  toOnedriveError,
} from './errors';

/** A Graph error body. */
function body(code: string, message = 'message', innerCode?: string): unknown {
  return {
    error: {
      code,
      message,
      innerError: {
        ...(innerCode ? { code: innerCode } : {}),
        date: '2025-01-01T00:00:00',
        'request-id': 'r',
      },
    },
  };
}

const headers = (values: Record<string, string>) => new Headers(values);
const answer = (status: number, payload: unknown, extra: Record<string, string> = {}) =>
  new GraphAnswerError(status, payload, headers(extra));

describe('graphErrorCodes', () => {
  it('reads the code and the inner errors, outermost first', () => {
    expect(graphErrorCodes(body('invalidRequest', 'x', 'pathIsTooLong'))).toEqual([
      'invalidRequest',
      'pathIsTooLong',
    ]);
    expect(
      graphErrorCodes({ error: { code: 'a', innererror: { code: 'b', innererror: { code: 'c' } } } }),
    ).toEqual(['a', 'b', 'c']);
  });

  it('is empty for text and odd shapes', () => {
    expect(graphErrorCodes('Bad Gateway')).toEqual([]);
    expect(graphErrorCodes(null)).toEqual([]);
    expect(graphErrorCodes({ error: 'x' })).toEqual([]);
  });
});

describe('onedriveHttpError', () => {
  it.each([
    [401, body('InvalidAuthenticationToken'), 'auth_expired'],
    [401, body('unauthenticated'), 'auth_expired'],
    [404, body('itemNotFound'), 'not_found'],
    [409, body('nameAlreadyExists'), 'conflict'],
    [410, body('resyncRequired'), 'invalid_argument'],
    [429, body('activityLimitReached'), 'rate_limited'],
    [503, body('activityLimitReached'), 'rate_limited'],
    [503, body('serviceNotAvailable'), 'transient'],
    [500, body('generalException'), 'transient'],
    [502, 'Bad Gateway', 'transient'],
    [507, body('quotaLimitReached'), 'quota_exceeded'],
    [403, body('quotaLimitReached'), 'quota_exceeded'],
    [400, body('invalidRequest', 'Invalid request'), 'permanent'],
    [400, body('invalidRequest', 'Path exceeds maximum length.', 'pathIsTooLong'), 'invalid_argument'],
    [416, body('invalidRange'), 'invalid_argument'],
    [403, body('accessDenied'), 'permanent'],
    [423, body('resourceLocked'), 'transient'],
  ])('maps %i %j to %s', (status, payload, code) => {
    expect(onedriveHttpError(answer(status, payload)).code).toBe(code);
  });

  it("keeps Graph's message and codes, and the Retry-After in milliseconds", () => {
    const error = onedriveHttpError(
      answer(429, body('activityLimitReached', 'Slow down'), { 'Retry-After': '3' }),
      'OneDrive, listing',
    );
    expect(error.message).toBe('OneDrive, listing: Slow down (activityLimitReached)');
    expect(error.retryAfterMs).toBe(3000);
    expect(
      onedriveHttpError(answer(503, body('serviceNotAvailable'), { 'Retry-After': '2' })).retryAfterMs,
    ).toBe(2000);
    expect(onedriveHttpError(answer(500, '')).message).toBe('OneDrive: HTTP 500');
  });
});

describe('toOnedriveError', () => {
  it('passes SkyfoldErrors through and maps network failures to transient, the rest to permanent', () => {
    const own = new SkyfoldError('needs_reconnect', 'sign in again');
    expect(toOnedriveError(own)).toBe(own);
    const reset = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
    expect(toOnedriveError(reset).code).toBe('transient');
    expect(toOnedriveError(new Error('weird')).code).toBe('permanent');
    expect(toOnedriveError(answer(404, body('itemNotFound'))).code).toBe('not_found');
  });
});

describe('isAmbiguousFailure', () => {
  it('is true when OneDrive may have acted: a connection lost after sending, a 500/502/504', () => {
    expect(
      isAmbiguousFailure(Object.assign(new TypeError('fetch failed'), { cause: { code: 'UND_ERR_SOCKET' } })),
    ).toBe(true);
    expect(isAmbiguousFailure(new TypeError('terminated'))).toBe(true);
    for (const status of [500, 502, 504]) expect(isAmbiguousFailure(answer(status, ''))).toBe(true);
  });

  it('is false when OneDrive cannot have acted: refused connections, 503, 507, 4xx, our own errors', () => {
    expect(
      isAmbiguousFailure(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } })),
    ).toBe(false);
    for (const status of [400, 401, 404, 409, 429, 503, 507])
      expect(isAmbiguousFailure(answer(status, ''))).toBe(false);
    expect(isAmbiguousFailure(new SkyfoldError('transient', 'x'))).toBe(false);
  });
});
