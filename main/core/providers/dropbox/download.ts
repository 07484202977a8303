/**
 * Streamed downloads. The SDK's `filesDownload` buffers the whole file in memory, so downloads are
 * sent by hand (https://www.dropbox.com/developers/documentation/http/documentation#files-download):
 * `POST https://content.dropboxapi.com/2/files/download`, no body, `Dropbox-API-Arg: {"path": ...}`
 * (header-safe JSON), optional `Range`; the bytes come back as the body and the file's metadata as
 * JSON in the `Dropbox-API-Result` response header.
 */
import { Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { SkyfoldError } from '../../../../common/errors';
import type { DropboxApi } from './api';
import { dropboxHttpError, toDropboxError } from './errors';
import { headerSafeJson, readFileMetadata } from './wire';

const downloadUrl = 'https://content.dropboxapi.com/2/files/download';

/** Inclusive byte range, already checked against the file's size by the caller. */
export interface CheckedRange {
  start: number;
  end: number;
}

/**
 * Opens the bytes of the file at `path` (an `id:...`), or of `range`. Paced and authorized like every
 * request. Throws mapped errors (not_found, invalid_argument for a folder...), permanent when the
 * answer lacks its metadata or ignores the range. The returned stream fails with `transient` if the
 * connection ends before every byte arrived.
 */
export function openDownload(
  api: DropboxApi,
  path: string,
  range: CheckedRange | undefined,
  what: string,
): Promise<Readable> {
  return api.withToken(what, async (accessToken) => {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${accessToken}`,
      'Dropbox-API-Arg': headerSafeJson({ path }),
    };
    if (range) headers.Range = `bytes=${range.start}-${range.end}`;
    const response = await api.fetch(downloadUrl, { method: 'POST', headers });
    if (!response.ok) {
      throw dropboxHttpError(
        { status: response.status, body: await readErrorBody(response), headers: response.headers },
        `Dropbox, ${what}`,
      );
    }
    const expected = await expectedLength(response, range, what);
    const body = response.body ? Readable.fromWeb(response.body as WebReadableStream) : Readable.from([]);
    const checked = lengthChecked(expected, what);
    body.on('error', (error) => checked.destroy(toDropboxError(error, `Dropbox, ${what}`)));
    return body.pipe(checked);
  });
}

/**
 * How many bytes the body must hold: the range's length, or the file's size from `Dropbox-API-Result`.
 * Consumes (cancels) the body before throwing.
 */
async function expectedLength(
  response: Response,
  range: CheckedRange | undefined,
  what: string,
): Promise<number> {
  const fail = async (message: string) => {
    await response.body?.cancel();
    return new SkyfoldError('permanent', `Dropbox, ${what}: ${message}`);
  };
  let metadata;
  try {
    metadata = readFileMetadata(JSON.parse(response.headers.get('dropbox-api-result') ?? ''), 'a download');
  } catch {
    throw await fail('the answer carries no valid Dropbox-API-Result header');
  }
  if (!Number.isSafeInteger(metadata.size)) throw await fail('the answer does not give the file size');
  if (!range) return metadata.size;
  if (response.status !== 206) throw await fail(`the byte range was ignored (HTTP ${response.status})`);
  return range.end - range.start + 1;
}

async function readErrorBody(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Passes bytes through and fails with `transient` when fewer or more than `expected` arrive. */
function lengthChecked(expected: number, what: string): Transform {
  let received = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      callback(null, chunk);
    },
    flush(callback) {
      callback(
        received === expected
          ? null
          : new SkyfoldError('transient', `Dropbox, ${what}: received ${received} of ${expected} bytes`),
      );
    },
  });
}
