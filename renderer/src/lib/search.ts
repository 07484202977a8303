/**
 * The search UI's logic (pure): what the box's text means (a query, nothing yet, or a syntax error),
 * the filter chips of a query and the text left when one is removed, the result count line, where a
 * result leads, and which keys start or focus a search.
 */
import type { AccountDto } from '../../../common/dto';
import { SkyfoldError } from '../../../common/errors';
import type { SearchHitDto, SearchQuery, SearchResultDto } from '../../../common/search';
import { formatSearchQuery, parseSearchQuery } from '../../../common/search-query';
import type { KeyInfo } from './keyboard';

/** The box's text, read: nothing to search yet, a query, or why it cannot be read. */
export type ParsedSearch =
  { status: 'empty' } | { status: 'query'; query: SearchQuery } | { status: 'error'; message: string };

/** Reads the box's text; `now` (epoch ms) anchors `modified:today` and the like. */
export function readSearchText(text: string, now: number): ParsedSearch {
  let query: SearchQuery;
  try {
    query = parseSearchQuery(text, { now });
  } catch (error) {
    if (error instanceof SkyfoldError && error.code === 'invalid_argument') {
      return { status: 'error', message: error.message };
    }
    throw error;
  }
  return isEmptyQuery(query) ? { status: 'empty' } : { status: 'query', query };
}

/** One page of search results, with the box's text and the query they answer. */
export interface SearchAnswer {
  text: string;
  query: SearchQuery;
  result: SearchResultDto;
}

/** Whether a query asks for nothing (no terms, no filters): every item would match. `sort` alone counts as nothing. */
export function isEmptyQuery(query: SearchQuery): boolean {
  return (
    query.terms.every((term) => term.trim() === '') &&
    query.kind === undefined &&
    !query.categories?.length &&
    !query.extensions?.length &&
    query.size === undefined &&
    query.modified === undefined &&
    !query.accounts?.length &&
    query.within === undefined
  );
}

/** One removable filter chip. `id` names what removing it drops (`ext:pdf`, `size`). */
export interface SearchChip {
  id: string;
  label: string;
}

/** The filter value as the syntax writes it: `formatSearchQuery` of the filter alone, keys dropped. */
function syntaxValue(filter: Omit<SearchQuery, 'terms'>): string {
  return formatSearchQuery({ terms: [], ...filter })
    .split(' ')
    .map((part) => part.slice(part.indexOf(':') + 1))
    .join(' ');
}

/** The chips of a query's filters, in the order the syntax writes them; one per list value. */
export function searchChips(query: SearchQuery): SearchChip[] {
  const chips: SearchChip[] = [];
  if (query.kind) chips.push({ id: 'kind', label: `Kind: ${query.kind}` });
  for (const category of query.categories ?? [])
    chips.push({ id: `type:${category}`, label: `Type: ${category}` });
  for (const extension of query.extensions ?? [])
    chips.push({ id: `ext:${extension}`, label: `Extension: ${syntaxValue({ extensions: [extension] })}` });
  if (query.size) {
    const value = syntaxValue({ size: query.size });
    if (value) chips.push({ id: 'size', label: `Size: ${value}` });
  }
  if (query.modified) {
    const value = syntaxValue({ modified: query.modified });
    if (value) chips.push({ id: 'modified', label: `Modified: ${value}` });
  }
  for (const account of query.accounts ?? [])
    chips.push({ id: `in:${account}`, label: `Account: ${syntaxValue({ accounts: [account] })}` });
  if (query.sort) chips.push({ id: 'sort', label: `Sort: ${syntaxValue({ sort: query.sort })}` });
  return chips;
}

function withoutValue<T>(list: readonly T[] | undefined, value: T): T[] | undefined {
  const rest = (list ?? []).filter((item) => item !== value);
  return rest.length > 0 ? rest : undefined;
}

/** The query without the chip `id` (see searchChips). */
export function withoutChip(query: SearchQuery, id: string): SearchQuery {
  const next: SearchQuery = { ...query };
  const colon = id.indexOf(':');
  const key = colon === -1 ? id : id.slice(0, colon);
  const value = colon === -1 ? '' : id.slice(colon + 1);
  const set = <K extends keyof SearchQuery>(name: K, list: SearchQuery[K] | undefined) => {
    if (list === undefined) delete next[name];
    else next[name] = list;
  };
  switch (key) {
    case 'kind':
    case 'size':
    case 'modified':
    case 'sort':
      delete next[key];
      break;
    case 'type':
      set(
        'categories',
        withoutValue(query.categories, value as NonNullable<SearchQuery['categories']>[number]),
      );
      break;
    case 'ext':
      set('extensions', withoutValue(query.extensions, value));
      break;
    case 'in':
      set('accounts', withoutValue(query.accounts, value));
      break;
  }
  return next;
}

/** The box's text once the chip `id` is removed. */
export function textWithoutChip(query: SearchQuery, id: string): string {
  return formatSearchQuery(withoutChip(query, id));
}

/** `1,234 results`, `1 result`, `1,000+ results` (a lower bound), `No results for “q”`. */
export function resultCountLabel(total: number, exact: boolean, text: string, locale?: string): string {
  if (total === 0 && exact) return `No results for “${text.trim()}”`;
  const count = `${total.toLocaleString(locale)}${exact ? '' : '+'}`;
  return `${count} ${total === 1 && exact ? 'result' : 'results'}`;
}

/** A result's folder as the Folder column shows it: `Demo:/Photos/2023` (the `account:path` syntax). */
export function folderLabel(hit: SearchHitDto, accounts: readonly AccountDto[] | undefined): string {
  const account = accounts?.find((candidate) => candidate.id === hit.item.accountId);
  return `${account?.name ?? hit.item.accountId}:${hit.folderPath || '/'}`;
}

/** A place in the browser: a folder of an account, and a row to select there. */
export interface BrowseTarget {
  accountId: string;
  folderId: string;
  focusItemId?: string;
}

/** Where Enter on a result leads: a folder opens; a file opens its folder with the file selected. */
export function openTarget(hit: SearchHitDto): BrowseTarget | null {
  return hit.item.kind === 'folder'
    ? { accountId: hit.item.accountId, folderId: hit.item.id }
    : containingFolder(hit);
}

/** The folder a result is in, with the result selected there (null for an account's root). */
export function containingFolder(hit: SearchHitDto): BrowseTarget | null {
  const { accountId, id, parentId } = hit.item;
  return parentId === null ? null : { accountId, folderId: parentId, focusItemId: id };
}

/** Ctrl+F / Cmd+F: focus the search box. */
export function isFindShortcut(event: KeyInfo): boolean {
  return (
    (event.key === 'f' || event.key === 'F') &&
    !!(event.ctrlKey || event.metaKey) &&
    !(event.ctrlKey && event.metaKey) &&
    !event.altKey &&
    !event.shiftKey
  );
}

/**
 * The character a key press types, when typing it in the file list should start a search: one
 * printable character (not a space), no Ctrl, Cmd or Alt. null otherwise.
 */
export function typedSearchCharacter(event: KeyInfo): string | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  // `key` is the character for printable keys ("a", "É", "7", "😀"), a name ("Enter", "F1") otherwise.
  if ([...event.key].length !== 1 || /^[\s\p{C}]$/u.test(event.key)) return null;
  return event.key;
}
