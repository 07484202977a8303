/**
 * Dropbox error answers -> shared error codes (https://www.dropbox.com/developers/documentation/http/documentation#error-handling):
 *
 * - 400: plain-text "bad input" (our request was malformed, or a path/name was refused);
 * - 401: `{"error_summary": "expired_access_token/...", "error": {".tag": "expired_access_token"}}`;
 * - 403: no access (account type, team policy...);
 * - 409: the endpoint's error union, e.g. `{"error_summary": "path/not_found/..", "error": {".tag":
 *   "path", "path": {".tag": "not_found"}}}`: the tags along the union chain decide the code;
 * - 429: `{"error": {"reason": {".tag": "too_many_requests"}, "retry_after": 1}}` with `Retry-After`;
 * - 5xx: Dropbox is having trouble (retry).
 *
 * Everything the SDK (`DropboxResponseError`) or fetch throws goes through `toDropboxError`.
 */
import { SkyfoldError, type ErrorCode } from '../../../../common/errors';
import { StoredBytesMismatch } from '../stored-bytes';
import { isNetworkFailure, retryAfterHeaderMs } from '../http-errors';

/** Tags (anywhere along a 409 union chain) meaning the item is missing. */
const notFoundTags = new Set(['not_found']);
const conflictTags = new Set(['conflict']);
const invalidTags = new Set([
  'malformed_path',
  'disallowed_name',
  'not_file',
  'not_folder',
  'cant_move_folder_into_itself',
  'cant_copy_shared_folder',
  'cant_nest_shared_folder',
  'cant_move_shared_folder',
  'cant_move_into_vault',
  'cant_move_into_family',
  'duplicated_or_nested_paths',
  'unsupported_file',
  'unsupported_content_type',
  'too_large',
  'payload_too_large',
  'reset',
]);
const quotaTags = new Set([
  'insufficient_space',
  'insufficient_quota',
  'team_folder_insufficient_space',
  'member_folder_insufficient_space',
  'team_folder_insufficient_quota',
  'member_folder_insufficient_quota',
  'upload_traffic_limit_reached',
]);
const throttleTags = new Set(['too_many_write_operations', 'too_many_requests']);
const transientTags = new Set(['internal_error', 'content_hash_mismatch']);
/** 401 tags that a new access token may cure (the token manager refreshes, or reports needs_reconnect). */
const refreshableAuthTags = new Set(['expired_access_token', 'invalid_access_token']);

/** The HTTP side of an error answer, as the SDK or a raw fetch reports it. */
export interface DropboxErrorAnswer {
  status: number;
  /** The parsed JSON body, or its text when it is not JSON. */
  body: unknown;
  headers?: { get(name: string): string | null } | null;
}

/**
 * The union tags of a Dropbox error body, outermost first: from the structured `error` when present,
 * else from `error_summary` (`"path/not_found/.."`). A member's value is a nested union under the
 * member's name (`{".tag": "path", "path": {".tag": "not_found"}}` -> `["path", "not_found"]`), or
 * a struct inlined beside the tag whose union-typed field continues the chain (UploadWriteFailed:
 * `{".tag": "path", "reason": {".tag": "conflict", ...}}` -> `["path", "conflict", ...]`).
 * Empty for anything else.
 */
export function errorTags(body: unknown): string[] {
  const tags: string[] = [];
  let union = taggedOrNull((body as { error?: unknown } | null)?.error);
  while (union) {
    const tag = union['.tag'] as string;
    tags.push(tag);
    union =
      taggedOrNull(union[tag]) ??
      Object.entries(union)
        .filter(([key]) => key !== '.tag' && key !== tag)
        .map(([, value]) => taggedOrNull(value))
        .find((value) => value !== null) ??
      null;
  }
  if (tags.length > 0) return tags;
  const summary = (body as { error_summary?: unknown } | null)?.error_summary;
  if (typeof summary !== 'string') return [];
  const segments: string[] = [];
  for (const segment of summary.split('/')) {
    if (segment.length === 0 || segment.startsWith('.')) break;
    segments.push(segment);
  }
  return segments;
}

function taggedOrNull(value: unknown): Record<string, unknown> | null {
  return value && typeof value === 'object' && typeof (value as Record<string, unknown>)['.tag'] === 'string'
    ? (value as Record<string, unknown>)
    : null;
}

/** The `correct_offset` of an upload session's `incorrect_offset` error, wherever it sits in the union; else null. */
export function correctOffset(body: unknown): number | null {
  let union = (body as { error?: unknown } | null)?.error;
  while (union && typeof union === 'object') {
    const record = union as Record<string, unknown>;
    if (record['.tag'] === 'incorrect_offset') {
      return typeof record.correct_offset === 'number' && Number.isSafeInteger(record.correct_offset)
        ? record.correct_offset
        : null;
    }
    const tag = record['.tag'];
    union = typeof tag === 'string' ? record[tag] : undefined;
  }
  return null;
}

/** Milliseconds to wait: the Retry-After header (seconds or an HTTP date), else a body's `retry_after` (seconds). */
export function retryAfterMs(
  header: string | null | undefined,
  body: unknown,
  now = Date.now(),
): number | undefined {
  const fromHeader = retryAfterHeaderMs(header, now);
  if (fromHeader !== undefined) return fromHeader;
  const inBody = (body as { error?: { retry_after?: unknown } } | null)?.error?.retry_after;
  return typeof inBody === 'number' && Number.isFinite(inBody) && inBody >= 0
    ? Math.round(inBody * 1000)
    : undefined;
}

/** The code for a 409 answer's tags; `permanent` when none is recognized. */
function routeErrorCode(tags: readonly string[]): ErrorCode {
  const has = (set: ReadonlySet<string>) => tags.some((tag) => set.has(tag));
  // An upload session that is gone reads `lookup_failed/not_found`: also not_found (the caller starts over).
  if (has(notFoundTags)) return 'not_found';
  if (has(conflictTags)) return 'conflict';
  if (has(quotaTags)) return 'quota_exceeded';
  if (has(throttleTags)) return 'rate_limited';
  if (has(transientTags)) return 'transient';
  if (has(invalidTags)) return 'invalid_argument';
  return 'permanent';
}

function authErrorCode(tags: readonly string[]): ErrorCode {
  if (tags.length === 0 || refreshableAuthTags.has(tags[0]!)) return 'auth_expired';
  // The grant lacks a scope: only a new sign-in (asking for it) helps.
  if (tags[0] === 'missing_scope') return 'needs_reconnect';
  return 'permanent'; // user_suspended, route_access_denied, invalid_select_user...
}

/** Maps one Dropbox error answer to a SkyfoldError; `what` names the operation in the message. */
export function dropboxHttpError(answer: DropboxErrorAnswer, what = 'Dropbox'): SkyfoldError {
  const { status, body } = answer;
  const tags = errorTags(body);
  const detail =
    typeof body === 'string'
      ? body.trim().slice(0, 300)
      : ((body as { error_summary?: unknown } | null)?.error_summary ?? tags.join('/'));
  const message = `${what}: ${typeof detail === 'string' && detail ? detail : `HTTP ${status}`}`;
  let code: ErrorCode;
  if (status === 401) code = authErrorCode(tags);
  else if (status === 409) code = routeErrorCode(tags);
  else if (status === 429) code = 'rate_limited';
  else if (status === 507) code = 'quota_exceeded';
  else if (status >= 500 || status === 408) code = 'transient';
  else if (status === 400 || status === 416) code = 'invalid_argument';
  else code = 'permanent'; // 403 and anything unexpected
  // The commit carried the content_hash of the bytes read, and Dropbox hashed other bytes.
  if (tags.includes('content_hash_mismatch'))
    return new StoredBytesMismatch(
      `${message} (Dropbox received other bytes than were sent; nothing was stored)`,
    );
  const wait = retryAfterMs(answer.headers?.get('retry-after'), body);
  return new SkyfoldError(code, message, wait === undefined ? undefined : { retryAfterMs: wait });
}

/** Maps whatever the SDK or fetch threw to a SkyfoldError. SkyfoldErrors pass through unchanged. */
export function toDropboxError(error: unknown, what = 'Dropbox'): SkyfoldError {
  if (error instanceof SkyfoldError) return error;
  const candidate = error as {
    status?: unknown;
    error?: unknown;
    headers?: { get?: unknown };
    message?: unknown;
  } | null;
  if (candidate && typeof candidate.status === 'number' && 'error' in candidate) {
    const headers = typeof candidate.headers?.get === 'function' ? (candidate.headers as Headers) : null;
    return dropboxHttpError({ status: candidate.status, body: candidate.error, headers }, what);
  }
  const message = `${what}: ${typeof candidate?.message === 'string' ? candidate.message : String(error)}`;
  return new SkyfoldError(isNetworkFailure(error) ? 'transient' : 'permanent', message, { cause: error });
}
