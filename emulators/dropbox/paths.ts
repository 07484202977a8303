/**
 * Dropbox path arguments. Syntax is checked first against stone's patterns (a mismatch is a 400 from
 * the decoder); then the text is parsed here: `""` is the root (only where a route allows it),
 * `/a/b` a path (case-insensitive, case-preserving), `id:XXX` or `id:XXX/rest` an item by id,
 * `rev:HEX` a file revision, `ns:N` or `ns:N/rest` the user's namespace by number. A path is
 * malformed (`malformed_path`) when it ends with `/`, has an empty, `.` or `..` component, a NUL
 * character, or a component longer than 255 characters (?). On writes, names Dropbox cannot store
 * (a backslash, DEL, a trailing space, a lone surrogate: rclone's Dropbox encoding) are
 * `malformed_path` too (?), and the files Dropbox ignores (`desktop.ini`, `thumbs.db`, `.ds_store`,
 * `icon\r`, `.dropbox`, `.dropbox.attr`) are `disallowed_name` (?).
 */

/** stone's path aliases, as printed in 400 messages. */
export const PATTERNS = {
  /** PathOrId: list_revisions. */
  pathOrId: '/(.|[\\r\\n])*|id:.*|(ns:[0-9]+(/(.|[\\r\\n])*)?)',
  /** PathROrId: list_folder, get_latest_cursor. */
  pathROrId: '(/(.|[\\r\\n])*)?|id:.*|(ns:[0-9]+(/(.|[\\r\\n])*)?)',
  /** ReadPath: get_metadata, download, thumbnails. */
  readPath: '(/(.|[\\r\\n])*|id:.*)|(rev:[0-9a-f]{9,})|(ns:[0-9]+(/(.|[\\r\\n])*)?)',
  /** WritePath: create_folder_v2, restore. */
  writePath: '(/(.|[\\r\\n])*)|(ns:[0-9]+(/(.|[\\r\\n])*)?)',
  /** WritePathOrId: upload, delete_v2, copy_v2, move_v2. */
  writePathOrId: '(/(.|[\\r\\n])*)|(ns:[0-9]+(/(.|[\\r\\n])*)?)|(id:.*)',
  /** Rev. */
  rev: '[0-9a-f]+',
} as const;

export type ParsedPath =
  | { kind: 'root' }
  | { kind: 'path'; components: string[] }
  | { kind: 'id'; id: string; rest: string[] }
  | { kind: 'rev'; rev: string }
  | { kind: 'malformed' }
  /** A namespace the user cannot see. */
  | { kind: 'unknown-namespace' };

const MAX_NAME_LENGTH = 255;
const DISALLOWED = new Set(['desktop.ini', 'thumbs.db', '.ds_store', 'icon\r', '.dropbox', '.dropbox.attr']);

/** Splits `/a/b` (or the `rest` after an id) into components; undefined when malformed. */
function components(text: string): string[] | undefined {
  if (text === '') return [];
  if (!text.startsWith('/') || text.endsWith('/')) return undefined;
  const parts = text.slice(1).split('/');
  for (const part of parts) {
    if (part === '' || part === '.' || part === '..' || part.includes('\0')) return undefined;
    if ([...part].length > MAX_NAME_LENGTH) return undefined;
  }
  return parts;
}

/**
 * Parses a path argument that already matched its stone pattern. `namespaceId` is the user's home
 * namespace (the only one `ns:` may name).
 */
export function parsePath(text: string, namespaceId: string): ParsedPath {
  if (text === '') return { kind: 'root' };
  if (text.startsWith('rev:')) return { kind: 'rev', rev: text.slice(4) };
  if (text.startsWith('id:')) {
    const slash = text.indexOf('/');
    const id = slash < 0 ? text : text.slice(0, slash);
    const rest = components(slash < 0 ? '' : text.slice(slash));
    if (id.length <= 3 || !rest) return { kind: 'malformed' };
    return { kind: 'id', id, rest };
  }
  if (text.startsWith('ns:')) {
    const match = /^ns:(\d+)(\/.*)?$/su.exec(text);
    if (!match) return { kind: 'malformed' };
    if (match[1] !== namespaceId) return { kind: 'unknown-namespace' };
    const rest = components(match[2] ?? '');
    return rest
      ? rest.length === 0
        ? { kind: 'root' }
        : { kind: 'path', components: rest }
      : { kind: 'malformed' };
  }
  const parts = components(text);
  if (!parts || parts.length === 0) return { kind: 'malformed' };
  return { kind: 'path', components: parts };
}

/**
 * A name Dropbox cannot store, refused on every write: a backslash, DEL (U+007F), a trailing space,
 * or a lone UTF-16 surrogate (text that was not valid Unicode). rclone's Dropbox backend encodes
 * exactly these (BackSlash, Del, RightSpace, InvalidUtf8) besides `/`; trailing dots are fine.
 */
export function isUnstorableName(name: string): boolean {
  return /[\\\u007f]| $|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(name);
}

/** A file Dropbox ignores, refused on every write. */
export function isDisallowedName(name: string): boolean {
  return DISALLOWED.has(name.toLowerCase());
}

/** Dropbox's case folding for `path_lower` and conflict checks. */
export const fold = (name: string): string => name.toLowerCase();

/** `name (2).ext` style candidates: the number goes before the last extension (not for folders). */
export function numberedName(name: string, n: number, isFolder: boolean): string {
  const dot = isFolder ? -1 : name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
}

/** `name (conflicted copy).ext`, then `name (conflicted copy 2).ext`: the update-mode autorename (?). */
export function conflictedCopyName(name: string, n: number): string {
  const label = n === 1 ? 'conflicted copy' : `conflicted copy ${n}`;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)} (${label})${name.slice(dot)}` : `${name} (${label})`;
}
