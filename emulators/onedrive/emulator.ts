/**
 * Starts the Microsoft Graph (OneDrive Personal) + identity-platform emulator in-process:
 * `startOnedriveEmulator(options)` listens on 127.0.0.1 and resolves once it serves. Used by the CLI
 * launcher (emulators/main.ts), the emulator's own tests and, later, the provider's conformance suite.
 */
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../shared/emulator';
import { ONEDRIVE_SCOPES, OnedriveService, type OnedriveOptions } from './service';

export { ONEDRIVE_SCOPES };

/** The shared options plus OneDrive's own (service.ts `OnedriveOptions`). */
export type OnedriveEmulatorOptions = EmulatorOptions & OnedriveOptions;

/** Where each Microsoft host's entry points live on the emulator. */
export interface OnedriveEndpoints {
  /** login.microsoftonline.com: the authority, `{authority}/{tenant}/oauth2/v2.0/authorize|token`. */
  authority: string;
  /** login.microsoftonline.com/common/oauth2/v2.0/authorize. */
  authorizationUrl: string;
  /** login.microsoftonline.com/common/oauth2/v2.0/token. */
  tokenUrl: string;
  /** graph.microsoft.com/v1.0 (the Graph client's `baseUrl` is `url` plus `/`). */
  graphUrl: string;
}

export function onedriveEndpoints(url: string): OnedriveEndpoints {
  return {
    authority: url,
    authorizationUrl: `${url}/common/oauth2/v2.0/authorize`,
    tokenUrl: `${url}/common/oauth2/v2.0/token`,
    graphUrl: `${url}/v1.0`,
  };
}

export type OnedriveEmulator = RunningEmulator<'onedrive', OnedriveService['admin'], OnedriveEndpoints>;

/** Storage of seeded users that set none: 5 GB, a free Microsoft account's. */
export const DEFAULT_QUOTA_BYTES = 5 * 1024 ** 3;

export function startOnedriveEmulator(options: OnedriveEmulatorOptions = {}): Promise<OnedriveEmulator> {
  return startEmulator(
    {
      name: 'onedrive',
      // Microsoft access tokens last 60 to 90 minutes; 3600 s is the usual `expires_in`.
      defaults: { tokenLifetimeSeconds: 3600, quotaBytes: DEFAULT_QUOTA_BYTES },
      create: (common) =>
        new OnedriveService(common, {
          refreshTokenReuse: options.refreshTokenReuse,
          downloadUrlLifetimeSeconds: options.downloadUrlLifetimeSeconds,
          downloadRanges: options.downloadRanges,
        }),
      endpoints: onedriveEndpoints,
    },
    options,
  );
}
