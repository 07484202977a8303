/**
 * files/search_v2 and files/search/continue_v2 over names (SearchV2Arg, SearchV2Result, SearchError):
 * every word of the query must start a word of the name, case-insensitively, words being split on
 * anything but letters and digits (?). Scope `options.path` (default: everything), `max_results`
 * (default 100) per page, at most 10,000 matches in all; `file_status: deleted` searches tombstones;
 * `file_extensions` and `file_categories` filter; `order_by` `relevance` (names equal to the query, with
 * or without their extension, first; then path order (?)) or `last_modified_time` (newest files first, folders after (?)). Cursors are stateless
 * (the query, options and an offset), tied to the store's epoch.
 */
import type { Router } from '../shared/http';
import { bool, list, optional, required, string, struct, uint, voidUnion, withDefault } from './args';
import { BadRequestError, RouteError, lookupFailed, tag } from './errors';
import { deletedMetadata, metadata } from './metadata';
import { resolveEntry } from './operations';
import { PATTERNS, fold } from './paths';
import { registerRoute, type RpcDeps } from './rpc';
import { compareNames, type DropboxStore, type Entry, type Tombstone } from './store';

const MAX_MATCHES = 10_000;

const CATEGORIES: Record<string, readonly string[]> = {
  image: ['jpg', 'jpeg', 'png', 'gif', 'bmp', 'tif', 'tiff', 'webp', 'heic', 'svg', 'ppm'],
  document: ['doc', 'docx', 'txt', 'rtf', 'odt', 'md', 'pages'],
  pdf: ['pdf'],
  spreadsheet: ['xls', 'xlsx', 'csv', 'ods', 'numbers'],
  presentation: ['ppt', 'pptx', 'key', 'odp'],
  audio: ['mp3', 'wav', 'mid', 'aac', 'flac', 'ogg', 'm4a'],
  video: ['mov', 'wmv', 'mp4', 'avi', 'mkv', 'webm'],
  paper: ['paper'],
};

const searchOptions = struct({
  path: optional(string({ pattern: PATTERNS.pathROrId })),
  max_results: withDefault(uint(1, 1000), 100),
  order_by: optional(voidUnion(['relevance', 'last_modified_time'] as const)),
  file_status: withDefault(voidUnion(['active', 'deleted'] as const), 'active'),
  filename_only: withDefault(bool, false),
  file_extensions: optional(list(string())),
  file_categories: optional(
    list(
      voidUnion([
        'image',
        'document',
        'pdf',
        'spreadsheet',
        'presentation',
        'audio',
        'video',
        'folder',
        'paper',
        'others',
      ] as const),
    ),
  ),
  account_id: optional(string({ min: 40, max: 40 })),
});

type SearchOptions = ReturnType<typeof searchOptions.decode>;

interface SearchState {
  ns: string;
  epoch: string;
  query: string;
  options: SearchOptions;
  highlights: boolean;
  offset: number;
}

const words = (text: string) =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

function category(name: string, isFolder: boolean): string {
  if (isFolder) return 'folder';
  const extension = extensionOf(name);
  return Object.entries(CATEGORIES).find(([, extensions]) => extensions.includes(extension))?.[0] ?? 'others';
}

/** Highlight spans of a name: the word prefixes that matched query words. */
function highlightSpans(
  name: string,
  tokens: readonly string[],
): { highlight_str: string; is_highlighted: boolean }[] {
  const spans: { highlight_str: string; is_highlighted: boolean }[] = [];
  let plain = '';
  const pattern = /[\p{L}\p{N}]+|[^\p{L}\p{N}]+/gu;
  for (const [part] of name.matchAll(pattern)) {
    const token = tokens.find((t) => part.toLowerCase().startsWith(t));
    if (!token || !/[\p{L}\p{N}]/u.test(part)) {
      plain += part;
      continue;
    }
    if (plain) spans.push({ highlight_str: plain, is_highlighted: false });
    spans.push({ highlight_str: part.slice(0, token.length), is_highlighted: true });
    plain = part.slice(token.length);
  }
  if (plain) spans.push({ highlight_str: plain, is_highlighted: false });
  return spans;
}

interface Candidate {
  name: string;
  pathLower: string;
  isFolder: boolean;
  modified: number;
  render(): Record<string, unknown>;
}

function candidates(store: DropboxStore, scope: Entry, status: 'active' | 'deleted'): Candidate[] {
  const scopeLower = fold(store.pathDisplay(scope));
  if (status === 'deleted')
    return store.tombstonesUnder(scopeLower, true).map(([pathLower, tombstone]: [string, Tombstone]) => ({
      name: tombstone.name,
      pathLower,
      isFolder: false,
      modified: 0,
      render: () => deletedMetadata(tombstone),
    }));
  const out: Candidate[] = [];
  const visit = (folder: Entry) => {
    if (folder.kind !== 'folder') return;
    for (const child of store.children(folder)) {
      out.push({
        name: child.name,
        pathLower: fold(store.pathDisplay(child)),
        isFolder: child.kind === 'folder',
        modified: child.kind === 'file' ? child.serverModified : 0,
        render: () => metadata(store, child, { tagged: true }),
      });
      visit(child);
    }
  };
  visit(scope);
  return out;
}

function search(store: DropboxStore, state: SearchState): Record<string, unknown> {
  const tokens = words(state.query);
  const { options } = state;
  const scope =
    options.path === undefined || options.path === ''
      ? store.root
      : resolveEntry(store, options.path, 'path');
  if (scope.kind !== 'folder') throw lookupFailed('path', 'not_folder');
  const extensions = options.file_extensions?.map((e) => e.replace(/^\./, '').toLowerCase());
  const matched = candidates(store, scope, options.file_status).filter((c) => {
    const nameWords = words(c.name);
    if (!tokens.every((t) => nameWords.some((w) => w.startsWith(t)))) return false;
    if (extensions && (c.isFolder || !extensions.includes(extensionOf(c.name)))) return false;
    return (
      !options.file_categories || options.file_categories.includes(category(c.name, c.isFolder) as never)
    );
  });
  const query = state.query.trim().toLowerCase();
  const exact = (c: Candidate) => {
    const name = c.name.toLowerCase();
    const dot = name.lastIndexOf('.');
    return Number(name === query || (dot > 0 && name.slice(0, dot) === query));
  };
  matched.sort((a, b) =>
    options.order_by === 'last_modified_time'
      ? b.modified - a.modified || compareNames(a.pathLower, b.pathLower)
      : exact(b) - exact(a) || compareNames(a.pathLower, b.pathLower),
  );
  const total = Math.min(matched.length, MAX_MATCHES);
  const page = matched.slice(state.offset, Math.min(total, state.offset + options.max_results));
  const next = state.offset + page.length;
  const result: Record<string, unknown> = {
    matches: page.map((c) => ({
      metadata: { '.tag': 'metadata', metadata: c.render() },
      match_type: { '.tag': 'filename' },
      ...(state.highlights ? { highlight_spans: highlightSpans(c.name, tokens) } : {}),
    })),
    has_more: next < total,
  };
  if (next < total)
    result.cursor = Buffer.from(JSON.stringify({ ...state, offset: next })).toString('base64url');
  return result;
}

export function registerSearchRoutes(router: Router, deps: RpcDeps): void {
  registerRoute(router, deps, {
    name: 'files/search_v2',
    style: 'rpc',
    scope: 'files.metadata.read',
    arg: struct({
      query: required(string({ max: 1000 })),
      options: optional(searchOptions),
      match_field_options: optional(struct({ include_highlights: withDefault(bool, false) })),
      include_highlights: optional(bool),
    }),
    handle: ({ store, arg }) => {
      if (words(arg.query).length === 0)
        throw new RouteError(tag('invalid_argument', { invalid_argument: 'The query must contain a word.' }));
      return search(store, {
        ns: store.account.namespaceId,
        epoch: store.epoch,
        query: arg.query,
        options: arg.options ?? searchOptions.decode({}),
        highlights: arg.match_field_options?.include_highlights ?? arg.include_highlights ?? false,
        offset: 0,
      });
    },
  });

  registerRoute(router, deps, {
    name: 'files/search/continue_v2',
    style: 'rpc',
    scope: 'files.metadata.read',
    arg: struct({ cursor: required(string({ min: 1 })) }),
    handle: ({ store, arg }) => {
      let state: SearchState | undefined;
      try {
        state = JSON.parse(Buffer.from(arg.cursor, 'base64url').toString('utf8')) as SearchState;
      } catch {
        state = undefined;
      }
      if (
        !state ||
        state.ns !== store.account.namespaceId ||
        state.epoch !== store.epoch ||
        typeof state.offset !== 'number'
      )
        throw new BadRequestError(`Invalid "cursor" parameter: '${arg.cursor}'`);
      return search(store, state);
    },
  });
}
