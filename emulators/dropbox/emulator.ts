/**
 * Starts the Dropbox API v2 emulator in-process: `startDropboxEmulator(options)` listens on 127.0.0.1
 * and resolves once it serves. Used by the CLI launcher (emulators/main.ts), the emulator's own tests,
 * the provider's conformance suite and the demo. Point the official SDK at it with a `fetch` that
 * sends every Dropbox host to `url` (main/core/providers/dropbox/hosts.ts `dropboxFetch`).
 */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { OffsetClock, systemClock, type Clock } from '../shared/clock';
import { toFaultRules, type FaultRule } from '../shared/faults';
import { listen } from '../shared/http';
import type { OAuthClient } from '../shared/oauth';
import { resolveSeed, type Seed } from '../shared/seeds';
import { DROPBOX_SCOPES } from './scopes';
import { DropboxService } from './service';

export { DROPBOX_SCOPES };

export interface DropboxEmulatorOptions {
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
  /** Access token lifetime (default 14400, Dropbox's). */
  tokenLifetimeSeconds?: number;
  /** Upload session lifetime (default 7 days). */
  uploadSessionLifetimeSeconds?: number;
  /** Allocation of seeded users that set none (default 2 GiB, a Basic account; null = unlimited). */
  quotaBytes?: number | null;
  /** Per-user write throttling (writes per second); default off. */
  writesPerSecond?: number | null;
  /** Accepted OAuth clients; default: any client id. */
  clients?: readonly OAuthClient[];
  /** Time source (default: the system clock); admin clock moves add to it. */
  clock?: Clock;
  /** Delay used by `slow` faults and longpoll timeouts (default: a real timer). */
  sleep?: (ms: number) => Promise<void>;
}

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

export interface DropboxEmulator {
  readonly service: 'dropbox';
  /** `http://127.0.0.1:PORT` (no trailing slash): the paths of every Dropbox host live under it. */
  readonly url: string;
  /** `URL/__admin`. */
  readonly adminUrl: string;
  readonly endpoints: DropboxEndpoints;
  /** Seeded accounts (emails), in seed order. */
  readonly users: readonly string[];
  /** In-process admin: faults, reset, tokens, clock, throttle, quota. */
  readonly admin: DropboxService['admin'];
  /** Stops the server (open connections are destroyed) and removes a temporary data dir. */
  close(): Promise<void>;
}

export const DEFAULT_QUOTA_BYTES = 2 * 1024 ** 3;

export async function startDropboxEmulator(options: DropboxEmulatorOptions = {}): Promise<DropboxEmulator> {
  const seed = typeof options.seed === 'object' ? options.seed : resolveSeed(options.seed ?? 'demo');
  const temporary = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-dropbox-')));
  const service = new DropboxService({
    seed,
    clock: new OffsetClock(options.clock ?? systemClock),
    dataDir,
    autoConsent: options.autoConsent ?? false,
    clients: options.clients,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 14_400,
    uploadSessionLifetimeSeconds: options.uploadSessionLifetimeSeconds ?? 7 * 24 * 3600,
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
    service: 'dropbox',
    url: server.url,
    adminUrl: `${server.url}/__admin`,
    endpoints: dropboxEndpoints(server.url),
    users: service.users,
    admin: service.admin,
    async close() {
      await server.close();
      if (temporary) await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
