/**
 * Every emulator behind one call, for the CLI launcher, the demo and e2e tests. Today: Google Drive.
 * Each service gets its own origin: `port` is the first service's port (the next ones take the
 * following ports); `dataDir/<service>` holds each service's uploaded content.
 */
import * as path from 'node:path';
import { startGdriveEmulator, type GdriveEmulator } from './gdrive/emulator';
import type { FaultRule } from './shared/faults';

export {
  DRIVE_SCOPE,
  gdriveEndpoints,
  startGdriveEmulator,
  type GdriveEmulator,
  type GdriveEmulatorOptions,
  type GdriveEndpoints,
} from './gdrive/emulator';
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
  announcements(): ServiceAnnouncement[];
  close(): Promise<void>;
}

export async function startEmulators(options: EmulatorsOptions = {}): Promise<RunningEmulators> {
  const gdrive = await startGdriveEmulator({
    port: options.port,
    seed: options.seed,
    autoConsent: options.autoConsent,
    faults: options.faults,
    dataDir: options.dataDir === undefined ? undefined : path.join(options.dataDir, 'gdrive'),
    writesPerSecond: options.writesPerSecond,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds,
  });
  const services = [gdrive];
  return {
    gdrive,
    announcements: () =>
      services.map((s) => ({ service: s.service, url: s.url, admin: s.adminUrl, users: s.users })),
    close: async () => {
      await Promise.all(services.map((s) => s.close()));
    },
  };
}
