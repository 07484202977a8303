/**
 * A small HTTP layer over node:http shared by the emulators: a router with `:param` segments, body
 * readers with size limits, response helpers, and a loopback server with a clean shutdown.
 * Handlers keep full control of the raw request and response (status lines, headers, streaming).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Readable } from 'node:stream';

export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** The request URL resolved against the origin the client used (its Host header). */
  readonly url: URL;
  readonly method: string;
  /** Path parameters of the matched route, percent-decoded. */
  params: Record<string, string>;
  /**
   * The request body. Handlers read the body only through this stream: fault injection may replace
   * it (for example with one that resets the connection after N bytes).
   */
  body: Readable;
  /**
   * Set when fault injection reset the connection partway through the body: the body stream then
   * ends early (cleanly, so the bytes that did arrive can be kept) and no answer can be sent.
   */
  bodyCut?: boolean;
  /**
   * Set when a `quota` fault fired on a service whose routes answer it themselves
   * (`FaultHooks.quotaInRoute`): the route then fails its write with the service's space error.
   */
  quotaFault?: boolean;
}

export type Handler = (ctx: RequestContext) => Promise<void> | void;

interface Route {
  method: string;
  segments: string[];
  handler: Handler;
}

export type RouteMatch =
  | { kind: 'found'; handler: Handler; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' };

/**
 * Routes by method and path pattern (`/drive/v3/files/:fileId/copy`; a final `*` matches the rest,
 * exposed as `params['*']`). When several patterns match, the one with the most literal segments wins.
 */
export class Router {
  private readonly routes: Route[] = [];

  on(methods: string | readonly string[], pattern: string, handler: Handler): this {
    const segments = pattern.split('/').slice(1);
    for (const method of typeof methods === 'string' ? [methods] : methods) {
      this.routes.push({ method: method.toUpperCase(), segments, handler });
    }
    return this;
  }

  match(method: string, pathname: string): RouteMatch {
    const parts = pathname.split('/').slice(1);
    let best: { route: Route; params: Record<string, string>; literals: number } | undefined;
    const allow = new Set<string>();
    for (const route of this.routes) {
      const matched = matchSegments(route.segments, parts);
      if (!matched) continue;
      if (route.method !== method) {
        allow.add(route.method);
        continue;
      }
      if (!best || matched.literals > best.literals) best = { route, ...matched };
    }
    if (best) return { kind: 'found', handler: best.route.handler, params: best.params };
    return allow.size > 0 ? { kind: 'method-not-allowed', allow: [...allow] } : { kind: 'not-found' };
  }
}

function matchSegments(
  pattern: readonly string[],
  parts: readonly string[],
): { params: Record<string, string>; literals: number } | undefined {
  const params: Record<string, string> = {};
  let literals = 0;
  for (let i = 0; i < pattern.length; i++) {
    const segment = pattern[i] as string;
    if (segment === '*' && i === pattern.length - 1) {
      params['*'] = parts.slice(i).join('/');
      return { params, literals };
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (segment.startsWith(':')) {
      if (part === '') return undefined;
      try {
        params[segment.slice(1)] = decodeURIComponent(part);
      } catch {
        return undefined;
      }
    } else if (segment === part) {
      literals++;
    } else {
      return undefined;
    }
  }
  return parts.length === pattern.length ? { params, literals } : undefined;
}

/** Thrown by the body readers when a body exceeds its limit; servers answer 413. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body larger than ${limit} bytes`);
  }
}

/** Reads a whole body into memory, refusing more than `limit` bytes (the rest is not read). */
export async function readBody(body: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > limit) throw new BodyTooLargeError(limit);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, size);
}

/** Consumes and discards a body (bounded), so a response can be sent without resetting an upload. */
export async function drainBody(body: Readable, limit = 64 * 1024 * 1024): Promise<void> {
  let size = 0;
  try {
    for await (const chunk of body) {
      size += (chunk as Buffer).length;
      if (size > limit) break;
    }
  } catch {
    // The client went away; nothing to drain.
  }
}

/** A byte range `[start, end)` of a representation. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Parses a single `Range: bytes=a-b | a- | -n` header against a representation of `size` bytes:
 * undefined = answer with the whole body (no header, a malformed or multi-range one, or an invalid
 * `a-b` with b < a, which RFC 9110 says to ignore), null = unsatisfiable (416: `a` at or past the end,
 * `-0`, or any suffix of an empty representation).
 */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined | null {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) return null;
    return { start: Math.max(0, size - suffix), end: size };
  }
  const start = Number(match[1]);
  if (match[2] !== '' && Number(match[2]) < start) return undefined;
  if (start >= size) return null;
  return { start, end: match[2] === '' ? size : Math.min(size, Number(match[2]) + 1) };
}

/**
 * Starts the answer to a download that may carry a `Range` (`range`: parseRange's result): 416 with
 * `Content-Range: bytes *\/size` and no body (then ended; returns undefined), else 206 with its
 * Content-Range or 200, with `headers`, `contentType` and the Content-Length. Returns the bytes
 * `[start, end)` the body must carry.
 */
export function writeRangeHead(
  res: ServerResponse,
  range: ByteRange | undefined | null,
  size: number,
  contentType: string,
  headers: HeaderMap,
): ByteRange | undefined {
  if (range === null) {
    res.writeHead(416, { ...headers, 'Content-Range': `bytes */${size}`, 'Content-Length': 0 });
    res.end();
    return undefined;
  }
  const { start, end } = range ?? { start: 0, end: size };
  res.writeHead(range ? 206 : 200, {
    ...headers,
    'Content-Type': contentType,
    'Content-Length': end - start,
    ...(range ? { 'Content-Range': `bytes ${start}-${end - 1}/${size}` } : {}),
  });
  return { start, end };
}

/** Parses an `application/x-www-form-urlencoded` body. */
export function parseForm(body: Buffer): URLSearchParams {
  return new URLSearchParams(body.toString('utf8'));
}

/** The lowercased media type of a Content-Type header, without parameters (`''` when absent). */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** One parameter (`boundary`, `charset`) of a Content-Type header, unquoted. */
export function mediaTypeParam(contentType: string | undefined, name: string): string | undefined {
  for (const part of (contentType ?? '').split(';').slice(1)) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim().toLowerCase() !== name) continue;
    const value = part.slice(eq + 1).trim();
    return value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  }
  return undefined;
}

export type HeaderMap = Record<string, string | number | string[]>;

/** Sends a complete body with an exact Content-Length. */
export function sendBuffer(
  res: ServerResponse,
  status: number,
  body: Buffer,
  contentType: string,
  headers: HeaderMap = {},
): void {
  res.writeHead(status, { ...headers, 'Content-Type': contentType, 'Content-Length': body.length });
  res.end(body);
}

/** Sends JSON; `indent` 2 mimics Google's pretty-printed responses, 0 gives compact output. */
export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: HeaderMap = {},
  indent = 0,
): void {
  const text = indent > 0 ? JSON.stringify(value, null, indent) + '\n' : JSON.stringify(value);
  sendBuffer(res, status, Buffer.from(text), 'application/json; charset=UTF-8', headers);
}

export function sendHtml(res: ServerResponse, status: number, html: string, headers: HeaderMap = {}): void {
  sendBuffer(res, status, Buffer.from(html), 'text/html; charset=utf-8', headers);
}

export function sendText(res: ServerResponse, status: number, text: string, headers: HeaderMap = {}): void {
  sendBuffer(res, status, Buffer.from(text), 'text/plain; charset=utf-8', headers);
}

/** A response without a body (Content-Length: 0 unless the status forbids a body). */
export function sendEmpty(res: ServerResponse, status: number, headers: HeaderMap = {}): void {
  res.writeHead(status, status === 204 || status === 304 ? headers : { ...headers, 'Content-Length': 0 });
  res.end();
}

export function redirect(res: ServerResponse, location: string): void {
  sendEmpty(res, 302, { Location: location });
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  /** Stops listening and destroys open connections. Idempotent. */
  close(): Promise<void>;
}

/**
 * Listens on `host` (default 127.0.0.1) and `port` (0 or absent = a free port). A handler that throws
 * or rejects gets a bare 500 (each emulator renders its own errors before that).
 */
export async function listen(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  options: { host?: string; port?: number } = {},
): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendText(res, 500, 'Internal Server Error');
      else res.destroy();
    });
  });
  // Large uploads over a slow link must not be cut by Node's default request timeout.
  server.requestTimeout = 0;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    server,
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
