/**
 * Where an account's OAuth tokens are kept. The engine only knows this interface; the hosts choose the
 * implementation: Electron's safeStorage (main/electron/token-store.ts), the OS keyring, or a private
 * file (see openDefaultTokenStore).
 *
 * Contract for every implementation:
 * - `get` resolves the stored tokens, or null when none are stored for the account. It throws a
 *   SkyfoldError (`permanent`) when the store cannot be read: a damaged or undecryptable file, a locked
 *   or broken keyring. It never returns tokens that fail validation.
 * - `set` stores (replaces) the account's tokens; when it resolves they are durable (survive a crash or
 *   power loss). Idempotent. Throws SkyfoldError (`permanent`) when they could not be stored, in which
 *   case what was stored before is unchanged.
 * - `delete` removes the account's tokens; idempotent (no error when there were none). Throws
 *   SkyfoldError (`permanent`) when the store cannot be written.
 * - Concurrent calls on one store instance are safe (they are applied in call order).
 */
import type { Tokens } from './tokens';

export interface TokenStore {
  /** Where the tokens live, for messages and `skyfold accounts` ("the OS keyring", a file path). */
  readonly description: string;
  get(accountId: string): Promise<Tokens | null>;
  set(accountId: string, tokens: Tokens): Promise<void>;
  delete(accountId: string): Promise<void>;
}

/** A store in memory only (tests; a session that must not persist anything). */
export class MemoryTokenStore implements TokenStore {
  readonly description = 'memory (not persisted)';
  private readonly entries = new Map<string, Tokens>();

  async get(accountId: string): Promise<Tokens | null> {
    const tokens = this.entries.get(accountId);
    return tokens ? structuredClone(tokens) : null;
  }

  async set(accountId: string, tokens: Tokens): Promise<void> {
    this.entries.set(accountId, structuredClone(tokens));
  }

  async delete(accountId: string): Promise<void> {
    this.entries.delete(accountId);
  }
}
