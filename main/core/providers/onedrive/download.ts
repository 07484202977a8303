/**
 * Streamed downloads (https://learn.microsoft.com/graph/api/driveitem-get-content):
 * `GET items/{id}/content` answers 302 with `Location`, a short-lived pre-authenticated URL on another
 * host; the bytes are fetched there WITHOUT the Authorization header (the redirect is not followed
 * by fetch, which would keep the header on a same-origin redirect, e.g. an emulator's). A byte range
 * goes on that URL (`Range: bytes=a-b`, 206 + `Content-Range`), as the docs require.
 *
 * The file's size is known before (the caller stat'ed it), so a range is checked with
 * `checkedRange` first and nothing is sent for an empty one. A download URL that answers a range
 * with the whole file (200, which HTTP allows) is read from the start and the range cut out of it. The stream fails with `transient` if the
 * body ends before the bytes announced; nothing is buffered.
 */
import { Readable } from 'node:stream';
import { SkyfoldError } from '../../../../common/errors';
import { checkedRange, sliceOfStream } from '../byte-range';
import { responseBodyStream } from '../http-stream';
import type { ByteRange } from '../types';
import type { OnedriveApi } from './api';
import { toOnedriveError } from './errors';
import { itemPath } from './links';

/**
 * Opens the bytes of the file `id` of `size` bytes, or of `range`. Throws invalid_argument for a range
 * outside the file, mapped errors (not_found...), permanent when OneDrive answers without a redirect
 * or with another range than the one asked for.
 */
export async function openDownload(
  api: OnedriveApi,
  id: string,
  size: number,
  range: ByteRange | undefined,
  what: string,
): Promise<Readable> {
  const bytes = checkedRange(range ?? { start: 0 }, size, `the file (${what})`);
  if (bytes === null) return Readable.from([]);
  const location = await api.request(
    what,
    { method: 'GET', path: itemPath(id, { segment: '/content' }), redirect: 'manual' },
    async (response) => {
      await response.body?.cancel();
      const target =
        response.status >= 300 && response.status < 400 ? response.headers.get('location') : null;
      if (!target) {
        throw new SkyfoldError(
          'permanent',
          `OneDrive, ${what}: the content answer (HTTP ${response.status}) did not redirect to the bytes`,
        );
      }
      return new URL(target, api.origin).href;
    },
  );
  const whole = bytes.start === 0 && bytes.end === size - 1;
  const headers: Record<string, string> =
    range && !whole ? { Range: `bytes=${bytes.start}-${bytes.end}` } : {};
  return api.preauthenticated(
    what,
    location,
    { method: 'GET', headers, redirect: 'follow' },
    async (response) => {
      const fail = async (message: string) => {
        await response.body?.cancel();
        return new SkyfoldError('permanent', `OneDrive, ${what}: ${message}`);
      };
      let expected: number;
      if (headers.Range && response.status === 200) {
        // HTTP lets a server ignore Range: the whole file came, so the bytes before are skipped.
        const whole = responseBodyStream(response, {
          expectedBytes: size,
          what: `OneDrive, ${what}`,
          mapError: (error) => toOnedriveError(error, `OneDrive, ${what}`),
        });
        return sliceOfStream(whole, bytes.start, bytes.end - bytes.start + 1);
      }
      if (headers.Range) {
        if (response.status !== 206)
          throw await fail(`the byte range was not served (HTTP ${response.status})`);
        const served = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(response.headers.get('content-range') ?? '');
        if (!served || Number(served[1]) !== bytes.start || Number(served[2]) !== bytes.end) {
          throw await fail(`the answer's Content-Range does not match bytes ${bytes.start}-${bytes.end}`);
        }
        expected = Number(served[2]) - bytes.start + 1;
      } else {
        const length = Number(response.headers.get('content-length') ?? NaN);
        expected = Number.isSafeInteger(length) ? length : size;
      }
      return responseBodyStream(response, {
        expectedBytes: expected,
        what: `OneDrive, ${what}`,
        mapError: (error) => toOnedriveError(error, `OneDrive, ${what}`),
      });
    },
  );
}
