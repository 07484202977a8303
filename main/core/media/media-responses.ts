/**
 * The answers to the two byte routes both hosts serve beside the contract (common/uploads.ts):
 * `GET /thumbnail?account&item&size` and `GET /preview?account&item`. Plain data (status, headers,
 * body) so that the web host (node:http) and Electron's app:// protocol (fetch Responses) write the
 * same answer and stay thin; nothing here knows either.
 *
 * Every answer, errors included, carries `X-Content-Type-Options: nosniff` and
 * `Content-Security-Policy: sandbox; default-src 'none'`: a file's bytes are shown as the type
 * decided here (preview-policy.ts), never sniffed, and even opened on their own they run nothing and
 * load nothing, in a unique origin.
 */
import type { Readable } from 'node:stream';
import { toErrorDto, type ErrorCode } from '../../../common/errors';
import { previewPath, thumbnailPath, thumbnailSizes, type ThumbnailSize } from '../../../common/uploads';
import type { Thumbnail } from '../providers/thumbnail-image';
import type { PreviewPlan, PreviewRefusal } from './preview-policy';

/** A file's bytes for the preview panel, as the service opens them. */
export interface Preview extends PreviewPlan {
  name: string;
  stream: Readable;
}

/** What the byte routes need of the engine (SkyfoldService implements it). */
export interface MediaSource {
  /** Throws not_found (account or item), invalid_argument (a folder); null: no thumbnail. */
  openThumbnail(accountId: string, itemId: string, size: ThumbnailSize): Promise<Thumbnail | null>;
  /** Throws not_found, invalid_argument (a folder); a refusal for a type or size not previewed. */
  openPreview(accountId: string, itemId: string): Promise<Preview | PreviewRefusal>;
}

export interface MediaResponse {
  status: number;
  headers: Record<string, string>;
  /** null: no body. A stream is the host's to pipe (and to destroy when the client leaves). */
  body: Buffer | Readable | null;
}

/** Thumbnails change only with their file: browsers may keep them a while (an edit shows within it). */
export const thumbnailCacheControl = 'private, max-age=300';
/** Headers of every answer of these routes. */
export const mediaSecurityHeaders: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "sandbox; default-src 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};
/** Set on a text preview that shows only the start of its file. */
export const truncatedHeader = 'X-Preview-Truncated';
/** Longest account or item id accepted in a query (the contract's limit for ids). */
const maxIdLength = 1024;

/** The status of an engine error before the first byte; anything unexpected is a 500. */
const errorStatus: Partial<Record<ErrorCode, number>> = {
  not_found: 404,
  invalid_argument: 400,
  rate_limited: 503,
  transient: 503,
  auth_expired: 503,
  needs_reconnect: 503,
};

/**
 * The answer to `method url` when its path is one of the byte routes, else null (not ours). Never
 * throws: engine errors become plain-text answers with their status.
 */
export async function mediaResponse(
  source: MediaSource,
  method: string,
  url: URL,
): Promise<MediaResponse | null> {
  if (url.pathname !== thumbnailPath && url.pathname !== previewPath) return null;
  if (method !== 'GET') {
    const refused = text(405, 'Method not allowed.');
    return { ...refused, headers: { ...refused.headers, Allow: 'GET' } };
  }
  const accountId = url.searchParams.get('account');
  const itemId = url.searchParams.get('item');
  if (!accountId || !itemId || accountId.length > maxIdLength || itemId.length > maxIdLength)
    return text(400, `Expected ${url.pathname}?account=<account id>&item=<item id>.`);
  try {
    if (url.pathname === previewPath) return previewResponse(await source.openPreview(accountId, itemId));
    const size = Number(url.searchParams.get('size'));
    if (!thumbnailSizes.includes(size as ThumbnailSize))
      return text(400, `Expected size=${thumbnailSizes.join(' or ')}.`);
    const thumbnail = await source.openThumbnail(accountId, itemId, size as ThumbnailSize);
    if (!thumbnail) {
      const none = text(404, 'This file has no thumbnail.');
      return { ...none, headers: { ...none.headers, 'Cache-Control': thumbnailCacheControl } };
    }
    return {
      status: 200,
      headers: {
        ...mediaSecurityHeaders,
        'Content-Type': thumbnail.mimeType,
        'Content-Length': String(thumbnail.bytes.length),
        'Cache-Control': thumbnailCacheControl,
      },
      body: thumbnail.bytes,
    };
  } catch (error) {
    const dto = toErrorDto(error);
    return text(errorStatus[dto.code] ?? 500, dto.message);
  }
}

function previewResponse(preview: Preview | PreviewRefusal): MediaResponse {
  if ('refused' in preview) {
    return preview.refused === 'type'
      ? text(415, 'This type of file is not previewed.')
      : text(413, 'This file is too large to preview.');
  }
  return {
    status: 200,
    headers: {
      ...mediaSecurityHeaders,
      'Content-Type': preview.contentType,
      'Content-Disposition': contentDisposition('inline', preview.name),
      'Cache-Control': 'no-store',
      ...(preview.truncated ? { [truncatedHeader]: 'true' } : {}),
    },
    body: preview.stream,
  };
}

function text(status: number, message: string): MediaResponse {
  return {
    status,
    headers: {
      ...mediaSecurityHeaders,
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store',
    },
    body: Buffer.from(`${message}\n`),
  };
}

/**
 * `Content-Disposition` for a file called `name` (RFC 6266): the exact name as UTF-8 in `filename*`
 * (RFC 8187 percent-encoding) and an ASCII look-alike in `filename` for old clients. Control
 * characters and path separators become `_`; quotes, backslashes and `%` never reach the quoted form,
 * so no name can end the header or add a parameter.
 */
export function contentDisposition(type: 'inline' | 'attachment', name: string): string {
  const clean =
    name
      .replace(/\p{Cs}/gu, '\uFFFD') // lone surrogates cannot be encoded as UTF-8
      .replace(/[\p{Cc}/\\]/gu, '_')
      .trim() || 'download';
  const fallback = clean.replace(/[^\x20-\x7e]|["%\\]/g, '_');
  const encoded = encodeURIComponent(clean).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
