/**
 * Microsoft Graph error answers -> shared error codes
 * (https://learn.microsoft.com/onedrive/developer/rest-api/concepts/errors,
 * https://learn.microsoft.com/graph/errors, https://learn.microsoft.com/graph/throttling).
 *
 * Graph's error body: `{"error": {"code": "itemNotFound", "message": "...", "innerError": {"code"?,
 * "date", "request-id", "client-request-id"}}}`; a more specific code may sit in (nested) inner
 * errors. The status decides first, the codes refine it:
 *
 * - 401 `InvalidAuthenticationToken` / `unauthenticated`: auth_expired (the token is refreshed once);
 * - 404 `itemNotFound`: not_found; 409 `nameAlreadyExists` (and other 409s): conflict;
 * - 410 `resyncRequired` (an expired delta token): invalid_argument (the change feed's contract: crawl
 *   again);
 * - 429 and `activityLimitReached`: rate_limited; 503 `serviceNotAvailable`: transient; both with the
 *   `Retry-After` the pacer honours for the whole account;
 * - 507 / `quotaLimitReached` / `insufficientStorage`: quota_exceeded;
 * - 400 `invalidRequest` (and `BadRequest`): permanent with Graph's message, except `pathIsTooLong`
 *   (a name too long for where it goes: invalid_argument); 416 `invalidRange`: invalid_argument;
 * - 403 `accessDenied` and anything unexpected: permanent; other 5xx, 408 and 423 (locked): transient.
 */
import { SkyfoldError, type ErrorCode } from '../../../../common/errors';
import { isNetworkFailure, retryAfterHeaderMs } from '../http-errors';

/** An HTTP answer that was not a success, as the provider received it (thrown inside a request, then mapped). */
export class GraphAnswerError extends Error {
  constructor(
    readonly status: number,
    /** The parsed JSON body, its text when it is not JSON, `''` when unreadable. */
    readonly body: unknown,
    readonly headers: { get(name: string): string | null } | null = null,
  ) {
    super(`HTTP ${status}`);
  }
}

/** The codes of a Graph error body, outermost first (`error.code`, then each inner error's `code`). */
export function graphErrorCodes(body: unknown): string[] {
  const codes: string[] = [];
  let error = (body as { error?: unknown } | null)?.error as Record<string, unknown> | undefined;
  for (let depth = 0; error && typeof error === 'object' && depth < 10; depth++) {
    if (typeof error.code === 'string') codes.push(error.code);
    error = (error.innerError ?? error.innererror) as Record<string, unknown> | undefined;
  }
  return codes;
}

/** Graph's message of an error body (or the body's text), shortened; undefined when there is none. */
function graphMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim().slice(0, 300) || undefined;
  const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
  return typeof message === 'string' && message ? message.slice(0, 300) : undefined;
}

const authCodes = new Set(['InvalidAuthenticationToken', 'unauthenticated']);
const quotaCodes = new Set(['quotaLimitReached', 'insufficientStorage', 'QuotaExceeded']);
const throttleCodes = new Set(['activityLimitReached', 'TooManyRequests']);

/** Maps one Graph error answer to a SkyfoldError; `what` names the operation in the message. */
export function onedriveHttpError(answer: GraphAnswerError, what = 'OneDrive'): SkyfoldError {
  const { status, body } = answer;
  const codes = graphErrorCodes(body);
  const has = (set: ReadonlySet<string>) => codes.some((code) => set.has(code));
  const detail = graphMessage(body);
  const message = `${what}: ${detail ?? `HTTP ${status}`}${codes.length > 0 ? ` (${codes.join('/')})` : ''}`;
  let code: ErrorCode;
  if (status === 401 || (status >= 400 && status < 500 && has(authCodes))) code = 'auth_expired';
  else if (status === 429 || has(throttleCodes)) code = 'rate_limited';
  else if (status === 507 || has(quotaCodes)) code = 'quota_exceeded';
  else if (status === 404) code = 'not_found';
  else if (status === 409) code = 'conflict';
  else if (status === 410) code = 'invalid_argument';
  else if (status === 416 || codes.includes('pathIsTooLong')) code = 'invalid_argument';
  else if (status >= 500 || status === 408 || status === 423) code = 'transient';
  else code = 'permanent'; // 400 invalidRequest, 403 accessDenied, 412, anything unexpected
  const wait = retryAfterHeaderMs(answer.headers?.get('retry-after'));
  return new SkyfoldError(code, message, wait === undefined ? undefined : { retryAfterMs: wait });
}

/**
 * Maps whatever a request threw (an error answer, fetch's network errors) to a SkyfoldError.
 * SkyfoldErrors pass through unchanged.
 */
export function toOnedriveError(error: unknown, what = 'OneDrive'): SkyfoldError {
  if (error instanceof SkyfoldError) return error;
  if (error instanceof GraphAnswerError) return onedriveHttpError(error, what);
  const message = `${what}: ${error instanceof Error ? error.message : String(error)}`;
  return new SkyfoldError(isNetworkFailure(error) ? 'transient' : 'permanent', message, { cause: error });
}

/** Errnos of a connection that failed before the request was sent: Graph cannot have acted. */
const notSentErrnos = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Whether a failure leaves open whether OneDrive acted on the request: the network failing once the
 * request may have reached the service (a reset, an answer cut off), or a 5xx other than 503 (Graph's
 * "retry later": not acted) and 507 (no room: not acted). 429 and 4xx answers were not acted on.
 */
export function isAmbiguousFailure(error: unknown): boolean {
  if (error instanceof SkyfoldError) return false;
  if (error instanceof GraphAnswerError) {
    return error.status >= 500 && error.status !== 503 && error.status !== 507;
  }
  const candidate = error as { code?: unknown; cause?: { code?: unknown } } | null;
  const errno = typeof candidate?.code === 'string' ? candidate.code : candidate?.cause?.code;
  if (typeof errno === 'string' && notSentErrnos.has(errno)) return false;
  return isNetworkFailure(error);
}
