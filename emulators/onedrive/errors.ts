/**
 * Microsoft's two error formats:
 * - Graph (`/v1.0/...`): `{"error": {"code", "message", "innerError": {"date", "request-id",
 *   "client-request-id"}}}`, with `request-id` and `client-request-id` response headers (the client's
 *   `client-request-id` echoed, else the request id), Retry-After on throttling answers;
 * - identity platform (`/{tenant}/oauth2/v2.0/...`): `{"error", "error_description" ("AADSTSnnn: ...
 *   Trace ID: ... Correlation ID: ... Timestamp: ..."), "error_codes": [n], "timestamp", "trace_id",
 *   "correlation_id", "error_uri"}`.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sendJson, type HeaderMap, type RequestContext } from '../shared/http';

/** Graph's JSON media type, as it labels every response. */
export const GRAPH_JSON =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: HeaderMap = {},
    /** A detailed code (`fragmentOverlap`, `pathIsTooLong`), sent as `innerError.code`. */
    readonly innerCode?: string,
  ) {
    super(message);
  }
}

export const itemNotFound = (message = 'The resource could not be found.') =>
  new GraphError(404, 'itemNotFound', message);

export const invalidRequest = (message: string, innerCode?: string) =>
  new GraphError(400, 'invalidRequest', message, {}, innerCode);

/** 409: the name is taken in the target folder (conflictBehavior `fail`). */
export const nameAlreadyExists = (message = 'Name already exists') =>
  new GraphError(409, 'nameAlreadyExists', message);

/**
 * 412: an `If-Match` eTag (or cTag) that is not the item's. The code is OneDrive's documented one for
 * "usually an eTag mismatch" (`resourceModified`), the detail `entityTagDoesNotMatch` (?).
 */
export const preconditionFailed = () =>
  new GraphError(
    412,
    'resourceModified',
    "ETag does not match current item's value",
    {},
    'entityTagDoesNotMatch',
  );

/**
 * 429 throttling: `activityLimitReached`, innerError `throttledRequest` (as captured Graph 429s show),
 * `Retry-After` seconds.
 */
export const throttled = (retryAfter: number) =>
  new GraphError(
    429,
    'activityLimitReached',
    'The request has been throttled',
    { 'Retry-After': String(retryAfter) },
    'throttledRequest',
  );

/** 507: the drive is full. */
export const quotaLimitReached = () =>
  new GraphError(507, 'quotaLimitReached', 'Insufficient Space Available');

/** Graph's innerError `date`: UTC, seconds, no zone designator. */
const graphDate = (now: number) => new Date(now).toISOString().slice(0, 19);

/**
 * The ids Graph tags a response with: a request id, and the client's `client-request-id` if sent,
 * else the request id again (as Graph answers).
 */
export function requestIds(ctx: RequestContext): { requestId: string; clientRequestId: string } {
  const sent = ctx.req.headers['client-request-id'];
  const requestId = randomUUID();
  return { requestId, clientRequestId: typeof sent === 'string' && sent !== '' ? sent : requestId };
}

/** Sends a Graph JSON body with Graph's headers. */
export function sendGraphJson(
  ctx: RequestContext,
  status: number,
  value: unknown,
  headers: HeaderMap = {},
): void {
  const { requestId, clientRequestId } = requestIds(ctx);
  sendGraph(ctx.res, status, value, {
    ...headers,
    'request-id': requestId,
    'client-request-id': clientRequestId,
  });
}

function sendGraph(res: ServerResponse, status: number, value: unknown, headers: HeaderMap): void {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, {
    ...headers,
    'OData-Version': '4.0',
    'Content-Type': GRAPH_JSON,
    'Content-Length': body.length,
  });
  res.end(body);
}

export function sendGraphError(ctx: RequestContext, error: GraphError, now: number): void {
  const { requestId, clientRequestId } = requestIds(ctx);
  sendGraph(
    ctx.res,
    error.status,
    {
      error: {
        code: error.code,
        message: error.message,
        innerError: {
          ...(error.innerCode === undefined ? {} : { code: error.innerCode }),
          date: graphDate(now),
          'request-id': requestId,
          'client-request-id': clientRequestId,
        },
      },
    },
    { ...error.headers, 'request-id': requestId, 'client-request-id': clientRequestId },
  );
}

/** An identity-platform error: `AADSTS{code}: {description}`. */
export class IdentityError {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly code: number,
    readonly description: string,
  ) {}
}

/** `2026-01-15 09:30:00Z`, the identity platform's timestamp format. */
const identityTimestamp = (now: number) => new Date(now).toISOString().slice(0, 19).replace('T', ' ') + 'Z';

export function sendIdentityError(res: ServerResponse, error: IdentityError, now: number): void {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = identityTimestamp(now);
  sendJson(
    res,
    error.status,
    {
      error: error.error,
      error_description: `AADSTS${error.code}: ${error.description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [error.code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${error.code}`,
    },
    { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' },
  );
}
