/**
 * Drive error responses -> shared error codes. Drive's error JSON:
 * `{"error": {"code": 403, "message": "...", "errors": [{"domain", "reason", "message"}]}}`.
 * 403 is ambiguous: `userRateLimitExceeded`/`rateLimitExceeded` mean slow down (retry), while
 * `storageQuotaExceeded` and permission reasons are final.
 */
import { SkyfoldError, type ErrorCode } from '../../../../common/errors';
import { isNetworkFailure, retryAfterHeaderMs } from '../http-errors';

interface DriveErrorBody {
  error?: { code?: number; message?: string; errors?: Array<{ reason?: string; message?: string }> };
}

const rateLimitReasons = new Set(['userRateLimitExceeded', 'rateLimitExceeded', 'sharingRateLimitExceeded']);
const quotaReasons = new Set(['storageQuotaExceeded', 'quotaExceeded', 'teamDriveFileLimitExceeded']);

/** Maps an HTTP status and Drive error body to a SkyfoldError. */
export function driveHttpError(
  status: number,
  body: unknown,
  retryAfter?: string | null,
  what = 'Google Drive',
): SkyfoldError {
  const error = (body as DriveErrorBody | null)?.error;
  const reason = error?.errors?.[0]?.reason ?? '';
  const message = `${what}: ${error?.message ?? `HTTP ${status}`}${reason ? ` (${reason})` : ''}`;
  let code: ErrorCode;
  if (status === 401) code = 'auth_expired';
  else if (status === 429 || (status === 403 && rateLimitReasons.has(reason))) code = 'rate_limited';
  else if (quotaReasons.has(reason)) code = 'quota_exceeded';
  else if (status === 404) code = 'not_found';
  else if (status === 409 || status === 412) code = 'conflict';
  else if (status === 400 || status === 416) code = 'invalid_argument';
  else if (status >= 500 || status === 408) code = 'transient';
  else code = 'permanent';
  const wait = retryAfterHeaderMs(retryAfter);
  return new SkyfoldError(code, message, wait === undefined ? undefined : { retryAfterMs: wait });
}

/** Maps whatever the SDK (gaxios) or fetch threw to a SkyfoldError. SkyfoldErrors pass through. */
export function toDriveError(error: unknown, what?: string): SkyfoldError {
  if (error instanceof SkyfoldError) return error;
  const candidate = error as {
    status?: number;
    response?: {
      status?: number;
      data?: unknown;
      headers?: { get?(name: string): string | null } & Record<string, unknown>;
    };
    message?: string;
  };
  const status =
    candidate.response?.status ?? (typeof candidate.status === 'number' ? candidate.status : undefined);
  if (status !== undefined) {
    const headers = candidate.response?.headers;
    const retryAfter =
      typeof headers?.get === 'function'
        ? headers.get('retry-after')
        : (headers?.['retry-after'] as string | undefined);
    return driveHttpError(status, candidate.response?.data, retryAfter, what);
  }
  const message = `${what ?? 'Google Drive'}: ${candidate.message ?? String(error)}`;
  return new SkyfoldError(isNetworkFailure(error) ? 'transient' : 'permanent', message, { cause: error });
}
