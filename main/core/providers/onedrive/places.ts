/**
 * Looking at places before and after writes: an item by id, the child of a folder by name, and
 * creating at a free name.
 *
 * A create whose answer was lost is checked at its target (unconfirmed.settle) instead of being
 * repeated into a second copy. For that check to mean anything, the target must be known and must
 * have been free just before: so creates look first (GET `items/{parent}:/{name}:`), and never use
 * OneDrive's `rename` conflict behaviour (which picks `name 1.ext` itself): the provider numbers a
 * taken name itself (`name (2).ext`...) at a name it found free, and creates with `fail`. Something
 * there after a lost answer is then the create's doing (unless another client raced for that very
 * name).
 */
import { SkyfoldError } from '../../../../common/errors';
import * as freeNames from '../free-names';
import { settle } from '../unconfirmed';
import type { OnedriveApi } from './api';
import { itemPath } from './links';
import { itemFields, readItem, type DriveItem } from './wire';

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

export interface FreeNameOptions extends freeNames.FreeNameOptions {
  /** An item that may hold the name without being in the way (a rename of that very item). */
  self?: string;
}

/**
 * Creates something named `name` in the folder `parentId` when that name is free (else throws
 * conflict), or with `rename` at the first free name of `name`, `name (2)`... (one lookup each):
 * `create(name)`, which throws conflict when the name was taken meanwhile; with `rename`, the next
 * free name is then looked up and tried, a few times at most (../free-names.ts).
 */
export function createAtFreeName<T>(
  api: OnedriveApi,
  parentId: string,
  name: string,
  options: FreeNameOptions,
  create: (name: string) => Promise<T>,
): Promise<T> {
  return freeNames.createAtFreeName(name, options, {
    isFree: async (candidate) => {
      const there = await childNamed(api, parentId, candidate);
      return there === null || (options.self !== undefined && sameId(there.id, options.self));
    },
    create,
    shown: name,
  });
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
