/**
 * The token model shared by every provider, and how a token endpoint's JSON answer becomes one.
 */
import { z } from 'zod';

/** OAuth tokens of one account. Plain JSON (stored as is by the token stores). */
export interface Tokens {
  accessToken: string;
  /** Null when the provider issued none: the account must reconnect once the access token expires. */
  refreshToken: string | null;
  /** When the access token expires (epoch ms); null = unknown, treated as valid until a 401. */
  expiresAt: number | null;
  /** Granted scopes (space-separated), when the provider said. */
  scope?: string;
  /** Usually `Bearer`. */
  tokenType?: string;
}

/** Runtime shape of stored tokens (unknown extra keys are dropped). */
export const tokensSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string().min(1).nullable(),
  expiresAt: z.number().finite().nullable(),
  scope: z.string().optional(),
  tokenType: z.string().optional(),
});

/** Default margin before expiry at which an access token is refreshed ahead of time. */
export const defaultExpirySkewMs = 60_000;

/**
 * True when the access token is expired or expires within `skewMs` of `now`. A token without a known
 * expiry never counts as expiring (only a 401 reveals it). An empty access token always does.
 */
export function isExpiring(tokens: Tokens, now: number, skewMs: number = defaultExpirySkewMs): boolean {
  if (!tokens.accessToken) return true;
  return tokens.expiresAt !== null && tokens.expiresAt - skewMs <= now;
}

/** A token endpoint's successful JSON answer (RFC 6749 §5.1). */
export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.union([z.number(), z.string().regex(/^\d+$/)]).optional(),
  refresh_token: z.string().min(1).optional(),
  scope: z.string().optional(),
});

/**
 * Turns a token endpoint answer into Tokens. `previous` supplies what a refresh answer may omit: the
 * refresh token (Google and Dropbox keep the old one; Microsoft always sends a new one) and the scope.
 * Throws a ZodError when the answer lacks an access token.
 */
export function tokensFromResponse(body: unknown, now: number, previous?: Tokens): Tokens {
  const parsed = tokenResponseSchema.parse(body);
  const expiresIn = parsed.expires_in === undefined ? null : Number(parsed.expires_in);
  const tokens: Tokens = {
    accessToken: parsed.access_token,
    refreshToken: parsed.refresh_token ?? previous?.refreshToken ?? null,
    expiresAt: expiresIn === null || !Number.isFinite(expiresIn) ? null : now + expiresIn * 1000,
  };
  const scope = parsed.scope ?? previous?.scope;
  if (scope !== undefined) tokens.scope = scope;
  if (parsed.token_type !== undefined) tokens.tokenType = parsed.token_type;
  return tokens;
}
