/**
 * The search syntax for people who type: `report ext:pdf size:>10MB modified:2024 in:dropbox`.
 * `parseSearchQuery` turns text into a SearchQuery; `formatSearchQuery` writes one back (the filter
 * chips), so that parse(format(q)) deep-equals q for every q that parse produces. Pure.
 *
 * The rules, in full:
 * - Words separated by whitespace are terms. `"annual report"` is one term, spaces kept; inside
 *   quotes `\"` is a quote and `\\` a backslash. Quoted text is never a filter (`"ext:pdf"` is a
 *   term). An unclosed quote runs to the end of the text. Typographic quotes (“ ”) work like `"`.
 * - `key:value` is a filter when `key` is one of the keys below (case-insensitive); any other
 *   `word:word` is a plain term (names may contain `:`). A value may be quoted: `in:"Work Drive"`.
 * - A filter with nothing after the colon (`ext:`) is ignored: it is still being typed.
 * - A known key with a value it cannot read throws SkyfoldError('invalid_argument') saying what is
 *   wrong, with an example.
 * - Excluding (`-word`, `-ext:pdf`) and `OR` are not supported: `-word` and `OR` are plain terms
 *   (names do start with `-`); `-ext:pdf` and the like throw, rather than silently matching nothing.
 * - Repeats: `ext:`, `type:`, `in:` add up (any of them); `size:` and `modified:` narrow (all of them,
 *   so `size:>1MB size:<5MB` is a range); `kind:file kind:folder` throws (nothing could match); the
 *   last `sort:` wins. Lists are comma-separated with no spaces: `ext:pdf,docx`.
 *
 * Keys:
 * - `ext:` / `extension:`: `pdf`, `.pdf`, `*.pdf`, `pdf,docx`. Lower-cased. An extension is what
 *   follows the last dot of a name, so `ext:tar.gz` throws (use `ext:gz` or `type:archives`).
 * - `type:` / `category:`: a category or an alias (`image`, `photos`, `doc`, `sheets`, `slides`,
 *   `movies`, `music`, `zip`, `code` ...). `type:file` / `type:folder` set the kind.
 * - `kind:file|folder` and `is:file|folder` (also `files`, `folders`, `dir`, `directory`).
 * - `size:` in bytes with units B, K/KB, M/MB, G/GB, T/TB (DECIMAL, 1 KB = 1000 bytes, as the UI
 *   and the CLI display sizes) and KiB, MiB, GiB, TiB (binary, 1 KiB = 1024); case-insensitive;
 *   decimals allowed (`1.5GB`). Forms: `>N`, `>=N`, `<N`, `<=N`, `N` or `=N` (exactly N bytes, so
 *   `size:0` finds empty files), `A..B` (inclusive), `A..`, `..B`.
 * - `modified:` / `mod:` / `date:`, all in UTC: `2024`, `2024-03`, `2024-03-15` (the whole period),
 *   `2024-03-15T10:20Z` / `...T10:20:30.123Z` (a time, UTC), `today`, `yesterday`, `week` (the last 7
 *   days: today and the 6 before), `month` (the last 30 days), `year` (the last 365 days), all
 *   relative to `options.now` and in whole UTC days, ending with today. With `>P` (after the whole
 *   period), `>=P` (from its start), `<P` (before its start), `<=P` (up to its end), `A..B` (from the
 *   start of A to the end of B), `A..`, `..B`. `to` is exclusive.
 * - `in:` / `account:`: accounts as typed (`dropbox`, `"Work Drive"`, `dropbox,gdrive`); the engine
 *   resolves names, ids and provider kinds.
 * - `sort:name|size|modified|relevance` (also `date`), direction by `-asc` / `-desc` suffix or a `-`
 *   (descending) / `+` (ascending) prefix: `sort:size-asc`, `sort:-modified`. Defaults: name
 *   ascending; size, modified and relevance descending (largest, newest, best first).
 * - `within` (a folder) has no syntax: it needs ids, and the UI sets it; format leaves it out.
 */
import { SkyfoldError } from './errors';
import type { SearchCategory, SearchQuery, SearchSortKey } from './search';

export interface ParseSearchQueryOptions {
  /** The current time, epoch ms, for `today`, `week` and the like. Default: Date.now(). */
  now?: number;
}

/** A few lines for the CLI's `--help` and the UI's search box. */
export const searchSyntaxHelp = [
  'Words match anywhere in names, all of them; "annual report" matches with the space.',
  'Filters (combine freely; lists without spaces):',
  '  ext:pdf,docx    type:images|documents|spreadsheets|presentations|video|audio|archives|code',
  '  kind:file|folder    size:>10MB  size:<=1.5GB  size:10MB..1GB  (KB = 1000 bytes, KiB = 1024)',
  '  modified:2024  modified:2024-03-15  modified:>=2024-01  modified:2023..2024  (dates in UTC)',
  '  modified:today|yesterday|week|month|year    in:dropbox  in:"Work Drive"',
  '  sort:name|size|modified|relevance  sort:size-asc  sort:-modified',
  'Example: report ext:pdf size:>10MB modified:2024 in:dropbox',
].join('\n');

// ---------------------------------------------------------------------------------------------------
// Tokens

const quoteChars = new Set(['"', '\u201c', '\u201d']);
const isSpace = (char: string) => /\s/u.test(char);

/** A run of a token's text, quoted or not (`in:"Work Drive"` is `in:` then `Work Drive`). */
interface Piece {
  text: string;
  quoted: boolean;
}

function tokenize(text: string): Piece[][] {
  const tokens: Piece[][] = [];
  let i = 0;
  while (i < text.length) {
    if (isSpace(text[i]!)) {
      i++;
      continue;
    }
    const pieces: Piece[] = [];
    while (i < text.length && !isSpace(text[i]!)) {
      if (quoteChars.has(text[i]!)) {
        i++;
        let quoted = '';
        while (i < text.length && !quoteChars.has(text[i]!)) {
          const next = text[i + 1];
          if (text[i] === '\\' && next !== undefined && (next === '\\' || quoteChars.has(next))) {
            quoted += next;
            i += 2;
          } else {
            quoted += text[i];
            i++;
          }
        }
        i++; // The closing quote, or past the end.
        pieces.push({ text: quoted, quoted: true });
      } else {
        let plain = '';
        while (i < text.length && !isSpace(text[i]!) && !quoteChars.has(text[i]!)) plain += text[i++];
        pieces.push({ text: plain, quoted: false });
      }
    }
    tokens.push(pieces);
  }
  return tokens;
}

const joinPieces = (pieces: Piece[]) => pieces.map((piece) => piece.text).join('');

/** Splits a value at its unquoted commas: `"Work, Inc",dropbox` is two items. */
function splitList(pieces: Piece[]): string[] {
  const items: string[] = [''];
  for (const piece of pieces) {
    if (piece.quoted) {
      items[items.length - 1] += piece.text;
      continue;
    }
    const parts = piece.text.split(',');
    items[items.length - 1] += parts[0]!;
    items.push(...parts.slice(1));
  }
  return items;
}

// ---------------------------------------------------------------------------------------------------
// Keys and their values

type FilterKey = 'ext' | 'type' | 'kind' | 'size' | 'modified' | 'in' | 'sort';

/** `{ file: 'file files' }` -> a map from each of the words to its key. */
function wordMap<T extends string>(spec: Record<T, string>): ReadonlyMap<string, T> {
  const map = new Map<string, T>();
  for (const [key, words] of Object.entries(spec) as [T, string][]) {
    for (const word of words.split(' ')) map.set(word, key);
  }
  return map;
}

const filterKeys = wordMap<FilterKey>({
  ext: 'ext extension',
  type: 'type category',
  kind: 'kind is',
  size: 'size',
  modified: 'modified mod date',
  in: 'in account',
  sort: 'sort',
});

/** `word:` at the start of an unquoted token, with the `-` of an attempted exclusion. */
const keyPattern = /^(-?)([a-z]+):/i;

function invalid(filter: string, problem: string, example: string): SkyfoldError {
  return new SkyfoldError('invalid_argument', `"${filter}": ${problem}. Example: ${example}`);
}

const kindAliases = wordMap<'file' | 'folder'>({
  file: 'file files',
  folder: 'folder folders dir dirs directory directories',
});

const categoryAliases = wordMap<SearchCategory>({
  images: 'images image img photo photos picture pictures pic pics',
  documents: 'documents document doc docs',
  spreadsheets: 'spreadsheets spreadsheet sheet sheets',
  presentations: 'presentations presentation slide slides deck decks',
  video: 'video videos movie movies film films',
  audio: 'audio music sound sounds song songs',
  archives: 'archives archive zip zips compressed',
  code: 'code source',
});

const sortAliases = wordMap<SearchSortKey>({
  relevance: 'relevance rel best',
  name: 'name',
  size: 'size',
  modified: 'modified mod date time',
});

/** The direction a sort key takes unless told: names A to Z; largest, newest and best first. */
const defaultDirection: Readonly<Record<SearchSortKey, 'asc' | 'desc'>> = {
  name: 'asc',
  size: 'desc',
  modified: 'desc',
  relevance: 'desc',
};

// Sizes -----------------------------------------------------------------------------------------------

const sizeUnits: ReadonlyMap<string, bigint> = new Map(
  (
    [
      ['b byte bytes', 1n],
      ['k kb', 1000n],
      ['m mb', 1000n ** 2n],
      ['g gb', 1000n ** 3n],
      ['t tb', 1000n ** 4n],
      ['kib', 1024n],
      ['mib', 1024n ** 2n],
      ['gib', 1024n ** 3n],
      ['tib', 1024n ** 4n],
    ] as const
  ).flatMap(([units, factor]) => units.split(' ').map((unit) => [unit, factor] as const)),
);

const sizeExample = 'size:>10MB, size:<1.5GB, size:>=100k, size:10MB..1GB, size:0';
const maxSafe = BigInt(Number.MAX_SAFE_INTEGER);

/** An exact byte count as a fraction (`1.5KB` is 1500/1), so rounding is decided on exact values. */
interface Exact {
  numerator: bigint;
  denominator: bigint;
}

function parseSizeAmount(text: string, filter: string): Exact {
  const match = /^(\d*)(?:\.(\d*))?([a-z]*)$/i.exec(text);
  const whole = match?.[1] ?? '';
  const fraction = match?.[2] ?? '';
  const unitText = (match?.[3] ?? '').toLowerCase();
  const unit = unitText === '' ? 1n : sizeUnits.get(unitText);
  if (!match || whole.length + fraction.length === 0) {
    throw invalid(filter, `"${text}" is not a size`, sizeExample);
  }
  if (unit === undefined) {
    throw invalid(
      filter,
      `"${match[3]}" is not a size unit (B, KB, MB, GB, TB, KiB, MiB, GiB, TiB)`,
      sizeExample,
    );
  }
  return { numerator: BigInt(whole + fraction || '0') * unit, denominator: 10n ** BigInt(fraction.length) };
}

const floorOf = (value: Exact) => value.numerator / value.denominator;
const ceilOf = (value: Exact) => (value.numerator + value.denominator - 1n) / value.denominator;

function bytes(value: bigint, filter: string): number {
  if (value > maxSafe) throw invalid(filter, 'the size is too large', sizeExample);
  return Number(value);
}

function parseSize(value: string, filter: string): { min?: number; max?: number } {
  const text = value.replace(/\s+/g, '');
  const range = text.indexOf('..');
  if (range >= 0) {
    const low = text.slice(0, range);
    const high = text.slice(range + 2);
    if (low === '' && high === '') throw invalid(filter, 'a range needs at least one end', sizeExample);
    const result: { min?: number; max?: number } = {};
    if (low !== '') result.min = bytes(ceilOf(parseSizeAmount(low, filter)), filter);
    if (high !== '') result.max = bytes(floorOf(parseSizeAmount(high, filter)), filter);
    return result;
  }
  const [, operator = '', amount = ''] = /^(>=|<=|>|<|=)?(.*)$/.exec(text) ?? [];
  const exact = parseSizeAmount(amount, filter);
  switch (operator) {
    case '>':
      return { min: bytes(floorOf(exact) + 1n, filter) };
    case '>=':
      return { min: bytes(ceilOf(exact), filter) };
    case '<': {
      const max = ceilOf(exact) - 1n;
      if (max < 0n) throw invalid(filter, 'no size is below 0', sizeExample);
      return { max: bytes(max, filter) };
    }
    case '<=':
      return { max: bytes(floorOf(exact), filter) };
    default: {
      if (exact.numerator % exact.denominator !== 0n) {
        throw invalid(filter, 'an exact size must be a whole number of bytes', sizeExample);
      }
      const size = bytes(floorOf(exact), filter);
      return { min: size, max: size };
    }
  }
}

// Dates -----------------------------------------------------------------------------------------------

const day = 86_400_000;
const dateExample =
  'modified:2024, modified:2024-03-15, modified:>=2024-01, modified:2023..2024, modified:week';

/** A span of time, `end` exclusive. */
interface Period {
  start: number;
  end: number;
}

/** Epoch ms of a UTC midnight; months and days overflow as in Date.UTC, but years below 100 stay put. */
function utc(year: number, monthIndex: number, date: number): number {
  const result = new Date(0);
  result.setUTCFullYear(year, monthIndex, date);
  return result.getTime();
}

function relativePeriod(word: string, now: number): Period | undefined {
  const today = Math.floor(now / day) * day;
  const tomorrow = today + day;
  switch (word) {
    case 'today':
      return { start: today, end: tomorrow };
    case 'yesterday':
      return { start: today - day, end: today };
    case 'week':
      return { start: today - 6 * day, end: tomorrow };
    case 'month':
      return { start: today - 29 * day, end: tomorrow };
    case 'year':
      return { start: today - 364 * day, end: tomorrow };
    default:
      return undefined;
  }
}

function parsePeriod(text: string, filter: string, now: number): Period {
  const relative = relativePeriod(text.toLowerCase(), now);
  if (relative) return relative;

  const date = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/.exec(text);
  if (date) {
    const year = Number(date[1]);
    if (date[2] === undefined) return { start: utc(year, 0, 1), end: utc(year + 1, 0, 1) };
    const month = Number(date[2]);
    if (month < 1 || month > 12) throw invalid(filter, `there is no month ${date[2]}`, dateExample);
    if (date[3] === undefined) return { start: utc(year, month - 1, 1), end: utc(year, month, 1) };
    const dayOfMonth = Number(date[3]);
    const start = utc(year, month - 1, dayOfMonth);
    if (dayOfMonth < 1 || new Date(start).getUTCMonth() !== month - 1) {
      throw invalid(filter, `there is no day ${date[3]} in ${date[1]}-${date[2]}`, dateExample);
    }
    return { start, end: start + day };
  }

  const time = /^(\d{4})-(\d{2})-(\d{2})t(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?z?$/i.exec(text);
  if (time) {
    const [, year, month, dayOfMonth, hours, minutes, seconds, fraction] = time;
    const start = utc(Number(year), Number(month) - 1, Number(dayOfMonth));
    const valid =
      Number(month) >= 1 &&
      Number(month) <= 12 &&
      Number(dayOfMonth) >= 1 &&
      new Date(start).getUTCMonth() === Number(month) - 1 &&
      Number(hours) < 24 &&
      Number(minutes) < 60 &&
      Number(seconds ?? 0) < 60;
    if (!valid)
      throw invalid(filter, `"${text}" is not a valid date and time`, 'modified:>=2024-03-15T10:20Z');
    const millis = fraction === undefined ? 0 : Number(fraction.padEnd(3, '0'));
    const precision =
      fraction !== undefined ? 10 ** (3 - fraction.length) : seconds !== undefined ? 1000 : 60_000;
    const at =
      start + Number(hours) * 3_600_000 + Number(minutes) * 60_000 + Number(seconds ?? 0) * 1000 + millis;
    return { start: at, end: at + precision };
  }

  throw invalid(
    filter,
    `"${text}" is not a date (YYYY, YYYY-MM, YYYY-MM-DD, or today, yesterday, week, month, year)`,
    dateExample,
  );
}

function parseModified(value: string, filter: string, now: number): { from?: number; to?: number } {
  const text = value.trim();
  const range = text.indexOf('..');
  if (range >= 0) {
    const low = text.slice(0, range);
    const high = text.slice(range + 2);
    if (low === '' && high === '') throw invalid(filter, 'a range needs at least one end', dateExample);
    const result: { from?: number; to?: number } = {};
    if (low !== '') result.from = parsePeriod(low, filter, now).start;
    if (high !== '') result.to = parsePeriod(high, filter, now).end;
    return result;
  }
  const [, operator = '', rest = ''] = /^(>=|<=|>|<|=)?(.*)$/s.exec(text) ?? [];
  const period = parsePeriod(rest, filter, now);
  switch (operator) {
    case '>':
      return { from: period.end };
    case '>=':
      return { from: period.start };
    case '<':
      return { to: period.start };
    case '<=':
      return { to: period.end };
    default:
      return { from: period.start, to: period.end };
  }
}

// Sorting ---------------------------------------------------------------------------------------------

function parseSort(value: string, filter: string): NonNullable<SearchQuery['sort']> {
  const example = 'sort:name, sort:size-asc, sort:-modified';
  let text = value.trim().toLowerCase();
  let prefix: 'asc' | 'desc' | undefined;
  if (text.startsWith('-') || text.startsWith('+')) {
    prefix = text.startsWith('-') ? 'desc' : 'asc';
    text = text.slice(1);
  }
  const suffix = /[-_:](asc|desc)$/.exec(text);
  if (suffix) text = text.slice(0, suffix.index);
  const by = sortAliases.get(text);
  if (by === undefined) {
    throw invalid(filter, `"${text}" is not a sort order (name, size, modified, relevance)`, example);
  }
  const suffixDirection = suffix?.[1] as 'asc' | 'desc' | undefined;
  if (prefix && suffixDirection && prefix !== suffixDirection) {
    throw invalid(filter, 'the sort direction is given twice, differently', example);
  }
  return { by, direction: prefix ?? suffixDirection ?? defaultDirection[by] };
}

// ---------------------------------------------------------------------------------------------------
// Parsing

/**
 * Parses the search syntax (see the top of this file and `searchSyntaxHelp`). Throws
 * SkyfoldError('invalid_argument') for a known filter with a value it cannot read.
 */
export function parseSearchQuery(text: string, options?: ParseSearchQueryOptions): SearchQuery {
  const now = options?.now ?? Date.now();
  const terms: string[] = [];
  let kind: 'file' | 'folder' | undefined;
  const categories = new Set<SearchCategory>();
  const extensions = new Set<string>();
  const accounts = new Set<string>();
  let size: { min?: number; max?: number } | undefined;
  let modified: { from?: number; to?: number } | undefined;
  let sort: SearchQuery['sort'];

  const setKind = (value: 'file' | 'folder', filter: string) => {
    if (kind !== undefined && kind !== value) {
      throw invalid(filter, `kind:${kind} and kind:${value} together match nothing`, 'kind:folder');
    }
    kind = value;
  };

  for (const pieces of tokenize(text)) {
    const first = pieces[0]!;
    const match = first.quoted ? null : keyPattern.exec(first.text);
    const key = match ? filterKeys.get(match[2]!.toLowerCase()) : undefined;
    if (!match || key === undefined) {
      const term = joinPieces(pieces);
      if (term !== '') terms.push(term);
      continue;
    }
    const filter = joinPieces(pieces);
    if (match[1] === '-') {
      throw invalid(filter, 'excluding with "-" is not supported; filters only keep', filter.slice(1));
    }
    const valuePieces = [{ text: first.text.slice(match[0].length), quoted: false }, ...pieces.slice(1)];
    const value = joinPieces(valuePieces);
    if (value.trim() === '') continue; // Still being typed.

    switch (key) {
      case 'ext':
        for (const item of splitList(valuePieces)) {
          const extension = item
            .trim()
            .replace(/^\*?\.?/, '')
            .toLowerCase();
          if (extension === '') continue;
          if (/[\s.,/\\*?]/.test(extension)) {
            const last = /^[^\s,/\\*?]+\.([^\s.,/\\*?]+)$/.exec(extension)?.[1] ?? 'pdf';
            throw invalid(
              filter,
              `"${item}" is not an extension (what follows the last dot of a name)`,
              `ext:${last}`,
            );
          }
          extensions.add(extension);
        }
        break;
      case 'type':
        for (const item of splitList(valuePieces)) {
          const word = item.trim().toLowerCase();
          if (word === '') continue;
          const asKind = kindAliases.get(word);
          if (asKind) {
            setKind(asKind, filter);
            continue;
          }
          const category = categoryAliases.get(word);
          if (category === undefined) {
            throw invalid(
              filter,
              `"${item}" is not a type (images, documents, spreadsheets, presentations, video, audio, archives, code; for an extension use ext:)`,
              'type:images or ext:pdf',
            );
          }
          categories.add(category);
        }
        break;
      case 'kind': {
        const asKind = kindAliases.get(value.trim().toLowerCase());
        if (!asKind) throw invalid(filter, `"${value}" is not a kind (file or folder)`, 'kind:folder');
        setKind(asKind, filter);
        break;
      }
      case 'size': {
        const next = parseSize(value, filter);
        size = { ...size };
        if (next.min !== undefined) size.min = Math.max(size.min ?? 0, next.min);
        if (next.max !== undefined) size.max = Math.min(size.max ?? Infinity, next.max);
        break;
      }
      case 'modified': {
        const next = parseModified(value, filter, now);
        modified = { ...modified };
        if (next.from !== undefined) modified.from = Math.max(modified.from ?? -Infinity, next.from);
        if (next.to !== undefined) modified.to = Math.min(modified.to ?? Infinity, next.to);
        break;
      }
      case 'in':
        for (const item of splitList(valuePieces)) {
          const account = item.trim();
          if (account !== '') accounts.add(account);
        }
        break;
      case 'sort':
        sort = parseSort(value, filter);
        break;
    }
  }

  const query: SearchQuery = { terms };
  if (kind !== undefined) query.kind = kind;
  if (categories.size > 0) query.categories = [...categories];
  if (extensions.size > 0) query.extensions = [...extensions];
  if (size !== undefined) query.size = size;
  if (modified !== undefined) query.modified = modified;
  if (accounts.size > 0) query.accounts = [...accounts];
  if (sort !== undefined) query.sort = sort;
  return query;
}

// ---------------------------------------------------------------------------------------------------
// Formatting

function quote(text: string): string {
  return `"${text.replace(/[\\"\u201c\u201d]/g, (char) => `\\${char}`)}"`;
}

function formatTerm(term: string): string {
  const key = keyPattern.exec(term);
  const needsQuotes =
    /[\s"\u201c\u201d]/u.test(term) || (key !== null && filterKeys.has(key[2]!.toLowerCase()));
  return needsQuotes ? quote(term) : term;
}

function formatListItem(item: string): string {
  return item === '' || /[\s,"\u201c\u201d]/u.test(item) ? quote(item) : item;
}

const formatUnits: readonly (readonly [string, number])[] = [
  ['', 1],
  ['KB', 1e3],
  ['MB', 1e6],
  ['GB', 1e9],
  ['TB', 1e12],
  ['KiB', 1024],
  ['MiB', 1024 ** 2],
  ['GiB', 1024 ** 3],
  ['TiB', 1024 ** 4],
];

/** How hard a spelling is to read: its digits first, then its length (`1.5GB` beats `1500000000`). */
const readingCost = (text: string) => text.replace(/\D/g, '').length * 1000 + text.length;
const easiest = (...spellings: string[]) =>
  spellings.reduce((best, next) => (readingCost(next) < readingCost(best) ? next : best));

/** The easiest exact spelling of a byte count: `10MB`, `1.5GB`, `1MiB`, `1234`. */
function formatBytes(value: number): string {
  const spellings = [String(value)];
  for (const [unit, factor] of formatUnits.slice(1)) {
    // At most 3 decimals, and only when it reads back exactly.
    const scaled = Math.round((value / factor) * 1000) / 1000;
    const text = `${String(scaled)}${unit}`;
    if (scaled === 0 || /e/i.test(text)) continue;
    const exact = parseSizeAmount(text, text);
    if (exact.numerator % exact.denominator === 0n && exact.numerator / exact.denominator === BigInt(value)) {
      spellings.push(text);
    }
  }
  return easiest(...spellings);
}

function formatSize(size: { min?: number; max?: number }): string | undefined {
  const { min, max } = size;
  const valid = (n: number | undefined): n is number => n !== undefined && Number.isSafeInteger(n) && n >= 0;
  if (valid(min) && valid(max)) {
    if (min === max) return `size:${formatBytes(min)}`;
    // One range, or the two bounds apart when that reads better (`size:>1.5KB size:<1.1GB`).
    return easiest(
      `size:${formatBytes(min)}..${formatBytes(max)}`,
      `${formatSize({ min })} ${formatSize({ max })}`,
    );
  }
  if (valid(min)) {
    const inclusive = `size:>=${formatBytes(min)}`;
    return min > 0 ? easiest(inclusive, `size:>${formatBytes(min - 1)}`) : inclusive;
  }
  if (valid(max)) return easiest(`size:<=${formatBytes(max)}`, `size:<${formatBytes(max + 1)}`);
  return undefined;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Spellings whose period starts at `ms`, shortest first: `2024`, `2024-01`, `2024-01-01`, a time. */
function startSpellings(ms: number): string[] {
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) return [];
  const spellings: string[] = [];
  if (ms % day === 0) {
    const y = pad(year, 4);
    const m = pad(date.getUTCMonth() + 1);
    const d = pad(date.getUTCDate());
    if (date.getUTCMonth() === 0 && date.getUTCDate() === 1) spellings.push(y);
    if (date.getUTCDate() === 1) spellings.push(`${y}-${m}`);
    spellings.push(`${y}-${m}-${d}`);
  }
  spellings.push(date.toISOString());
  return spellings;
}

/** Spellings whose period ends at `ms` (exclusive), shortest first. */
function endSpellings(ms: number): string[] {
  const spellings: string[] = [];
  if (ms % day === 0) {
    const date = new Date(ms);
    const previous = new Date(ms - day);
    const year = previous.getUTCFullYear();
    if (year >= 0 && year <= 9999) {
      const y = pad(year, 4);
      const m = pad(previous.getUTCMonth() + 1);
      if (date.getUTCMonth() === 0 && date.getUTCDate() === 1) spellings.push(y);
      if (date.getUTCDate() === 1) spellings.push(`${y}-${m}`);
      spellings.push(`${y}-${m}-${pad(previous.getUTCDate())}`);
    }
  }
  const last = new Date(ms - 1);
  if (last.getUTCFullYear() >= 0 && last.getUTCFullYear() <= 9999) spellings.push(last.toISOString());
  return spellings;
}

function formatModified(modified: { from?: number; to?: number }): string | undefined {
  const usable = (n: number | undefined): n is number => n !== undefined && Number.isSafeInteger(n);
  const from = usable(modified.from) ? startSpellings(modified.from) : [];
  const to = usable(modified.to) ? endSpellings(modified.to) : [];
  const toStart = usable(modified.to) ? startSpellings(modified.to) : [];
  if (from.length > 0 && to.length > 0) {
    const whole = from.find((spelling) => to.includes(spelling));
    return `modified:${whole ?? `${from[0]}..${to[0]}`}`;
  }
  if (from.length > 0) return `modified:>=${from[0]}`;
  if (toStart.length > 0) return `modified:<${toStart[0]}`;
  return undefined;
}

/**
 * Writes a query in the search syntax, filters in a fixed order after the terms:
 * `report kind:file type:documents ext:pdf size:>10MB modified:2024 in:dropbox sort:size-asc`.
 * Dates come out absolute (`today` becomes its date); `within` has no syntax and is left out.
 */
export function formatSearchQuery(query: SearchQuery): string {
  const parts: string[] = [];
  for (const term of query.terms) if (term !== '') parts.push(formatTerm(term));
  if (query.kind) parts.push(`kind:${query.kind}`);
  if (query.categories?.length) parts.push(`type:${query.categories.join(',')}`);
  if (query.extensions?.length) parts.push(`ext:${query.extensions.map(formatListItem).join(',')}`);
  const size = query.size && formatSize(query.size);
  if (size) parts.push(size);
  const modified = query.modified && formatModified(query.modified);
  if (modified) parts.push(modified);
  if (query.accounts?.length) parts.push(`in:${query.accounts.map(formatListItem).join(',')}`);
  if (query.sort) {
    const { by, direction } = query.sort;
    parts.push(direction === defaultDirection[by] ? `sort:${by}` : `sort:${by}-${direction}`);
  }
  return parts.join(' ');
}
