/**
 * What every cloud provider reads from a failed HTTP exchange, whatever the cloud: whether the
 * connection itself failed (a network failure, which the pacer may retry), how long the server asked
 * us to wait, and the body of an error answer. Each provider maps these to shared codes its own way.
 */

/** Error codes (Node's errno, undici's) of a connection that failed before or while an answer came. */
const networkErrnos = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/**
 * Whether `error` (thrown by fetch, undici or an SDK; not an HTTP answer) is the network failing: a
 * reset, refused or timed-out connection, a failed DNS lookup, or a body cut off mid-way. Such a
 * request may be repeated, so providers map it to `transient`. Looks at the error's `code` (or its
 * `cause`'s, as fetch wraps undici's) and at its message.
 */
export function isNetworkFailure(error: unknown): boolean {
  const candidate = error as { code?: unknown; cause?: { code?: unknown }; message?: unknown } | null;
  const errno = typeof candidate?.code === 'string' ? candidate.code : candidate?.cause?.code;
  if (typeof errno === 'string' && networkErrnos.has(errno)) return true;
  const message = typeof candidate?.message === 'string' ? candidate.message : String(error);
  return /terminated|socket|network|fetch failed|premature|other side closed/i.test(message);
}

/** A `Retry-After` header (seconds, or an HTTP date measured from `now`) in milliseconds; undefined when absent or unreadable. */
export function retryAfterHeaderMs(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The body of an error answer, consumed: parsed JSON, else the text as it came (plain-text errors
 * explain themselves), `''` when the body could not be read. Never throws.
 */
export async function readErrorBody(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
