/**
 * OneDrive's naming rules, checked on every write that names an item (simple upload, upload session,
 * folder creation, rename, move, copy), and its numbering of a taken name (`rename` conflicts).
 *
 * Refused with 400 `invalidRequest` (Microsoft's "Restrictions and limitations in OneDrive and
 * SharePoint"; the messages are those OneDrive Personal answered in logs of sync clients):
 * - the characters `" * : < > ? / \ |` and control characters (U+0000-U+001F) (?: controls);
 * - a leading or trailing space, a trailing dot ("The provided name cannot contain any illegal
 *   characters."; addressed by path: "Path (/a/b.) contains invalid trailing character.");
 * - the reserved names `.lock`, `CON`, `PRN`, `AUX`, `NUL`, `COM0`-`COM9`, `LPT0`-`LPT9`, `desktop.ini`
 *   (case-insensitively, exactly), names starting with `~$` and names containing `_vti_` (?: documented
 *   for the sync app and SharePoint; the message is a guess);
 * - an empty name;
 * - a path below the root longer than 400 characters, `innerError.code` `pathIsTooLong` (?: message).
 */
import { invalidRequest } from './errors';

export const MAX_PATH_LENGTH = 400;

// eslint-disable-next-line no-control-regex
const ILLEGAL = /["*:<>?/\\|\u0000-\u001f]/;
const RESERVED = /^(\.lock|con|prn|aux|nul|com\d|lpt\d|desktop\.ini)$/i;

export const ILLEGAL_MESSAGE = 'The provided name cannot contain any illegal characters.';

/**
 * Throws the 400 OneDrive answers for a name it refuses. `path` (`/a/b/name`, below the root) is the
 * item's would-be path: it makes the trailing-character message name the path, and is checked
 * against the 400-character limit.
 */
export function checkName(name: string, path?: string, addressedByPath = false): void {
  if (name === '') throw invalidRequest('The name cannot be empty.');
  if (ILLEGAL.test(name)) throw invalidRequest(ILLEGAL_MESSAGE);
  if (/[. ]$/.test(name) || name.startsWith(' ')) {
    if (addressedByPath && path !== undefined)
      throw invalidRequest(`Path (${path}) contains invalid trailing character.`);
    throw invalidRequest(ILLEGAL_MESSAGE);
  }
  if (RESERVED.test(name) || name.startsWith('~$') || name.toLowerCase().includes('_vti_'))
    throw invalidRequest(`The provided name is reserved: '${name}'.`);
  if (path !== undefined && path.length - 1 > MAX_PATH_LENGTH)
    throw invalidRequest('Path exceeds maximum length.', 'pathIsTooLong');
}

/** `name 1.ext` (files) or `name 1` (folders): OneDrive's numbering of a conflicting name. */
export function numberedName(name: string, n: number, isFolder: boolean): string {
  const dot = name.lastIndexOf('.');
  if (isFolder || dot <= 0) return `${name} ${n}`;
  return `${name.slice(0, dot)} ${n}${name.slice(dot)}`;
}

/** The first of `name`, `name 1`, `name 2`... that `taken` says is free. */
export function freeName(name: string, isFolder: boolean, taken: (candidate: string) => boolean): string {
  if (!taken(name)) return name;
  for (let n = 1; ; n++) {
    const candidate = numberedName(name, n, isFolder);
    if (!taken(candidate)) return candidate;
  }
}

/** The `@microsoft.graph.conflictBehavior` values. */
export type ConflictBehavior = 'fail' | 'replace' | 'rename';

/** Parses a conflictBehavior value (absent: `fallback`); anything else is a 400. */
export function conflictBehavior(value: unknown, fallback: ConflictBehavior): ConflictBehavior {
  if (value === undefined || value === null || value === '') return fallback;
  if (value === 'fail' || value === 'replace' || value === 'rename') return value;
  throw invalidRequest(`Invalid value '${String(value)}' for @microsoft.graph.conflictBehavior.`);
}
