/**
 * Drive v3 errors, shaped like Google's JSON error responses:
 * `{"error":{"code":403,"message":"...","errors":[{"message":"...","domain":"usageLimits",
 * "reason":"userRateLimitExceeded"}],"status":"PERMISSION_DENIED"}}`.
 * Every factory below states the status and reason it produces; routes throw these, the service
 * renders them (see emulators/gdrive/README.md for the catalogue).
 */
import type { ServerResponse } from 'node:http';
import { sendJson, type HeaderMap } from '../shared/http';

export interface DriveErrorItem {
  message: string;
  domain: string;
  reason: string;
  location?: string;
  locationType?: string;
}

const STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  411: 'INVALID_ARGUMENT',
  413: 'INVALID_ARGUMENT',
  416: 'OUT_OF_RANGE',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export class DriveError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly errors: readonly DriveErrorItem[],
    readonly headers: HeaderMap = {},
  ) {
    super(message);
  }

  body(): { error: Record<string, unknown> } {
    const error: Record<string, unknown> = { code: this.code, message: this.message, errors: this.errors };
    const status = STATUS[this.code] ?? (this.code >= 500 ? 'UNAVAILABLE' : 'FAILED_PRECONDITION');
    error.status = status;
    return { error };
  }
}

/** Writes a Drive error (pretty-printed like every Drive JSON answer). */
export function sendDriveError(res: ServerResponse, error: DriveError): void {
  sendJson(res, error.code, error.body(), { Vary: 'Origin, X-Origin, Referer', ...error.headers }, 2);
}

function single(
  code: number,
  message: string,
  reason: string,
  options: {
    domain?: string;
    location?: string;
    locationType?: string;
    itemMessage?: string;
    headers?: HeaderMap;
  } = {},
): DriveError {
  const item: DriveErrorItem = {
    message: options.itemMessage ?? message,
    domain: options.domain ?? 'global',
    reason,
  };
  if (options.location !== undefined) {
    item.location = options.location;
    item.locationType = options.locationType ?? 'parameter';
  }
  return new DriveError(code, message, [item], options.headers);
}

const REALM = 'Bearer realm="https://accounts.google.com/"';

/** 401 `required`: no credentials at all. */
export const loginRequired = () =>
  single(
    401,
    'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
    'required',
    {
      itemMessage: 'Login Required.',
      location: 'Authorization',
      locationType: 'header',
      headers: { 'WWW-Authenticate': REALM },
    },
  );

/** 401 `authError`: an unknown, revoked or expired access token. */
export const authError = () =>
  single(
    401,
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
    'authError',
    {
      itemMessage: 'Invalid Credentials',
      location: 'Authorization',
      locationType: 'header',
      headers: { 'WWW-Authenticate': `${REALM}, error="invalid_token"` },
    },
  );

/** 403 `insufficientPermissions`: the token's scopes do not allow the call. */
export const insufficientScopes = (needed: string) =>
  single(403, 'Request had insufficient authentication scopes.', 'insufficientPermissions', {
    itemMessage: 'Insufficient Permission',
    headers: { 'WWW-Authenticate': `${REALM}, error="insufficient_scope", scope="${needed}"` },
  });

const retryHeaders = (retryAfter: number | undefined): HeaderMap =>
  retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) };

/** 403 `userRateLimitExceeded` (domain usageLimits): per-user limit, also the write throttle's answer. */
export const userRateLimitExceeded = (retryAfter?: number) =>
  single(
    403,
    'User rate limit exceeded. Rate of requests for user exceed configured project quota. You may consider re-evaluating expected per-user traffic to the API and adjust project quota limits accordingly. You may monitor aggregate quota usage and adjust limits in the API Console: https://console.developers.google.com/apis/api/drive.googleapis.com/quotas?project=emulator',
    'userRateLimitExceeded',
    { domain: 'usageLimits', headers: retryHeaders(retryAfter) },
  );

/** 429 `rateLimitExceeded` (domain usageLimits): the per-minute query quota. */
export const rateLimitExceeded = (retryAfter?: number) =>
  single(
    429,
    "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'drive.googleapis.com' for consumer 'project_number:emulator'.",
    'rateLimitExceeded',
    { domain: 'usageLimits', headers: retryHeaders(retryAfter) },
  );

/** 403 `storageQuotaExceeded` (domain usageLimits). */
export const storageQuotaExceeded = (retryAfter?: number) =>
  single(403, "The user's Drive storage quota has been exceeded.", 'storageQuotaExceeded', {
    domain: 'usageLimits',
    headers: retryHeaders(retryAfter),
  });

const BACKEND_MESSAGES: Record<number, [string, string]> = {
  500: ['Internal Error', 'internalError'],
  502: ['Bad Gateway', 'backendError'],
  503: ['The service is currently unavailable.', 'backendError'],
  504: ['Deadline exceeded', 'backendError'],
};

/** A fault-injected error status: 5xx as `backendError`/`internalError`, 4xx as `badRequest`-like. */
export const statusError = (status: number, retryAfter?: number) => {
  const [message, reason] =
    BACKEND_MESSAGES[status] ??
    (status >= 500 ? ['Backend Error', 'backendError'] : ['Bad Request', 'badRequest']);
  return single(status, message, reason, { headers: retryHeaders(retryAfter) });
};

/** 404 `notFound` for a file id (location fileId). */
export const fileNotFound = (fileId: string) =>
  single(404, `File not found: ${fileId}.`, 'notFound', { location: 'fileId' });

/** 400 `required`: a required parameter is missing. */
export const requiredParameter = (name: string, message = `Required parameter: ${name}`) =>
  single(400, message, 'required', { location: name });

/** 400 `invalid`: a parameter has a bad value (the classic "Invalid Value"). */
export const invalidParameter = (name: string, message = 'Invalid Value') =>
  single(400, message, 'invalid', { location: name });

/** 400 `invalidParameter` on `fields`: "Invalid field selection X". */
export const invalidFieldSelection = (selection: string) =>
  single(400, `Invalid field selection ${selection}`, 'invalidParameter', { location: 'fields' });

/** 400 `badRequest` with a custom message. */
export const badRequest = (message: string) => single(400, message, 'badRequest');

/** 400 `parseError`: the JSON body does not parse. */
export const parseError = () => single(400, 'Parse Error', 'parseError');

/** 400 `invalid`: the JSON body names a field the File resource does not have, or has a wrong type. */
export const invalidJson = (message: string) =>
  single(400, `Invalid JSON payload received. ${message}`, 'invalid');

/** 403 `fieldNotWritable`. */
export const fieldNotWritable = (
  message = 'The resource body includes fields which are not directly writable.',
) => single(403, message, 'fieldNotWritable');

/** 403 `insufficientFilePermissions` (touching the root folder, for instance). */
export const insufficientFilePermissions = () =>
  single(403, 'The user does not have sufficient permissions for this file.', 'insufficientFilePermissions');

/** 403 `cannotAddParent`: Drive items have exactly one parent. */
export const cannotAddParent = () =>
  single(403, 'Increasing the number of parents is not allowed', 'cannotAddParent');

/** 400 `invalid` on a parent that is not a folder, or a move into the item itself. */
export const invalidParent = (message: string) => single(400, message, 'invalid', { location: 'parents' });

/** 403 `fileNotDownloadable`: `alt=media` on a Google-native document, folder or shortcut. */
export const fileNotDownloadable = () =>
  single(
    403,
    'Only files with binary content can be downloaded. Use Export with Docs Editors files.',
    'fileNotDownloadable',
    { location: 'alt' },
  );

/** 403 `fileNotExportable`: export of a file that is not a Docs Editors file. */
export const fileNotExportable = () =>
  single(403, 'Export only supports Docs Editors files.', 'fileNotExportable');

/** 403 `exportSizeLimitExceeded`: the export would be larger than 10 MB. */
export const exportSizeLimitExceeded = () =>
  single(403, 'This file is too large to be exported.', 'exportSizeLimitExceeded');

/** 400 `badRequest` on `convertTo`: no such export (or import) conversion. */
export const conversionNotSupported = () =>
  single(400, 'The requested conversion is not supported.', 'badRequest', { location: 'convertTo' });

/** 403 `cannotCopyFile`: folders cannot be copied. */
export const cannotCopyFile = () => single(403, 'This file cannot be copied by the user.', 'cannotCopyFile');

/** 416: the Range header selects no byte of the file. */
export const rangeNotSatisfiable = (size: number) =>
  single(416, 'Request range not satisfiable', 'requestedRangeNotSatisfiable', {
    headers: { 'Content-Range': `bytes */${size}` },
  });

/** 409 `duplicate`: files.create with an id already in use. */
export const duplicateId = () => single(409, 'A file already exists with the provided ID.', 'duplicate');

/** 404 for an unknown or expired resumable upload session. */
export const uploadSessionNotFound = () => single(404, 'Not Found', 'notFound');

/** 400 `wrongUrlForUpload`: media sent to the metadata URL. */
export const wrongUrlForUpload = (uploadType: string) =>
  single(
    400,
    `Uploads must be sent to the upload URL. Re-send this request to https://www.googleapis.com/upload/drive/v3/files?uploadType=${uploadType}`,
    'wrongUrlForUpload',
  );

/** 413 for a request body over the emulator's limit. */
export const requestTooLarge = () => single(413, 'Request Too Large', 'uploadTooLarge');

/** 404 `notFound` for a shared drive id (the emulator has none). */
export const sharedDriveNotFound = (driveId: string) =>
  single(404, `Shared drive not found: ${driveId}`, 'notFound', { location: 'driveId' });
