/**
 * Upload endpoints under `/upload/drive/v3/files`: `uploadType=media` (bytes only), `multipart`
 * (multipart/related: metadata + media) and `resumable` (session protocol), for creates (POST) and
 * content updates (PATCH .../files/ID). Session URIs are the upload path plus `upload_id`; they take
 * PUT or POST chunks, an empty PUT with `Content-Range: bytes * /TOTAL` as a status query, and DELETE
 * to cancel (499). Session requests need no Authorization header (the upload id is the credential).
 */
import { finished } from 'node:stream/promises';
import {
  drainBody,
  mediaType,
  mediaTypeParam,
  readBody,
  sendEmpty,
  type RequestContext,
  type Router,
} from '../shared/http';
import { ContentTooLargeError, type Blob } from './content';
import type { DriveApi } from './context';
import { badRequest, invalidParameter, requestTooLarge, uploadSessionNotFound } from './errors';
import { parseMetadataBody, validateFileInput, type FileInput } from './metadata';
import { MultipartError, readMultipart } from './multipart';
import { commitCreate, commitUpdate, prepareCreate, prepareUpdate } from './operations';
import { MAX_UPLOAD_SIZE } from './resource';
import { fileMask, respondFile } from './respond';
import { checkParams } from './routes-files';
import type { DriveStore, FileRecord } from './store';
import {
  CHUNK_GRANULARITY,
  appendChunk,
  truncatePart,
  type UploadSession,
  type UploadSessions,
} from './upload-sessions';

const MISSING_UPLOAD_TYPE =
  'Upload requests must include an uploadType URL parameter and a URL path beginning with /upload/';

type ContentRange =
  | { kind: 'none' }
  | { kind: 'status'; total: number | undefined }
  | { kind: 'bytes'; start: number; end: number; total: number | undefined };

/** Parses `bytes a-b/total`, `bytes a-b/*`, `bytes * /total`, `bytes * /*`; undefined when malformed. */
function parseContentRange(header: string | undefined): ContentRange | undefined {
  if (header === undefined) return { kind: 'none' };
  const match = /^bytes (\*|(\d+)-(\d+))\/(\*|\d+)$/.exec(header.trim());
  if (!match) return undefined;
  const total = match[4] === '*' ? undefined : Number(match[4]);
  if (match[1] === '*') return { kind: 'status', total };
  const start = Number(match[2]);
  const end = Number(match[3]);
  if (end < start) return undefined;
  return { kind: 'bytes', start, end, total };
}

function declaredLength(ctx: RequestContext): number | undefined {
  const header = ctx.req.headers['content-length'];
  return header === undefined ? undefined : Number(header);
}

export function registerUploadRoutes(router: Router, api: DriveApi, sessions: UploadSessions): void {
  const commit = async (
    store: DriveStore,
    target: { fileId: string | undefined; input: FileInput; add: string | null; remove: string | null },
    blob: Blob,
    mediaMime: string | undefined,
  ): Promise<FileRecord> => {
    try {
      return target.fileId === undefined
        ? await commitCreate(api, store, prepareCreate(store, target.input), blob, mediaMime)
        : await commitUpdate(
            api,
            store,
            prepareUpdate(store, target.fileId, target.input, target.add, target.remove),
            blob,
            mediaMime,
          );
    } catch (error) {
      api.blobs.discard(blob);
      throw error;
    }
  };

  /** Stores an upload body; undefined when the connection was cut (nothing is kept, no one to answer). */
  const storeBody = async (ctx: RequestContext, body: RequestContext['body']): Promise<Blob | undefined> => {
    let blob: Blob;
    try {
      blob = await api.blobs.fromStream(body, MAX_UPLOAD_SIZE);
    } catch (error) {
      if (error instanceof ContentTooLargeError) throw requestTooLarge();
      throw error;
    }
    if (!ctx.bodyCut) return blob;
    api.blobs.discard(blob);
    return undefined;
  };

  /** uploadType=media|multipart|resumable on a create (fileId undefined) or an update. */
  const upload = async (ctx: RequestContext, fileId: string | undefined) => {
    const query = ctx.url.searchParams;
    const uploadType = query.get('uploadType');
    if (!uploadType) throw badRequest(MISSING_UPLOAD_TYPE);
    if (!['media', 'multipart', 'resumable'].includes(uploadType))
      throw invalidParameter('uploadType', `Invalid value for uploadType: ${uploadType}`);
    checkParams(ctx, fileId === undefined ? 'files.create' : 'files.update');
    const store = api.authorize(ctx, 'write');
    const mask = fileMask(query.get('fields'));
    const add = query.get('addParents');
    const remove = query.get('removeParents');
    const mode = fileId === undefined ? 'create' : 'update';
    const check = (input: FileInput) =>
      fileId === undefined ? prepareCreate(store, input) : prepareUpdate(store, fileId, input, add, remove);

    if (uploadType === 'media') {
      check({});
      const blob = await storeBody(ctx, ctx.body);
      if (!blob) return;
      const record = await commit(
        store,
        { fileId, input: {}, add, remove },
        blob,
        ctx.req.headers['content-type'],
      );
      respondFile(api, ctx, store, record, mask);
      return;
    }

    if (uploadType === 'multipart') {
      const contentType = ctx.req.headers['content-type'];
      const boundary = mediaTypeParam(contentType, 'boundary');
      if (!mediaType(contentType).startsWith('multipart/') || !boundary)
        throw badRequest('Bad content type. Please use multipart.');
      let parts;
      try {
        parts = await readMultipart(ctx.body, boundary, api.limits.metadataBodyLimitBytes);
      } catch (error) {
        if (error instanceof MultipartError) throw badRequest(`Malformed multipart body: ${error.message}.`);
        throw error;
      }
      let input: FileInput;
      try {
        input = validateFileInput(parseMetadataBody(parts.metadata), mode);
        check(input);
      } catch (error) {
        parts.media.resume();
        await finished(parts.media).catch(() => undefined);
        throw error;
      }
      const blob = await storeBody(ctx, parts.media);
      if (!blob) return;
      const record = await commit(store, { fileId, input, add, remove }, blob, parts.mediaType);
      respondFile(api, ctx, store, record, mask);
      return;
    }

    // resumable: open a session.
    const body = await readBody(ctx.body, api.limits.metadataBodyLimitBytes);
    const input = validateFileInput(parseMetadataBody(body), mode);
    const prepared = check(input);
    const lengthHeader = ctx.req.headers['x-upload-content-length'];
    let total: number | undefined;
    if (lengthHeader !== undefined) {
      total = Number(lengthHeader);
      if (!Number.isSafeInteger(total) || total < 0)
        throw invalidParameter('X-Upload-Content-Length', 'Invalid X-Upload-Content-Length header.');
      const current =
        'record' in prepared && prepared.record.content?.kind === 'blob'
          ? prepared.record.content.blob.size
          : 0;
      store.ensureRoom(total - current);
    }
    const typeHeader = ctx.req.headers['x-upload-content-type'];
    const session = await sessions.create({
      email: store.user.email,
      fileId: fileId === undefined ? undefined : store.require(fileId).id,
      input,
      addParents: add,
      removeParents: remove,
      fields: query.get('fields'),
      contentType: typeof typeHeader === 'string' ? typeHeader : undefined,
      total,
    });
    const location = new URL(ctx.url.pathname, ctx.url.origin);
    for (const [key, value] of query) if (key !== 'access_token') location.searchParams.append(key, value);
    location.searchParams.set('upload_id', session.id);
    sendEmpty(ctx.res, 200, { Location: location.toString(), 'X-GUploader-UploadID': session.id });
  };

  const finish = async (ctx: RequestContext, session: UploadSession, store: DriveStore) => {
    const blob = await api.blobs.fromFile(session.file);
    let record: FileRecord;
    try {
      record = await commit(
        store,
        {
          fileId: session.fileId,
          input: session.input,
          add: session.addParents,
          remove: session.removeParents,
        },
        blob,
        session.contentType,
      );
    } catch (error) {
      await sessions.remove(session);
      throw error;
    }
    session.resultId = record.id;
    respondFile(api, ctx, store, record, fileMask(session.fields));
  };

  const incomplete = (ctx: RequestContext, session: UploadSession) => {
    const headers: Record<string, string> = { 'X-GUploader-UploadID': session.id };
    if (session.received > 0) headers.Range = `bytes=0-${session.received - 1}`;
    sendEmpty(ctx.res, 308, headers);
  };

  /** One request on a session: a chunk, a status query, or the final chunk. */
  const chunk = async (ctx: RequestContext, session: UploadSession) => {
    const store = api.store(session.email);
    if (!store) {
      await drainBody(ctx.body);
      throw uploadSessionNotFound();
    }
    if (session.resultId !== undefined) {
      await drainBody(ctx.body);
      const record = store.get(session.resultId);
      if (!record) throw uploadSessionNotFound();
      respondFile(api, ctx, store, record, fileMask(session.fields));
      return;
    }
    const range = parseContentRange(ctx.req.headers['content-range']);
    const fail = async (message: string) => {
      await drainBody(ctx.body);
      return badRequest(message);
    };
    if (!range) throw await fail('Failed to parse Content-Range header.');
    const length = declaredLength(ctx);
    let start: number;
    let end: number | undefined;
    let total: number | undefined;
    if (range.kind === 'status') {
      await drainBody(ctx.body);
      if (range.total !== undefined) {
        if (session.total !== undefined && session.total !== range.total)
          throw badRequest('Invalid request. The upload total size is different from the declared size.');
        session.total = range.total;
        if (session.received === range.total) return finish(ctx, session, store);
      }
      return incomplete(ctx, session);
    } else if (range.kind === 'none') {
      start = 0;
      end = length === undefined ? undefined : length - 1;
      total = length ?? session.total;
    } else {
      ({ start, end, total } = range);
      if (length !== undefined && length !== range.end - range.start + 1)
        throw await fail('Invalid request. The Content-Range header does not match the request body size.');
    }
    if (total !== undefined) {
      if (session.total !== undefined && session.total !== total)
        throw await fail('Invalid request. The upload total size is different from the declared size.');
      if (end !== undefined && end >= total)
        throw await fail('Invalid request. The Content-Range end is past the total size.');
    }
    if (start > session.received)
      throw await fail(
        `Invalid request. According to the Content-Range header, the upload offset is ${start} byte(s), which exceeds already uploaded size of ${session.received} byte(s).`,
      );
    // Without a Content-Range (or with a chunked body of unknown size) the request carries the rest of the file.
    const final = end === undefined || (total !== undefined && end + 1 === total);
    const size = end === undefined ? undefined : end - start + 1;
    if (!final && size !== undefined && size < CHUNK_GRANULARITY)
      throw await fail(
        `Invalid request. The number of bytes uploaded is required to be equal or greater than ${CHUNK_GRANULARITY}, except for the final request (it's recommended to be the exact multiple of ${CHUNK_GRANULARITY}). The received request contained ${size} bytes, which does not meet this requirement.`,
      );
    if (total !== undefined) session.total = total;
    const appendedChunk = await appendChunk(session, ctx.body, session.received - start);
    const { appended } = appendedChunk;
    const complete = appendedChunk.complete && !ctx.bodyCut;
    session.received += appended;
    if (complete && end === undefined && session.total === undefined) session.total = session.received;
    if (complete && final && session.received === session.total) return finish(ctx, session, store);
    const aligned = Math.floor(session.received / CHUNK_GRANULARITY) * CHUNK_GRANULARITY;
    if (aligned !== session.received) await truncatePart(session, aligned);
    // An interrupted request has no one to answer.
    if (complete) incomplete(ctx, session);
  };

  const session = async (ctx: RequestContext) => {
    const found = await sessions.get(ctx.url.searchParams.get('upload_id') ?? '');
    if (!found) {
      await drainBody(ctx.body);
      throw uploadSessionNotFound();
    }
    if (ctx.method === 'DELETE') {
      await drainBody(ctx.body);
      await sessions.remove(found);
      sendEmpty(ctx.res, 499, { 'X-GUploader-UploadID': found.id });
      return;
    }
    await sessions.serialize(found, () => chunk(ctx, found));
  };

  const hasSession = (ctx: RequestContext) => ctx.url.searchParams.has('upload_id');
  router
    .on('POST', '/upload/drive/v3/files', (ctx) => (hasSession(ctx) ? session(ctx) : upload(ctx, undefined)))
    .on('PATCH', '/upload/drive/v3/files/:fileId', (ctx) =>
      hasSession(ctx) ? session(ctx) : upload(ctx, ctx.params.fileId as string),
    )
    .on(['PUT', 'DELETE'], '/upload/drive/v3/files', session)
    .on(['PUT', 'POST', 'DELETE'], '/upload/drive/v3/files/:fileId', session);
}
