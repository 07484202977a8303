/**
 * The small shared set of error codes every layer speaks. Providers map their service's errors onto
 * these; the contract carries them to the UI unchanged, so the UI can say what to do next.
 */
export const errorCodes = [
  /** The item or account does not exist (any more). */
  'not_found',
  /** Something already exists where the operation wanted to create or move to. */
  'conflict',
  /** The service asked us to slow down; `retryAfterMs` says for how long when it said so. */
  'rate_limited',
  /** The access token expired; refreshing it is expected to fix this. */
  'auth_expired',
  /** Sign-in is no longer valid (revoked, refresh failed): the user must reconnect the account. */
  'needs_reconnect',
  /** The destination has no room left. */
  'quota_exceeded',
  /** A passing fault (network, 5xx): retrying later is expected to work. */
  'transient',
  /** An argument or name was refused (bad shape, hostile name, outside the root). */
  'invalid_argument',
  /** Anything else that retrying will not fix. */
  'permanent',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/** Codes for which the same request may succeed if repeated later. */
export const retryableCodes: ReadonlySet<ErrorCode> = new Set(['rate_limited', 'transient', 'auth_expired']);

/** The serializable shape of an error as it crosses a process or network boundary. */
export interface ErrorDto {
  code: ErrorCode;
  message: string;
  retryAfterMs?: number;
}

/** An error with a shared code. Thrown by the engine; rebuilt on the client side from an ErrorDto. */
export class SkyfoldError extends Error {
  override readonly name = 'SkyfoldError';
  readonly code: ErrorCode;
  readonly retryAfterMs: number | undefined;

  constructor(code: ErrorCode, message: string, options?: { retryAfterMs?: number; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryAfterMs = options?.retryAfterMs;
  }

  toDto(): ErrorDto {
    const dto: ErrorDto = { code: this.code, message: this.message };
    if (this.retryAfterMs !== undefined) dto.retryAfterMs = this.retryAfterMs;
    return dto;
  }

  static fromDto(dto: ErrorDto): SkyfoldError {
    return new SkyfoldError(
      dto.code,
      dto.message,
      dto.retryAfterMs === undefined ? undefined : { retryAfterMs: dto.retryAfterMs },
    );
  }
}

/** Turns anything thrown into an ErrorDto; unknown errors become `permanent` with their message. */
export function toErrorDto(error: unknown): ErrorDto {
  if (error instanceof SkyfoldError) return error.toDto();
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'permanent', message };
}
