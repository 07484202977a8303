/**
 * Uploads (https://www.dropbox.com/developers/documentation/http/documentation#files-upload):
 *
 * - a file that fits in one chunk (`chunkSize`, known size or not): one `files/upload` carrying the
 *   whole file's `content_hash`, which Dropbox checks before committing;
 * - anything else: an upload session. `upload_session/start` carries the first chunk,
 *   `append_v2` the next ones, `finish` the last one plus the commit (path, mode, client_modified).
 *   Each call sends the `content_hash` of its own bytes (Dropbox refuses corrupted chunks), and the
 *   committed file's `content_hash` is compared with the one computed over the whole source. Every
 *   byte is hashed once (upload-source.ts).
 *
 * Nothing is visible at the target before the commit (`files/upload` or `finish`), so a short or long
 * source leaves nothing behind.
 *
 * Commits are not safe to repeat blindly: when the answer of one is lost (unconfirmed.settle), the
 * target is checked first: a file there with the content_hash of what was sent is the upload, done.
 * So in `add` mode the target is looked at just before the commit (a taken name is a conflict, or
 * with `rename` numbered here, never by Dropbox's autorename: places.createAtFreeName), and a file
 * found there afterwards is the upload; in `overwrite` mode a file with the same bytes is the right
 * outcome whoever wrote it. Appends are safe to repeat: a repeated append at a stale offset answers
 * `incorrect_offset`, which tells where the session stands.
 *
 * A commit that stored other bytes than sent (the final check) is undone: a new file is deleted; a
 * replaced file gets its previous revision back (`files/restore`); when that fails, the error says
 * which revision holds the old content.
 *
 * Resuming: after every confirmed chunk the checkpoint holds `{sessionId, offset, size, prefixHash}`
 * (`prefixHash`: the content_hash of the bytes before `offset`). A later attempt (its source starting
 * at byte 0 again) first asks the session where it stands (an empty `append_v2` at the saved offset:
 * `incorrect_offset` tells the real one), then reads and hashes the bytes the session already holds,
 * without sending them: when they are not the ones the checkpoint recorded (the source changed), the
 * checkpoint is dropped and the attempt fails with transient (the next one starts over). Before
 * `finish` the checkpoint also records where the file goes and its whole content_hash
 * (`finishing`), so that an attempt that finds the session gone (its `finish` went through but the
 * answer was lost) looks at the target before starting over. A session Dropbox no longer has
 * (`not_found`, `closed`; sessions live 7 days) is otherwise forgotten and the upload starts over.
 * Memory is bounded by one chunk.
 */
import { DropboxResponseError, type Dropbox, type files } from 'dropbox';
import { SkyfoldError } from '../../../../common/errors';
import { StoredBytesMismatch } from '../stored-bytes';
import type { UploadCheckpoint } from '../types';
import { settle } from '../unconfirmed';
import type { DropboxApi } from './api';
import { correctOffset, errorTags } from './errors';
import { createAtFreeName, fileWithHash, metadataAt, trashById } from './places';
import { UploadSource } from './upload-source';
import { childPath, readFileMetadata } from './wire';

/** Where and how the file is committed. */
export interface UploadCommit {
  /** The folder's path (`""` for the root) and the file's name in it. */
  folder: string;
  name: string;
  /** `add` never overwrites; `overwrite` replaces a file. */
  mode: 'add' | 'overwrite';
  /** With `add`: on a taken name, write beside it as "name (2).ext" (numbered here, see places.ts). */
  rename: boolean;
  /** `client_modified`, whole seconds (see wire.clientModified). */
  clientModified?: string;
}

export interface UploadSettings {
  /** Expected length; a source that sends more or fewer bytes fails the upload. */
  size?: number;
  checkpoint?: UploadCheckpoint;
  /** Bytes per request (1 byte to 150 MiB; multiples of 4 MiB recommended): files up to it go in one files/upload. */
  chunkSize: number;
  /** Runs once before a new session starts (e.g. to refuse a taken name before sending gigabytes). */
  beforeSession?: () => Promise<void>;
}

/** The checkpoint's content (JSON). */
interface SessionState {
  sessionId: string;
  /** Bytes the session holds. */
  offset: number;
  /** The file's expected size, null when unknown: a checkpoint of another upload is never resumed. */
  size: number | null;
  /** The content_hash of the first `offset` bytes of the source. */
  prefixHash: string;
  /** Set before `finish`: the path it commits to and the whole file's content_hash. */
  finishing?: { path: string; contentHash: string };
}

/** What one session call achieved. */
type SessionAnswer =
  | { kind: 'accepted' }
  | { kind: 'committed'; metadata: files.FileMetadataReference }
  | { kind: 'offset'; correct: number }
  | { kind: 'gone' };

/** Where a resumed upload stands: a live session, or a file its lost `finish` already committed. */
type Resumed =
  | { kind: 'session'; state: SessionState; offset: number }
  | { kind: 'committed'; metadata: files.FileMetadataReference; contentHash: string };

/**
 * Uploads `source` to `commit.folder`/`commit.name` and returns the new file's metadata. The source
 * is closed (destroyed when unfinished) whatever happens. Throws conflict (name taken with mode `add`
 * and no rename, or a folder in the way), transient (the source failed, sent the wrong number of
 * bytes, changed since the checkpoint, or Dropbox stored different bytes), and mapped Dropbox errors.
 */
export async function uploadFile(
  api: DropboxApi,
  source: AsyncIterable<unknown>,
  commit: UploadCommit,
  settings: UploadSettings,
): Promise<files.FileMetadataReference> {
  const reader = new UploadSource(source, settings.size);
  try {
    const uploaded = await upload(api, reader, commit, settings);
    await verify(api, uploaded, reader.digest());
    return uploaded.metadata;
  } finally {
    await reader.close();
  }
}

/** A committed upload, and the file it replaced (overwrite mode), to put back if the bytes are wrong. */
interface Uploaded {
  metadata: files.FileMetadataReference;
  path: string;
  previous: files.FileMetadataReference | null;
}

/**
 * Checks the committed file's content_hash against the bytes read; on a difference the commit is
 * undone (new file deleted, replaced file restored) and transient thrown.
 */
async function verify(api: DropboxApi, uploaded: Uploaded, expected: string): Promise<void> {
  const { metadata, path, previous } = uploaded;
  if (metadata.content_hash === undefined || metadata.content_hash === expected) return;
  const wrong = `Dropbox stored different bytes at "${path}" (content_hash ${metadata.content_hash}, sent ${expected})`;
  if (previous === null) {
    await trashById(api, metadata.id, 'removing a corrupted upload').catch(() => undefined);
    throw new StoredBytesMismatch(`${wrong}; the new file was removed`);
  }
  try {
    await api.rpc(`restoring "${path}"`, (client) => client.filesRestore({ path, rev: previous.rev }));
  } catch (error) {
    throw new SkyfoldError(
      'transient',
      `${wrong}, replacing revision ${previous.rev}, and restoring that revision failed ` +
        `(${(error as Error).message}): "${path}" now holds the wrong bytes (revision ${metadata.rev}); ` +
        `its previous content is revision ${previous.rev}`,
      { cause: error },
    );
  }
  throw new StoredBytesMismatch(`${wrong}; its previous revision ${previous.rev} was restored`);
}

async function upload(
  api: DropboxApi,
  reader: UploadSource,
  commit: UploadCommit,
  settings: UploadSettings,
): Promise<Uploaded> {
  const { checkpoint, chunkSize } = settings;
  const resumed = await resume(api, checkpoint, settings.size);
  if (resumed?.kind === 'committed') {
    // The last attempt's finish went through: done, if the source still has the same bytes.
    await reader.skipToEnd();
    await checkpoint?.clear();
    if (reader.digest() !== resumed.contentHash) {
      throw new SkyfoldError(
        'transient',
        `the source changed since an interrupted upload committed "${resumed.metadata.path_display}"`,
      );
    }
    return { metadata: resumed.metadata, path: resumed.metadata.path_display ?? '', previous: null };
  }
  let saved: SessionState | null = resumed?.state ?? null;
  let offset = resumed?.offset ?? 0;
  if (saved) {
    await reader.skipTo(saved.offset);
    if (reader.prefixHash() !== saved.prefixHash) {
      await checkpoint?.clear();
      throw new SkyfoldError(
        'transient',
        'the source differs from the bytes the upload session holds; the next attempt starts over',
      );
    }
  }
  const save = async (next: SessionState) => {
    saved = next;
    await checkpoint?.save(JSON.stringify(next));
  };
  for (;;) {
    const chunk = await reader.take(offset, chunkSize);
    const last = reader.exhausted;
    if (!saved) {
      // Everything fits in one chunk: one request is enough, and there is nothing to resume.
      if (last) return uploadAtOnce(api, chunk, reader.digest(), commit);
      await settings.beforeSession?.();
      const contentHash = reader.chunkHash();
      // Safe to repeat: a session whose answer was lost is never used, and expires.
      const started = await api.rpc('starting an upload', (client) =>
        client.filesUploadSessionStart({ close: false, contents: chunk, content_hash: contentHash }),
      );
      if (typeof started?.session_id !== 'string') {
        throw new SkyfoldError('permanent', 'Dropbox started an upload session without an id');
      }
      offset = chunk.length;
      await save({
        sessionId: started.session_id,
        offset,
        size: settings.size ?? null,
        prefixHash: reader.prefixHash()!,
      });
      continue;
    }
    const state: SessionState = saved;
    let answer: SessionAnswer;
    let target: { path: string; previous: files.FileMetadataReference | null } | null = null;
    if (last) {
      const finished = await finish(api, reader, commit, state, offset, chunk, save);
      answer = finished.answer;
      offset = finished.offset;
      target = finished;
    } else {
      const contentHash = reader.chunkHash();
      answer = await sessionCall(api, 'uploading', (client) =>
        client.filesUploadSessionAppendV2({
          cursor: { session_id: state.sessionId, offset },
          close: false,
          contents: chunk,
          content_hash: contentHash,
        }),
      );
    }
    if (answer.kind === 'committed') {
      await checkpoint?.clear();
      return { metadata: answer.metadata, path: target!.path, previous: target!.previous };
    }
    if (answer.kind === 'gone') {
      await checkpoint?.clear();
      throw new SkyfoldError(
        'transient',
        'Dropbox no longer has the upload session; the upload must start again',
      );
    }
    if (answer.kind === 'accepted') {
      offset += chunk.length;
      const prefixHash = reader.prefixHash();
      if (prefixHash !== null) {
        await save({ sessionId: state.sessionId, offset, size: state.size, prefixHash });
      }
      continue;
    }
    // incorrect_offset: the session holds `correct` bytes (a lost answer, or a stale checkpoint).
    if (answer.correct === offset) {
      throw new SkyfoldError('permanent', `Dropbox refused offset ${offset} and named it as the right one`);
    }
    if (answer.correct < offset) {
      throw new SkyfoldError(
        'transient',
        `Dropbox holds ${answer.correct} bytes, fewer than the ${offset} sent; the upload must start again`,
      );
    }
    if (answer.correct < offset + chunk.length) reader.unread(chunk.subarray(answer.correct - offset));
    offset = answer.correct;
  }
}

/** One `files/upload` with the whole file (`contentHash`: its content_hash). */
async function uploadAtOnce(
  api: DropboxApi,
  bytes: Buffer,
  contentHash: string,
  commit: UploadCommit,
): Promise<Uploaded> {
  return atTarget(api, commit, async (path) => {
    const previous = await replaced(api, commit, path);
    const metadata = await settle(
      async () =>
        readFileMetadata(
          await api.rpc(
            `uploading "${path}"`,
            (client) =>
              client.filesUpload({ ...commitInfo(commit, path), contents: bytes, content_hash: contentHash }),
            { idempotent: false },
          ),
        ),
      () => fileWithHash(api, path, contentHash),
    );
    return { metadata, path, previous };
  });
}

/**
 * The `finish` of a session (the last chunk plus the commit), at a free name with `rename`. Records
 * the target in the checkpoint first. A lost answer is checked at the target; a session found gone
 * too (the commit went through, then the repeated finish found nothing to commit). A taken name
 * (rename) is tried again beside it with an empty body: Dropbox keeps the data of a failed commit.
 * Returns the answer and the offset the session holds.
 */
async function finish(
  api: DropboxApi,
  reader: UploadSource,
  commit: UploadCommit,
  state: SessionState,
  startOffset: number,
  lastChunk: Buffer,
  save: (state: SessionState) => Promise<void>,
): Promise<{
  answer: SessionAnswer;
  offset: number;
  path: string;
  previous: files.FileMetadataReference | null;
}> {
  const contentHash = reader.digest();
  let offset = startOffset;
  let chunk = lastChunk;
  let chunkHash = reader.chunkHash();
  return atTarget(api, commit, async (path) => {
    const previous = await replaced(api, commit, path);
    await save({ ...state, finishing: { path, contentHash } });
    const committedThere = async (): Promise<SessionAnswer | null> => {
      const metadata = await fileWithHash(api, path, contentHash);
      return metadata ? { kind: 'committed', metadata } : null;
    };
    let answer: SessionAnswer;
    try {
      answer = await settle(
        () =>
          sessionCall(
            api,
            `finishing the upload of "${path}"`,
            (client) =>
              client.filesUploadSessionFinish({
                cursor: { session_id: state.sessionId, offset },
                commit: commitInfo(commit, path),
                contents: chunk,
                content_hash: chunkHash,
              }),
            { idempotent: false },
          ),
        committedThere,
      );
    } catch (error) {
      if (error instanceof SkyfoldError && error.code === 'conflict') {
        offset += chunk.length;
        chunk = Buffer.alloc(0);
        chunkHash = emptyHash;
      }
      throw error;
    }
    if (answer.kind === 'gone') answer = (await committedThere()) ?? answer;
    return { answer, offset, path, previous };
  });
}

/**
 * Runs `create` with the path to commit to: the requested one (`overwrite`), or (`add`) one found
 * free just before (so that a file found there after a lost answer is the upload): the requested
 * one, else conflict, or with `rename` the first free numbered name (places.createAtFreeName).
 */
function atTarget<T>(
  api: DropboxApi,
  commit: UploadCommit,
  create: (path: string) => Promise<T>,
): Promise<T> {
  if (commit.mode === 'overwrite') return create(childPath(commit.folder, commit.name));
  return createAtFreeName(
    api,
    commit.folder,
    commit.name,
    { rename: commit.rename, isFolder: false },
    create,
  );
}

/** content_hash of no bytes. */
const emptyHash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** In overwrite mode, the file a commit to `path` replaces (to restore if the new bytes are wrong). */
async function replaced(
  api: DropboxApi,
  commit: UploadCommit,
  path: string,
): Promise<files.FileMetadataReference | null> {
  if (commit.mode !== 'overwrite') return null;
  const entry = await metadataAt(api, path);
  return entry?.['.tag'] === 'file' ? entry : null;
}

/**
 * Where the checkpoint's session stands, or null (no checkpoint, an unreadable one, one of an upload
 * of another size, a session that holds fewer bytes than recorded, or one Dropbox no longer has:
 * cleared). A session gone after a recorded `finish` whose file is at its target: `committed`.
 */
async function resume(
  api: DropboxApi,
  checkpoint: UploadCheckpoint | undefined,
  size: number | undefined,
): Promise<Resumed | null> {
  const saved = checkpoint ? await checkpoint.load() : null;
  if (!checkpoint || saved === null) return null;
  const state = parseState(saved);
  if (!state || state.size !== (size ?? null)) {
    await checkpoint.clear();
    return null;
  }
  const answer = await sessionCall(api, 'checking an upload', (client) =>
    client.filesUploadSessionAppendV2({
      cursor: { session_id: state.sessionId, offset: state.offset },
      close: false,
      contents: Buffer.alloc(0),
    }),
  );
  if (answer.kind === 'accepted') return { kind: 'session', state, offset: state.offset };
  if (answer.kind === 'offset' && answer.correct > state.offset) {
    return { kind: 'session', state, offset: answer.correct };
  }
  if (answer.kind === 'gone' && state.finishing) {
    const { path, contentHash } = state.finishing;
    const metadata = await fileWithHash(api, path, contentHash);
    if (metadata) return { kind: 'committed', metadata, contentHash };
  }
  await checkpoint.clear();
  return null;
}

const hexHash = /^[0-9a-f]{64}$/;

function parseState(saved: string): SessionState | null {
  try {
    const state = JSON.parse(saved) as Partial<SessionState>;
    const validSize = state.size === null || (Number.isSafeInteger(state.size) && state.size! >= 0);
    const finishing = state.finishing;
    const validFinishing =
      finishing === undefined ||
      (typeof finishing?.path === 'string' && hexHash.test(String(finishing?.contentHash)));
    if (
      typeof state.sessionId === 'string' &&
      Number.isSafeInteger(state.offset) &&
      state.offset! >= 0 &&
      validSize &&
      hexHash.test(String(state.prefixHash)) &&
      validFinishing
    ) {
      return {
        sessionId: state.sessionId,
        offset: state.offset!,
        size: state.size ?? null,
        prefixHash: state.prefixHash!,
        ...(finishing ? { finishing: { path: finishing.path, contentHash: finishing.contentHash } } : {}),
      };
    }
  } catch {
    // not JSON: another format, start over
  }
  return null;
}

/**
 * Runs an append or finish call; a session that is gone, or an offset Dropbox corrects, is an answer
 * rather than an error. Other errors are thrown mapped (by the api).
 */
function sessionCall(
  api: DropboxApi,
  what: string,
  request: (client: Dropbox) => Promise<{ result: unknown }>,
  options: { idempotent?: boolean } = {},
): Promise<SessionAnswer> {
  return api.call(
    what,
    async (client): Promise<SessionAnswer> => {
      try {
        const { result } = await request(client);
        return result === null || result === undefined || result === ''
          ? { kind: 'accepted' }
          : { kind: 'committed', metadata: readFileMetadata(result) };
      } catch (error) {
        if (!(error instanceof DropboxResponseError) || error.status !== 409) throw error;
        const correct = correctOffset(error.error);
        if (correct !== null) return { kind: 'offset', correct };
        const tags = errorTags(error.error);
        const lookup = tags[0] === 'lookup_failed' ? tags[1] : tags[0];
        if (lookup === 'not_found' || lookup === 'closed') return { kind: 'gone' };
        throw error;
      }
    },
    options,
  );
}

function commitInfo(commit: UploadCommit, path: string): files.CommitInfo {
  return {
    path,
    mode: { '.tag': commit.mode },
    autorename: false,
    // Without it, `add` quietly "succeeds" when a file with the same bytes is already there.
    strict_conflict: commit.mode === 'add',
    ...(commit.clientModified === undefined ? {} : { client_modified: commit.clientModified }),
  };
}
