/**
 * Streamed downloads. The SDK's `filesDownload` buffers the whole file in memory, so downloads are
 * sent by hand (https://www.dropbox.com/developers/documentation/http/documentation#files-download):
 * `POST https://content.dropboxapi.com/2/files/download`, no body, `Dropbox-API-Arg: {"path": ...}`
 * (header-safe JSON), optional `Range`; the bytes come back as the body and the file's metadata as
 * JSON in the `Dropbox-API-Result` response header.
 */
import type { Readable } from 'node:stream';
import { SkyfoldError } from '../../../../common/errors';
import { readErrorBody } from '../http-errors';
import { responseBodyStream } from '../http-stream';
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
    return responseBodyStream(response, {
      expectedBytes: await expectedLength(response, range, what),
      what: `Dropbox, ${what}`,
      mapError: (error) => toDropboxError(error, `Dropbox, ${what}`),
    });
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
