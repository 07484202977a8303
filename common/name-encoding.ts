/**
 * Reversible renaming of names a destination refuses (docs/design/transfers.md §3), the way rclone's
 * `lib/encoder` does it: each refused character becomes a look-alike, so `a:b?.txt` arrives on
 * OneDrive as `a：b？.txt` and becomes `a:b?.txt` again on its way back to a store that accepts it.
 *
 * The look-alikes: ASCII `!`..`~` → fullwidth `！`..`～` (U+FF01..U+FF5E); control characters
 * U+0000..U+001F → `␀`..`␟` (U+2400 + c); DEL → `␡`; a space → `␠`. A name being renamed that already
 * holds one of these (or the escape `‛`, U+201B) gets `‛` before it, so decoding is exact.
 *
 * Only what the destination refuses is replaced. Its rules are known only through its `nameProblem`,
 * so encoding asks it, in steps, each taken only while the name is still refused: (1) every character
 * the destination refuses inside a name (asked with a probe such as `a:a`); (2) a refused first or last
 * character (a leading or trailing space, a trailing dot); (3) the first character, kept only when that
 * alone makes the name accepted: reserved names (`CON` → `ＣON`, `.lock` → `．lock`, `desktop.ini`,
 * `~$x`); (4) every ASCII punctuation character
 * (`x_vti_y` → `x＿vti＿y`). Pure: no I/O, usable in every layer.
 */
import { SkyfoldError } from './errors';

/** Why a destination refuses a name, or null when it accepts it (a provider's `nameProblem`). */
export type NameProblem = (name: string) => string | null;

const escape = '\u201b';
const fullwidthOffset = 0xfee0;
const controlPictures = 0x2400;
const deletePicture = 0x2421;
const spacePicture = 0x2420;

/** The look-alike of one character (a single UTF-16 unit), or undefined when it has none. */
function lookAlike(char: string): string | undefined {
  const code = char.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(controlPictures + code);
  if (code === 0x20) return String.fromCharCode(spacePicture);
  if (code < 0x7f) return String.fromCharCode(code + fullwidthOffset);
  if (code === 0x7f) return String.fromCharCode(deletePicture);
  return undefined;
}

/** The character a look-alike stands for, or undefined when `char` is not a look-alike. */
function original(char: string): string | undefined {
  const code = char.charCodeAt(0);
  if (code >= 0xff01 && code <= 0xff5e) return String.fromCharCode(code - fullwidthOffset);
  if (code >= controlPictures && code < controlPictures + 0x20)
    return String.fromCharCode(code - controlPictures);
  if (code === spacePicture) return ' ';
  if (code === deletePicture) return '\u007f';
  return undefined;
}

const isPunctuation = (char: string) => /^[!-/:-@[-`{-~]$/.test(char);

/**
 * A name `problem` accepts for `name`: `name` itself when accepted, else `name` with the refused
 * characters replaced by look-alikes (see above), which `decodeName` turns back into `name`. Encoding
 * an encoded name changes nothing. Throws invalid_argument when no such name exists (empty, invalid
 * Unicode, or too long once encoded: look-alikes take 3 UTF-8 bytes where ASCII takes 1).
 */
export function encodeName(name: string, problem: NameProblem): string {
  if (problem(name) === null) return name;
  // One code point per entry, an escape being an entry of its own.
  const chars = [...name].flatMap((char) => (char === escape || original(char) ? [escape, char] : [char]));
  const current = () => chars.join('');
  const replace = (index: number) => {
    // Escaped characters (look-alikes and the escape) have no look-alike: they are never replaced.
    chars[index] = lookAlike(chars[index]!) ?? chars[index]!;
  };
  const steps: Array<() => void> = [
    () => {
      const refused = new Map<string, boolean>();
      chars.forEach((char, index) => {
        if (lookAlike(char) === undefined) return;
        if (!refused.has(char)) refused.set(char, problem(`a${char}a`) !== null);
        if (refused.get(char)) replace(index);
      });
    },
    () => {
      if (problem(`${chars[0]}a`) !== null) replace(0);
      if (problem(`a${chars[chars.length - 1]}`) !== null) replace(chars.length - 1);
    },
    () => {
      const first = chars[0]!;
      replace(0);
      if (problem(current()) !== null) chars[0] = first; // not a reserved name: step 4's case
    },
    () => chars.forEach((char, index) => isPunctuation(char) && replace(index)),
  ];
  for (const step of steps) {
    if (chars.length === 0 || problem(current()) === null) break;
    step();
  }
  const left = problem(current());
  if (left !== null) throw new SkyfoldError('invalid_argument', `"${name}" cannot be stored here: ${left}`);
  return current();
}

/**
 * The name `encodeName` was given, from the name it returned. Only names that encoding changed should
 * be decoded: a name that merely contains look-alikes of its own (`資料：2024.pdf`) would lose them.
 */
export function decodeName(name: string): string {
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const char = name[i]!;
    if (char === escape && i + 1 < name.length) out += name[++i];
    else out += original(char) ?? char;
  }
  return out;
}

/**
 * The key two names collide under at a destination (conflicts, §3): NFC, and lower-cased where the
 * destination compares names case-insensitively (`A.txt`/`a.txt` into Dropbox, NFC/NFD spellings).
 */
export function nameKey(name: string, caseInsensitive: boolean): string {
  const composed = name.normalize('NFC');
  return caseInsensitive ? composed.toLowerCase() : composed;
}
