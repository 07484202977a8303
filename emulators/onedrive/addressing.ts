/**
 * Addressing driveItems below a drive (`/v1.0/me/drive/...`, `/v1.0/drives/{id}/...`), as Graph parses
 * the rest of the path:
 *   root | items/{id}                       the base item (`items/root`, any case: the root too)
 *   [:/a/b[:]]                              a path relative to it (names percent-decoded one by one;
 *                                           the closing `:` may be left out when nothing follows)
 *   [/action[/more...]]                     children, content, delta, search, createUploadSession, copy,
 *                                           restore, thumbnails[/{set}[/{size}[/content]]]
 * Functions take OData parameters: `delta(token='...')`, `search(q='...')` (quotes doubled inside).
 */
import { GraphError, itemNotFound } from './errors';
import type { FolderItem, Item, OnedriveStore } from './store';

export const ACTIONS = [
  'children',
  'content',
  'delta',
  'search',
  'createUploadSession',
  'copy',
  'restore',
  'thumbnails',
] as const;

export type Action = (typeof ACTIONS)[number] | '';

export interface Address {
  /** `root`, or the id after `items/`. */
  readonly base: { kind: 'root' } | { kind: 'id'; id: string };
  /** The names of a `:/a/b:` path (undefined: none given). */
  readonly path?: readonly string[];
  readonly action: Action;
  /** Segments after the action (thumbnails: set id, size, `content`). */
  readonly args: readonly string[];
  /** Parameters of a function call (`delta(token='x')`). */
  readonly params: Readonly<Record<string, string>>;
}

/** `Resource not found for the segment '...'`: a path Graph does not know. */
export const unknownSegment = (segment: string) =>
  new GraphError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`);

function parseParams(text: string): Record<string, string> {
  const params: Record<string, string> = {};
  const pattern = /\s*(\w+)\s*=\s*(?:'((?:[^']|'')*)'|([^,]*))\s*(?:,|$)/y;
  let match: RegExpExecArray | null;
  while (pattern.lastIndex < text.length && (match = pattern.exec(text)) !== null) {
    params[match[1] as string] =
      match[2] !== undefined ? match[2].replace(/''/g, "'") : (match[3] ?? '').trim();
    if (match[0] === '') break;
  }
  return params;
}

/** Parses the part of a drive path after the drive; throws Graph's 400 for a segment it does not know. */
export function parseAddress(rest: string): Address {
  const match = /^(root|items\/([^/:]+))(.*)$/.exec(rest);
  if (!match) throw unknownSegment(decodeURIComponent(rest.split('/')[0] ?? rest));
  const id = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
  // Graph takes `items/root` (case-insensitively) for the root, like `root`.
  const base: Address['base'] =
    id === undefined || id.toLowerCase() === 'root' ? { kind: 'root' } : { kind: 'id', id };
  let tail = match[3] as string;
  let path: string[] | undefined;
  if (tail.startsWith(':')) {
    const close = tail.indexOf(':', 1);
    const raw = close < 0 ? tail.slice(1) : tail.slice(1, close);
    tail = close < 0 ? '' : tail.slice(close + 1);
    path = raw
      .split('/')
      .filter((n) => n !== '')
      .map((n) => decodeURIComponent(n));
  }
  if (tail === '' || tail === '/') return { base, path, action: '', args: [], params: {} };
  if (!tail.startsWith('/')) throw unknownSegment(decodeURIComponent(tail));
  const [head = '', ...args] = tail.slice(1).split('/');
  const decoded = decodeURIComponent(head);
  const call = /^([\w.]+)\((.*)\)$/s.exec(decoded);
  const name = call ? (call[1] as string) : decoded;
  const action = ACTIONS.find((a) => a.toLowerCase() === name.toLowerCase());
  if (!action) throw unknownSegment(decoded);
  if (args.length > 0 && action !== 'thumbnails') throw unknownSegment(decodeURIComponent(args[0] as string));
  return {
    base,
    path,
    action,
    args: args.map((a) => decodeURIComponent(a)),
    params: call ? parseParams(call[2] as string) : {},
  };
}

/** The base item (`root` or `items/{id}`), or 404. */
export function baseItem(store: OnedriveStore, address: Address): Item {
  const item = address.base.kind === 'root' ? store.root : store.get(address.base.id);
  if (!item) throw itemNotFound();
  return item;
}

/** The addressed item, or 404. */
export function findItem(store: OnedriveStore, address: Address): Item {
  const item = store.walk(baseItem(store, address), address.path ?? []);
  if (!item) throw itemNotFound();
  return item;
}

/** Where a write addressed by path lands: the deepest existing folder, missing folders, the name. */
export interface WriteTarget {
  /** The deepest folder of the path that exists. */
  folder: FolderItem;
  /** Names of the folders to create below `folder` (empty when the parent exists). */
  missing: string[];
  name: string;
  /** What holds the name now (only when the parent exists). */
  existing?: Item;
}

/**
 * Resolves `{base}:/a/b/name:` for a create: the base must exist (404); a file in the middle of the
 * path is a 409 (?).
 */
export function writeTarget(store: OnedriveStore, address: Address): WriteTarget {
  const names = address.path ?? [];
  const base = baseItem(store, address);
  if (names.length === 0 || base.kind !== 'folder') throw itemNotFound();
  let folder: FolderItem = base;
  const folders = names.slice(0, -1);
  const name = names[names.length - 1] as string;
  for (let i = 0; i < folders.length; i++) {
    const child = store.child(folder, folders[i] as string);
    if (!child) return { folder, missing: folders.slice(i), name };
    if (child.kind !== 'folder')
      throw new GraphError(
        409,
        'nameAlreadyExists',
        'A file with the same name as a folder of the path exists.',
      );
    folder = child;
  }
  return { folder, missing: [], name, existing: store.child(folder, name) };
}
