/**
 * Looking at places before and after writes: an item by id, the child of a folder by name, and
 * creating at a free name.
 *
 * A create whose answer was lost is checked at its target (api.settle) instead of being repeated
 * into a second copy. For that check to mean anything, the target must be known and must have been
 * free just before: so creates look first (GET `items/{parent}:/{name}:`), and never use OneDrive's
 * `rename` conflict behaviour (which picks `name 1.ext` itself): the provider numbers a taken name
 * itself (`name (2).ext`...) at a name it found free, and creates with `fail`. Something there after a
 * lost answer is then the create's doing (unless another client raced for that very name).
 */
import { SkyfoldError } from '../../../../common/errors';
import { settle, type OnedriveApi } from './api';
import { itemPath } from './links';
import { numberedName } from './names';
import { itemFields, readItem, type DriveItem } from './wire';

/** Numbered names tried before giving up with conflict. */
const maxNumberedNames = 10_000;
/** Conflicts tolerated at names found free (someone else took them meanwhile). */
const maxRaces = 5;

/** The item `id` (root included). Throws not_found (deleted items included). Safe to repeat. */
export async function itemById(api: OnedriveApi, id: string, what = id): Promise<DriveItem> {
  const body = await api.json(`item ${what}`, {
    method: 'GET',
    path: `${itemPath(id)}?$select=${itemFields}`,
  });
  return readItem(body, what);
}

/** The item `id`, or null when OneDrive no longer has it. */
export async function itemOrNull(api: OnedriveApi, id: string): Promise<DriveItem | null> {
  return orNull(itemById(api, id));
}

/** The child named `name` (case-insensitively, as OneDrive compares) of the folder `parentId`, or null. */
export async function childNamed(
  api: OnedriveApi,
  parentId: string,
  name: string,
): Promise<DriveItem | null> {
  return orNull(
    api
      .json(`looking for "${name}"`, {
        method: 'GET',
        path: `${itemPath(parentId, { child: name })}?$select=${itemFields}`,
      })
      .then((body) => readItem(body, `"${name}"`)),
  );
}

async function orNull<T>(promise: Promise<T>): Promise<T | null> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof SkyfoldError && error.code === 'not_found') return null;
    throw error;
  }
}

export interface FreeNameOptions {
  /** On a taken name, create beside it (`name (2).ext`...) instead of failing with conflict. */
  rename: boolean;
  isFolder: boolean;
  /** An item that may hold the name without being in the way (a rename of that very item). */
  self?: string;
}

/**
 * Creates something named `name` in the folder `parentId` when that name is free (else throws
 * conflict), or with `rename` at the first free name of `name`, `name (2)`... (one lookup each):
 * `create(name)`, which throws conflict when the name was taken meanwhile; with `rename`, the next
 * free name is then looked up and tried, a few times at most.
 */
export async function createAtFreeName<T>(
  api: OnedriveApi,
  parentId: string,
  name: string,
  options: FreeNameOptions,
  create: (name: string) => Promise<T>,
): Promise<T> {
  const nameOf = (n: number) => (n === 1 ? name : numberedName(name, n, options.isFolder));
  const isFree = async (candidate: string) => {
    const there = await childNamed(api, parentId, candidate);
    return there === null || (options.self !== undefined && sameId(there.id, options.self));
  };
  const firstFree = async (from: number) => {
    for (let n = from; n < from + maxNumberedNames; n++) if (await isFree(nameOf(n))) return n;
    throw new SkyfoldError('conflict', `no free name beside "${name}"`);
  };
  let n = 1;
  if (options.rename) n = await firstFree(1);
  else if (!(await isFree(name))) throw new SkyfoldError('conflict', `"${name}" already exists`);
  for (let races = 0; ; races++) {
    try {
      return await create(nameOf(n));
    } catch (error) {
      const taken = error instanceof SkyfoldError && error.code === 'conflict';
      if (!options.rename || !taken || races >= maxRaces) throw error;
    }
    n = await firstFree(n + 1);
  }
}

/** Graph ids compare case-insensitively (OneDrive Personal ids are hex with a `!`; case varies between answers). */
export function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** `DELETE` (to the recycle bin), checked when its answer is lost: an id OneDrive no longer finds was deleted. */
export function trashById(api: OnedriveApi, id: string, what: string): Promise<void> {
  return settle(
    async () => {
      await api.json(what, { method: 'DELETE', path: itemPath(id) }, { idempotent: false });
    },
    async () => ((await itemOrNull(api, id)) === null ? undefined : null),
  );
}
