/**
 * Starts the Dropbox API v2 emulator in-process: `startDropboxEmulator(options)` listens on 127.0.0.1
 * and resolves once it serves. Used by the CLI launcher (emulators/main.ts), the emulator's own tests,
 * the provider's conformance suite and the demo. Point the official SDK at it with a `fetch` that
 * sends every Dropbox host to `url` (main/core/providers/dropbox/hosts.ts `dropboxFetch`).
 */
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../shared/emulator';
import { DROPBOX_SCOPES } from './scopes';
import { DropboxService } from './service';

export { DROPBOX_SCOPES };

export type DropboxEmulatorOptions = EmulatorOptions;

/** Where each Dropbox host's entry points live on the emulator. */
export interface DropboxEndpoints {
  /** www.dropbox.com/oauth2/authorize. */
  authorizationUrl: string;
  /** api.dropboxapi.com/oauth2/token. */
  tokenUrl: string;
  /** api.dropboxapi.com/2/auth/token/revoke. */
  revokeUrl: string;
}

export function dropboxEndpoints(url: string): DropboxEndpoints {
  return {
    authorizationUrl: `${url}/oauth2/authorize`,
    tokenUrl: `${url}/oauth2/token`,
    revokeUrl: `${url}/2/auth/token/revoke`,
  };
}

export type DropboxEmulator = RunningEmulator<'dropbox', DropboxService['admin'], DropboxEndpoints>;

/** Allocation of seeded users that set none: 2 GiB, a Basic account's. */
export const DEFAULT_QUOTA_BYTES = 2 * 1024 ** 3;

export function startDropboxEmulator(options: DropboxEmulatorOptions = {}): Promise<DropboxEmulator> {
  return startEmulator(
    {
      name: 'dropbox',
      // Dropbox's short-lived access tokens last four hours.
      defaults: { tokenLifetimeSeconds: 14_400, quotaBytes: DEFAULT_QUOTA_BYTES },
      create: (common) => new DropboxService(common),
      endpoints: dropboxEndpoints,
    },
    options,
  );
}
