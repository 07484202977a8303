/**
 * Fault injection shared by the emulators: rules parsed from a compact spec (`--faults`, admin
 * `POST /__admin/faults`) decide per request, by probability or by a scripted sequence, whether to
 * answer with a rate limit or an error (rendered by each emulator exactly as its service does), reset
 * the connection, truncate the response body, flip bytes of a body, delay, or expire the caller's token.
 *
 * Spec syntax (see emulators/README.md): rules separated by `;` or newlines; each rule is
 * `KIND[=ARG] [METHOD] [PATH-GLOB] [key=value ...]`, for example
 * `rate-limit /drive/v3/files* p=0.2; error=503 PUT /upload/* seq=x.x; truncate GET * times=1`.
 */
import type { ServerResponse } from 'node:http';
import { Transform, type Readable } from 'node:stream';
import { drainBody, type RequestContext } from './http';
import { Prng } from './prng';

export const FAULT_KINDS = [
  /** The service's per-project rate-limit answer (Drive: 429 rateLimitExceeded). */
  'rate-limit',
  /** The service's per-user rate-limit answer (Drive: 403 userRateLimitExceeded). */
  'user-rate-limit',
  /** An error status (`status`, default 503) with the service's error body. */
  'error',
  /** The service's storage-quota-exceeded answer. */
  'quota',
  /** Resets the connection: at once, or after `bytes` bytes of the request body were read. */
  'reset',
  /** Runs the request (its effects happen) but resets the connection instead of answering. */
  'drop',
  /** Runs the request, sends the headers and only part of the body (`bytes`, default half), then resets. */
  'truncate',
  /**
   * Runs the request normally but XORs bytes of its body with 0xff, the length unchanged: of the
   * response body (default), or with `in=request` of the request body as the route receives (and
   * stores) it. `bytes` = position of the first flipped byte, else positions drawn from the seeded
   * generator; `count` bytes (default 1).
   */
  'flip',
  /** Delays the request by `ms` (default 1000) before it is handled. */
  'slow',
  /** Expires the access token the request carries before it is handled (the request then fails with 401). */
  'expire-token',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRule {
  kind: FaultKind;
  /** HTTP method to match; absent = any. */
  method?: string;
  /** Glob on the URL path (`*` matches any characters, `/` included); absent = the service's API paths. */
  path?: string;
  /** Probability per matching request, from a seeded generator (reproducible). Default 1. */
  p?: number;
  /** Fires at most this many times. */
  times?: number;
  /** Lets the first N matching requests pass before the rule can fire. */
  after?: number;
  /** Scripted sequence over matching requests: `x` = fire, `.` = pass; after its end: pass. Overrides p/times. */
  seq?: string;
  /** `error`: the status code (400-599). */
  status?: number;
  /** Seconds; adds a Retry-After header to rate-limit, quota and error answers. */
  retryAfter?: number;
  /** `slow`: the delay in milliseconds. */
  ms?: number;
  /**
   * `reset`: request body bytes read before the reset; `truncate`: response body bytes sent; `flip`:
   * position (0-based, in the body) of the first flipped byte.
   */
  bytes?: number;
  /** `flip`: how many bytes to flip (default 1): from `bytes` on, or at as many distinct drawn positions. */
  count?: number;
  /** `flip`: which body, `response` (default) or `request`. */
  in?: 'request' | 'response';
  /** Seed of the generator behind `p`. Default 1. */
  seed?: number;
}

export class FaultSpecError extends Error {}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const SHORTHAND: Partial<Record<FaultKind, 'status' | 'ms' | 'bytes'>> = {
  error: 'status',
  slow: 'ms',
  reset: 'bytes',
  truncate: 'bytes',
  flip: 'bytes',
};
const NUMERIC_OPTIONS = [
  'p',
  'times',
  'after',
  'status',
  'retryAfter',
  'ms',
  'bytes',
  'count',
  'seed',
] as const;

/** Parses the compact spec into rules; throws FaultSpecError naming the offending token. */
export function parseFaultSpec(spec: string): FaultRule[] {
  const rules: FaultRule[] = [];
  for (const text of spec.split(/[;\n]/)) {
    const tokens = text.trim().split(/\s+/).filter(Boolean);
    if (tokens.length === 0) continue;
    const [head, ...rest] = tokens as [string, ...string[]];
    const eq = head.indexOf('=');
    const kind = (eq < 0 ? head : head.slice(0, eq)) as FaultKind;
    if (!FAULT_KINDS.includes(kind))
      throw new FaultSpecError(`unknown fault kind "${kind}" in "${text.trim()}"`);
    const raw: Record<string, unknown> = { kind };
    if (eq >= 0) {
      const option = SHORTHAND[kind];
      if (!option) throw new FaultSpecError(`"${kind}" takes no value (in "${head}")`);
      raw[option] = head.slice(eq + 1);
    }
    for (const token of rest) {
      if (METHODS.has(token)) raw.method = token;
      else if (token.startsWith('/') || token === '*') raw.path = token;
      else if (token.includes('=')) {
        const at = token.indexOf('=');
        raw[token.slice(0, at)] = token.slice(at + 1);
      } else throw new FaultSpecError(`unexpected "${token}" in "${text.trim()}"`);
    }
    rules.push(validateFaultRule(raw));
  }
  return rules;
}

/** Checks one rule given as JSON (admin endpoint) or parsed from the spec; numbers may be strings. */
export function validateFaultRule(raw: unknown): FaultRule {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new FaultSpecError('a rule is an object');
  const input = raw as Record<string, unknown>;
  const kind = input.kind as FaultKind;
  if (!FAULT_KINDS.includes(kind)) throw new FaultSpecError(`unknown fault kind "${String(input.kind)}"`);
  const rule: FaultRule = { kind };
  for (const [key, value] of Object.entries(input)) {
    if (key === 'kind') continue;
    if (key === 'method') {
      const method = String(value).toUpperCase();
      if (!METHODS.has(method)) throw new FaultSpecError(`unknown method "${String(value)}"`);
      rule.method = method;
    } else if (key === 'path') {
      if (typeof value !== 'string' || !(value.startsWith('/') || value === '*'))
        throw new FaultSpecError(`path must start with "/" or be "*" (got "${String(value)}")`);
      rule.path = value;
    } else if (key === 'seq') {
      if (typeof value !== 'string' || !/^[x.]+$/.test(value))
        throw new FaultSpecError(`seq is made of "x" (fire) and "." (pass), got "${String(value)}"`);
      rule.seq = value;
    } else if (key === 'in') {
      if (value !== 'request' && value !== 'response')
        throw new FaultSpecError(`in is "request" or "response", got "${String(value)}"`);
      rule.in = value;
    } else if ((NUMERIC_OPTIONS as readonly string[]).includes(key)) {
      const number = typeof value === 'number' ? value : Number(value);
      if (!Number.isFinite(number) || number < 0) throw new FaultSpecError(`${key} must be a number >= 0`);
      rule[key as (typeof NUMERIC_OPTIONS)[number]] = number;
    } else {
      throw new FaultSpecError(`unknown option "${key}"`);
    }
  }
  if (rule.p !== undefined && rule.p > 1) throw new FaultSpecError('p is a probability between 0 and 1');
  if ((rule.count !== undefined || rule.in !== undefined) && rule.kind !== 'flip')
    throw new FaultSpecError(`count and in apply to flip only (in a "${rule.kind}" rule)`);
  if (rule.count !== undefined && (rule.count < 1 || !Number.isInteger(rule.count)))
    throw new FaultSpecError('count must be a whole number >= 1');
  if (rule.kind === 'flip' && rule.bytes !== undefined && !Number.isInteger(rule.bytes))
    throw new FaultSpecError('a flip position (bytes) must be a whole number');
  if (rule.status !== undefined && (rule.status < 400 || rule.status > 599 || !Number.isInteger(rule.status)))
    throw new FaultSpecError('status must be an integer between 400 and 599');
  return rule;
}

/** Accepts a spec string, one rule, or a list of rules (JSON). */
export function toFaultRules(input: unknown): FaultRule[] {
  if (typeof input === 'string') return parseFaultSpec(input);
  if (Array.isArray(input)) return input.map(validateFaultRule);
  return [validateFaultRule(input)];
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

interface ActiveRule {
  rule: FaultRule;
  pattern: RegExp | undefined;
  prng: Prng;
  matched: number;
  fired: number;
}

/**
 * A rule that fired on one request. A `flip` without a position carries `draws`: `count` numbers in
 * [0, 1) from the rule's seeded generator, turned into positions once the body's length is known.
 */
export interface FiredFault extends FaultRule {
  draws?: number[];
}

/** A rule with its counters, as reported by `GET /__admin/faults`. */
export interface FaultRuleState extends FaultRule {
  matched: number;
  fired: number;
}

/**
 * Holds the active rules and decides, request by request, which fire. Deterministic: the same rules
 * and the same request order give the same faults.
 */
export class FaultEngine {
  private active: ActiveRule[] = [];

  /**
   * `isApiPath` scopes rules that name no path (for Drive: `/drive/*` and `/upload/*`); `rules` start
   * active; `canFire` narrows where a kind applies at all (Dropbox: `quota` only on routes that can
   * run out of space): a request it excludes does not count as matched.
   */
  constructor(
    private readonly isApiPath: (path: string) => boolean,
    rules: readonly FaultRule[] = [],
    private readonly canFire: (kind: FaultKind, path: string) => boolean = () => true,
  ) {
    this.add(rules);
  }

  /** Replaces all rules (counters restart). */
  set(rules: readonly FaultRule[]): void {
    this.active = [];
    this.add(rules);
  }

  add(rules: readonly FaultRule[]): void {
    for (const rule of rules) {
      this.active.push({
        rule,
        pattern: rule.path === undefined ? undefined : globToRegExp(rule.path),
        prng: new Prng(rule.seed ?? 1),
        matched: 0,
        fired: 0,
      });
    }
  }

  clear(): void {
    this.active = [];
  }

  list(): FaultRuleState[] {
    return this.active.map((a) => ({ ...a.rule, matched: a.matched, fired: a.fired }));
  }

  /** The rules that fire for this request, in declaration order; updates the counters. */
  evaluate(method: string, path: string): FiredFault[] {
    const fired: FiredFault[] = [];
    for (const active of this.active) {
      const { rule } = active;
      if (rule.method && rule.method !== method) continue;
      if (active.pattern ? !active.pattern.test(path) : !this.isApiPath(path)) continue;
      if (!this.canFire(rule.kind, path)) continue;
      const index = active.matched++;
      if (index < (rule.after ?? 0)) continue;
      const step = index - (rule.after ?? 0);
      let fire: boolean;
      if (rule.seq !== undefined) fire = rule.seq[step] === 'x';
      else if (rule.times !== undefined && active.fired >= rule.times) fire = false;
      else fire = rule.p === undefined || active.prng.next() < rule.p;
      if (fire) {
        active.fired++;
        if (rule.kind === 'flip' && rule.bytes === undefined) {
          const draws = Array.from({ length: rule.count ?? 1 }, () => active.prng.next());
          fired.push({ ...rule, draws });
        } else fired.push(rule);
      }
    }
    return fired;
  }
}

/** Kinds answered with a response body that each emulator renders in its service's format. */
export type RenderedFaultKind = 'rate-limit' | 'user-rate-limit' | 'error' | 'quota';

export interface FaultHooks {
  /** Sends the service's own answer for a rate limit, quota or error fault. */
  render(rule: FaultRule & { kind: RenderedFaultKind }, ctx: RequestContext): void;
  /** Expires the access token carried by the request, if any. */
  expireToken(ctx: RequestContext): void;
  /** Waits `ms`; injected so tests need not sleep. */
  sleep?(ms: number): Promise<void>;
  /**
   * `quota` faults are answered by the route itself (`ctx.quotaFault`), after its own checks, instead
   * of `render`: Dropbox's answer to a failed upload names a session holding the request's bytes.
   */
  quotaInRoute?: boolean;
}

/** Kinds that change how a request runs, beside at most one terminal effect. */
const modifierKinds: ReadonlySet<FaultKind> = new Set(['slow', 'expire-token', 'flip']);

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Applies the fired rules to a request: delays and token expiry first, then at most one terminal
 * effect. Returns 'handled' when the request must not reach its route handler.
 */
export async function applyFaults(
  fired: readonly FiredFault[],
  ctx: RequestContext,
  hooks: FaultHooks,
): Promise<'handled' | 'continue'> {
  for (const rule of fired) {
    if (rule.kind === 'slow') await (hooks.sleep ?? defaultSleep)(rule.ms ?? 1000);
    else if (rule.kind === 'expire-token') hooks.expireToken(ctx);
  }
  const terminal = fired.find((rule) => !modifierKinds.has(rule.kind));
  const outcome = await applyTerminal(terminal, ctx, hooks);
  // Flips alter the bodies of requests that run (after a `reset=BYTES` has cut the request body, so
  // they apply to what the route receives); answers the fault renders itself are left alone.
  if (outcome === 'continue' && !ctx.quotaFault) {
    for (const rule of fired) if (rule.kind === 'flip') flipBody(ctx, rule);
  }
  return outcome;
}

async function applyTerminal(
  terminal: FaultRule | undefined,
  ctx: RequestContext,
  hooks: FaultHooks,
): Promise<'handled' | 'continue'> {
  if (!terminal) return 'continue';
  if (terminal.kind === 'quota' && hooks.quotaInRoute) {
    ctx.quotaFault = true;
    return 'continue';
  }
  switch (terminal.kind) {
    case 'rate-limit':
    case 'user-rate-limit':
    case 'error':
    case 'quota':
      // Read the upload first, as a real front end does, so the client sees the answer, not a broken pipe.
      await drainBody(ctx.body);
      hooks.render({ ...terminal, kind: terminal.kind }, ctx);
      return 'handled';
    case 'reset':
      if (terminal.bytes === undefined || terminal.bytes === 0) {
        ctx.req.socket.destroy();
        return 'handled';
      }
      ctx.body = resetAfter(ctx, terminal.bytes);
      return 'continue';
    case 'drop':
      breakResponse(ctx.res, 0, true);
      return 'continue';
    case 'truncate':
      breakResponse(ctx.res, terminal.bytes, false);
      return 'continue';
    default:
      return 'continue';
  }
}

/**
 * The body positions a flip changes, ascending and distinct: `count` from `bytes` on, or one per
 * draw spread over `length` (probing forward past a position already taken). Positions past the end
 * of the body change nothing; with an unknown length, drawn positions fall in the first 64 KiB.
 */
export function flipPositions(rule: FiredFault, length: number | undefined): number[] {
  const count = rule.count ?? 1;
  if (rule.bytes !== undefined) return Array.from({ length: count }, (_, i) => rule.bytes! + i);
  const span = length !== undefined && length > 0 ? length : 65536;
  const taken = new Set<number>();
  for (const draw of rule.draws ?? [0]) {
    if (taken.size >= span) break;
    let position = Math.floor(draw * span);
    while (taken.has(position)) position = (position + 1) % span;
    taken.add(position);
  }
  return [...taken].sort((a, b) => a - b);
}

/** XORs the bytes of `chunk` (body offset `offset`) that are at `positions` with 0xff, in a copy. */
function flipChunk(chunk: Buffer, offset: number, positions: readonly number[]): Buffer {
  let copy: Buffer | undefined;
  for (const position of positions) {
    const at = position - offset;
    if (at < 0 || at >= chunk.length) continue;
    // Never flip in place: the route's buffer may be the stored content itself.
    copy ??= Buffer.from(chunk);
    copy[at] = copy[at]! ^ 0xff;
  }
  return copy ?? chunk;
}

/** Applies a `flip` rule to the request body (`in=request`) or to the response body. */
function flipBody(ctx: RequestContext, rule: FiredFault): void {
  if (rule.in === 'request') {
    const declared = Number(ctx.req.headers['content-length']);
    const positions = flipPositions(rule, Number.isFinite(declared) ? declared : undefined);
    let offset = 0;
    const flipper = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        const out = flipChunk(chunk, offset, positions);
        offset += chunk.length;
        callback(null, out);
      },
    });
    ctx.body.on('error', (error) => flipper.destroy(error));
    ctx.body = ctx.body.pipe(flipper);
    return;
  }
  const { res } = ctx;
  const readLength = watchContentLength(res);
  const write = res.write.bind(res) as (chunk: Buffer, callback?: () => void) => boolean;
  const end = res.end.bind(res) as (chunk?: Buffer, callback?: () => void) => ServerResponse;
  let positions: number[] | undefined;
  let offset = 0;
  const flipped = (chunk: unknown, encoding: unknown) => {
    positions ??= flipPositions(rule, readLength());
    const buffer = toBuffer(chunk, encoding);
    const out = flipChunk(buffer, offset, positions);
    offset += buffer.length;
    return out;
  };
  res.write = ((chunk: unknown, encoding?: unknown, callback?: unknown): boolean => {
    const done = typeof encoding === 'function' ? encoding : callback;
    return write(flipped(chunk, encoding), typeof done === 'function' ? (done as () => void) : undefined);
  }) as typeof res.write;
  res.end = ((chunk?: unknown, encoding?: unknown, callback?: unknown) => {
    if (typeof chunk === 'function') return end(undefined, chunk as () => void);
    const done = typeof encoding === 'function' ? encoding : callback;
    const callbackOrNone = typeof done === 'function' ? (done as () => void) : undefined;
    if (chunk === undefined || chunk === null) return end(undefined, callbackOrNone);
    return end(flipped(chunk, encoding), callbackOrNone);
  }) as typeof res.end;
}

/**
 * Watches `res.writeHead` for a Content-Length (writeHead(status, headers) does not make its headers
 * visible to getHeader()); returns a reader of the declared length, or undefined when none.
 */
function watchContentLength(res: ServerResponse): () => number | undefined {
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  let declared: unknown;
  res.writeHead = ((...args: unknown[]) => {
    for (const arg of args.slice(1)) {
      if (typeof arg !== 'object' || arg === null || Array.isArray(arg)) continue;
      for (const [name, value] of Object.entries(arg)) {
        if (name.toLowerCase() === 'content-length') declared = value;
      }
    }
    return writeHead(...args);
  }) as typeof res.writeHead;
  return () => {
    const length = Number(declared ?? res.getHeader('content-length'));
    return Number.isFinite(length) && length >= 0 ? length : undefined;
  };
}

function toBuffer(chunk: unknown, encoding: unknown): Buffer {
  return Buffer.isBuffer(chunk)
    ? chunk
    : typeof chunk === 'string'
      ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
      : Buffer.from(chunk as Uint8Array);
}

/**
 * A body stream that delivers `bytes` bytes of the request, resets the connection, then ends (marking
 * `ctx.bodyCut`), so a handler keeps exactly the bytes a server would have received before the reset.
 */
function resetAfter(ctx: RequestContext, bytes: number): Readable {
  const { req } = ctx;
  let seen = 0;
  const limited = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const left = bytes - seen;
      if (chunk.length < left) {
        seen += chunk.length;
        callback(null, chunk);
        return;
      }
      seen = bytes;
      ctx.bodyCut = true;
      req.unpipe(limited);
      req.socket.destroy();
      callback(null, chunk.subarray(0, left));
      limited.end();
    },
  });
  req.on('error', (error) => {
    if (!ctx.bodyCut) limited.destroy(error);
  });
  req.on('aborted', () => {
    if (!ctx.bodyCut) limited.destroy(new Error('request aborted'));
  });
  req.pipe(limited);
  return limited;
}

/**
 * Makes a response break: `drop` resets before anything is sent; otherwise the headers (with their
 * real Content-Length) and at most `bytes` body bytes (default half the Content-Length, always fewer
 * than the whole body) go out, then the connection is reset.
 */
function breakResponse(res: ServerResponse, bytes: number | undefined, drop: boolean): void {
  const write = res.write.bind(res) as (chunk: Buffer, callback?: () => void) => boolean;
  const readLength = watchContentLength(res);
  let sent = 0;
  let budget: number | undefined;
  let dead = false;
  const kill = (last: Buffer) => {
    dead = true;
    if (drop) res.socket?.destroy();
    else write(last, () => res.socket?.destroy());
  };
  const allowance = () => {
    if (budget === undefined) {
      const length = readLength() ?? 0;
      const known = length > 0;
      budget = bytes ?? (known ? Math.floor(length / 2) : 0);
      if (known) budget = Math.min(budget, length - 1);
    }
    return budget;
  };
  const patchedWrite = (chunk: unknown, encoding?: unknown, callback?: unknown): boolean => {
    const done = typeof encoding === 'function' ? encoding : callback;
    if (dead) {
      if (typeof done === 'function') process.nextTick(done as () => void);
      return false;
    }
    const buffer = toBuffer(chunk, encoding);
    const left = allowance() - sent;
    if (!drop && buffer.length < left) {
      sent += buffer.length;
      return write(buffer, typeof done === 'function' ? (done as () => void) : undefined);
    }
    kill(buffer.subarray(0, Math.max(0, left)));
    return false;
  };
  res.write = patchedWrite as typeof res.write;
  res.end = ((chunk?: unknown, encoding?: unknown) => {
    if (!dead && chunk !== undefined && typeof chunk !== 'function') patchedWrite(chunk, encoding);
    if (!dead) kill(Buffer.alloc(0));
    return res;
  }) as typeof res.end;
}
