/**
 * One account's access token, kept valid. Each provider injects how to refresh at its token endpoint;
 * the manager decides when, makes sure it happens once, and keeps the store up to date.
 *
 * Guarantees:
 * - `getAccessToken` returns a token that is not known to be bad and does not expire within `skewMs`
 *   (default 60 s), refreshing first when needed.
 * - ONE refresh at a time: concurrent callers share the refresh in flight (one token endpoint call).
 * - A refresh's result, in particular a rotated refresh token (Microsoft rotates on every refresh), is
 *   written to the TokenStore BEFORE the new access token is handed to anyone. If that write fails the
 *   call fails, the new tokens stay in memory (never refreshed again with the old refresh token), and the
 *   next call retries the write before handing anything out.
 * - `invalidate(token)` after a 401 makes the next call refresh once, however many callers report the
 *   same token; callers then retry their request once (`withAccessToken` in ../providers/access-token.ts
 *   does exactly that).
 * - A dead refresh token (`invalid_grant`, or any SkyfoldError `needs_reconnect` from `refresh`, or no
 *   stored tokens at all) puts the account in state `needs_reconnect`: `onStateChange` is told once, and
 *   every later call throws SkyfoldError `needs_reconnect` at once without calling `refresh` again,
 *   until `replaceTokens` (after a new sign-in).
 * - A refresh that fails otherwise (network, 5xx, timeout) throws SkyfoldError `transient` (or the
 *   `rate_limited`/`permanent` SkyfoldError `refresh` threw) and changes no state; while the current
 *   access token has not actually expired (only entered the skew window) it is returned instead.
 * - Store failures (reading or writing) are thrown as the store's SkyfoldError.
 */
import { SkyfoldError } from '../../../common/errors';
import type { TokenStore } from './token-store';
import { defaultExpirySkewMs, isExpiring, type Tokens } from './tokens';

/**
 * Refreshes at the provider's token endpoint. Resolves the new tokens: `refreshToken` null/absent means
 * "unchanged". Throws InvalidGrantError (or any SkyfoldError `needs_reconnect`) when the refresh token
 * is dead, SkyfoldError `transient`/`rate_limited` for passing faults. Should honour `signal`.
 */
export type RefreshFunction = (refreshToken: string, context: { signal: AbortSignal }) => Promise<Tokens>;

export type AccountAuthState = 'ok' | 'needs_reconnect';

export interface AuthStateChange {
  accountId: string;
  state: AccountAuthState;
  /** Why the account needs reconnecting; null when it is ok again. */
  error: SkyfoldError | null;
}

export interface TokenManagerOptions {
  accountId: string;
  store: TokenStore;
  refresh: RefreshFunction;
  /** Told about every state change (the service marks the account and pauses or resumes its jobs). */
  onStateChange?: (change: AuthStateChange) => void;
  /** Clock (epoch ms); injected in tests. */
  now?: () => number;
  /** Refresh this long before expiry; default 60 s. */
  skewMs?: number;
  /** A refresh taking longer fails as `transient` (and is aborted); default 60 s. */
  refreshTimeoutMs?: number;
}

export interface AccessToken {
  accessToken: string;
  /** Epoch ms, or null when unknown. */
  expiresAt: number | null;
}

export class TokenManager {
  readonly accountId: string;
  private readonly store: TokenStore;
  private readonly refreshFn: RefreshFunction;
  private readonly onStateChange: ((change: AuthStateChange) => void) | undefined;
  private readonly now: () => number;
  private readonly skewMs: number;
  private readonly refreshTimeoutMs: number;

  private tokens: Tokens | null = null;
  private loaded = false;
  /** The in-memory tokens are newer than the stored ones (their write failed). */
  private unpersisted = false;
  /** An access token a caller reported as rejected (401). */
  private invalidated: string | null = null;
  private reconnectError: SkyfoldError | null = null;
  private inflight: Promise<Tokens> | null = null;
  /** Bumped by replaceTokens so a refresh that started before it cannot overwrite the new tokens. */
  private generation = 0;

  constructor(options: TokenManagerOptions) {
    this.accountId = options.accountId;
    this.store = options.store;
    this.refreshFn = options.refresh;
    this.onStateChange = options.onStateChange;
    this.now = options.now ?? Date.now;
    this.skewMs = options.skewMs ?? defaultExpirySkewMs;
    this.refreshTimeoutMs = options.refreshTimeoutMs ?? 60_000;
  }

  get state(): AccountAuthState {
    return this.reconnectError ? 'needs_reconnect' : 'ok';
  }

  /** A valid access token (see the guarantees above). */
  async getAccessToken(): Promise<string> {
    return (await this.getToken()).accessToken;
  }

  /** Like getAccessToken, with the expiry (for SDKs that want `expiry_date`). */
  async getToken(): Promise<AccessToken> {
    if (this.reconnectError) throw this.reconnectError;
    const current = this.tokens;
    if (current && this.loaded && !this.unpersisted && !this.needsRefresh(current)) return view(current);
    let tokens = await this.shared();
    // Someone reported this very token as rejected while we waited for a load: refresh once more.
    if (tokens.accessToken === this.invalidated) tokens = await this.shared();
    return view(tokens);
  }

  /**
   * Reports that the provider rejected `accessToken` (HTTP 401). The next getAccessToken refreshes,
   * unless the token was already replaced (then this is a no-op, so N callers reporting the same token
   * cause one refresh). Never throws.
   */
  invalidate(accessToken: string): void {
    if (this.tokens && this.tokens.accessToken === accessToken) this.invalidated = accessToken;
  }

  /**
   * Installs tokens from a new sign-in (a reconnect): persists them, then leaves the `needs_reconnect`
   * state (telling `onStateChange`). A refresh still in flight is disregarded. Throws the store's error
   * when they could not be persisted (the account then stays in its previous state).
   */
  async replaceTokens(tokens: Tokens): Promise<void> {
    this.generation += 1;
    this.tokens = { ...tokens };
    this.loaded = true;
    this.unpersisted = true;
    this.invalidated = null;
    const generation = this.generation;
    await this.store.set(this.accountId, this.tokens);
    if (generation === this.generation) this.unpersisted = false;
    if (this.reconnectError) {
      this.reconnectError = null;
      this.notify({ accountId: this.accountId, state: 'ok', error: null });
    }
  }

  private needsRefresh(tokens: Tokens): boolean {
    return tokens.accessToken === this.invalidated || isExpiring(tokens, this.now(), this.skewMs);
  }

  private shared(): Promise<Tokens> {
    if (!this.inflight) {
      const run = this.update();
      this.inflight = run;
      void run
        .catch(() => undefined)
        .then(() => {
          if (this.inflight === run) this.inflight = null;
        });
    }
    return this.inflight;
  }

  /** Loads, persists what is pending, refreshes when needed. Only ever one running (see shared()). */
  private async update(): Promise<Tokens> {
    if (this.reconnectError) throw this.reconnectError;
    const generation = this.generation;
    if (!this.loaded) {
      const stored = await this.store.get(this.accountId);
      if (generation !== this.generation) return this.afterReplace();
      if (!stored) {
        throw this.needsReconnect(
          new SkyfoldError(
            'needs_reconnect',
            `No sign-in is stored for account ${this.accountId}; reconnect it.`,
          ),
        );
      }
      this.tokens = stored;
      this.loaded = true;
    }
    let tokens = this.current();
    if (this.unpersisted) {
      await this.store.set(this.accountId, tokens);
      if (generation !== this.generation) return this.afterReplace();
      this.unpersisted = false;
    }
    if (!this.needsRefresh(tokens)) return tokens;
    if (!tokens.refreshToken) {
      throw this.needsReconnect(
        new SkyfoldError(
          'needs_reconnect',
          `The sign-in of account ${this.accountId} expired and cannot be renewed (no refresh token); reconnect it.`,
        ),
      );
    }

    let fresh: Tokens;
    try {
      fresh = await this.callRefresh(tokens.refreshToken);
    } catch (error) {
      if (generation !== this.generation) return this.afterReplace();
      const failure = this.refreshFailure(error);
      if (failure.code === 'needs_reconnect') throw this.needsReconnect(failure);
      const stillValid =
        tokens.accessToken !== this.invalidated &&
        tokens.accessToken !== '' &&
        (tokens.expiresAt === null || tokens.expiresAt > this.now());
      if (stillValid) return tokens;
      throw failure;
    }
    if (generation !== this.generation) return this.afterReplace();

    tokens = {
      ...fresh,
      refreshToken: fresh.refreshToken || tokens.refreshToken,
      ...(fresh.scope === undefined && tokens.scope !== undefined ? { scope: tokens.scope } : {}),
    };
    this.tokens = tokens;
    this.unpersisted = true;
    // Persist BEFORE handing out: a crash after this point cannot lose a rotated refresh token.
    await this.store.set(this.accountId, tokens);
    if (generation !== this.generation) return this.afterReplace();
    this.unpersisted = false;
    return tokens;
  }

  /** replaceTokens ran while we were busy: its tokens win. */
  private afterReplace(): Tokens {
    if (this.reconnectError) throw this.reconnectError;
    return this.current();
  }

  private current(): Tokens {
    if (!this.tokens) throw new SkyfoldError('needs_reconnect', `No sign-in for account ${this.accountId}.`);
    return this.tokens;
  }

  private async callRefresh(refreshToken: string): Promise<Tokens> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new SkyfoldError(
          'transient',
          `Renewing the sign-in of account ${this.accountId} took longer than ${this.refreshTimeoutMs} ms.`,
        );
        controller.abort(error);
        reject(error);
      }, this.refreshTimeoutMs);
    });
    try {
      return await Promise.race([this.refreshFn(refreshToken, { signal: controller.signal }), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Maps whatever `refresh` threw onto a SkyfoldError. */
  private refreshFailure(error: unknown): SkyfoldError {
    if (error instanceof SkyfoldError) {
      if (error.code === 'needs_reconnect') {
        return new SkyfoldError(
          'needs_reconnect',
          `Account ${this.accountId} must be reconnected: ${error.message}`,
          { cause: error },
        );
      }
      return error;
    }
    if (mentionsInvalidGrant(error)) {
      return new SkyfoldError(
        'needs_reconnect',
        `Account ${this.accountId} must be reconnected: the provider no longer accepts its sign-in (invalid_grant).`,
        { cause: error },
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    return new SkyfoldError(
      'transient',
      `Could not renew the sign-in of account ${this.accountId}: ${message}`,
      {
        cause: error,
      },
    );
  }

  private needsReconnect(error: SkyfoldError): SkyfoldError {
    if (!this.reconnectError) {
      this.reconnectError = error;
      this.notify({ accountId: this.accountId, state: 'needs_reconnect', error });
    }
    return this.reconnectError;
  }

  private notify(change: AuthStateChange): void {
    try {
      this.onStateChange?.(change);
    } catch {
      // A listener's failure must not break token handling.
    }
  }
}

function view(tokens: Tokens): AccessToken {
  return { accessToken: tokens.accessToken, expiresAt: tokens.expiresAt };
}

/**
 * Errors from other OAuth libraries (gaxios in google-auth-library: `error.response.data.error`, or an
 * `error` property) that say invalid_grant.
 */
function mentionsInvalidGrant(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const record = error as { error?: unknown; response?: { data?: { error?: unknown } } };
  return record.error === 'invalid_grant' || record.response?.data?.error === 'invalid_grant';
}
