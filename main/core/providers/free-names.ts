/**
 * Creating at a name found free, for providers that number a taken name themselves (Dropbox,
 * OneDrive) instead of letting the service pick one: a create whose answer was lost is then checked
 * at a known target that was free just before (see places.ts in each provider).
 */
import { SkyfoldError } from '../../../common/errors';

/** Numbered names tried before giving up with conflict. */
const maxNumberedNames = 10_000;
/** Conflicts tolerated at names found free (someone else took them meanwhile). */
const maxRaces = 5;

/**
 * The `n`th name beside a taken `name` (n >= 2): `name (2).ext`, `name (3).ext`... (the form Dropbox's
 * `autorename` gives: the number before the last extension; folders, and names without an extension
 * or starting with their only dot, get it at the end).
 */
export function numberedName(name: string, n: number, isFolder: boolean): string {
  const dot = isFolder ? -1 : name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
}

export interface FreeNameOptions {
  /** On a taken name, create beside it (`name (2).ext`...) instead of failing with conflict. */
  rename: boolean;
  isFolder: boolean;
}

/** How one provider looks at and creates in the folder: by name. */
export interface FreeNamePlace<T> {
  /** Whether the name can be created at (one lookup). */
  isFree(name: string): Promise<boolean>;
  /** Creates at the name; throws conflict when it was taken meanwhile. */
  create(name: string): Promise<T>;
  /** How messages name the place of `name` (its path, or the name itself). */
  shown: string;
}

/**
 * Creates something named `name` when that name is free (else throws conflict), or with `rename` at
 * the first free name of `name`, `name (2)`... (one lookup each): `place.create`, which throws
 * conflict when the name was taken meanwhile; with `rename`, the next free name is then looked up and
 * tried, a few times at most.
 */
export async function createAtFreeName<T>(
  name: string,
  options: FreeNameOptions,
  place: FreeNamePlace<T>,
): Promise<T> {
  const nameOf = (n: number) => (n === 1 ? name : numberedName(name, n, options.isFolder));
  const firstFree = async (from: number) => {
    for (let n = from; n < from + maxNumberedNames; n++) if (await place.isFree(nameOf(n))) return n;
    throw new SkyfoldError('conflict', `no free name beside "${place.shown}"`);
  };
  let n = 1;
  if (options.rename) n = await firstFree(1);
  else if (!(await place.isFree(name))) throw new SkyfoldError('conflict', `"${place.shown}" already exists`);
  for (let races = 0; ; races++) {
    try {
      return await place.create(nameOf(n));
    } catch (error) {
      const taken = error instanceof SkyfoldError && error.code === 'conflict';
      if (!options.rename || !taken || races >= maxRaces) throw error;
    }
    n = await firstFree(n + 1);
  }
}
