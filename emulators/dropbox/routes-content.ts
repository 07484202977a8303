/**
 * Content routes on the content host: files/download (bytes out, FileMetadata in the
 * `Dropbox-API-Result` header, every character >= U+007F escaped as \uXXXX; `Range` -> 206 with
 * `Content-Range`, unsatisfiable -> 416; `ETag` = `"<rev>"` (?) and `If-None-Match` -> 304) and
 * files/upload (at most 150 MiB, else `payload_too_large`; `content_hash` checked ->
 * `content_hash_mismatch`; WriteMode rules in operations.ts). A failed upload commit answers
 * `path` with an UploadWriteFailed whose `upload_session_id` holds the bytes for upload_session/finish.
 */
import { pipeline } from 'node:stream/promises';
import * as fs from 'node:fs/promises';
import { parseRange, writeRangeHead, type RequestContext, type Router } from '../shared/http';
import {
  bool,
  list,
  optional,
  string,
  struct,
  timestamp,
  union,
  withDefault,
  required,
  type UnionValue,
} from './args';
import { contentSize, openContent, PayloadTooLargeError, type Staged } from './content';
import type { ContentDeps } from './context';
import { RouteError, commonHeaders, tag } from './errors';
import { fileMetadata } from './metadata';
import { commitFile, resolveFile, writeTarget, type WriteMode } from './operations';
import { PATTERNS } from './paths';
import { registerRoute } from './rpc';
import type { FileEntry, FileVersion } from './store';

/** JSON safe for an HTTP header: every character >= U+007F as a \uXXXX escape (what Dropbox sends). */
export function headerSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

const writeMode = union({ add: null, overwrite: null, update: string({ min: 9, pattern: PATTERNS.rev }) });

export function toWriteMode(value: UnionValue): WriteMode {
  return value.tag === 'update'
    ? { tag: 'update', rev: value.value as string }
    : { tag: value.tag as 'add' | 'overwrite' };
}

const propertyGroup = struct({
  template_id: required(string({ min: 1, pattern: '(/|ptid:).*' })),
  fields: required(list(struct({ name: required(string()), value: required(string()) }))),
});

/** CommitInfo's fields (upload's UploadArg adds content_hash; upload_session/finish nests them). */
export const commitInfoFields = {
  path: required(string({ pattern: PATTERNS.writePathOrId })),
  mode: withDefault(writeMode, { tag: 'add' }),
  autorename: withDefault(bool, false),
  client_modified: optional(timestamp),
  mute: withDefault(bool, false),
  property_groups: optional(list(propertyGroup)),
  strict_conflict: withDefault(bool, false),
};

export const contentHashField = optional(string({ min: 64, max: 64 }));

/** Sends a file's bytes (or the part `Range` asks for) with its metadata in `Dropbox-API-Result`. */
export async function sendFile(
  ctx: RequestContext,
  file: FileEntry | FileVersion,
  result: unknown,
): Promise<void> {
  const size = contentSize(file.content);
  const etag = `"${file.rev}"`;
  const headers: Record<string, string | number> = {
    ...commonHeaders(),
    'Dropbox-API-Result': headerSafeJson(result),
    ETag: etag,
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'no-cache',
  };
  const ifNoneMatch = ctx.req.headers['if-none-match'];
  if (
    ifNoneMatch &&
    ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag || t.trim() === '*')
  ) {
    ctx.res.writeHead(304, headers);
    ctx.res.end();
    return;
  }
  const range = parseRange(ctx.req.headers.range, size);
  const bytes = writeRangeHead(ctx.res, range, size, 'application/octet-stream', headers);
  if (!bytes) return;
  await pipeline(openContent(file.content, bytes.start, bytes.end), ctx.res);
}

/** Stages an upload body, mapping the size limit and a broken connection. */
export async function stageUpload(ctx: RequestContext, deps: ContentDeps): Promise<Staged> {
  let staged: Staged;
  try {
    staged = await deps.blobs.stage(ctx.body, deps.payloadLimit);
  } catch (error) {
    if (error instanceof PayloadTooLargeError) throw new RouteError(tag('payload_too_large'));
    throw error;
  }
  if (!staged.complete || ctx.bodyCut) {
    await deps.blobs.discard(staged);
    throw new Error('the upload was cut');
  }
  return staged;
}

export function registerContentRoutes(router: Router, deps: ContentDeps): void {
  registerRoute(router, deps, {
    name: 'files/download',
    style: 'download',
    scope: 'files.content.read',
    arg: struct({
      path: required(string({ pattern: PATTERNS.readPath })),
      rev: optional(string({ min: 9, pattern: PATTERNS.rev })),
    }),
    handle: async ({ ctx, store, arg }) => {
      const { file } = resolveFile(store, arg.rev ? `rev:${arg.rev}` : arg.path, 'path');
      await sendFile(ctx, file, fileMetadata(store, file, { tagged: false }));
    },
  });

  registerRoute(router, deps, {
    name: 'files/upload',
    style: 'upload',
    scope: 'files.content.write',
    write: true,
    spaceError: true,
    arg: struct({ ...commitInfoFields, content_hash: contentHashField }),
    handle: async ({ ctx, store, arg, overQuota }) => {
      const staged = await stageUpload(ctx, deps);
      if (arg.content_hash !== undefined && arg.content_hash !== staged.contentHash) {
        await deps.blobs.discard(staged);
        throw new RouteError(tag('content_hash_mismatch'));
      }
      const blob = await deps.blobs.adopt(staged);
      try {
        const file = commitFile(
          store,
          {
            target: writeTarget(store, arg.path, 'path'),
            mode: toWriteMode(arg.mode),
            autorename: arg.autorename,
            strictConflict: arg.strict_conflict,
            clientModified: arg.client_modified,
            content: { kind: 'blob', blob },
            contentHash: blob.contentHash,
            overQuota,
          },
          'path',
        );
        if (file.content.kind !== 'blob' || file.content.blob !== blob)
          await fs.rm(blob.path, { force: true });
        return fileMetadata(store, file, { tagged: false });
      } catch (error) {
        if (!(error instanceof RouteError) || error.error['.tag'] !== 'path') throw error;
        const session = await deps.sessions.adopt(blob.path, blob.size, store.account.email);
        throw new RouteError({ '.tag': 'path', reason: error.error.path, upload_session_id: session.id });
      }
    },
  });
}
