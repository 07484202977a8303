/**
 * Which names OneDrive refuses (pure).
 *
 * Sources: Microsoft's "Restrictions and limitations in OneDrive and SharePoint" (invalid characters
 * `" * : < > ? / \ |`, leading and trailing spaces, the reserved names `.lock`, `CON`, `PRN`, `AUX`,
 * `NUL`, `COM0`-`COM9`, `LPT0`-`LPT9`, `desktop.ini`, names starting with `~$`, `_vti_` anywhere, the
 * 400-character path limit) and rclone's OneDrive encoder (a trailing dot is refused too; control
 * characters do not round-trip). Names are compared case-insensitively by OneDrive, so the reserved
 * names are too. Everything else (emoji, leading dots, NFC and NFD spellings) is stored exactly.
 */

/**
 * OneDrive limits a whole path below the root to 400 characters; a single name can never be longer.
 * (Deeper items fail with `pathIsTooLong`, which only the server can check.)
 */
export const maxNameLength = 400;

const refusedCharacters = /["*:<>?/\\|]/;
// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u001f\u007f]/;
const reservedNames = /^(\.lock|con|prn|aux|nul|com[0-9]|lpt[0-9]|desktop\.ini)$/i;
/** A UTF-16 surrogate without its other half: not valid Unicode, so not sendable as UTF-8. */
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why OneDrive cannot store `name`, in words for the user, or null when it can. */
export function onedriveNameProblem(name: string): string | null {
  if (name.length === 0) return 'the name is empty';
  if (name === '.' || name === '..') return `"${name}" is not a name`;
  if (name.includes('/')) return 'names cannot contain "/"';
  if (name.includes('\0')) return 'the name contains a NUL character';
  if (controlCharacters.test(name)) return 'OneDrive names cannot contain control characters';
  if (refusedCharacters.test(name)) return 'OneDrive names cannot contain any of " * : < > ? \\ |';
  if (loneSurrogate.test(name)) return 'the name is not valid Unicode';
  if (name.startsWith(' ')) return 'OneDrive names cannot start with a space';
  if (name.endsWith(' ')) return 'OneDrive names cannot end with a space';
  if (name.endsWith('.')) return 'OneDrive names cannot end with a dot';
  if (reservedNames.test(name)) return `"${name}" is a name OneDrive reserves`;
  if (name.startsWith('~$')) return 'OneDrive names cannot start with "~$"';
  if (name.toLowerCase().includes('_vti_')) return 'OneDrive names cannot contain "_vti_"';
  if (name.length > maxNameLength) return `OneDrive names are at most ${maxNameLength} characters long`;
  return null;
}
