/**
 * Uploads (https://www.dropbox.com/developers/documentation/http/documentation#files-upload):
 *
 * - up to `singleUploadLimit` bytes (known size), or whatever ends within the first chunk: one
 *   `files/upload` carrying the whole file's `content_hash`, which Dropbox checks before committing;
 * - anything else: an upload session. `upload_session/start` carries the first chunk,
 *   `append_v2` the next ones, `finish` the last one plus the commit (path, mode, client_modified).
 *   Each call sends the `content_hash` of its own bytes (Dropbox refuses corrupted chunks), and the
 *   committed file's `content_hash` is compared with the one computed over the whole source.
 *
 * Nothing is visible at the target before `finish`, so a short or long source leaves nothing behind.
 *
 * Resuming: after every confirmed chunk the checkpoint holds `{sessionId, offset, size}`. A later
 * attempt (its source starting at byte 0 again) first asks the session where it stands (an empty
 * `append_v2` at the saved offset: `incorrect_offset` tells the real one), then reads, hashes and
 * skips the bytes the session already holds and goes on from there. A session Dropbox no longer has
 * (`not_found`, `closed`; sessions live 7 days) is forgotten and the upload starts over.
 * Memory is bounded by one chunk.
 */
import { DropboxResponseError, type Dropbox, type files } from 'dropbox';
import { SkyfoldError } from '../../../../common/errors';
import { DropboxContentHash } from '../hashes/dropbox-content-hash';
import type { UploadCheckpoint } from '../types';
import type { DropboxApi } from './api';
import { correctOffset, errorTags } from './errors';
import { UploadSource } from './upload-source';
import { readFileMetadata } from './wire';

/** Where and how the file is committed. */
export interface UploadCommit {
  path: string;
  /** `add` never overwrites (with `autorename`, a taken name becomes "name (2).ext"); `overwrite` replaces a file. */
  mode: 'add' | 'overwrite';
  autorename: boolean;
  /** `client_modified`, whole seconds (see wire.clientModified). */
  clientModified?: string;
}

export interface UploadSettings {
  /** Expected length; a source that sends more or fewer bytes fails the upload. */
  size?: number;
  checkpoint?: UploadCheckpoint;
  /** Bytes per session call (Dropbox: at most 150 MiB; multiples of 4 MiB in production). */
  chunkSize: number;
  /** Known sizes up to this go in one `files/upload` (at most 150 MiB). */
  singleUploadLimit: number;
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
}

/** What one session call achieved. */
type SessionAnswer =
  | { kind: 'accepted' }
  | { kind: 'committed'; metadata: files.FileMetadataReference }
  | { kind: 'offset'; correct: number }
  | { kind: 'gone' };

/**
 * Uploads `source` to `commit.path` and returns the new file's metadata. Throws conflict (name taken
 * with mode `add` and no autorename, or a folder in the way), transient (the source failed, sent the
 * wrong number of bytes, or Dropbox stored different bytes), and mapped Dropbox errors. NOT
 * idempotent with `autorename`.
 */
export async function uploadFile(
  api: DropboxApi,
  source: AsyncIterable<unknown>,
  commit: UploadCommit,
  settings: UploadSettings,
): Promise<files.FileMetadataReference> {
  const reader = new UploadSource(source, settings.size);
  let metadata: files.FileMetadataReference;
  if (settings.size !== undefined && settings.size <= settings.singleUploadLimit) {
    metadata = await uploadAtOnce(api, await reader.take(0, settings.size), commit);
  } else {
    metadata = await uploadThroughSession(api, reader, commit, settings);
  }
  const expected = reader.hash.digest();
  if (metadata.content_hash !== undefined && metadata.content_hash !== expected) {
    if (commit.mode === 'add') {
      await api
        .rpc('removing a corrupted upload', (client) => client.filesDeleteV2({ path: metadata.id }))
        .catch(() => undefined);
    }
    throw new SkyfoldError(
      'transient',
      `Dropbox stored different bytes (content_hash ${metadata.content_hash}, sent ${expected})`,
    );
  }
  return metadata;
}

/** One `files/upload` with the whole file. */
async function uploadAtOnce(
  api: DropboxApi,
  bytes: Buffer,
  commit: UploadCommit,
): Promise<files.FileMetadataReference> {
  const result = await api.rpc(`uploading "${commit.path}"`, (client) =>
    client.filesUpload({ ...commitInfo(commit), contents: bytes, content_hash: hashOf(bytes) }),
  );
  return readFileMetadata(result);
}

async function uploadThroughSession(
  api: DropboxApi,
  reader: UploadSource,
  commit: UploadCommit,
  settings: UploadSettings,
): Promise<files.FileMetadataReference> {
  const { checkpoint } = settings;
  const chunkSize = Math.max(1, Math.min(settings.chunkSize, 150 * 1024 * 1024));
  let state = await resumableState(api, checkpoint, settings.size);
  const save = async (next: SessionState) => {
    state = next;
    await checkpoint?.save(JSON.stringify(next));
  };
  for (;;) {
    const offset = state?.offset ?? 0;
    const chunk = await reader.take(offset, chunkSize);
    const last = reader.exhausted;
    if (!state) {
      // Everything fit in the first chunk: one request is enough, and there is nothing to resume.
      if (last) return uploadAtOnce(api, chunk, commit);
      await settings.beforeSession?.();
      const started = await api.rpc('starting an upload', (client) =>
        client.filesUploadSessionStart({ close: false, contents: chunk, content_hash: hashOf(chunk) }),
      );
      if (typeof started?.session_id !== 'string') {
        throw new SkyfoldError('permanent', 'Dropbox started an upload session without an id');
      }
      await save({ sessionId: started.session_id, offset: chunk.length, size: settings.size ?? null });
      continue;
    }
    const { sessionId } = state;
    const answer = last
      ? await sessionCall(api, 'finishing an upload', (client) =>
          client.filesUploadSessionFinish({
            cursor: { session_id: sessionId, offset },
            commit: commitInfo(commit),
            contents: chunk,
            content_hash: hashOf(chunk),
          }),
        )
      : await sessionCall(api, 'uploading', (client) =>
          client.filesUploadSessionAppendV2({
            cursor: { session_id: sessionId, offset },
            close: false,
            contents: chunk,
            content_hash: hashOf(chunk),
          }),
        );
    if (answer.kind === 'committed') {
      await checkpoint?.clear();
      return answer.metadata;
    }
    if (answer.kind === 'gone') {
      await checkpoint?.clear();
      throw new SkyfoldError(
        'transient',
        'Dropbox no longer has the upload session; the upload must start again',
      );
    }
    if (answer.kind === 'accepted') {
      await save({ ...state, offset: offset + chunk.length });
      continue;
    }
    // incorrect_offset: the session holds `correct` bytes (a lost answer, or a stale checkpoint).
    if (answer.correct === offset) {
      throw new SkyfoldError('permanent', `Dropbox refused offset ${offset} and named it as the right one`);
    }
    if (answer.correct < offset) {
      await save({ ...state, offset: answer.correct });
      throw new SkyfoldError(
        'transient',
        `Dropbox holds ${answer.correct} bytes, fewer than the ${offset} sent; the next attempt goes on from there`,
      );
    }
    if (answer.correct < offset + chunk.length) reader.unread(chunk.subarray(answer.correct - offset));
    await save({ ...state, offset: answer.correct });
  }
}

/**
 * The checkpoint's session and the offset Dropbox confirms for it, or null (no checkpoint, an
 * unreadable one, one of an upload of another size, or a session Dropbox no longer has: cleared).
 */
async function resumableState(
  api: DropboxApi,
  checkpoint: UploadCheckpoint | undefined,
  size: number | undefined,
): Promise<SessionState | null> {
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
  if (answer.kind === 'accepted') return state;
  if (answer.kind === 'offset') return { ...state, offset: answer.correct };
  await checkpoint.clear();
  return null;
}

function parseState(saved: string): SessionState | null {
  try {
    const state = JSON.parse(saved) as Partial<SessionState>;
    const validSize = state.size === null || (Number.isSafeInteger(state.size) && state.size! >= 0);
    if (typeof state.sessionId === 'string' && Number.isSafeInteger(state.offset) && validSize) {
      return { sessionId: state.sessionId, offset: state.offset!, size: state.size ?? null };
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
): Promise<SessionAnswer> {
  return api.call(what, async (client): Promise<SessionAnswer> => {
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
  });
}

function commitInfo(commit: UploadCommit): files.CommitInfo {
  return {
    path: commit.path,
    mode: { '.tag': commit.mode },
    autorename: commit.autorename,
    // Without it, `add` quietly "succeeds" when a file with the same bytes is already there.
    strict_conflict: commit.mode === 'add',
    ...(commit.clientModified === undefined ? {} : { client_modified: commit.clientModified }),
  };
}

function hashOf(bytes: Uint8Array): string {
  return new DropboxContentHash().update(bytes).digest();
}
