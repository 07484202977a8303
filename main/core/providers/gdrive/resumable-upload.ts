/**
 * Drive's resumable upload protocol, which the googleapis Node client never speaks
 * (https://developers.google.com/workspace/drive/api/guides/manage-uploads#resumable):
 *
 * 1. POST (new file) or PATCH (new content) `/upload/drive/v3/files?uploadType=resumable` with the
 *    metadata as JSON and `X-Upload-Content-Length`; the session URI comes back in `Location`.
 * 2. PUT chunks to the session URI with `Content-Range: bytes a-b/total` (`/*` while the total is
 *    unknown); every chunk but the last is a multiple of 256 KiB. 308 + `Range: bytes=0-N` confirms
 *    N+1 bytes (possibly fewer than sent); 200/201 carries the File.
 * 3. After an interruption, `PUT` with `Content-Range: bytes *\/total` and no body asks how much was
 *    confirmed; the upload continues from there. An expired session answers 404.
 *
 * Memory is bounded by one chunk: only unconfirmed bytes are kept for a resend.
 */
import type { drive_v3 } from '@googleapis/drive';
import { SkyfoldError } from '../../../../common/errors';
import { readErrorBody } from '../http-errors';
import { driveHttpError, toDriveError } from './errors';

/** Chunks must be multiples of this (except the last). */
export const chunkGranularity = 256 * 1024;

export interface ResumableUploadOptions {
  /** Bytes per PUT; rounded down to a multiple of 256 KiB. */
  chunkSize: number;
  /** Total bytes when known up front. */
  totalSize?: number;
  /** Retries of one chunk after a transient failure (each preceded by a status query). */
  maxChunkRetries?: number;
  /** Called after every confirmed chunk with the confirmed byte count (persist it to resume after a restart). */
  onProgress?: (confirmedBytes: number) => void | Promise<void>;
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
}

export interface SessionStart {
  /** e.g. https://www.googleapis.com (or an emulator's origin). */
  apiBaseUrl: string;
  accessToken: string;
  /** Metadata of the new file, or the changes for an update. */
  metadata: drive_v3.Schema$File;
  /** Set to update an existing file's content (PATCH); omitted to create a file (POST). */
  fileId?: string;
  /** Extra query parameters (e.g. addParents). */
  query?: Record<string, string>;
  contentType: string;
  totalSize?: number;
  fields: string;
  fetch?: typeof fetch;
}

/** Opens an upload session and returns its URI. Throws mapped Drive errors. */
export async function startResumableSession(start: SessionStart): Promise<string> {
  const url = new URL(
    `${start.apiBaseUrl}/upload/drive/v3/files${start.fileId ? `/${encodeURIComponent(start.fileId)}` : ''}`,
  );
  url.searchParams.set('uploadType', 'resumable');
  url.searchParams.set('fields', start.fields);
  for (const [key, value] of Object.entries(start.query ?? {})) url.searchParams.set(key, value);
  const headers: Record<string, string> = {
    Authorization: `Bearer ${start.accessToken}`,
    'Content-Type': 'application/json; charset=UTF-8',
    'X-Upload-Content-Type': start.contentType,
  };
  if (start.totalSize !== undefined) headers['X-Upload-Content-Length'] = String(start.totalSize);
  const response = await (start.fetch ?? fetch)(url, {
    method: start.fileId ? 'PATCH' : 'POST',
    headers,
    body: JSON.stringify(start.metadata),
  }).catch((error: unknown) => {
    throw toDriveError(error, 'starting an upload');
  });
  if (!response.ok)
    throw driveHttpError(
      response.status,
      await readErrorBody(response),
      response.headers.get('retry-after'),
      'starting an upload',
    );
  await response.body?.cancel();
  const location = response.headers.get('location');
  if (!location)
    throw new SkyfoldError('permanent', 'Google Drive opened an upload session without a Location');
  return new URL(location, start.apiBaseUrl).href;
}

export type SessionStatus = { done: true; file: drive_v3.Schema$File } | { done: false; confirmed: number };

/** How far a session got. Throws not_found when the session expired (restart the upload). */
export async function querySession(
  sessionUri: string,
  totalSize: number | undefined,
  fetchImpl: typeof fetch = fetch,
): Promise<SessionStatus> {
  const response = await fetchImpl(sessionUri, {
    method: 'PUT',
    headers: { 'Content-Range': `bytes */${totalSize ?? '*'}`, 'Content-Length': '0' },
  }).catch((error: unknown) => {
    throw toDriveError(error, 'checking an upload');
  });
  return sessionAnswer(response, 'checking an upload');
}

/** Cancels a session (best effort; nothing was created). */
export async function cancelSession(sessionUri: string, fetchImpl: typeof fetch = fetch): Promise<void> {
  await fetchImpl(sessionUri, { method: 'DELETE' })
    .then((response) => response.body?.cancel())
    .catch(() => undefined);
}

/**
 * Sends `source` (the bytes from offset `startOffset` on) through the session and returns the
 * created/updated File. Throws mapped Drive errors; `transient` when a chunk kept failing.
 */
export async function uploadThroughSession(
  sessionUri: string,
  source: AsyncIterable<Buffer | Uint8Array | string>,
  options: ResumableUploadOptions,
  startOffset = 0,
): Promise<drive_v3.Schema$File> {
  const fetchImpl = options.fetch ?? fetch;
  const chunkSize = Math.max(
    chunkGranularity,
    Math.floor(options.chunkSize / chunkGranularity) * chunkGranularity,
  );
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  /** Bytes held for sending, starting at absolute offset `bufferStart`. */
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let bufferStart = startOffset;

  const send = async (final: boolean): Promise<drive_v3.Schema$File | null> => {
    for (let attempt = 0; ; attempt++) {
      const bytes = Buffer.concat(pending, pendingBytes);
      const sendLength = final
        ? bytes.length
        : Math.floor(bytes.length / chunkGranularity) * chunkGranularity;
      const total = final ? bufferStart + bytes.length : options.totalSize;
      const range =
        sendLength === 0
          ? `bytes */${total ?? '*'}`
          : `bytes ${bufferStart}-${bufferStart + sendLength - 1}/${total ?? '*'}`;
      let status: SessionStatus;
      try {
        const response = await fetchImpl(sessionUri, {
          method: 'PUT',
          headers: { 'Content-Range': range, 'Content-Length': String(sendLength) },
          body: sendLength === 0 ? null : bytes.subarray(0, sendLength),
        });
        status = await sessionAnswer(response, 'uploading');
      } catch (error) {
        const mapped = toDriveError(error, 'uploading');
        if (
          (mapped.code !== 'transient' && mapped.code !== 'rate_limited') ||
          attempt >= (options.maxChunkRetries ?? 5)
        )
          throw mapped;
        await sleep(mapped.retryAfterMs ?? Math.min(30_000, 500 * 2 ** attempt));
        try {
          status = await querySession(sessionUri, total, fetchImpl);
        } catch (queryError) {
          const queryMapped = toDriveError(queryError, 'checking an upload');
          if (queryMapped.code === 'transient' || queryMapped.code === 'rate_limited') continue;
          throw queryMapped;
        }
      }
      if (status.done) return status.file;
      if (status.confirmed < bufferStart || status.confirmed > bufferStart + bytes.length) {
        throw new SkyfoldError(
          'permanent',
          `Google Drive confirmed byte ${status.confirmed}, outside the chunk being sent`,
        );
      }
      // Keep only what the server has not confirmed.
      const unconfirmed = bytes.subarray(status.confirmed - bufferStart);
      pending = unconfirmed.length > 0 ? [Buffer.from(unconfirmed)] : [];
      pendingBytes = unconfirmed.length;
      bufferStart = status.confirmed;
      await options.onProgress?.(bufferStart);
      attempt = -1; // progress was made: the retry budget starts again
      if (!final && pendingBytes < chunkSize) return null;
      if (final && sendLength === 0 && pendingBytes === 0) {
        throw new SkyfoldError('permanent', 'Google Drive did not finish the upload after the last byte');
      }
    }
  };

  let finished: drive_v3.Schema$File | null = null;
  for await (const chunk of source) {
    const buffer =
      typeof chunk === 'string'
        ? Buffer.from(chunk)
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (finished) {
      // The server completed the file at the declared total: the source must end there too.
      if (buffer.length > 0)
        throw new SkyfoldError('transient', 'the source sent more bytes than the declared size');
      continue;
    }
    pending.push(buffer);
    pendingBytes += buffer.length;
    // A chunk that reaches the declared total completes the upload (200 with the File).
    if (pendingBytes >= chunkSize) finished = await send(false);
  }
  const file = finished ?? (await send(true));
  if (!file) throw new SkyfoldError('permanent', 'Google Drive did not return the uploaded file');
  return file;
}

async function sessionAnswer(response: Response, what: string): Promise<SessionStatus> {
  if (response.status === 200 || response.status === 201) {
    return { done: true, file: (await response.json().catch(() => null)) as drive_v3.Schema$File };
  }
  if (response.status === 308) {
    await response.body?.cancel();
    const range = response.headers.get('range');
    const match = range ? /^bytes=0-(\d+)$/.exec(range) : null;
    return { done: false, confirmed: match ? Number(match[1]) + 1 : 0 };
  }
  if (response.status === 404 || response.status === 410) {
    await response.body?.cancel();
    throw new SkyfoldError('not_found', 'the upload session expired; the upload must start again');
  }
  throw driveHttpError(
    response.status,
    await readErrorBody(response),
    response.headers.get('retry-after'),
    what,
  );
}
