/**
 * Tokens in the OS keyring (macOS Keychain, Windows Credential Manager, Linux Secret Service) through
 * @napi-rs/keyring: one entry per account, service name "Skyfold", user name = the account id, the
 * secret = the tokens as JSON.
 *
 * On Linux the entries are pinned to the Secret Service: @napi-rs/keyring would otherwise fall back to the
 * kernel keyring (keyutils), which forgets everything at logout/reboot - tokens would silently vanish.
 *
 * The native module is loaded lazily (`loadNativeKeyring`), so a platform without a prebuilt binary only
 * loses the keyring, not the engine.
 */
import { SkyfoldError } from '../../../common/errors';
import type { TokenStore } from './token-store';
import { type Tokens, tokensSchema } from './tokens';

export const keyringServiceName = 'Skyfold';

/** One keyring entry (the subset of @napi-rs/keyring's AsyncEntry we use). */
export interface KeyringEntry {
  /** Resolves null when there is no such entry. */
  getPassword(): Promise<string | null>;
  setPassword(password: string): Promise<void>;
  /** Resolves false when there was no such entry. */
  deletePassword(): Promise<boolean>;
}

/** Makes the entry of (service, account). */
export type KeyringEntryFactory = (service: string, account: string) => KeyringEntry;

/**
 * The real keyring, or null (with the reason) when the native module cannot be loaded here. Does not
 * probe whether the keyring works: openDefaultTokenStore does that with a round trip.
 */
export async function loadNativeKeyring(): Promise<{ factory: KeyringEntryFactory } | { error: string }> {
  try {
    const keyring = await import('@napi-rs/keyring');
    const options =
      process.platform === 'linux' ? { linux: { store: 'secret-service' as const } } : undefined;
    return { factory: (service, account) => new keyring.AsyncEntry(service, account, options) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

export interface KeyringTokenStoreOptions {
  entries: KeyringEntryFactory;
  /** Defaults to "Skyfold". */
  service?: string;
  /**
   * A store used before the keyring was available (the private file). `get` falls back to it and moves
   * what it finds into the keyring; `set`/`delete` remove the account from it, so no stale copy stays.
   */
  legacy?: TokenStore;
}

export class KeyringTokenStore implements TokenStore {
  readonly description = 'the OS keyring';
  private readonly service: string;
  private readonly entries: KeyringEntryFactory;
  private readonly legacy: TokenStore | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: KeyringTokenStoreOptions) {
    this.entries = options.entries;
    this.service = options.service ?? keyringServiceName;
    this.legacy = options.legacy;
  }

  /** See TokenStore.get. Throws `permanent` when the keyring fails or holds a malformed entry. */
  get(accountId: string): Promise<Tokens | null> {
    return this.serialized(async () => {
      const stored = await this.call('read', () => this.entry(accountId).getPassword());
      if (stored !== null) return this.parse(accountId, stored);
      if (!this.legacy) return null;
      let old: Tokens | null;
      try {
        old = await this.legacy.get(accountId);
      } catch {
        return null; // a damaged legacy file must not block the keyring
      }
      if (old === null) return null;
      await this.call('write', () => this.entry(accountId).setPassword(JSON.stringify(old)));
      await this.legacy.delete(accountId).catch(() => undefined);
      return old;
    });
  }

  /** See TokenStore.set. */
  set(accountId: string, tokens: Tokens): Promise<void> {
    const parsed = tokensSchema.safeParse(tokens);
    if (!parsed.success) {
      return Promise.reject(new SkyfoldError('invalid_argument', 'refusing to store malformed tokens'));
    }
    return this.serialized(async () => {
      await this.call('write', () => this.entry(accountId).setPassword(JSON.stringify(parsed.data)));
      await this.legacy?.delete(accountId).catch(() => undefined);
    });
  }

  /** See TokenStore.delete. Idempotent. */
  delete(accountId: string): Promise<void> {
    return this.serialized(async () => {
      await this.call('delete', () => this.entry(accountId).deletePassword());
      await this.legacy?.delete(accountId).catch(() => undefined);
    });
  }

  private entry(accountId: string): KeyringEntry {
    return this.entries(this.service, accountId);
  }

  private parse(accountId: string, stored: string): Tokens {
    try {
      return tokensSchema.parse(JSON.parse(stored));
    } catch {
      throw new SkyfoldError(
        'permanent',
        `The keyring entry "${this.service}/${accountId}" is damaged; reconnect the account to replace it.`,
      );
    }
  }

  private async call<T>(action: string, task: () => Promise<T>): Promise<T> {
    try {
      return await task();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new SkyfoldError('permanent', `Could not ${action} the OS keyring: ${message}`, { cause: error });
    }
  }

  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
