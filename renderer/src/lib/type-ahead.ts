/**
 * Type-to-select in a list (pure): characters typed within a second of each other make one prefix,
 * and the first row from the focused one on whose name starts with it (case- and accent-insensitive)
 * takes focus. Typing the same letter again steps through the rows starting with it.
 */

export interface TypeAhead {
  text: string;
  /** When the last character was typed (ms). */
  at: number;
}

/** How long a pause starts a new prefix. */
export const typeAheadResetMs = 1000;

/** The prefix after typing `character` at `now`. */
export function extendTypeAhead(state: TypeAhead | null, character: string, now: number): TypeAhead {
  if (!state || now - state.at > typeAheadResetMs) return { text: character, at: now };
  return { text: state.text + character, at: now };
}

const fold = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLocaleLowerCase();

/**
 * The index of the row to focus for `text`, searching `names` (undefined = not loaded) from `focused`
 * (itself included, so that extending a prefix keeps a row that still matches) and wrapping around;
 * a first letter, or one letter repeated, starts after `focused` instead (to step through the rows
 * starting with it). With no row focused (null) the search starts at the top. -1 when none matches.
 */
export function findTypedRow(
  names: ReadonlyArray<string | undefined>,
  text: string,
  focused: number | null,
): number {
  if (names.length === 0 || text === '') return -1;
  const repeated = [...text].every((character) => character === text[0]) && text.length > 1;
  const prefix = fold(repeated ? text[0]! : text);
  const start = focused === null ? 0 : focused + (repeated || text.length === 1 ? 1 : 0);
  for (let step = 0; step < names.length; step++) {
    const index = (start + step) % names.length;
    const name = names[index];
    if (name !== undefined && fold(name).startsWith(prefix)) return index;
  }
  return -1;
}
