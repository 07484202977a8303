/**
 * Looking at places before and after writes: what is at a path (or id), whether a file there holds
 * given bytes, and creating at a free name.
 *
 * A create whose answer was lost is checked at its target (api.settle) instead of being repeated
 * into a second copy. For that check to mean anything, the target must be known and must have been
 * free just before: so creates look first (get_metadata), and never use Dropbox's `autorename`: the
 * provider numbers a taken name itself (`name (2).ext`...) at a name it found free. Something there
 * after a lost answer is then the create's doing (unless another client raced for that very name).
 */
import type { files } from 'dropbox';
import { SkyfoldError } from '../../../../common/errors';
import { settle, type DropboxApi } from './api';
import { numberedName } from './names';
import { childPath, readEntry, type DropboxEntry } from './wire';

/** Numbered names tried before giving up with conflict. */
const maxNumberedNames = 10_000;
/** Conflicts tolerated at names found free (someone else took them meanwhile). */
const maxRaces = 5;

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

export interface FreeNameOptions {
  /** On a taken name, create beside it (`name (2).ext`...) instead of failing with conflict. */
  rename: boolean;
  isFolder: boolean;
}

/**
 * Creates something named `name` in the folder at `folder` when that name is free (else throws
 * conflict), or with `rename` at the first free name of `name`, `name (2)`... (get_metadata on
 * each): `create(path)`, which throws conflict when the name was taken meanwhile; with `rename`, the
 * next free name is then looked up and tried, a few times at most.
 */
export async function createAtFreeName<T>(
  api: DropboxApi,
  folder: string,
  name: string,
  options: FreeNameOptions,
  create: (path: string) => Promise<T>,
): Promise<T> {
  const pathOf = (n: number) => childPath(folder, n === 1 ? name : numberedName(name, n, options.isFolder));
  const firstFree = async (from: number) => {
    for (let n = from; n < from + maxNumberedNames; n++) {
      if ((await metadataAt(api, pathOf(n))) === null) return n;
    }
    throw new SkyfoldError('conflict', `no free name beside "${pathOf(1)}"`);
  };
  let n = 1;
  if (options.rename) n = await firstFree(1);
  else if ((await metadataAt(api, pathOf(1))) !== null) {
    throw new SkyfoldError('conflict', `"${pathOf(1)}" already exists`);
  }
  for (let races = 0; ; races++) {
    try {
      return await create(pathOf(n));
    } catch (error) {
      const taken = error instanceof SkyfoldError && error.code === 'conflict';
      if (!options.rename || !taken || races >= maxRaces) throw error;
    }
    n = await firstFree(n + 1);
  }
}

/** `delete_v2` by id, checked when its answer is lost: an id Dropbox no longer finds was deleted. */
export function trashById(api: DropboxApi, id: string, what: string): Promise<void> {
  return settle(
    async () => {
      await api.rpc(what, (client) => client.filesDeleteV2({ path: id }), { idempotent: false });
    },
    async () => ((await metadataAt(api, id)) === null ? undefined : null),
  );
}
