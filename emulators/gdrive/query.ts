/**
 * The Drive `q` search language: `term operator value` clauses joined by `and` / `or`, negated by
 * `not`, grouped by parentheses. Strings are single-quoted with `\'` and `\\` escapes. Supported terms:
 * name (contains = !=), fullText (contains), mimeType (contains = !=), modifiedTime / createdTime /
 * viewedByMeTime (< <= = != > >=, RFC 3339, UTC when no offset), trashed / starred / sharedWithMe
 * (= !=), `'ID' in parents|owners|writers|readers`, properties / appProperties `has { key='k' and
 * value='v' }`, visibility (= !=), shortcutDetails.targetId (= !=). Anything else is 400 "Invalid Value"
 * (location q), as Drive answers.
 *
 * `name contains 'x'` is a case-insensitive prefix match on the whole name or on any of its words
 * (Drive documents prefix matching for names); `fullText contains` also searches descriptions and
 * the text of Google-native documents.
 */
import { invalidParameter } from './errors';
import type { FileRecord } from './store';

export type Comparison = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Query =
  | { type: 'and' | 'or'; left: Query; right: Query }
  | { type: 'not'; operand: Query }
  | { type: 'in'; value: string; field: 'parents' | 'owners' | 'writers' | 'readers' }
  | {
      type: 'text';
      field: 'name' | 'mimeType' | 'fullText' | 'visibility' | 'shortcutDetails.targetId';
      op: 'contains' | '=' | '!=';
      value: string;
    }
  | { type: 'time'; field: 'modifiedTime' | 'createdTime' | 'viewedByMeTime'; op: Comparison; value: number }
  | { type: 'bool'; field: 'trashed' | 'starred' | 'sharedWithMe'; op: '=' | '!='; value: boolean }
  | { type: 'has'; field: 'properties' | 'appProperties'; key: string; value: string };

type Token =
  | { kind: 'string'; value: string }
  | { kind: 'word'; value: string }
  | { kind: 'op'; value: string }
  | { kind: 'punct'; value: '(' | ')' | '{' | '}' };

const invalid = () => invalidParameter('q');

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const ch = text[at] as string;
    if (/\s/.test(ch)) {
      at++;
    } else if (ch === "'") {
      let value = '';
      at++;
      for (;;) {
        if (at >= text.length) throw invalid();
        const c = text[at] as string;
        if (c === '\\') {
          const next = text[at + 1];
          if (next === undefined) throw invalid();
          value += next;
          at += 2;
        } else if (c === "'") {
          at++;
          break;
        } else {
          value += c;
          at++;
        }
      }
      tokens.push({ kind: 'string', value });
    } else if ('(){}'.includes(ch)) {
      tokens.push({ kind: 'punct', value: ch as '(' | ')' | '{' | '}' });
      at++;
    } else if ('=!<>'.includes(ch)) {
      const two = text.slice(at, at + 2);
      const op = ['!=', '<=', '>='].includes(two) ? two : ch;
      if (op === '!') throw invalid();
      tokens.push({ kind: 'op', value: op });
      at += op.length;
    } else {
      const match = /^[A-Za-z0-9_.]+/.exec(text.slice(at));
      if (!match) throw invalid();
      tokens.push({ kind: 'word', value: match[0] });
      at += match[0].length;
    }
  }
  return tokens;
}

class Parser {
  private at = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parse(): Query {
    const query = this.or();
    if (this.at !== this.tokens.length) throw invalid();
    return query;
  }

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }

  private take(): Token {
    const token = this.tokens[this.at++];
    if (!token) throw invalid();
    return token;
  }

  private keyword(word: string): boolean {
    const token = this.peek();
    if (token?.kind === 'word' && token.value.toLowerCase() === word) {
      this.at++;
      return true;
    }
    return false;
  }

  private expectPunct(value: string): void {
    const token = this.take();
    if (token.kind !== 'punct' || token.value !== value) throw invalid();
  }

  private or(): Query {
    let left = this.and();
    while (this.keyword('or')) left = { type: 'or', left, right: this.and() };
    return left;
  }

  private and(): Query {
    let left = this.not();
    while (this.keyword('and')) left = { type: 'and', left, right: this.not() };
    return left;
  }

  private not(): Query {
    if (this.keyword('not')) return { type: 'not', operand: this.not() };
    const token = this.peek();
    if (token?.kind === 'punct' && token.value === '(') {
      this.at++;
      const inner = this.or();
      this.expectPunct(')');
      return inner;
    }
    return this.term();
  }

  private string(): string {
    const token = this.take();
    if (token.kind !== 'string') throw invalid();
    return token.value;
  }

  private term(): Query {
    const first = this.take();
    if (first.kind === 'string') {
      if (!this.keyword('in')) throw invalid();
      const field = this.take();
      if (field.kind !== 'word' || !['parents', 'owners', 'writers', 'readers'].includes(field.value))
        throw invalid();
      return { type: 'in', value: first.value, field: field.value as 'parents' };
    }
    if (first.kind !== 'word') throw invalid();
    const field = first.value;
    switch (field) {
      case 'name':
      case 'mimeType':
      case 'fullText':
      case 'visibility':
      case 'shortcutDetails.targetId': {
        const op = this.operator();
        const allowed =
          field === 'fullText'
            ? ['contains']
            : field === 'name' || field === 'mimeType'
              ? ['contains', '=', '!=']
              : ['=', '!='];
        if (!allowed.includes(op)) throw invalid();
        return { type: 'text', field, op: op as 'contains', value: this.string() };
      }
      case 'modifiedTime':
      case 'createdTime':
      case 'viewedByMeTime': {
        const op = this.operator();
        if (op === 'contains') throw invalid();
        return { type: 'time', field, op: op as Comparison, value: parseTime(this.string()) };
      }
      case 'trashed':
      case 'starred':
      case 'sharedWithMe': {
        const op = this.operator();
        if (op !== '=' && op !== '!=') throw invalid();
        const value = this.take();
        if (value.kind !== 'word' || !['true', 'false'].includes(value.value)) throw invalid();
        return { type: 'bool', field, op, value: value.value === 'true' };
      }
      case 'properties':
      case 'appProperties': {
        if (!this.keyword('has')) throw invalid();
        this.expectPunct('{');
        const key = this.pair('key');
        if (!this.keyword('and')) throw invalid();
        const value = this.pair('value');
        this.expectPunct('}');
        return { type: 'has', field, key, value };
      }
      default:
        throw invalid();
    }
  }

  private pair(name: string): string {
    const word = this.take();
    if (word.kind !== 'word' || word.value !== name) throw invalid();
    const op = this.take();
    if (op.kind !== 'op' || op.value !== '=') throw invalid();
    return this.string();
  }

  private operator(): string {
    const token = this.take();
    if (token.kind === 'op') return token.value;
    if (token.kind === 'word' && token.value.toLowerCase() === 'contains') return 'contains';
    throw invalid();
  }
}

const TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

function parseTime(text: string): number {
  if (!TIME.test(text)) throw invalid();
  const withZone =
    text.length === 10 ? `${text}T00:00:00Z` : /(Z|[+-]\d{2}:\d{2})$/.test(text) ? text : `${text}Z`;
  const ms = Date.parse(withZone);
  if (Number.isNaN(ms)) throw invalid();
  return ms;
}

/** Parses `q`; throws 400 invalid (location q) on anything Drive would refuse. */
export function parseQuery(text: string): Query {
  return new Parser(tokenize(text)).parse();
}

export interface QueryContext {
  rootId: string;
  email: string;
}

function compare(a: number, op: Comparison, b: number): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

/** Case-insensitive prefix match on the whole name or one of its words. */
export function namePrefixMatch(name: string, query: string): boolean {
  const needle = query.toLowerCase();
  const haystack = name.toLowerCase();
  if (haystack.startsWith(needle)) return true;
  return haystack.split(/[^\p{L}\p{N}]+/u).some((word) => word.length > 0 && word.startsWith(needle));
}

/** Compiles a query into a predicate over records. */
export function compileQuery(query: Query, ctx: QueryContext): (record: FileRecord) => boolean {
  switch (query.type) {
    case 'and': {
      const left = compileQuery(query.left, ctx);
      const right = compileQuery(query.right, ctx);
      return (r) => left(r) && right(r);
    }
    case 'or': {
      const left = compileQuery(query.left, ctx);
      const right = compileQuery(query.right, ctx);
      return (r) => left(r) || right(r);
    }
    case 'not': {
      const operand = compileQuery(query.operand, ctx);
      return (r) => !operand(r);
    }
    case 'in': {
      if (query.field === 'parents') {
        const parent = query.value === 'root' ? ctx.rootId : query.value;
        return (r) => r.parent === parent;
      }
      const mine = query.value === 'me' || query.value.toLowerCase() === ctx.email.toLowerCase();
      return () => mine;
    }
    case 'text':
      return compileText(query);
    case 'time': {
      const { field, op, value } = query;
      return (r) => {
        const time = r[field];
        return time !== undefined && compare(time, op, value);
      };
    }
    case 'bool': {
      const { field, op, value } = query;
      return (r) => {
        const actual = field === 'sharedWithMe' ? false : r[field];
        return op === '=' ? actual === value : actual !== value;
      };
    }
    case 'has': {
      const { field, key, value } = query;
      return (r) => r[field]?.[key] === value;
    }
  }
}

function compileText(query: Extract<Query, { type: 'text' }>): (record: FileRecord) => boolean {
  const { field, op, value } = query;
  const equal = (actual: string | undefined) => (op === '=' ? actual === value : actual !== value);
  switch (field) {
    case 'name':
      return op === 'contains' ? (r) => namePrefixMatch(r.name, value) : (r) => equal(r.name);
    case 'mimeType':
      return op === 'contains'
        ? (r) => r.mimeType.toLowerCase().includes(value.toLowerCase())
        : (r) => equal(r.mimeType);
    case 'fullText': {
      const needle = value.toLowerCase();
      return (r) =>
        namePrefixMatch(r.name, value) ||
        (r.description?.toLowerCase().includes(needle) ?? false) ||
        (r.content?.kind === 'native' && r.content.text.toLowerCase().includes(needle));
    }
    case 'visibility':
      return () => equal('limited');
    case 'shortcutDetails.targetId':
      return (r) => equal(r.shortcutTarget?.id);
  }
}

/** The folder named by a top-level `'ID' in parents` conjunct, so a listing can start from its children. */
export function parentConstraint(query: Query, rootId: string): string | undefined {
  if (query.type === 'in' && query.field === 'parents') return query.value === 'root' ? rootId : query.value;
  if (query.type === 'and')
    return parentConstraint(query.left, rootId) ?? parentConstraint(query.right, rootId);
  return undefined;
}

/** True when the query has a fullText term (Drive refuses orderBy with those). */
export function hasFullText(query: Query): boolean {
  switch (query.type) {
    case 'and':
    case 'or':
      return hasFullText(query.left) || hasFullText(query.right);
    case 'not':
      return hasFullText(query.operand);
    case 'text':
      return query.field === 'fullText';
    default:
      return false;
  }
}
