/**
 * The token store of the CLI and the web host: the OS keyring when it works here, otherwise a private
 * file in the data dir (with a warning). The desktop app uses Electron's safeStorage instead
 * (main/electron/token-store.ts).
 */
import { randomBytes } from 'node:crypto';
import { FileTokenStore } from './file-token-store';
import {
  type KeyringEntry,
  type KeyringEntryFactory,
  KeyringTokenStore,
  keyringServiceName,
  loadNativeKeyring,
} from './keyring-token-store';
import type { TokenStore } from './token-store';

export interface DefaultTokenStoreOptions {
  /** Called at most once, when tokens go to the file instead of the keyring. */
  warn: (message: string) => void;
  /**
   * The keyring to try; defaults to the native one (@napi-rs/keyring). Pass null to skip the keyring
   * (e.g. `SKYFOLD_TOKEN_STORE=file`).
   */
  keyring?: KeyringEntryFactory | null;
  /** How long the probe may take (a keyring can hang waiting for an unlock prompt); default 5 s. */
  probeTimeoutMs?: number;
}

/**
 * Opens the store. Probes the keyring with a set/get/delete round trip on a throw-away entry; if that
 * works, returns a KeyringTokenStore (which also migrates tokens left in the file by an earlier run
 * without a keyring). Otherwise returns the FileTokenStore of `dataDir` and calls `warn` once, saying the
 * tokens are kept in a file readable only by this user. Never throws for an unusable keyring.
 */
export async function openDefaultTokenStore(
  dataDir: string,
  options: DefaultTokenStoreOptions,
): Promise<TokenStore> {
  const file = FileTokenStore.inDataDir(dataDir);
  let factory: KeyringEntryFactory | null;
  let reason: string;
  if (options.keyring === null) {
    factory = null;
    reason = 'the keyring is switched off';
  } else if (options.keyring) {
    factory = options.keyring;
    reason = '';
  } else {
    const native = await loadNativeKeyring();
    factory = 'factory' in native ? native.factory : null;
    reason = 'error' in native ? native.error : '';
  }
  if (factory) {
    const probe = await probeKeyring(factory, options.probeTimeoutMs ?? 5_000);
    if (probe === true) return new KeyringTokenStore({ entries: factory, legacy: file });
    reason = probe;
  }
  options.warn(
    `The OS keyring is not available (${reason}). Skyfold keeps sign-in tokens in ${file.filePath}, a file only your user can read.`,
  );
  return file;
}

/** True when a round trip works, else why not. */
export async function probeKeyring(factory: KeyringEntryFactory, timeoutMs: number): Promise<true | string> {
  const account = `probe-${randomBytes(6).toString('hex')}`;
  const value = randomBytes(12).toString('hex');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
  });
  const roundTrip = (async (): Promise<true | string> => {
    let entry: KeyringEntry | undefined;
    try {
      // Creating the entry can already fail (Linux without a D-Bus session).
      entry = factory(keyringServiceName, account);
      await entry.setPassword(value);
      const read = await entry.getPassword();
      await entry.deletePassword();
      return read === value ? true : 'it did not return what was stored';
    } catch (error) {
      const created = entry;
      if (created) {
        await Promise.resolve()
          .then(() => created.deletePassword())
          .catch(() => undefined);
      }
      return error instanceof Error ? error.message : String(error);
    }
  })();
  try {
    return await Promise.race([roundTrip, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
