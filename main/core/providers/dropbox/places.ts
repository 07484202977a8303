/**
 * Looking at places before and after writes: what is at a path (or id), whether a file there holds
 * given bytes, and creating at a free name.
 *
 * A create whose answer was lost is checked at its target (unconfirmed.settle) instead of being
 * repeated into a second copy. For that check to mean anything, the target must be known and must
 * have been free just before: so creates look first (get_metadata), and never use Dropbox's
 * `autorename`: the provider numbers a taken name itself (`name (2).ext`...) at a name it found
 * free. Something there after a lost answer is then the create's doing (unless another client raced
 * for that very name).
 */
import type { files } from 'dropbox';
import { SkyfoldError } from '../../../../common/errors';
import * as freeNames from '../free-names';
import { settle } from '../unconfirmed';
import { expectObject, type DropboxApi } from './api';
import { childPath, readEntry, type DropboxEntry } from './wire';

/** The metadata at a path or id (never the root); throws not_found (deleted items included). */
export async function metadataOf(api: DropboxApi, path: string, what = path): Promise<DropboxEntry> {
  const result = await api.rpc(`item ${what}`, (client) =>
    client.filesGetMetadata({ path, include_deleted: false }),
  );
  return readEntry(result, what);
}

/** The metadata at a path or id, or null when nothing is there. */
export async function metadataAt(api: DropboxApi, path: string): Promise<DropboxEntry | null> {
  try {
    return await metadataOf(api, path);
  } catch (error) {
    if (error instanceof SkyfoldError && error.code === 'not_found') return null;
    throw error;
  }
}

/** The file at `path` when its content_hash is `contentHash`, else null. */
export async function fileWithHash(
  api: DropboxApi,
  path: string,
  contentHash: string,
): Promise<files.FileMetadataReference | null> {
  const entry = await metadataAt(api, path);
  return entry?.['.tag'] === 'file' && entry.content_hash === contentHash ? entry : null;
}

/**
 * Creates something named `name` in the folder at `folder` when that name is free (else throws
 * conflict), or with `rename` at the first free name of `name`, `name (2)`... (get_metadata on
 * each): `create(path)`, which throws conflict when the name was taken meanwhile; with `rename`, the
 * next free name is then looked up and tried, a few times at most (../free-names.ts).
 */
export function createAtFreeName<T>(
  api: DropboxApi,
  folder: string,
  name: string,
  options: freeNames.FreeNameOptions,
  create: (path: string) => Promise<T>,
): Promise<T> {
  return freeNames.createAtFreeName(name, options, {
    isFree: async (candidate) => (await metadataAt(api, childPath(folder, candidate))) === null,
    create: (candidate) => create(childPath(folder, candidate)),
    shown: childPath(folder, name),
  });
}

/**
 * `delete_v2` by id, checked when its answer is lost: an id Dropbox no longer finds was deleted.
 * Resolves with the item as it was before the deletion (Dropbox's answer), or null when the answer
 * was lost.
 */
export async function trashById(api: DropboxApi, id: string, what: string): Promise<DropboxEntry | null> {
  const outcome = await settle<{ deleted: DropboxEntry | null }>(
    async () => {
      const result = await api.rpc(what, (client) => client.filesDeleteV2({ path: id }), {
        idempotent: false,
      });
      return { deleted: readEntry(expectObject(result, 'a deletion').metadata, 'the deleted item') };
    },
    async () => ((await metadataAt(api, id)) === null ? { deleted: null } : null),
  );
  return outcome.deleted;
}
