/**
 * The web host (`skyfold serve`): serves the built renderer and carries the contract over a
 * WebSocket, for tests in Chromium and for people on headless machines. Like Jupyter's token URL:
 *
 * - binds 127.0.0.1 only, on the given port (0 = a free one);
 * - a random token is minted at start and printed inside the URL; opening that URL once sets an
 *   HttpOnly, SameSite=Strict cookie and redirects to the app. Without the token or cookie nothing of
 *   the app is served (401);
 * - a Host header other than the loopback address and port is refused (403: DNS rebinding), and so is
 *   a WebSocket or an upload whose Origin is not this server's own (403: cross-site WebSocket
 *   hijacking, cross-site uploads).
 *
 * File bytes travel beside the contract (common/uploads.ts): `PUT /upload/<uploadId>/<index>` streams
 * one dropped file into the engine, `GET /download?account=..&item=..` streams one file out as a
 * browser download, `GET /thumbnail` and `GET /preview` serve thumbnails and preview bytes (the
 * answers media-responses.ts decides for both hosts).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline, type Duplex, type Readable } from 'node:stream';
import sirv from 'sirv';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EngineEvent } from '../../common/contract';
import { toErrorDto, type ErrorCode } from '../../common/errors';
import type { CallMessage, ServerMessage } from '../../common/rpc';
import { downloadPath, previewPath, thumbnailPath, uploadPathPrefix } from '../../common/uploads';
import { invokeContract } from '../core/contract-dispatch';
import { contentDisposition, mediaResponse, type MediaSource } from '../core/media/media-responses';
import type { ContractHandlers } from '../core/service';

export interface EventSource {
  onEvent(listener: (event: EngineEvent) => void): () => void;
}

/** One file's bytes for a browser download. */
export interface Download {
  name: string;
  /** Bytes, when known (then sent as Content-Length). */
  size: number | null;
  mimeType: string | null;
  stream: Readable;
}

/** What the web host needs of the engine to move file bytes (beside the contract, which carries JSON). */
export interface FileTransferHost {
  /**
   * Stores the bytes of file `index` of an upload announced by beginUpload; `length` is the request's
   * Content-Length. Throws not_found (unknown upload or index), invalid_argument (length differs from
   * the announced size, or the body ended early: nothing is kept), conflict (already received).
   */
  receiveUpload(uploadId: string, index: number, body: Readable, length: number): Promise<void>;
  /** A file's bytes for a browser download. Throws not_found, invalid_argument (a folder). */
  openDownload(accountId: string, itemId: string): Promise<Download>;
}

export interface WebHostOptions {
  service: ContractHandlers & EventSource & FileTransferHost & MediaSource;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** 0 = any free port. */
  port?: number;
  /** For tests; a fresh random token otherwise. */
  token?: string;
}

export interface WebHost {
  /** The URL to open, token included. */
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export const loopbackAddress = '127.0.0.1';
/** Largest accepted WebSocket message: contract calls are small. */
const maxMessageBytes = 1024 * 1024;
/** Longest id accepted in an upload or download address (the contract's limit for ids). */
const maxIdLength = 1024;

export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Starts the web host. Rejects when the port cannot be bound. */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const tokenDigest = digest(token);
  const isToken = (candidate: string | undefined): boolean =>
    candidate !== undefined && timingSafeEqual(digest(candidate), tokenDigest);

  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, loopbackAddress, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://${loopbackAddress}:${port}`;
  const allowedHosts = new Set([`${loopbackAddress}:${port}`, `localhost:${port}`]);
  const allowedOrigins = new Set([origin, `http://localhost:${port}`]);
  const cookieName = `skyfold-token-${port}`;

  const staticFiles = sirv(options.rendererDir, { single: true, dev: false, etag: true, dotfiles: false });

  server.on('request', (request, response) => {
    setSecurityHeaders(response);
    if (!allowedHosts.has(request.headers.host ?? '')) {
      return refuse(response, 403, 'This address is not allowed. Open the link printed by "skyfold serve".');
    }
    const url = parseRequestUrl(request.url, origin);
    if (!url) return refuse(response, 400, 'Bad request.');
    const queryToken = url.searchParams.get('token') ?? undefined;
    if (queryToken !== undefined) {
      if (!isToken(queryToken)) return refuse(response, 403, 'This link has a wrong token.');
      url.searchParams.delete('token');
      response.statusCode = 302;
      response.setHeader('Set-Cookie', `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`);
      response.setHeader('Location', url.pathname + url.search);
      return response.end();
    }
    if (!isToken(readCookie(request.headers.cookie, cookieName))) {
      return refuse(response, 401, 'Open the link printed by "skyfold serve" (it carries the access token).');
    }
    if (url.pathname.startsWith(uploadPathPrefix)) {
      if (!allowedOrigins.has(request.headers.origin ?? '')) {
        return refuse(response, 403, 'Uploads are accepted from this app only.');
      }
      return void serveUpload(options.service, request, response, url.pathname);
    }
    if (url.pathname === downloadPath) return void serveDownload(options.service, request, response, url);
    if (url.pathname === thumbnailPath || url.pathname === previewPath)
      return void serveMedia(options.service, request, response, url);
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return refuse(response, 405, 'Method not allowed.');
    response.setHeader('Cache-Control', 'no-store');
    staticFiles(request, response, () => refuse(response, 404, 'Not found.'));
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes });
  server.on('upgrade', (request, socket: Duplex, head) => {
    // Node drops its own error handler before 'upgrade': a reset by the peer must not crash the host.
    socket.on('error', () => socket.destroy());
    const url = parseRequestUrl(request.url, origin);
    const allowed =
      url?.pathname === '/rpc' &&
      allowedHosts.has(request.headers.host ?? '') &&
      allowedOrigins.has(request.headers.origin ?? '') &&
      isToken(readCookie(request.headers.cookie, cookieName));
    if (!allowed) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => serveContract(ws, options.service));
  });

  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Runs contract calls arriving on one socket and forwards engine events to it. */
function serveContract(ws: WebSocket, service: ContractHandlers & EventSource): void {
  const send = (message: ServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  const unsubscribe = service.onEvent((event) => send({ kind: 'event', event }));
  ws.on('close', unsubscribe);
  // Oversized or malformed frames: drop this client, never the host.
  ws.on('error', () => ws.terminate());
  ws.on('message', (data, isBinary) => {
    const call = isBinary ? null : parseCall(String(data));
    if (!call) {
      ws.close(1003, 'expected a JSON contract call');
      return;
    }
    const outcome = namesLocalPaths(call)
      ? Promise.resolve({
          ok: false as const,
          error: {
            code: 'invalid_argument' as const,
            message:
              'files on this computer are named by the desktop app only; the web host receives them as uploads',
          },
        })
      : invokeContract(service, call.method, call.args);
    void outcome.then((result) => send({ kind: 'result', id: call.id, ...result }));
  });
}

/**
 * Whether a call names files on this computer (`startTransfer` from `paths`): only the desktop
 * app may, for files dropped on its window. A page in a browser, even with the cookie, must not
 * be able to read any file of this user's by naming it.
 */
function namesLocalPaths(call: CallMessage): boolean {
  const source = (call.args as { source?: unknown } | null)?.source;
  return (
    call.method === 'startTransfer' && typeof source === 'object' && source !== null && 'paths' in source
  );
}

/**
 * `PUT /upload/<uploadId>/<index>` (the Origin already checked): streams the body into the engine, never
 * holding it whole. The declared Content-Length is required (411 without: the engine compares it with
 * the announced size). 204 once stored; an engine error answers with its status (errorStatus).
 */
async function serveUpload(
  service: FileTransferHost,
  request: http.IncomingMessage,
  response: http.ServerResponse,
  pathname: string,
): Promise<void> {
  if (request.method !== 'PUT') return refuseMethod(response, 'PUT');
  const target = parseUploadTarget(pathname.slice(uploadPathPrefix.length));
  if (!target) return refuse(response, 400, 'Expected /upload/<upload id>/<file index>.');
  const declared = request.headers['content-length'];
  if (declared === undefined) return refuse(response, 411, 'Content-Length is required.');
  const length = Number(declared);
  if (!/^\d+$/.test(declared) || !Number.isSafeInteger(length)) {
    return refuse(response, 400, 'Bad Content-Length.');
  }
  try {
    await service.receiveUpload(target.uploadId, target.index, request, length);
  } catch (error) {
    return refuseWithError(response, error);
  }
  response.statusCode = 204;
  response.setHeader('Cache-Control', 'no-store');
  response.end();
}

/** `<uploadId>/<index>` (the id percent-encoded, the index a non-negative integer), or null. */
function parseUploadTarget(rest: string): { uploadId: string; index: number } | null {
  const [encodedId, index, ...extra] = rest.split('/');
  if (extra.length > 0 || !encodedId || !index || !/^\d{1,9}$/.test(index)) return null;
  try {
    const uploadId = decodeURIComponent(encodedId);
    return uploadId.length <= maxIdLength ? { uploadId, index: Number(index) } : null;
  } catch {
    return null; // malformed percent-encoding
  }
}

/**
 * `GET /download?account=..&item=..`: streams one file as an attachment. Engine errors before the first
 * byte answer with their status; a failure mid-body destroys the response (the browser sees a failed
 * download, never a silently short file).
 */
async function serveDownload(
  service: FileTransferHost,
  request: http.IncomingMessage,
  response: http.ServerResponse,
  url: URL,
): Promise<void> {
  if (request.method !== 'GET') return refuseMethod(response, 'GET');
  const accountId = url.searchParams.get('account');
  const itemId = url.searchParams.get('item');
  if (!accountId || !itemId || accountId.length > maxIdLength || itemId.length > maxIdLength) {
    return refuse(response, 400, 'Expected /download?account=<account id>&item=<item id>.');
  }
  let download: Download;
  try {
    download = await service.openDownload(accountId, itemId);
  } catch (error) {
    return refuseWithError(response, error);
  }
  response.statusCode = 200;
  response.setHeader('Content-Type', safeMimeType(download.mimeType));
  if (download.size !== null && Number.isSafeInteger(download.size) && download.size >= 0) {
    response.setHeader('Content-Length', download.size);
  }
  response.setHeader('Content-Disposition', attachmentDisposition(download.name));
  response.setHeader('Cache-Control', 'no-store');
  // pipeline destroys both ends on an error on either side (a client that leaves stops the read).
  pipeline(download.stream, response, () => undefined);
}

/**
 * `GET /thumbnail` and `GET /preview`: the answer media-responses.ts decides (the same as Electron's
 * app:// protocol gives), its headers over the app's. A stream is piped like a download's.
 */
async function serveMedia(
  service: MediaSource,
  request: http.IncomingMessage,
  response: http.ServerResponse,
  url: URL,
): Promise<void> {
  const answer = await mediaResponse(service, request.method ?? 'GET', url);
  if (!answer) return refuse(response, 404, 'Not found.');
  response.statusCode = answer.status;
  for (const [name, value] of Object.entries(answer.headers)) response.setHeader(name, value);
  if (answer.body === null || Buffer.isBuffer(answer.body))
    return void response.end(answer.body ?? undefined);
  pipeline(answer.body, response, () => undefined);
}

/** A plain `type/subtype` MIME type (no parameters, nothing that could break the header). */
const plainMimeType = /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+$/;

function safeMimeType(mimeType: string | null): string {
  return mimeType && plainMimeType.test(mimeType) ? mimeType : 'application/octet-stream';
}

/** `Content-Disposition: attachment` for a file called `name` (see `contentDisposition`). */
export function attachmentDisposition(name: string): string {
  return contentDisposition('attachment', name);
}

/** The HTTP status for an engine error code; anything unexpected is a 500. */
const errorStatus: Partial<Record<ErrorCode, number>> = {
  not_found: 404,
  invalid_argument: 400,
  conflict: 409,
};

function refuseWithError(response: http.ServerResponse, error: unknown): void {
  const dto = toErrorDto(error);
  refuse(response, errorStatus[dto.code] ?? 500, dto.message);
}

function refuseMethod(response: http.ServerResponse, allowed: string): void {
  response.setHeader('Allow', allowed);
  refuse(response, 405, 'Method not allowed.');
}

function parseCall(text: string): CallMessage | null {
  try {
    const message = JSON.parse(text) as Partial<CallMessage> | null;
    if (
      message &&
      message.kind === 'call' &&
      Number.isSafeInteger(message.id) &&
      typeof message.method === 'string'
    ) {
      return message as CallMessage;
    }
  } catch {
    // fall through
  }
  return null;
}

/** The request target as a URL on our origin, or null when it cannot be parsed (e.g. `//`). */
function parseRequestUrl(target: string | undefined, origin: string): URL | null {
  try {
    const url = new URL(target ?? '/', origin);
    return url.origin === origin ? url : null;
  } catch {
    return null;
  }
}

function setSecurityHeaders(response: http.ServerResponse): void {
  response.setHeader('Content-Security-Policy', contentSecurityPolicy);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

function refuse(response: http.ServerResponse, status: number, message: string): void {
  response.statusCode = status;
  response.setHeader('Content-Type', 'text/plain; charset=utf-8');
  response.setHeader('Cache-Control', 'no-store');
  response.end(`${message}\n`);
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
