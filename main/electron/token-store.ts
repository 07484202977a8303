/**
 * The desktop app's token store: the engine's TokenStore, encrypted with Electron's safeStorage (OS
 * keychain: macOS Keychain, Windows DPAPI, Linux libsecret/KWallet) into one file in the data dir,
 * `<dataDir>/credentials/tokens.safestorage` (0600 in a 0700 folder, written atomically by the engine's
 * FileTokenStore). Created by the host after `ready` and injected into the engine.
 *
 * On Linux without a keyring, safeStorage falls back to `basic_text`: the "encryption" uses a hard-coded
 * key, i.e. the tokens are protected by the file permissions only. `tokenStorageWarning()` says so, for
 * the UI to show.
 *
 * Errors (SkyfoldError `permanent`, see TokenStore): encryption unavailable (before `ready`, or no key) on
 * set; decryption unavailable on get (the file is kept); a file that cannot be decrypted any more (the
 * keychain key changed) counts as damaged and is set aside on the next write.
 */
import { safeStorage } from 'electron';
import { SkyfoldError } from '../../common/errors';
import {
  credentialsFilePath,
  FileTokenStore,
  type TokenFileCodec,
  type TokenStore,
  type Tokens,
} from '../core/auth';

/** The part of Electron's safeStorage this store uses. */
export type SafeStorageLike = Pick<
  Electron.SafeStorage,
  'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync' | 'getSelectedStorageBackend'
>;

export const safeStorageTokenFileName = 'tokens.safestorage';

/** A FileTokenStore codec that encrypts the whole file with safeStorage. */
export function safeStorageCodec(storage: SafeStorageLike = safeStorage): TokenFileCodec {
  const requireAvailable = async (action: string): Promise<void> => {
    const available = await storage.isAsyncEncryptionAvailable().catch(() => false);
    if (!available) {
      throw new SkyfoldError(
        'permanent',
        `Cannot ${action} sign-in tokens: the system's secure storage (Electron safeStorage) is not available.`,
      );
    }
  };
  return {
    async encode(text) {
      await requireAvailable('store');
      return storage.encryptStringAsync(text);
    },
    async decode(bytes) {
      await requireAvailable('read');
      const { result, shouldReEncrypt } = await storage.decryptStringAsync(bytes);
      return { text: result, reencode: shouldReEncrypt };
    },
  };
}

export class SafeStorageTokenStore implements TokenStore {
  readonly description: string;
  readonly filePath: string;
  private readonly file: FileTokenStore;

  constructor(dataDir: string, options: { safeStorage?: SafeStorageLike } = {}) {
    this.filePath = credentialsFilePath(dataDir, safeStorageTokenFileName);
    this.description = `Electron safeStorage (${this.filePath})`;
    this.file = new FileTokenStore({
      filePath: this.filePath,
      codec: safeStorageCodec(options.safeStorage ?? safeStorage),
      description: this.description,
    });
  }

  get(accountId: string): Promise<Tokens | null> {
    return this.file.get(accountId);
  }

  set(accountId: string, tokens: Tokens): Promise<void> {
    return this.file.set(accountId, tokens);
  }

  delete(accountId: string): Promise<void> {
    return this.file.delete(accountId);
  }
}

/**
 * A message for the UI when tokens cannot really be encrypted: on Linux, safeStorage's `basic_text`
 * backend (no libsecret/KWallet found). Null otherwise - also before `ready`, when the backend is still
 * 'unknown' (call it after ready).
 */
export function tokenStorageWarning(
  platform: NodeJS.Platform = process.platform,
  storage: Pick<SafeStorageLike, 'getSelectedStorageBackend'> = safeStorage,
): string | null {
  if (platform !== 'linux') return null;
  if (storage.getSelectedStorageBackend() !== 'basic_text') return null;
  return (
    'No system keyring (GNOME Keyring / KWallet) was found, so your sign-in tokens are protected only by ' +
    'file permissions (readable by your user account). Install and unlock a keyring, then restart Skyfold, ' +
    'to have them encrypted.'
  );
}
