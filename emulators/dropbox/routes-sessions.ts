/**
 * Upload sessions on the content host (files.stone): upload_session/start, upload_session/append_v2
 * and upload_session/finish. Every call may carry at most 150 MiB (`payload_too_large`) and a
 * `content_hash` of the bytes it carries (`content_hash_mismatch`; the bytes are then dropped).
 * - sequential: data must come at the offset received so far, else `incorrect_offset` with
 *   `correct_offset` (the way to resume after a lost answer); after `close`, more data is `closed`;
 * - concurrent: pieces at 4 MiB-aligned offsets, in any order (after the closing piece too, below
 *   its end) (`concurrent_session_invalid_offset`), sizes a multiple of 4 MiB except the closing
 *   piece (`concurrent_session_invalid_data_size`), no data in start or finish
 *   (`concurrent_session_data_not_allowed`), start cannot close (`concurrent_session_close_not_allowed`),
 *   finish needs the close (`concurrent_session_not_closed`) and every byte
 *   (`concurrent_session_missing_data`);
 * - finish takes the offset of the session's end (a concurrent session's total too), else
 *   `incorrect_offset`; it commits with CommitInfo's rules; a failed commit (`path/...`) keeps the
 *   session and its data, so the client can retry finish with an empty body at the new offset. A
 *   committed session answers `closed` to append and `lookup_failed/closed` to finish (?: stone's
 *   `closed` is a session "already closed (i.e. committed)"). Unknown or expired (7 days) sessions:
 *   `not_found`.
 */
import * as fs from 'node:fs/promises';
import type { RequestContext, Router } from '../shared/http';
import { bool, optional, required, string, struct, uint, voidUnion, withDefault } from './args';
import type { ContentDeps } from './context';
import { RouteError, nested, tag } from './errors';
import { fileMetadata } from './metadata';
import { commitFile, writeTarget } from './operations';
import { commitInfoFields, contentHashField, toWriteMode } from './routes-content';
import { registerRoute } from './rpc';
import {
  CONCURRENT_ALIGNMENT,
  MAX_SESSION_BYTES,
  piecesComplete,
  truncatePart,
  writeBody,
  type UploadSession,
  type Written,
} from './upload-sessions';

const WRITE = 'files.content.write';

const cursorArg = struct({ session_id: required(string()), offset: required(uint()) });

/** Checks a write's outcome (complete, within the size limit, matching its hash); `undo` removes its bytes. */
async function accept(
  ctx: RequestContext,
  written: Written,
  expectedHash: string | undefined,
  undo: () => Promise<void>,
): Promise<void> {
  // A connection reset mid-body (or a `reset=BYTES` fault) fails the request: its bytes are not kept.
  if (!written.complete || ctx.bodyCut) {
    await undo();
    throw new Error('the upload was cut');
  }
  if (written.tooLarge) {
    await undo();
    throw new RouteError(tag('payload_too_large'));
  }
  if (expectedHash !== undefined && expectedHash !== written.contentHash) {
    await undo();
    throw new RouteError(tag('content_hash_mismatch'));
  }
}

export function registerSessionRoutes(router: Router, deps: ContentDeps): void {
  const lookup = async (id: string, email: string, wrap: (e: RouteError) => RouteError) => {
    const session = await deps.sessions.get(id, email);
    if (!session) throw wrap(new RouteError(tag('not_found')));
    return session;
  };

  registerRoute(router, deps, {
    name: 'files/upload_session/start',
    style: 'upload',
    scope: WRITE,
    arg: struct({
      close: withDefault(bool, false),
      session_type: optional(voidUnion(['sequential', 'concurrent'] as const)),
      content_hash: contentHashField,
    }),
    handle: async ({ ctx, store, arg }) => {
      const type = arg.session_type ?? 'sequential';
      if (type === 'concurrent' && arg.close)
        throw new RouteError(tag('concurrent_session_close_not_allowed'));
      const session = await deps.sessions.create(store.account.email, type);
      const written = await writeBody(session, ctx.body, 0, deps.payloadLimit);
      await accept(ctx, written, arg.content_hash, () => deps.sessions.remove(session));
      if (type === 'concurrent' && written.length > 0) {
        await deps.sessions.remove(session);
        throw new RouteError(tag('concurrent_session_data_not_allowed'));
      }
      session.received = written.length;
      session.closed = arg.close;
      return { session_id: session.id };
    },
  });

  registerRoute(router, deps, {
    name: 'files/upload_session/append_v2',
    style: 'upload',
    scope: WRITE,
    arg: struct({
      cursor: required(cursorArg),
      close: withDefault(bool, false),
      content_hash: contentHashField,
    }),
    handle: async ({ ctx, store, arg }) => {
      const session = await lookup(arg.cursor.session_id, store.account.email, (e) => e);
      await deps.sessions.serialize(session, async () => {
        if (session.committed) throw new RouteError(tag('closed'));
        if (session.type === 'concurrent') return appendPiece(session, arg.cursor.offset, arg.close);
        if (session.closed) throw new RouteError(tag('closed'));
        if (arg.cursor.offset !== session.received)
          throw new RouteError(tag('incorrect_offset', { correct_offset: session.received }));
        const written = await writeBody(session, ctx.body, session.received, deps.payloadLimit);
        await accept(ctx, written, arg.content_hash, () => truncatePart(session, session.received));
        if (session.received + written.length > MAX_SESSION_BYTES) {
          await truncatePart(session, session.received);
          throw new RouteError(tag('too_large'));
        }
        session.received += written.length;
        session.closed = arg.close;
        return undefined;
      });
      return null;

      async function appendPiece(session: UploadSession, offset: number, close: boolean): Promise<void> {
        // Pieces may land after the closing one (requests run concurrently), but not past the end.
        if (session.total !== undefined && (close || offset >= session.total))
          throw new RouteError(tag('closed'));
        if (offset % CONCURRENT_ALIGNMENT !== 0)
          throw new RouteError(tag('concurrent_session_invalid_offset'));
        const written = await writeBody(session, ctx.body, offset, deps.payloadLimit);
        await accept(ctx, written, arg.content_hash, async () => undefined);
        if (!close && written.length % CONCURRENT_ALIGNMENT !== 0)
          throw new RouteError(tag('concurrent_session_invalid_data_size'));
        session.pieces.set(offset, written.length);
        session.received = Math.max(session.received, offset + written.length);
        if (close) {
          session.total = offset + written.length;
          session.closed = true;
        }
      }
    },
  });

  registerRoute(router, deps, {
    name: 'files/upload_session/finish',
    style: 'upload',
    scope: WRITE,
    write: true,
    spaceError: true,
    arg: struct({
      cursor: required(cursorArg),
      commit: required(struct(commitInfoFields)),
      content_hash: contentHashField,
    }),
    handle: async ({ ctx, store, arg, overQuota }) => {
      const lookupFailed = (e: RouteError) => new RouteError(nested('lookup_failed', e.error));
      const session = await lookup(arg.cursor.session_id, store.account.email, lookupFailed);
      return deps.sessions.serialize(session, async () => {
        if (session.committed) throw lookupFailed(new RouteError(tag('closed')));
        if (session.type === 'concurrent') {
          const written = await writeBody(session, ctx.body, session.received, deps.payloadLimit);
          if (written.length > 0) throw new RouteError(tag('concurrent_session_data_not_allowed'));
          if (!session.closed) throw new RouteError(tag('concurrent_session_not_closed'));
          if (!piecesComplete(session)) throw new RouteError(tag('concurrent_session_missing_data'));
          if (arg.cursor.offset !== session.total)
            throw lookupFailed(new RouteError(tag('incorrect_offset', { correct_offset: session.total })));
          await truncatePart(session, session.total as number);
        } else {
          if (arg.cursor.offset !== session.received)
            throw lookupFailed(new RouteError(tag('incorrect_offset', { correct_offset: session.received })));
          const written = await writeBody(session, ctx.body, session.received, deps.payloadLimit);
          await accept(ctx, written, arg.content_hash, () => truncatePart(session, session.received));
          if (written.length > 0 && session.closed) {
            await truncatePart(session, session.received);
            throw lookupFailed(new RouteError(tag('closed')));
          }
          session.received += written.length;
        }
        const blob = await deps.blobs.fromFile(session.file);
        try {
          const file = commitFile(
            store,
            {
              target: writeTarget(store, arg.commit.path, 'path'),
              mode: toWriteMode(arg.commit.mode),
              autorename: arg.commit.autorename,
              strictConflict: arg.commit.strict_conflict,
              clientModified: arg.commit.client_modified,
              content: { kind: 'blob', blob },
              contentHash: blob.contentHash,
              overQuota,
            },
            'path',
          );
          session.committed = true;
          if (file.content.kind !== 'blob' || file.content.blob !== blob)
            await fs.rm(blob.path, { force: true });
          return fileMetadata(store, file, { tagged: false });
        } catch (error) {
          await fs.rename(blob.path, session.file);
          throw error;
        }
      });
    },
  });
}
