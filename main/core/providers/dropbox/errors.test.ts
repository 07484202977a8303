import { DropboxResponseError } from 'dropbox';
import { describe, expect, it } from 'vitest';
import { SkyfoldError } from '../../../../common/errors';
import { correctOffset, dropboxHttpError, errorTags, retryAfterMs, toDropboxError } from './errors';

/** A 409 body the way Dropbox builds one from a tag chain. */
function routeError(...tags: string[]): unknown {
  let error: Record<string, unknown> = { '.tag': tags[tags.length - 1]! };
  for (let i = tags.length - 2; i >= 0; i--) error = { '.tag': tags[i]!, [tags[i]!]: error };
  return { error_summary: `${tags.join('/')}/..`, error };
}

describe('errorTags', () => {
  it('follows the structured union chain', () => {
    expect(errorTags(routeError('to', 'conflict', 'file'))).toEqual(['to', 'conflict', 'file']);
  });

  it('continues through a struct member inlined beside its tag (UploadWriteFailed.reason)', () => {
    const body = {
      error_summary: 'path/conflict/file/..',
      error: {
        '.tag': 'path',
        reason: { '.tag': 'conflict', conflict: { '.tag': 'file' } },
        upload_session_id: 's',
      },
    };
    expect(errorTags(body)).toEqual(['path', 'conflict', 'file']);
    expect(dropboxHttpError({ status: 409, body }).code).toBe('conflict');
  });

  it('falls back to error_summary, stopping at the dotted suffix', () => {
    expect(errorTags({ error_summary: 'path/not_found/...' })).toEqual(['path', 'not_found']);
    expect(errorTags({ error_summary: 'reset/.' })).toEqual(['reset']);
  });

  it('is empty for text and odd shapes', () => {
    expect(errorTags('Error in call to API function')).toEqual([]);
    expect(errorTags(null)).toEqual([]);
    expect(errorTags({ error: 'x' })).toEqual([]);
  });
});

describe('correctOffset', () => {
  it('reads append_v2 and finish (lookup_failed) shapes', () => {
    expect(correctOffset({ error: { '.tag': 'incorrect_offset', correct_offset: 1024 } })).toBe(1024);
    expect(
      correctOffset({
        error: { '.tag': 'lookup_failed', lookup_failed: { '.tag': 'incorrect_offset', correct_offset: 7 } },
      }),
    ).toBe(7);
  });

  it('is null for other errors and malformed offsets', () => {
    expect(correctOffset(routeError('lookup_failed', 'not_found'))).toBeNull();
    expect(correctOffset({ error: { '.tag': 'incorrect_offset', correct_offset: '12' } })).toBeNull();
  });
});

describe('retryAfterMs', () => {
  it('prefers the header (seconds or HTTP date), else the body', () => {
    expect(retryAfterMs('2', null)).toBe(2000);
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:05 GMT', null, Date.parse('2015-10-21T07:28:00Z'))).toBe(
      5000,
    );
    expect(retryAfterMs(null, { error: { retry_after: 3 } })).toBe(3000);
    expect(retryAfterMs(null, {})).toBeUndefined();
  });
});

describe('dropboxHttpError', () => {
  it.each([
    [409, routeError('path', 'not_found'), 'not_found'],
    [409, routeError('from_lookup', 'not_found'), 'not_found'],
    [409, routeError('path_lookup', 'not_found'), 'not_found'],
    [409, routeError('to', 'conflict', 'file'), 'conflict'],
    [409, routeError('path', 'conflict', 'folder'), 'conflict'],
    [409, routeError('path', 'malformed_path'), 'invalid_argument'],
    [409, routeError('path', 'disallowed_name'), 'invalid_argument'],
    [409, routeError('path', 'not_file'), 'invalid_argument'],
    [409, routeError('path', 'not_folder'), 'invalid_argument'],
    [409, routeError('cant_move_folder_into_itself'), 'invalid_argument'],
    [409, routeError('reset'), 'invalid_argument'],
    [409, routeError('path', 'insufficient_space'), 'quota_exceeded'],
    [409, routeError('insufficient_quota'), 'quota_exceeded'],
    [409, routeError('too_many_write_operations'), 'rate_limited'],
    [409, routeError('internal_error'), 'transient'],
    [409, routeError('path', 'no_write_permission'), 'permanent'],
    [401, routeError('expired_access_token'), 'auth_expired'],
    [401, routeError('invalid_access_token'), 'auth_expired'],
    [401, routeError('missing_scope'), 'needs_reconnect'],
    [401, routeError('user_suspended'), 'permanent'],
    [403, routeError('invalid_account_type', 'endpoint'), 'permanent'],
    [429, { error: { reason: { '.tag': 'too_many_requests' }, retry_after: 1 } }, 'rate_limited'],
    [500, 'Internal Server Error', 'transient'],
    [503, '', 'transient'],
    [400, 'Error in call to API function "files/upload": bad path', 'invalid_argument'],
  ] as const)('HTTP %i %j -> %s', (status, body, code) => {
    expect(dropboxHttpError({ status, body }).code).toBe(code);
  });

  it('carries Retry-After (header or body) and a readable message', () => {
    const limited = dropboxHttpError(
      { status: 429, body: { error: { retry_after: 4 } }, headers: new Headers({ 'Retry-After': '1' }) },
      'Dropbox, listing',
    );
    expect(limited).toMatchObject({ code: 'rate_limited', retryAfterMs: 1000 });
    expect(dropboxHttpError({ status: 429, body: { error: { retry_after: 4 } } }).retryAfterMs).toBe(4000);
    expect(
      dropboxHttpError({ status: 409, body: routeError('path', 'not_found') }, 'Dropbox, x').message,
    ).toBe('Dropbox, x: path/not_found/..');
    expect(dropboxHttpError({ status: 400, body: 'bad input' }).message).toBe('Dropbox: bad input');
  });
});

describe('toDropboxError', () => {
  it('maps the SDK error class by status and body', () => {
    const sdkError = new DropboxResponseError(
      409,
      new Headers(),
      routeError('path', 'not_found'),
    ) as unknown as Error;
    expect(toDropboxError(sdkError)).toMatchObject({ code: 'not_found' });
  });

  it('maps network failures to transient and anything else to permanent', () => {
    const reset = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
    expect(toDropboxError(reset).code).toBe('transient');
    expect(toDropboxError(new SyntaxError('Unexpected token <')).code).toBe('permanent');
  });

  it('passes SkyfoldErrors through untouched', () => {
    const original = new SkyfoldError('conflict', 'taken');
    expect(toDropboxError(original)).toBe(original);
  });
});
