/**
 * Typed errors of the sign-in and token layer. All are SkyfoldErrors, so they cross the contract with a
 * shared code; the subclasses carry the detail a caller may branch on (a sign-in failure's reason, the
 * OAuth `error` value of a token endpoint answer).
 */
import { SkyfoldError, type ErrorCode } from '../../../common/errors';

/** Why an interactive sign-in did not produce an authorization code. */
export type SignInFailureReason =
  /** The user refused consent in the browser (`error=access_denied`). */
  | 'denied'
  /** The authorization server redirected back with another `error` value. */
  | 'provider_error'
  /** Nobody completed the sign-in within the time limit. */
  | 'timeout'
  /** The caller aborted (AbortSignal), e.g. the user closed the dialog. */
  | 'cancelled'
  /** The fixed loopback port the provider needs is taken by another program. */
  | 'port_in_use'
  /** The loopback listener could not start for another reason. */
  | 'listener_failed';

/** An interactive sign-in ended without an authorization code. */
export class SignInError extends SkyfoldError {
  readonly reason: SignInFailureReason;
  /** The provider's `error` parameter when the browser came back with one (e.g. `access_denied`). */
  readonly oauthError: string | undefined;

  constructor(
    code: ErrorCode,
    reason: SignInFailureReason,
    message: string,
    options?: { oauthError?: string; cause?: unknown },
  ) {
    super(code, message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.reason = reason;
    this.oauthError = options?.oauthError;
  }
}

/** A token endpoint answered with an OAuth error (RFC 6749 §5.2) or an unusable response. */
export class OAuthError extends SkyfoldError {
  /** The `error` member of the answer (`invalid_client`, ...), or null when the body had none. */
  readonly oauthError: string | null;
  /** The HTTP status of the answer, or null when no answer arrived. */
  readonly status: number | null;

  constructor(
    code: ErrorCode,
    message: string,
    details: { oauthError: string | null; status: number | null; retryAfterMs?: number; cause?: unknown },
  ) {
    const options: { retryAfterMs?: number; cause?: unknown } = {};
    if (details.retryAfterMs !== undefined) options.retryAfterMs = details.retryAfterMs;
    if (details.cause !== undefined) options.cause = details.cause;
    super(code, message, options);
    this.oauthError = details.oauthError;
    this.status = details.status;
  }
}

/**
 * The refresh token is no longer accepted (`invalid_grant`: revoked, expired, password changed, too many
 * tokens; or Microsoft's `interaction_required`-style answers): only a new interactive sign-in helps.
 * Its code is `needs_reconnect`. A provider's `refresh` function throws this (or any SkyfoldError with
 * code `needs_reconnect`) so the TokenManager stops refreshing the account.
 */
export class InvalidGrantError extends OAuthError {
  constructor(
    message: string,
    details: { oauthError?: string; status?: number | null; cause?: unknown } = {},
  ) {
    super('needs_reconnect', message, {
      oauthError: details.oauthError ?? 'invalid_grant',
      status: details.status ?? null,
      cause: details.cause,
    });
  }
}
