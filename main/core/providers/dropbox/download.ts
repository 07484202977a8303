/**
 * Streamed downloads. The SDK's `filesDownload` buffers the whole file in memory, so downloads are
 * sent by hand (https://www.dropbox.com/developers/documentation/http/documentation#files-download):
 * `POST https://content.dropboxapi.com/2/files/download`, no body, `Dropbox-API-Arg: {"path": ...}`
 * (header-safe JSON), optional `Range`; the bytes come back as the body and the file's metadata as
 * JSON in the `Dropbox-API-Result` response header.
 *
 * A range is sent as asked, without looking up the file's size first: the answer's metadata gives the
 * size, so the checks of `checkedRange` (byte-range.ts) are made on the answer. An unsatisfiable
 * range (416) is a start past the end (invalid_argument), except a start of 0, unsatisfiable only in
 * an empty file, which reads as nothing.
 */
import { Readable } from 'node:stream';
import { SkyfoldError } from '../../../../common/errors';
import { checkedRange } from '../byte-range';
import { readErrorBody } from '../http-errors';
import { responseBodyStream } from '../http-stream';
import type { ByteRange } from '../types';
import type { DropboxApi } from './api';
import { dropboxHttpError, toDropboxError } from './errors';
import { headerSafeJson, readFileMetadata } from './wire';

const downloadUrl = 'https://content.dropboxapi.com/2/files/download';

/**
 * Opens the bytes of the file at `path` (an `id:...`), or of `range`. Paced and authorized like every
 * request. Throws mapped errors (not_found, invalid_argument for a folder or a range outside the
 * file...), permanent when the answer lacks its metadata or ignores the range. The returned stream
 * fails with `transient` if the connection ends before every byte arrived.
 */
export function openDownload(
  api: DropboxApi,
  path: string,
  range: ByteRange | undefined,
  what: string,
): Promise<Readable> {
  // The range's shape (integers, start <= end) is checked before anything is sent.
  if (range) checkedRange(range, Number.MAX_SAFE_INTEGER, `the file (${what})`);
  return api.withToken(what, async (accessToken) => {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${accessToken}`,
      'Dropbox-API-Arg': headerSafeJson({ path }),
    };
    if (range) headers.Range = `bytes=${range.start}-${range.end ?? ''}`;
    const response = await api.fetch(downloadUrl, { method: 'POST', headers });
    if (range && response.status === 416) {
      await response.body?.cancel();
      if (range.start === 0) return Readable.from([]);
      throw new SkyfoldError(
        'invalid_argument',
        `byte range ${range.start}-${range.end ?? ''} is outside the file (${what})`,
      );
    }
    if (!response.ok) {
      throw dropboxHttpError(
        { status: response.status, body: await readErrorBody(response), headers: response.headers },
        `Dropbox, ${what}`,
      );
    }
    return responseBodyStream(response, {
      expectedBytes: await expectedLength(response, range, what),
      what: `Dropbox, ${what}`,
      mapError: (error) => toDropboxError(error, `Dropbox, ${what}`),
    });
  });
}

/**
 * How many bytes the body must hold: the range's length within the file, or the file's size, from
 * `Dropbox-API-Result`. Consumes (cancels) the body before throwing.
 */
async function expectedLength(
  response: Response,
  range: ByteRange | undefined,
  what: string,
): Promise<number> {
  const fail = async (error: SkyfoldError | string) => {
    await response.body?.cancel();
    return typeof error === 'string' ? new SkyfoldError('permanent', `Dropbox, ${what}: ${error}`) : error;
  };
  let metadata;
  try {
    metadata = readFileMetadata(JSON.parse(response.headers.get('dropbox-api-result') ?? ''), 'a download');
  } catch {
    throw await fail('the answer carries no valid Dropbox-API-Result header');
  }
  if (!Number.isSafeInteger(metadata.size) || metadata.size < 0) {
    throw await fail('the answer does not give the file size');
  }
  if (!range) return metadata.size;
  let bytes;
  try {
    bytes = checkedRange(range, metadata.size, `the file (${what})`);
  } catch (error) {
    throw await fail(error as SkyfoldError);
  }
  if (bytes === null) return 0; // an empty file: nothing to read, whatever the status
  if (response.status !== 206) throw await fail(`the byte range was ignored (HTTP ${response.status})`);
  return bytes.end - bytes.start + 1;
}
