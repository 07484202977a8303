/**
 * The `app://skyfold/...` scheme: serves the built renderer (out/renderer) and nothing else.
 *
 * - Registered as privileged (standard + secure + fetch) before `ready`, so pages get a real origin
 *   (`app://skyfold`), a secure context, and CSP `'self'` means exactly our files.
 * - Every response carries a strict Content-Security-Policy; the page cannot load remote code.
 * - A request whose decoded path would leave the renderer folder (`..`, encoded slashes, absolute
 *   paths, NUL) is refused before touching the disk; so is any other host.
 * - `/thumbnail` and `/preview` (common/uploads.ts) are answered by the engine, with the answers
 *   media-responses.ts decides for both hosts (and their own headers: CSP sandbox, nosniff).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import type { CustomScheme, Protocol } from 'electron';
import { previewPath, thumbnailPath } from '../../common/uploads';
import { mediaResponse, type MediaSource } from '../core/media/media-responses';
import { appHost, appScheme } from './app-origin';

/** The policy every page we serve runs under. No inline or remote script, no plugins, no framing. */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "media-src 'self'",
  "worker-src 'self'",
  "frame-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers on every response of the app scheme, including errors. */
export const securityHeaders: Readonly<Record<string, string>> = {
  'Content-Security-Policy': contentSecurityPolicy,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

export const appSchemePrivileges: CustomScheme = {
  scheme: appScheme,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
};

/** Must run before the app is ready (Electron throws otherwise). */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([appSchemePrivileges]);
}

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export interface AppProtocolOptions {
  /** Absolute path of the built renderer folder (out/renderer). */
  root: string;
  /** The engine for `/thumbnail` and `/preview` (undefined while it is not open: 503). */
  media?: () => MediaSource | undefined;
}

/**
 * The handler for `protocol.handle('app', ...)`. Never throws: every failure becomes a plain-text
 * error response (400 bad path, 403 escape attempt, 404 missing / other host, 405 not GET/HEAD).
 */
export function createAppProtocolHandler(
  options: AppProtocolOptions,
): (request: Request) => Promise<Response> {
  const root = path.resolve(options.root);
  return async (request) => {
    try {
      if (request.method !== 'GET' && request.method !== 'HEAD') return failure(405, 'method not allowed');
      const media = await mediaAnswer(options.media, request);
      if (media) return media;
      const file = resolveRequestPath(root, request.url);
      if (typeof file === 'number') return failure(file, file === 403 ? 'forbidden' : 'bad request');
      if (file === null) return failure(404, 'not found');
      const stat = await fs.stat(file).catch(() => null);
      if (!stat?.isFile()) return failure(404, 'not found');
      const body = request.method === 'HEAD' ? null : await fs.readFile(file);
      return new Response(body, {
        status: 200,
        headers: {
          ...securityHeaders,
          'Content-Type': contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
          'Content-Length': String(stat.size),
        },
      });
    } catch {
      return failure(500, 'internal error');
    }
  };
}

/**
 * Maps a request URL to a file under `root`: the path, or `null` (not ours: other scheme or host), or an
 * HTTP status (400 undecodable or NUL, 403 outside the root).
 */
export function resolveRequestPath(root: string, url: string): string | null | 400 | 403 {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 400;
  }
  if (parsed.protocol !== `${appScheme}:` || parsed.host !== appHost) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(parsed.pathname);
  } catch {
    return 400;
  }
  if (decoded.includes('\0')) return 400;
  // Treat a backslash as a separator on every platform, so `..\` is caught the same way as `../`.
  const relativePath = decoded.replaceAll('\\', '/').replace(/^\/+/, '');
  const target = path.resolve(root, relativePath === '' ? 'index.html' : relativePath);
  const rel = path.relative(root, target);
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return 403;
  return target;
}

/** The engine's answer when `request` is for a byte route of our host, else null. */
async function mediaAnswer(source: AppProtocolOptions['media'], request: Request): Promise<Response | null> {
  const url = URL.canParse(request.url) ? new URL(request.url) : null;
  if (!source || url?.protocol !== `${appScheme}:` || url.host !== appHost) return null;
  if (url.pathname !== thumbnailPath && url.pathname !== previewPath) return null;
  const engine = source();
  if (!engine) return failure(503, 'the engine is not running');
  const answer = await mediaResponse(engine, request.method, url);
  if (!answer) return null;
  const body = Buffer.isBuffer(answer.body)
    ? answer.body
    : answer.body && (Readable.toWeb(answer.body) as ReadableStream<Uint8Array>);
  return new Response(body, { status: answer.status, headers: answer.headers });
}

function failure(status: number, message: string): Response {
  return new Response(message, {
    status,
    headers: { ...securityHeaders, 'Content-Type': 'text/plain; charset=utf-8' },
  });
}
