/**
 * Every emulator behind one call, for the CLI launcher, the demo and e2e tests: Google Drive, then
 * Dropbox, then OneDrive (Microsoft Graph). Each service gets its own origin: `port` is the first service's port (the next ones take
 * the following ports); `dataDir/<service>` holds each service's uploaded content.
 */
import * as path from 'node:path';
import { startDropboxEmulator, type DropboxEmulator } from './dropbox/emulator';
import { startGdriveEmulator, type GdriveEmulator } from './gdrive/emulator';
import { startOnedriveEmulator, type OnedriveEmulator } from './onedrive/emulator';
import type { FaultRule } from './shared/faults';

export {
  DRIVE_SCOPE,
  gdriveEndpoints,
  startGdriveEmulator,
  type GdriveEmulator,
  type GdriveEmulatorOptions,
  type GdriveEndpoints,
} from './gdrive/emulator';
export {
  DROPBOX_SCOPES,
  dropboxEndpoints,
  startDropboxEmulator,
  type DropboxEmulator,
  type DropboxEmulatorOptions,
  type DropboxEndpoints,
} from './dropbox/emulator';
export {
  ONEDRIVE_SCOPES,
  onedriveEndpoints,
  startOnedriveEmulator,
  type OnedriveEmulator,
  type OnedriveEmulatorOptions,
  type OnedriveEndpoints,
} from './onedrive/emulator';
export type { EmulatorAdmin, TokenSet } from './shared/admin';
export { ManualClock, type Clock } from './shared/clock';
export type { FaultRule } from './shared/faults';

export interface EmulatorsOptions {
  port?: number;
  seed?: string;
  autoConsent?: boolean;
  faults?: string | readonly FaultRule[];
  dataDir?: string;
  writesPerSecond?: number | null;
  /** Access-token lifetime of every service (default: each service's own, Drive 3600, Dropbox 14400, OneDrive 3600). */
  tokenLifetimeSeconds?: number;
}

/** What the launcher prints, one JSON line per service. */
export interface ServiceAnnouncement {
  service: string;
  url: string;
  admin: string;
  users: readonly string[];
}

export interface RunningEmulators {
  gdrive: GdriveEmulator;
  dropbox: DropboxEmulator;
  onedrive: OnedriveEmulator;
  announcements(): ServiceAnnouncement[];
  close(): Promise<void>;
}

export async function startEmulators(options: EmulatorsOptions = {}): Promise<RunningEmulators> {
  const shared = {
    seed: options.seed,
    autoConsent: options.autoConsent,
    faults: options.faults,
    writesPerSecond: options.writesPerSecond,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds,
  };
  const dataDir = (service: string) =>
    options.dataDir === undefined ? undefined : path.join(options.dataDir, service);
  const gdrive = await startGdriveEmulator({ ...shared, port: options.port, dataDir: dataDir('gdrive') });
  let dropbox: DropboxEmulator;
  try {
    dropbox = await startDropboxEmulator({
      ...shared,
      port: options.port ? options.port + 1 : options.port,
      dataDir: dataDir('dropbox'),
    });
  } catch (error) {
    await gdrive.close();
    throw error;
  }
  let onedrive: OnedriveEmulator;
  try {
    onedrive = await startOnedriveEmulator({
      ...shared,
      port: options.port ? options.port + 2 : options.port,
      dataDir: dataDir('onedrive'),
    });
  } catch (error) {
    await Promise.all([gdrive.close(), dropbox.close()]);
    throw error;
  }
  const services = [gdrive, dropbox, onedrive];
  return {
    gdrive,
    dropbox,
    onedrive,
    announcements: () =>
      services.map((s) => ({ service: s.service, url: s.url, admin: s.adminUrl, users: s.users })),
    close: async () => {
      await Promise.all(services.map((s) => s.close()));
    },
  };
}
