/**
 * Dropbox's error answers, by status:
 * - 400 bad input: `text/plain; charset=utf-8`, `Error in call to API function "files/x": <reason>`;
 * - 401 auth: JSON `{"error_summary":"expired_access_token/..","error":{".tag":"expired_access_token"}}`;
 * - 409 route error: JSON `{"error_summary":"path/not_found/..","error":{".tag":"path","path":{...}}}`;
 * - 429 rate limit: JSON `{"error_summary":"too_many_requests/..","error":{"reason":{...},"retry_after":N}}`
 *   and always a `Retry-After: N` header;
 * - 5xx: a short plain-text body.
 * `error_summary` is the chain of union tags followed by `/` and one to three dots: Dropbox varies the
 * dots so that clients read `error` rather than parse the summary (?); here the count is derived from
 * the summary text, so the same error always reads the same.
 */
import type { ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';

/** A serialized stone union value: `{".tag": name, ...}`. */
export type Tagged = { '.tag': string } & Record<string, unknown>;

/** Headers every Dropbox answer carries. */
export function commonHeaders(): Record<string, string> {
  return { 'X-Dropbox-Request-Id': randomBytes(16).toString('hex') };
}

/** Base of the errors a route handler throws; the pipeline renders them. */
export abstract class DropboxError extends Error {
  abstract readonly status: number;
}

/** 400 with a plain-text reason (the route name is added by the RPC layer). */
export class BadRequestError extends DropboxError {
  readonly status = 400;
}

/** 401 with an AuthError union (`invalid_access_token`, `expired_access_token`, `missing_scope`...). */
export class AuthError extends DropboxError {
  readonly status = 401;
  constructor(readonly error: Tagged) {
    super(error['.tag']);
  }
}

/** 409 with the route's error union. */
export class RouteError extends DropboxError {
  readonly status = 409;
  constructor(readonly error: Tagged) {
    super(summaryTags(error).join('/'));
  }
}

export type RateLimitReason = 'too_many_requests' | 'too_many_write_operations';

/** 429 with a RateLimitError and a Retry-After header. */
export class RateLimitError extends DropboxError {
  readonly status = 429;
  constructor(
    readonly reason: RateLimitReason,
    readonly retryAfter = 1,
  ) {
    super(reason);
  }
}

/** 5xx (or another status with a plain body, from an `error=STATUS` fault). */
export class ServerError extends DropboxError {
  constructor(
    readonly status: number,
    readonly retryAfter?: number,
  ) {
    super(status >= 500 ? 'Internal Server Error' : `Error ${status}`);
  }
}

/** `{".tag": tag}` plus the fields of a struct-valued member. */
export const tag = (name: string, fields: Record<string, unknown> = {}): Tagged => ({
  '.tag': name,
  ...fields,
});

/** `{".tag": name, name: value}`: a union member whose value is itself a union. */
export const nested = (name: string, value: Tagged): Tagged => ({ '.tag': name, [name]: value });

/** LookupError / WriteError members wrapped in a route union member (`path/not_found`). */
export const lookupFailed = (member: string, lookup: string): RouteError =>
  new RouteError(nested(member, tag(lookup)));

export const writeConflict = (member: string, what: 'file' | 'folder' | 'file_ancestor'): RouteError =>
  new RouteError(nested(member, nested('conflict', tag(what))));

/**
 * The tag chain of a union value: its tag, then the tag chain of its value (a nested union under the
 * tag's key, or the first tagged field of a struct member such as UploadWriteFailed.reason).
 */
export function summaryTags(value: Record<string, unknown>): string[] {
  const own = typeof value['.tag'] === 'string' ? [value['.tag']] : [];
  const inner = own.length > 0 ? value[own[0] as string] : undefined;
  if (isTagged(inner)) return [...own, ...summaryTags(inner)];
  for (const [key, field] of Object.entries(value))
    if (key !== '.tag' && isTagged(field)) return [...own, ...summaryTags(field)];
  return own;
}

function isTagged(value: unknown): value is Tagged {
  return typeof value === 'object' && value !== null && typeof (value as Tagged)['.tag'] === 'string';
}

/** `path/not_found/..`: the tag chain plus a trailing slash and 1-3 dots (stable per summary). */
export function errorSummary(tags: readonly string[]): string {
  const text = tags.join('/');
  let sum = 0;
  for (let i = 0; i < text.length; i++) sum += text.charCodeAt(i);
  return `${text}/${'.'.repeat(1 + (sum % 3))}`;
}

/** Sends a JSON body with Dropbox's exact success/error content type. */
export function sendDropboxJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string | number> = {},
): void {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, {
    ...commonHeaders(),
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': body.length,
  });
  res.end(body);
}

/** Sends a plain-text body (400 and 5xx answers). */
export function sendDropboxText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string | number> = {},
): void {
  const body = Buffer.from(text);
  res.writeHead(status, {
    ...commonHeaders(),
    ...headers,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': body.length,
  });
  res.end(body);
}

/** Renders any DropboxError; `route` (`files/list_folder`) prefixes 400 messages as Dropbox does. */
export function sendDropboxError(res: ServerResponse, error: DropboxError, route?: string): void {
  if (error instanceof BadRequestError) {
    const text = route ? `Error in call to API function "${route}": ${error.message}` : error.message;
    sendDropboxText(res, 400, text);
  } else if (error instanceof AuthError) {
    sendDropboxJson(res, 401, { error_summary: errorSummary(summaryTags(error.error)), error: error.error });
  } else if (error instanceof RouteError) {
    sendDropboxJson(res, 409, { error_summary: errorSummary(summaryTags(error.error)), error: error.error });
  } else if (error instanceof RateLimitError) {
    sendDropboxJson(
      res,
      429,
      {
        error_summary: errorSummary([error.reason]),
        error: { reason: tag(error.reason), retry_after: error.retryAfter },
      },
      { 'Retry-After': error.retryAfter },
    );
  } else if (error instanceof ServerError) {
    const headers: Record<string, number> = {};
    if (error.retryAfter !== undefined) headers['Retry-After'] = error.retryAfter;
    sendDropboxText(res, error.status, error.message, headers);
  }
}
