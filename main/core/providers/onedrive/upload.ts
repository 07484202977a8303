/**
 * Uploads (https://learn.microsoft.com/graph/api/driveitem-put-content,
 * https://learn.microsoft.com/graph/api/driveitem-createuploadsession):
 *
 * - a file up to `simpleUploadLimit` bytes (known size or not): one simple
 *   `PUT items/{parent}:/{name}:/content?@microsoft.graph.conflictBehavior=fail|replace`;
 * - anything larger: an upload session. `POST items/{parent}:/{name}:/createUploadSession` (with the
 *   conflict behaviour, the expected `fileSize` and the modification time) answers an absolute,
 *   pre-authenticated `uploadUrl`; the bytes go there in order, in fragments of `fragmentSize` (a
 *   multiple of 320 KiB, under 60 MiB) with `Content-Range: bytes a-b/total` and no Authorization.
 *   Each fragment answers 202 with `nextExpectedRanges` (how much the session holds), the last one
 *   200/201 with the driveItem. A session needs the total size up front: a source of unknown size
 *   larger than `simpleUploadLimit` is refused (invalid_argument).
 *
 * Every byte is hashed once (QuickXorHash, upload-source.ts) and the committed file's
 * `quickXorHash` (and size) must match; otherwise the commit is undone where that is safe (a new file
 * is deleted) and the write fails with transient (a replaced file keeps its previous content in its
 * version history, which the message says). Nothing is visible at the target before the simple PUT or
 * the last fragment, so a short or long source leaves nothing behind.
 *
 * Commits are not safe to repeat blindly: when the answer of a simple PUT or of the last fragment is
 * lost (unconfirmed.settle), the target is checked first: a file there with the size and QuickXorHash of
 * what was sent is the upload, done. So without `replace` the target is looked at before anything is
 * sent (a taken name is a conflict, or with `rename` numbered here: places.createAtFreeName) and the
 * create uses `fail` (a race is then a conflict too); with `replace` a file with the same bytes is the
 * right outcome whoever wrote it. Other fragments are safe to repeat: the session says where it stands
 * (`nextExpectedRanges`; a repeated fragment answers 416, after which the session is asked). Creating
 * a session is safe to repeat too: a session whose answer was lost holds nothing and expires unused.
 * A name taken by someone else before the last fragment: the session keeps its bytes, and with
 * `rename` they are committed explicitly beside it (`PUT {parent}:/{name}:` with
 * `@microsoft.graph.sourceUrl`), else the write fails with conflict and the session is cancelled.
 *
 * Resuming: after the session is created and after every confirmed fragment the checkpoint holds
 * `{uploadUrl, parentId, requested, name, size, offset, prefixHash}` (`prefixHash`: the QuickXorHash
 * of the bytes before `offset`). A later attempt (its source starting at byte 0 again) asks the
 * session where it stands (`GET uploadUrl`: `nextExpectedRanges`), reads and hashes the bytes before
 * the recorded offset without sending them and compares their hash (a changed source drops the
 * checkpoint and fails with transient: the next attempt starts over), skips to where the session
 * stands, and continues. Before the last fragment the checkpoint also records the whole file's hash
 * (`finishing`), so that an attempt that finds the session gone (its last fragment went through but
 * the answer was lost) looks at the target before starting over. A session OneDrive no longer has
 * (expired, holding fewer bytes than recorded, or every byte but no commit) is forgotten and the
 * upload starts over. The `uploadUrl` works without a token until the session expires (days): the
 * checkpoint is to be kept like a credential (the transfer journal), never logged.
 *
 * Memory is bounded by one fragment (or the simple upload's bytes).
 */
import { SkyfoldError } from '../../../../common/errors';
import { StoredBytesMismatch } from '../stored-bytes';
import type { ConflictPolicy, UploadCheckpoint } from '../types';
import { settle } from '../unconfirmed';
import { readJson, type OnedriveApi } from './api';
import { itemPath } from './links';
import { childNamed, createAtFreeName, sameId, trashById } from './places';
import { UploadSource } from './upload-source';
import { expectObject, graphTime, quickXorOf, readItem, type DriveItem } from './wire';

/** Fragments other than the last are multiples of this (320 KiB). */
export const fragmentGranularity = 320 * 1024;
/** OneDrive's limit on one fragment: less than 60 MiB. */
export const maxFragmentSize = Math.floor((60 * 1024 * 1024 - 1) / fragmentGranularity) * fragmentGranularity;

/** Where and how the file is committed. */
export interface UploadTarget {
  parentId: string;
  name: string;
  conflict: ConflictPolicy;
  /** `fileSystemInfo.lastModifiedDateTime` to set, epoch ms. */
  modifiedAt?: number;
}

export interface UploadSettings {
  /** Expected length; a source that sends more or fewer bytes fails the upload. */
  size?: number;
  checkpoint?: UploadCheckpoint;
  /** Bytes per fragment of a session (a multiple of 320 KiB). */
  fragmentSize: number;
  /** Files up to this size go in one simple PUT. */
  simpleUploadLimit: number;
}

/** What the session loop needs to know of the write's conflict policy. */
interface SessionSettings extends UploadSettings {
  /** The write's policy: `rename` commits beside a name taken during the upload instead of failing. */
  conflict: ConflictPolicy;
}

/** The checkpoint's content (JSON). */
interface SessionState {
  uploadUrl: string;
  parentId: string;
  /** The name the write asked for, and the one the session creates (numbered with `rename`). */
  requested: string;
  name: string;
  size: number;
  /** Bytes the session holds. */
  offset: number;
  /** The QuickXorHash of the first `offset` bytes of the source. */
  prefixHash: string;
  /** Set before the last fragment: the whole file's QuickXorHash. */
  finishing?: string;
}

/** What one fragment (or a status query) told. */
type SessionAnswer =
  | { kind: 'expects'; next: number }
  | { kind: 'committed'; item: DriveItem }
  | { kind: 'overlap' }
  | { kind: 'gone' };

/** A committed upload, and whether it may have replaced a file (whose content must not be deleted). */
interface Uploaded {
  item: DriveItem;
  name: string;
  replaced: boolean;
}

/**
 * Uploads `source` to `target` and returns the new file's driveItem. The source is closed (destroyed
 * when unfinished) whatever happens. Throws conflict (name taken and no `replace`/`rename`, or taken
 * during a session), invalid_argument (a large source of unknown size), transient (the source failed,
 * sent the wrong number of bytes, changed since the checkpoint, or OneDrive stored different bytes),
 * and mapped Graph errors.
 */
export async function uploadFile(
  api: OnedriveApi,
  source: AsyncIterable<unknown>,
  target: UploadTarget,
  settings: UploadSettings,
): Promise<DriveItem> {
  const reader = new UploadSource(source, settings.size);
  try {
    const uploaded = await upload(api, reader, target, settings);
    await verify(api, uploaded, reader.digest(), reader.position);
    if (target.modifiedAt !== undefined && !sameTime(uploaded.item, target.modifiedAt)) {
      return await setModifiedAt(api, uploaded.item.id, target.modifiedAt);
    }
    return uploaded.item;
  } finally {
    await reader.close();
  }
}

async function upload(
  api: OnedriveApi,
  reader: UploadSource,
  target: UploadTarget,
  settings: UploadSettings,
): Promise<Uploaded> {
  const { checkpoint, size } = settings;
  const resumed = await resume(api, checkpoint, target, size);
  if (resumed?.kind === 'committed') {
    // The last attempt's final fragment went through: done, if the source still has the same bytes.
    await reader.skipToEnd();
    await checkpoint?.clear();
    if (reader.digest() !== resumed.hash) {
      throw new SkyfoldError(
        'transient',
        `the source changed since an interrupted upload committed "${resumed.item.name}"`,
      );
    }
    return {
      item: resumed.item,
      name: resumed.item.name ?? target.name,
      replaced: target.conflict === 'replace',
    };
  }
  if (resumed?.kind === 'session') {
    const { state } = resumed;
    await reader.skipTo(state.offset);
    if (reader.prefixHash() !== state.prefixHash) {
      await checkpoint?.clear();
      throw new SkyfoldError(
        'transient',
        'the source differs from the bytes the upload session holds; the next attempt starts over',
      );
    }
    await reader.skipTo(resumed.offset);
    const item = await sendFragments(api, reader, state, resumed.offset, {
      ...settings,
      conflict: target.conflict,
    });
    return { item, name: state.name, replaced: target.conflict === 'replace' };
  }
  if (size === undefined || size <= settings.simpleUploadLimit) {
    const bytes = await reader.take(settings.simpleUploadLimit);
    if (reader.exhausted) return simpleUpload(api, bytes, reader.digest(), target);
    throw new SkyfoldError(
      'invalid_argument',
      `OneDrive needs the size of a file over ${settings.simpleUploadLimit} bytes before uploading it`,
    );
  }
  const replaced =
    target.conflict === 'replace' && (await childNamed(api, target.parentId, target.name)) !== null;
  const state = await openSession(api, target, size);
  await checkpoint?.save(JSON.stringify(state));
  try {
    const item = await sendFragments(api, reader, state, 0, {
      ...settings,
      conflict: target.conflict,
    });
    return { item, name: state.name, replaced };
  } catch (error) {
    // Without a checkpoint nobody can resume the session: cancel it (best effort; it expires anyway).
    if (!checkpoint) await cancelSession(api, state.uploadUrl);
    throw error;
  }
}

/** One simple PUT with the whole file (`hash`: its QuickXorHash), at a free name unless `replace`. */
async function simpleUpload(
  api: OnedriveApi,
  bytes: Buffer,
  hash: string,
  target: UploadTarget,
): Promise<Uploaded> {
  const behavior = target.conflict === 'replace' ? 'replace' : 'fail';
  const put = (name: string) =>
    settle(
      async () => {
        const body = await api.json(
          `uploading "${name}"`,
          {
            method: 'PUT',
            path: `${itemPath(target.parentId, { child: name, segment: '/content' })}?@microsoft.graph.conflictBehavior=${behavior}`,
            bytes,
          },
          { idempotent: false },
        );
        return readItem(body, `the uploaded "${name}"`);
      },
      () => fileWithHash(api, target.parentId, name, hash, bytes.length),
    );
  if (target.conflict === 'replace') {
    const replaced = (await childNamed(api, target.parentId, target.name)) !== null;
    return { item: await put(target.name), name: target.name, replaced };
  }
  const item = await createAtFreeName(
    api,
    target.parentId,
    target.name,
    { rename: target.conflict === 'rename', isFolder: false },
    put,
  );
  return { item, name: item.name ?? target.name, replaced: false };
}

/** Opens a session at the target's name (`replace`) or at a free one, and returns its state. */
async function openSession(api: OnedriveApi, target: UploadTarget, size: number): Promise<SessionState> {
  const create = async (name: string): Promise<SessionState> => {
    const item: Record<string, unknown> = {
      '@microsoft.graph.conflictBehavior': target.conflict === 'replace' ? 'replace' : 'fail',
      fileSize: size,
    };
    if (target.modifiedAt !== undefined) {
      item.fileSystemInfo = { lastModifiedDateTime: graphTime(target.modifiedAt) };
    }
    // Safe to repeat: a session whose answer was lost holds nothing, is never used, and expires.
    const body = expectObject(
      await api.json(`starting the upload of "${name}"`, {
        method: 'POST',
        path: itemPath(target.parentId, { child: name, segment: '/createUploadSession' }),
        json: { item },
      }),
      'a new upload session',
    );
    const uploadUrl = absoluteUrl(body.uploadUrl);
    if (uploadUrl === null) {
      throw new SkyfoldError('permanent', 'OneDrive opened an upload session without a valid uploadUrl');
    }
    return {
      uploadUrl,
      parentId: target.parentId,
      requested: target.name,
      name,
      size,
      offset: 0,
      prefixHash: emptyQuickXor,
    };
  };
  if (target.conflict === 'replace') return create(target.name);
  return createAtFreeName(
    api,
    target.parentId,
    target.name,
    { rename: target.conflict === 'rename', isFolder: false },
    create,
  );
}

/** The QuickXorHash of no bytes. */
const emptyQuickXor = 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=';

/** Fragments in a row that the session did not advance on before the upload gives up (transient). */
const maxStalls = 5;

/**
 * Sends the source's bytes from `offset` (the reader stands there) through the session, in order,
 * recording progress in the checkpoint; returns the committed driveItem.
 */
async function sendFragments(
  api: OnedriveApi,
  reader: UploadSource,
  state: SessionState,
  startOffset: number,
  settings: SessionSettings,
): Promise<DriveItem> {
  const { checkpoint, fragmentSize } = settings;
  const save = async (next: SessionState) => {
    Object.assign(state, next);
    await checkpoint?.save(JSON.stringify(state));
  };
  let offset = startOffset;
  /** Bytes from `offset` on, read but not yet confirmed by the session. */
  let fragment: Buffer = Buffer.alloc(0);
  let stalls = 0;
  for (;;) {
    if (fragment.length < fragmentSize && reader.position < state.size) {
      const more = await reader.take(fragmentSize - fragment.length);
      fragment = fragment.length === 0 ? more : Buffer.concat([fragment, more]);
    }
    const end = offset + fragment.length;
    const last = end === state.size;
    if (fragment.length === 0 || (!last && reader.exhausted)) {
      throw new SkyfoldError('transient', `the source ended at byte ${end} of ${state.size}`);
    }
    let answer: SessionAnswer;
    if (last) {
      if (state.finishing === undefined) await save({ ...state, finishing: reader.digest() });
      try {
        answer = await settle(
          () => putFragment(api, state, offset, fragment, false),
          async () => {
            const item = await committedAt(api, state);
            return item ? ({ kind: 'committed', item } as const) : null;
          },
        );
      } catch (error) {
        // Someone took the name while the bytes went up: the session keeps them; with `rename` they
        // are committed beside it, else the write fails with conflict.
        if (!(error instanceof SkyfoldError && error.code === 'conflict')) throw error;
        return await commitSession(api, state, save, checkpoint, settings.conflict);
      }
    } else {
      answer = await putFragment(api, state, offset, fragment, true);
    }
    if (answer.kind === 'overlap') answer = await sessionStatus(api, state);
    if (answer.kind === 'gone' && last) {
      const item = await committedAt(api, state);
      if (item) answer = { kind: 'committed', item };
    }
    if (answer.kind === 'committed') {
      await checkpoint?.clear();
      if (!last) {
        throw new SkyfoldError('permanent', `OneDrive committed "${state.name}" before its last byte`);
      }
      return answer.item;
    }
    if (answer.kind === 'gone') {
      await checkpoint?.clear();
      throw new SkyfoldError(
        'transient',
        'OneDrive no longer has the upload session (it expired); the upload must start again',
      );
    }
    if (answer.kind === 'overlap') {
      throw new SkyfoldError('permanent', `OneDrive refused the upload status query of "${state.name}"`);
    }
    const { next } = answer;
    // Every byte is in but nothing was committed (the commit met a taken name, or no room).
    if (last && next === state.size) return commitSession(api, state, save, checkpoint, settings.conflict);
    if (next < offset || next > end) {
      await checkpoint?.clear();
      throw new SkyfoldError(
        'transient',
        `OneDrive expects byte ${next} of an upload that sent bytes ${offset}-${end - 1}; it must start again`,
      );
    }
    stalls = next === offset ? stalls + 1 : 0;
    if (stalls >= maxStalls) {
      throw new SkyfoldError(
        'transient',
        `OneDrive kept refusing the bytes from ${offset} of "${state.name}"`,
      );
    }
    fragment = fragment.subarray(next - offset);
    offset = next;
    // The prefix hash is known only where the reader stands: a session that kept part of a fragment
    // is recorded once the rest is confirmed.
    if (next === reader.position && next > state.offset) {
      await save({ ...state, offset: next, prefixHash: reader.prefixHash() });
    }
  }
}

/**
 * Commits a session that holds every byte but did not commit them (the last fragment met a name
 * taken meanwhile): with `rename` under the first free name beside it, else under its own name if it
 * is free again (else conflict: the session is cancelled). This is the explicit commit,
 * `PUT {parent}:/{name}:` with `@microsoft.graph.sourceUrl` = the upload URL ("You can redirect the
 * upload session to use a new filename by calling PUT with the new metadata and
 * @microsoft.graph.sourceUrl attribute"), with `fail` at a name found free; its own errors (no room,
 * the folder gone) are thrown as they come. A lost answer is checked at that name (the session's
 * bytes there).
 */
async function commitSession(
  api: OnedriveApi,
  state: SessionState,
  save: (next: SessionState) => Promise<void>,
  checkpoint: UploadCheckpoint | undefined,
  conflict: ConflictPolicy,
): Promise<DriveItem> {
  if (state.finishing === undefined) {
    throw new SkyfoldError('permanent', `the upload of "${state.name}" ended without its hash`);
  }
  const commit = async (name: string) => {
    await save({ ...state, name });
    return settle(
      async () =>
        readItem(
          await api.json(
            `committing the upload of "${name}"`,
            {
              method: 'PUT',
              path: itemPath(state.parentId, { child: name }),
              json: {
                '@microsoft.graph.sourceUrl': state.uploadUrl,
                '@microsoft.graph.conflictBehavior': conflict === 'replace' ? 'replace' : 'fail',
              },
            },
            { idempotent: false },
          ),
          `the uploaded "${name}"`,
        ),
      () => committedAt(api, state),
    );
  };
  let item: DriveItem;
  try {
    item =
      conflict === 'replace'
        ? await commit(state.name)
        : await createAtFreeName(
            api,
            state.parentId,
            state.requested,
            { rename: conflict === 'rename', isFolder: false },
            commit,
          );
  } catch (error) {
    if (error instanceof SkyfoldError && error.code === 'conflict') {
      await checkpoint?.clear();
      await cancelSession(api, state.uploadUrl);
    }
    throw error;
  }
  await checkpoint?.clear();
  return item;
}

/** One fragment `bytes` at `offset` of the session. */
function putFragment(
  api: OnedriveApi,
  state: SessionState,
  offset: number,
  bytes: Buffer,
  idempotent: boolean,
): Promise<SessionAnswer> {
  const range = `bytes ${offset}-${offset + bytes.length - 1}/${state.size}`;
  return api.preauthenticated(
    `uploading "${state.name}"`,
    state.uploadUrl,
    { method: 'PUT', headers: { 'Content-Range': range }, body: bytes },
    (response) => sessionAnswer(response, state.size, `uploading "${state.name}"`),
    { idempotent, accept: (status) => status === 404 || status === 416 },
  );
}

/** Where the session stands (`GET uploadUrl`). */
function sessionStatus(api: OnedriveApi, state: SessionState): Promise<SessionAnswer> {
  return api.preauthenticated(
    `checking the upload of "${state.name}"`,
    state.uploadUrl,
    { method: 'GET' },
    (response) => sessionAnswer(response, state.size, `checking the upload of "${state.name}"`),
    { accept: (status) => status === 404 },
  );
}

/** Cancels a session (`DELETE uploadUrl`), best effort: it expires anyway. */
async function cancelSession(api: OnedriveApi, uploadUrl: string): Promise<void> {
  await api
    .preauthenticated('cancelling an upload', uploadUrl, { method: 'DELETE' }, async (response) => {
      await response.body?.cancel();
    })
    .catch(() => undefined);
}

async function sessionAnswer(response: Response, size: number, what: string): Promise<SessionAnswer> {
  if (response.status === 404 || response.status === 416) {
    await response.body?.cancel();
    return { kind: response.status === 404 ? 'gone' : 'overlap' };
  }
  const body = await readJson(response, what);
  if (response.status === 200 || response.status === 201) {
    const record = expectObject(body, what);
    // A status query answers 200 with the session itself; a commit answers with the driveItem.
    if (Array.isArray(record.nextExpectedRanges) && record.id === undefined) {
      return { kind: 'expects', next: nextExpected(record.nextExpectedRanges, size, what) };
    }
    return { kind: 'committed', item: readItem(body, what) };
  }
  return { kind: 'expects', next: nextExpected(expectObject(body, what).nextExpectedRanges, size, what) };
}

/**
 * The first byte the session lacks, from `nextExpectedRanges` (`["26-"]`, `["26-99", "120-"]`); `size`
 * when it lacks none (`[]`: every byte arrived, but the commit did not happen, e.g. a name conflict).
 */
export function nextExpected(ranges: unknown, size: number, what: string): number {
  if (Array.isArray(ranges) && ranges.length === 0) return size;
  const starts = Array.isArray(ranges)
    ? ranges.map((range) => (typeof range === 'string' ? /^(\d+)(?:-\d*)?$/.exec(range.trim()) : null))
    : null;
  if (!starts || starts.length === 0 || starts.some((match) => match === null)) {
    throw new SkyfoldError('permanent', `OneDrive sent malformed nextExpectedRanges for ${what}`);
  }
  return Math.min(...starts.map((match) => Number(match![1])));
}

/** The file at the session's target when it holds the session's bytes (`finishing`), else null. */
async function committedAt(api: OnedriveApi, state: SessionState): Promise<DriveItem | null> {
  if (state.finishing === undefined) return null;
  return fileWithHash(api, state.parentId, state.name, state.finishing, state.size);
}

/** The file named `name` in `parentId` when it has `size` bytes with QuickXorHash `hash`, else null. */
async function fileWithHash(
  api: OnedriveApi,
  parentId: string,
  name: string,
  hash: string,
  size: number,
): Promise<DriveItem | null> {
  const there = await childNamed(api, parentId, name);
  return there?.file && quickXorOf(there) === hash && there.size === size ? there : null;
}

/**
 * Where the checkpoint's session stands, or null (no checkpoint, an unreadable one, one of another
 * write, a session that holds fewer bytes than recorded, or one OneDrive no longer has: cleared). A
 * session gone after a recorded last fragment whose file is at its target: `committed`.
 */
async function resume(
  api: OnedriveApi,
  checkpoint: UploadCheckpoint | undefined,
  target: UploadTarget,
  size: number | undefined,
): Promise<
  | { kind: 'session'; state: SessionState; offset: number }
  | { kind: 'committed'; item: DriveItem; hash: string }
  | null
> {
  const saved = checkpoint ? await checkpoint.load() : null;
  if (!checkpoint || saved === null) return null;
  const state = parseState(saved);
  if (
    !state ||
    state.size !== size ||
    !sameId(state.parentId, target.parentId) ||
    state.requested !== target.name
  ) {
    await checkpoint.clear();
    return null;
  }
  const status = await sessionStatus(api, state);
  if (status.kind === 'gone' || status.kind === 'committed') {
    const item = status.kind === 'committed' ? status.item : await committedAt(api, state);
    if (item && state.finishing !== undefined) return { kind: 'committed', item, hash: state.finishing };
  } else if (status.kind === 'expects' && status.next >= state.offset && status.next < state.size) {
    // (A session holding every byte without having committed them met a name conflict: start over.)
    return { kind: 'session', state, offset: status.next };
  }
  await checkpoint.clear();
  if (status.kind === 'expects') await cancelSession(api, state.uploadUrl);
  return null;
}

const quickXorPattern = /^[A-Za-z0-9+/]{27}=$/;

function parseState(saved: string): SessionState | null {
  try {
    const state = JSON.parse(saved) as Partial<SessionState>;
    const whole = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;
    if (
      absoluteUrl(state.uploadUrl) !== null &&
      typeof state.parentId === 'string' &&
      typeof state.requested === 'string' &&
      typeof state.name === 'string' &&
      whole(state.size) &&
      whole(state.offset) &&
      state.offset! <= state.size! &&
      quickXorPattern.test(String(state.prefixHash)) &&
      (state.finishing === undefined || quickXorPattern.test(String(state.finishing)))
    ) {
      return {
        uploadUrl: state.uploadUrl!,
        parentId: state.parentId,
        requested: state.requested,
        name: state.name,
        size: state.size!,
        offset: state.offset!,
        prefixHash: state.prefixHash!,
        ...(state.finishing === undefined ? {} : { finishing: state.finishing }),
      };
    }
  } catch {
    // not JSON: another format, start over
  }
  return null;
}

/** `value` when it is an absolute http(s) URL, else null. */
function absoluteUrl(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * Checks the committed file's QuickXorHash and size against the bytes read; on a difference a new
 * file is deleted and transient thrown.
 */
async function verify(api: OnedriveApi, uploaded: Uploaded, expected: string, size: number): Promise<void> {
  const { item, name, replaced } = uploaded;
  const hash = quickXorOf(item);
  if ((hash === undefined || hash === expected) && item.size === size) return;
  const wrong =
    `OneDrive stored different bytes at "${name}" (${item.size} bytes, QuickXorHash ${hash ?? 'none'}; ` +
    `sent ${size} bytes, ${expected})`;
  if (!replaced) {
    await trashById(api, item.id, 'removing a corrupted upload').catch(() => undefined);
    throw new StoredBytesMismatch(`${wrong}; the new file was removed`);
  }
  throw new StoredBytesMismatch(`${wrong}, replacing a file: its previous content is in its version history`);
}

function sameTime(item: DriveItem, epochMs: number): boolean {
  const text = item.fileSystemInfo?.lastModifiedDateTime;
  return typeof text === 'string' && Date.parse(text) === Math.floor(epochMs / 1000) * 1000;
}

/** Sets a file's `fileSystemInfo.lastModifiedDateTime` (safe to repeat); returns the updated item. */
async function setModifiedAt(api: OnedriveApi, id: string, epochMs: number): Promise<DriveItem> {
  const body = await api.json('setting the modification time', {
    method: 'PATCH',
    path: itemPath(id),
    json: { fileSystemInfo: { lastModifiedDateTime: graphTime(epochMs) } },
  });
  return readItem(body, 'the uploaded file');
}
