/**
 * Upload sessions (driveItem: createUploadSession).
 *
 * Graph (bearer token):
 *   POST {parent}:/{name}:/createUploadSession, POST root:/a/b/name:/createUploadSession
 *   POST items/{file-id}/createUploadSession (replaces that file; a folder there: 400 "File name not
 *   provided in url", as Personal answered it)
 *     body (optional) `{item: {"@microsoft.graph.conflictBehavior", name, fileSize, fileSystemInfo,
 *     description}, deferCommit}`: conflictBehavior defaults to `fail` (Graph v1.0 docs); `fail` and a
 *     taken name -> 409 `nameAlreadyExists` at once (?) and again at the commit; `item.name` other than
 *     the URL's -> 400 "The name in the provided oneDrive.item does not match the name in the URL";
 *     `fileSize` over the free space -> 507; `If-Match` not matching or `If-None-Match` matching the
 *     item's eTag or cTag -> 412; missing folders of the path are
 *     created now (Personal did so before any byte came, microsoft-graph-docs#495). `deferCommit:
 *     true`: the last fragment answers 202 with `nextExpectedRanges: []` (?) and nothing is created
 *     until the explicit commit below.
 *     -> 200 `{"@odata.context", expirationDateTime, nextExpectedRanges: ["0-"], uploadUrl}`.
 *   PUT {parent}:/{name}: or {folder} with `{"@microsoft.graph.sourceUrl": uploadUrl, name?,
 *     "@microsoft.graph.conflictBehavior"?}` (docs: "Handle upload errors", and how Personal completes
 *     a deferred session): commits a session holding every byte (else 400 `uploadSessionIncomplete`)
 *     at that place; conflictBehavior default `fail` (?); `If-Match` -> 412 -> 201 / 200 with the
 *     driveItem. A folder addressed: the file goes in it under `name`.
 * The upload URL `{origin}/rup/{cid}/{id}` (no Authorization: sending one -> 401
 * `{"error":{"code":"unauthenticated","message":"Unauthenticated"}}`, "Including the Authorization
 * header when issuing the PUT call may result in a 401", Personal does, as rclone's logs show):
 *   PUT   `Content-Range: bytes a-b/total` + `Content-Length` (= b-a+1): fragments in order, each at most
 *         60 MiB (more: 413 (?); the docs say "less than 60 MiB", the official JS client's
 *         getValidRangeSize caps fragments at exactly 60 MiB), all but the last a multiple of 320 KiB (else 400 (?): the real
 *         service fails some commits later instead), the same total every time (else 400
 *         `fragmentLengthMismatch`). A fragment starting before the next expected byte: 416
 *         `invalidRange`/`fragmentOverlap`; after it: 416 `invalidRange`/`fragmentOutOfOrder` (?).
 *         -> 202 `{expirationDateTime, nextExpectedRanges: ["n-"]}`; the last fragment commits:
 *         201 (new) or 200 (replaced) with the driveItem; a conflict then (`fail`): 409
 *         `nameAlreadyExists` and the session stays (all bytes received, nextExpectedRanges []) until
 *         it expires. A fragment cut mid-way is dropped whole ("all bytes in that request are ignored").
 *   GET    -> 200 `{expirationDateTime, nextExpectedRanges}`
 *   DELETE -> 204 (the session is gone: 404 after)
 *   An unknown, cancelled, committed or expired session: 404 `itemNotFound`/`uploadSessionNotFound`.
 */
import { truncate } from 'node:fs/promises';
import { writeBodyToFile } from '../shared/body-file';
import { drainBody, sendEmpty, sendJson, type RequestContext, type Router } from '../shared/http';
import { baseItem, writeTarget, type WriteTarget } from './addressing';
import {
  checkIfMatch,
  checkIfNoneMatch,
  readJson,
  takeWrite,
  type DriveRequest,
  type GraphDeps,
} from './context';
import {
  GraphError,
  invalidRequest,
  itemNotFound,
  nameAlreadyExists,
  quotaLimitReached,
  sendGraphError,
  sendGraphJson,
} from './errors';
import { checkName, conflictBehavior, type ConflictBehavior } from './names';
import { driveItemJson } from './render';
import { applyPlan, checkTarget, ensureFolders, parseFileSystemInfo, planFile } from './routes-write';
import type { FolderItem } from './store';
import { FRAGMENT_MULTIPLE, MAX_FRAGMENT_BYTES, type UploadSession } from './upload-sessions';

const COMMIT_CONFLICT =
  'Another file exists with the same name as the uploaded session. You can redirect the upload session to use a new filename by calling PUT with the new metadata and @microsoft.graph.sourceUrl attribute.';

const sessionNotFound = () =>
  new GraphError(404, 'itemNotFound', 'The upload session was not found.', {}, 'uploadSessionNotFound');

function expiry(session: UploadSession): string {
  return new Date(session.expiresAt).toISOString();
}

function nextExpected(session: UploadSession): string[] {
  return session.total !== undefined && session.received >= session.total ? [] : [`${session.received}-`];
}

export async function createUploadSession(req: DriveRequest): Promise<void> {
  const { ctx, store, deps, view } = req;
  takeWrite(deps, store);
  const body = await readJson(ctx, true);
  const itemValue = body.item ?? {};
  if (typeof itemValue !== 'object' || itemValue === null || Array.isArray(itemValue))
    throw invalidRequest("Invalid value for 'item'.");
  const item = itemValue as Record<string, unknown>;
  const conflict = conflictBehavior(
    item['@microsoft.graph.conflictBehavior'] ?? item['@name.conflictBehavior'],
    'fail',
  );
  const deferCommit = body.deferCommit ?? false;
  if (typeof deferCommit !== 'boolean') throw invalidRequest("Invalid value for 'deferCommit'.");
  const fileSize = item.fileSize;
  if (
    fileSize !== undefined &&
    (typeof fileSize !== 'number' || !Number.isSafeInteger(fileSize) || fileSize < 0)
  )
    throw invalidRequest("Invalid value for 'fileSize'.");
  const info = parseFileSystemInfo(item.fileSystemInfo);
  const description = item.description;
  if (description !== undefined && typeof description !== 'string')
    throw invalidRequest("Invalid value for 'description'.");

  let target: WriteTarget;
  let fileId: string | undefined;
  if (req.address.path && req.address.path.length > 0) {
    target = writeTarget(store, req.address);
    if (item.name !== undefined && item.name !== target.name)
      throw invalidRequest('The name in the provided oneDrive.item does not match the name in the URL');
    checkTarget(store, target);
  } else {
    const file = baseItem(store, req.address);
    if (file.kind !== 'file') throw invalidRequest('File name not provided in url');
    target = { folder: file.parent as FolderItem, missing: [], name: file.name, existing: file };
    fileId = file.id;
  }
  checkIfMatch(ctx, target.existing);
  checkIfNoneMatch(ctx, target.existing);
  if (target.existing && !fileId) {
    if (conflict === 'fail' || (conflict === 'replace' && target.existing.kind !== 'file'))
      throw nameAlreadyExists();
  }
  const replacing =
    target.existing?.kind === 'file' && conflict === 'replace' ? target.existing.content.size : 0;
  if (fileSize !== undefined && fileSize - replacing > store.remainingBytes()) throw quotaLimitReached();
  const folder = ensureFolders(store, target);
  const session = await deps.sessions.create({
    email: store.account.email,
    driveId: store.account.driveId,
    parentId: folder.id,
    name: target.name,
    fileId,
    conflict,
    deferCommit,
    total: fileSize,
    fsCreated: info.created,
    fsModified: info.modified,
    description: description as string | undefined,
  });
  sendGraphJson(ctx, 200, {
    '@odata.context': `${view.origin}/v1.0/$metadata#microsoft.graph.uploadSession`,
    expirationDateTime: expiry(session),
    nextExpectedRanges: ['0-'],
    uploadUrl: `${view.origin}/rup/${store.account.driveId}/${session.id}`,
  });
}

/** `bytes a-b/total` -> numbers, or undefined. */
function parseContentRange(
  header: string | undefined,
): { start: number; end: number; total: number } | undefined {
  const match = header ? /^bytes (\d+)-(\d+)\/(\d+)$/.exec(header.trim()) : null;
  if (!match) return undefined;
  const [start, end, total] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (end < start || end >= total) return undefined;
  return { start, end, total };
}

export function registerUploadRoutes(router: Router, deps: GraphDeps): void {
  const path = '/rup/:cid/:session';
  const fail = (ctx: RequestContext, error: GraphError) => sendGraphError(ctx, error, deps.clock.now());

  /** The session of the URL; drains the body and answers the error when there is none. */
  const session = async (ctx: RequestContext): Promise<UploadSession | undefined> => {
    if (ctx.req.headers.authorization !== undefined) {
      await drainBody(ctx.body);
      // As captured (rclone: "unauthenticated: Unauthenticated"): no innerError (?).
      sendJson(ctx.res, 401, { error: { code: 'unauthenticated', message: 'Unauthenticated' } });
      return undefined;
    }
    const found = await deps.sessions.get(ctx.params.session as string);
    if (!found || found.driveId !== ctx.params.cid) {
      await drainBody(ctx.body);
      fail(ctx, sessionNotFound());
      return undefined;
    }
    return found;
  };

  router.on('GET', path, async (ctx) => {
    const found = await session(ctx);
    if (!found) return;
    sendJson(ctx.res, 200, { expirationDateTime: expiry(found), nextExpectedRanges: nextExpected(found) });
  });

  router.on('DELETE', path, async (ctx) => {
    const found = await session(ctx);
    if (!found) return;
    await deps.sessions.serialize(found, () => deps.sessions.remove(found));
    sendEmpty(ctx.res, 204);
  });

  router.on('PUT', path, async (ctx) => {
    const found = await session(ctx);
    if (!found) return;
    await deps.sessions.serialize(found, () => putFragment(ctx, deps, found));
  });
}

async function putFragment(ctx: RequestContext, deps: GraphDeps, session: UploadSession): Promise<void> {
  const refuse = async (error: GraphError) => {
    await drainBody(ctx.body);
    throw error;
  };
  if ((await deps.sessions.get(session.id)) !== session) return refuse(sessionNotFound());
  const range = parseContentRange(ctx.req.headers['content-range']);
  if (!range) return refuse(invalidRequest('The Content-Range header is missing or malformed.'));
  const length = range.end - range.start + 1;
  const declared = ctx.req.headers['content-length'];
  if (declared === undefined)
    return refuse(new GraphError(411, 'invalidRequest', 'Content-Length is required.'));
  if (Number(declared) !== length)
    return refuse(invalidRequest('The Content-Length does not match the Content-Range.'));
  if (length > MAX_FRAGMENT_BYTES)
    return refuse(
      new GraphError(413, 'invalidRequest', 'The fragment is too large.', {}, 'maxFragmentLengthExceeded'),
    );
  if (session.total !== undefined && range.total !== session.total)
    return refuse(
      invalidRequest(
        'Declared total size for this fragment is different from that of the upload session.',
        'fragmentLengthMismatch',
      ),
    );
  if (range.start < session.received)
    return refuse(
      new GraphError(
        416,
        'invalidRange',
        'Uploaded fragment overlaps with existing data.',
        {},
        'fragmentOverlap',
      ),
    );
  if (range.start > session.received)
    return refuse(
      new GraphError(416, 'invalidRange', 'Uploaded fragment is out of order.', {}, 'fragmentOutOfOrder'),
    );
  const last = range.end + 1 === range.total;
  if (!last && length % FRAGMENT_MULTIPLE !== 0)
    return refuse(
      invalidRequest('Fragments other than the last must be a multiple of 320 KiB (327,680 bytes).'),
    );
  const written = await writeBodyToFile(session.file, 'r+', ctx.body, range.start, length);
  if (!written.complete || ctx.bodyCut || written.tooLarge || written.size !== length) {
    await truncate(session.file, session.received);
    if (!written.complete || ctx.bodyCut) throw new Error('the fragment was cut');
    throw invalidRequest('The body does not match the Content-Range.');
  }
  session.total = range.total;
  session.received = range.end + 1;
  deps.sessions.renew(session);
  if (!last || session.deferCommit) {
    sendJson(ctx.res, 202, {
      expirationDateTime: expiry(session),
      nextExpectedRanges: nextExpected(session),
    });
    return;
  }
  const store = deps.storeByDrive(session.driveId);
  const folder = store?.get(session.parentId);
  if (!folder || folder.kind !== 'folder')
    throw itemNotFound('The folder the upload goes to no longer exists.');
  await commit(ctx, deps, session, folder, session.name, session.conflict, session.fileId);
}

/** Every byte is in: the file is created (or replaced) now; a conflict keeps the session. */
async function commit(
  ctx: RequestContext,
  deps: GraphDeps,
  session: UploadSession,
  folder: FolderItem,
  name: string,
  conflict: ConflictBehavior,
  fileId?: string,
): Promise<void> {
  const store = deps.storeByDrive(session.driveId);
  if (!store) throw sessionNotFound();
  const plan = planFile(store, folder, name, session.total ?? session.received, conflict, {
    fileId,
    conflictMessage: COMMIT_CONFLICT,
  });
  const blob = await deps.blobs.adopt(session.file);
  await deps.sessions.remove(session);
  const { item, created } = await applyPlan(store, deps, plan, blob, {
    fsCreated: session.fsCreated,
    fsModified: session.fsModified,
    description: session.description,
  });
  const json = driveItemJson(
    { origin: ctx.url.origin, links: deps.links, now: deps.clock.now() },
    store,
    item,
  );
  sendGraphJson(ctx, created ? 201 : 200, json, { ETag: json.eTag as string });
}

/** `PUT {item}` with `@microsoft.graph.sourceUrl`: commits an upload session explicitly. */
export async function commitUploadSession(req: DriveRequest): Promise<void> {
  const { ctx, store, deps } = req;
  takeWrite(deps, store);
  const body = await readJson(ctx);
  const source = body['@microsoft.graph.sourceUrl'];
  if (typeof source !== 'string')
    throw invalidRequest("PUT on an item needs '@microsoft.graph.sourceUrl' (an upload session to commit).");
  const match = /\/rup\/([^/]+)\/([^/?#]+)$/.exec(source);
  const session = match ? await deps.sessions.get(match[2] as string) : undefined;
  if (!match || !session || session.driveId !== store.account.driveId || match[1] !== session.driveId)
    throw sessionNotFound();
  const conflict = conflictBehavior(body['@microsoft.graph.conflictBehavior'], 'fail');
  const bodyName = body.name;
  if (bodyName !== undefined && typeof bodyName !== 'string')
    throw invalidRequest("Invalid value for 'name'.");
  await deps.sessions.serialize(session, async () => {
    if (session.total === undefined || session.received < session.total)
      throw invalidRequest('The upload session is not complete.', 'uploadSessionIncomplete');
    const addressed = store.walk(baseItem(store, req.address), req.address.path ?? []);
    let folder: FolderItem;
    let name: string;
    if (addressed?.kind === 'folder' && (bodyName !== undefined || !req.address.path?.length)) {
      folder = addressed;
      name = bodyName ?? session.name;
      checkName(name, `${store.pathOf(folder)}/${name}`);
      checkIfMatch(ctx, store.child(folder, name));
    } else {
      const target = writeTarget(store, req.address);
      if (bodyName !== undefined && bodyName !== target.name)
        throw invalidRequest('The name in the provided oneDrive.item does not match the name in the URL');
      checkTarget(store, target);
      checkIfMatch(ctx, target.existing);
      folder = ensureFolders(store, target);
      name = target.name;
    }
    await commit(ctx, deps, session, folder, name, conflict);
  });
}
