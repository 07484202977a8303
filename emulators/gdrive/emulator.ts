/**
 * Starts the Google Drive v3 emulator in-process: `startGdriveEmulator(options)` listens on 127.0.0.1
 * and resolves once it serves. Used by the CLI launcher (emulators/main.ts), the emulator's own tests,
 * the provider's conformance suite and the demo.
 */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { OffsetClock, systemClock, type Clock } from '../shared/clock';
import { toFaultRules, type FaultRule } from '../shared/faults';
import { listen } from '../shared/http';
import type { OAuthClient } from '../shared/oauth';
import { resolveSeed, type Seed } from '../shared/seeds';
import { DRIVE_SCOPE, GdriveService } from './service';

export { DRIVE_SCOPE };

export interface GdriveEmulatorOptions {
  /** 0 or absent: a free port. */
  port?: number;
  /** `demo` (default), `empty`, `synthetic:N`, `synthetic:N:flat`, or a Seed object. */
  seed?: string | Seed;
  /** Redirect from the authorize endpoint at once instead of showing the consent page. */
  autoConsent?: boolean;
  /** Initial fault rules: a spec string (see emulators/README.md) or rules. */
  faults?: string | readonly FaultRule[];
  /** Where uploaded content and upload sessions go; default: a temp dir removed on close. */
  dataDir?: string;
  /** Access token lifetime (default 3600). */
  tokenLifetimeSeconds?: number;
  /** Resumable session lifetime (default 7 days). */
  uploadSessionLifetimeSeconds?: number;
  /** files.export limit (default 10 MB, Drive's). */
  exportSizeLimitBytes?: number;
  /** Storage limit of seeded users that set none (default 15 GiB; null = unlimited). */
  quotaBytes?: number | null;
  /** Per-user write throttling (writes per second); default off. */
  writesPerSecond?: number | null;
  /** Accepted OAuth clients; default: any client id. */
  clients?: readonly OAuthClient[];
  /** Time source (default: the system clock); admin clock moves add to it. */
  clock?: Clock;
  /** Delay used by `slow` faults (default: a real timer). */
  sleep?: (ms: number) => Promise<void>;
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

export interface GdriveEmulator {
  readonly service: 'gdrive';
  /** `http://127.0.0.1:PORT` (no trailing slash): every Google host path lives under it. */
  readonly url: string;
  /** `URL/__admin`. */
  readonly adminUrl: string;
  readonly endpoints: GdriveEndpoints;
  /** Seeded accounts (emails), in seed order. */
  readonly users: readonly string[];
  /** In-process admin: faults, reset, tokens, clock, throttle, quota. */
  readonly admin: GdriveService['admin'];
  /** Stops the server (open connections are destroyed) and removes a temporary data dir. */
  close(): Promise<void>;
}

export const DEFAULT_QUOTA_BYTES = 15 * 1024 ** 3;

export async function startGdriveEmulator(options: GdriveEmulatorOptions = {}): Promise<GdriveEmulator> {
  const seed = typeof options.seed === 'object' ? options.seed : resolveSeed(options.seed ?? 'demo');
  const temporary = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-gdrive-')));
  const service = new GdriveService({
    seed,
    clock: new OffsetClock(options.clock ?? systemClock),
    dataDir,
    autoConsent: options.autoConsent ?? false,
    clients: options.clients,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600,
    uploadSessionLifetimeSeconds: options.uploadSessionLifetimeSeconds ?? 7 * 24 * 3600,
    exportSizeLimitBytes: options.exportSizeLimitBytes ?? 10 * 1024 * 1024,
    defaultQuotaBytes: options.quotaBytes === undefined ? DEFAULT_QUOTA_BYTES : options.quotaBytes,
    faults:
      options.faults === undefined
        ? []
        : typeof options.faults === 'string'
          ? toFaultRules(options.faults)
          : toFaultRules([...options.faults]),
    writesPerSecond: options.writesPerSecond ?? null,
    sleep: options.sleep,
  });
  await service.init();
  const server = await listen(service.handle, { port: options.port });
  return {
    service: 'gdrive',
    url: server.url,
    adminUrl: `${server.url}/__admin`,
    endpoints: gdriveEndpoints(server.url),
    users: service.users,
    admin: service.admin,
    async close() {
      await server.close();
      if (temporary) await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
