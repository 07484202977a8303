/**
 * Starts the Google Drive v3 emulator in-process: `startGdriveEmulator(options)` listens on 127.0.0.1
 * and resolves once it serves. Used by the CLI launcher (emulators/main.ts), the emulator's own tests,
 * the provider's conformance suite and the demo.
 */
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../shared/emulator';
import { DRIVE_SCOPE, GdriveService } from './service';

export { DRIVE_SCOPE };

export interface GdriveEmulatorOptions extends EmulatorOptions {
  /** files.export limit (default 10 MB, Drive's). */
  exportSizeLimitBytes?: number;
}

/** Where each Google host lives on the emulator (what real Google spreads over several hosts). */
export interface GdriveEndpoints {
  /** googleapis `rootUrl` (with the trailing slash), for metadata calls and, per call, uploads. */
  rootUrl: string;
  oauth2AuthBaseUrl: string;
  oauth2TokenUrl: string;
  oauth2RevokeUrl: string;
  tokenInfoUrl: string;
  userInfoUrl: string;
}

export function gdriveEndpoints(url: string): GdriveEndpoints {
  return {
    rootUrl: `${url}/`,
    oauth2AuthBaseUrl: `${url}/o/oauth2/v2/auth`,
    oauth2TokenUrl: `${url}/token`,
    oauth2RevokeUrl: `${url}/revoke`,
    tokenInfoUrl: `${url}/tokeninfo`,
    userInfoUrl: `${url}/oauth2/v3/userinfo`,
  };
}

export type GdriveEmulator = RunningEmulator<'gdrive', GdriveService['admin'], GdriveEndpoints>;

/** Storage limit of seeded users that set none: 15 GiB, a free Google account's. */
export const DEFAULT_QUOTA_BYTES = 15 * 1024 ** 3;

export function startGdriveEmulator(options: GdriveEmulatorOptions = {}): Promise<GdriveEmulator> {
  return startEmulator(
    {
      name: 'gdrive',
      // Google access tokens last an hour.
      defaults: { tokenLifetimeSeconds: 3600, quotaBytes: DEFAULT_QUOTA_BYTES },
      create: (common) =>
        new GdriveService({
          ...common,
          exportSizeLimitBytes: options.exportSizeLimitBytes ?? 10 * 1024 * 1024,
        }),
      endpoints: gdriveEndpoints,
    },
    options,
  );
}
