/**
 * Starting an emulator in-process, the same way for every service: the options they all take
 * (`EmulatorOptions`), resolved into what every service's constructor receives (`ServiceOptions`),
 * and `startEmulator`, which builds the service over a data directory (a temporary one unless given),
 * listens on 127.0.0.1 and returns the running emulator (`RunningEmulator`). Each service adds its own
 * options, its defaults (token lifetime, quota) and where its hosts' entry points live (`endpoints`).
 */
import * as fs from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { OffsetClock, systemClock, type Clock } from './clock';
import { toFaultRules, type FaultRule } from './faults';
import { listen } from './http';
import type { OAuthClient, OAuthServerOptions } from './oauth';
import { resolveSeed, type Seed } from './seeds';

/** Options of every `start<Service>Emulator` (all optional). */
export interface EmulatorOptions {
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
  /** Access token lifetime (default: the service's own, Drive 3600, Dropbox 14400). */
  tokenLifetimeSeconds?: number;
  /** Upload session lifetime (default 7 days). */
  uploadSessionLifetimeSeconds?: number;
  /** Storage limit of seeded users that set none (default: the service's own; null = unlimited). */
  quotaBytes?: number | null;
  /** Per-user write throttling (writes per second); default off. */
  writesPerSecond?: number | null;
  /** Accepted OAuth clients (with `redirectUris`: only those, exactly); default: any client id. */
  clients?: readonly OAuthClient[];
  /** Time source (default: the system clock); admin clock moves add to it. */
  clock?: Clock;
  /** Delay used by `slow` faults and a service's own waits, e.g. Dropbox's longpoll (default: a real timer). */
  sleep?: (ms: number) => Promise<void>;
}

/** The common options as every service's constructor receives them, defaults applied. */
export interface ServiceOptions {
  seed: Seed;
  /** The emulator's clock: admin moves add an offset to the injected (or system) clock. */
  clock: OffsetClock;
  dataDir: string;
  autoConsent: boolean;
  /** Registered OAuth clients; absent = any client id. */
  clients?: readonly OAuthClient[];
  tokenLifetimeSeconds: number;
  uploadSessionLifetimeSeconds: number;
  /** Storage limit of seeded users that set none; null = unlimited. */
  defaultQuotaBytes: number | null;
  /** The initial fault rules (`POST /__admin/reset` restores them). */
  faults: readonly FaultRule[];
  writesPerSecond: number | null;
  /** Delay used by `slow` faults and a service's own waits (tests inject one that does not wait). */
  sleep?: (ms: number) => Promise<void>;
}

/** What `startEmulator` needs of a service. */
export interface EmulatorService {
  /** Seeded accounts (emails), in seed order. */
  readonly users: readonly string[];
  readonly admin: unknown;
  /** Prepares the data directory and builds the seeded accounts; called once before listening. */
  init(): Promise<void>;
  /** The node:http request listener. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

/** A started emulator, as `start<Service>Emulator` resolves it. */
export interface RunningEmulator<Name extends string, Admin, Endpoints> {
  readonly service: Name;
  /** `http://127.0.0.1:PORT` (no trailing slash): the paths of every host of the service live under it. */
  readonly url: string;
  /** `URL/__admin`. */
  readonly adminUrl: string;
  /** Where the service's entry points (OAuth, API roots) live on `url`. */
  readonly endpoints: Endpoints;
  /** Seeded accounts (emails), in seed order. */
  readonly users: readonly string[];
  /** In-process admin: faults, reset, tokens, clock, throttle, and the service's own operations. */
  readonly admin: Admin;
  /**
   * The service requests received so far (admin requests not counted): their number, and the last
   * `recentRequestsKept` as `METHOD /path` (no query), oldest first. For tests and benchmarks that
   * count what a client costs.
   */
  requests(): { count: number; recent: readonly string[] };
  /** Stops the server (open connections are destroyed) and removes a temporary data dir. */
  close(): Promise<void>;
}

/** A service's defaults for the common options. */
export interface EmulatorDefaults {
  /** Access-token lifetime when `tokenLifetimeSeconds` is not given. */
  tokenLifetimeSeconds: number;
  /** Storage limit of seeded users when `quotaBytes` is not given. */
  quotaBytes: number;
}

/** How one service is started. */
export interface EmulatorDefinition<Name extends string, Service extends EmulatorService, Endpoints> {
  /** The `service` field of the running emulator; also names its temporary data dir (`skyfold-NAME-`). */
  name: Name;
  defaults: EmulatorDefaults;
  /** Builds the service (not yet initialised) from the resolved common options. */
  create(options: ServiceOptions): Service;
  endpoints(url: string): Endpoints;
}

/** How many recent requests `RunningEmulator.requests()` lists. */
const recentRequestsKept = 1000;

/** Upload sessions last a week on Drive and Dropbox alike. */
export const DEFAULT_UPLOAD_SESSION_LIFETIME_SECONDS = 7 * 24 * 3600;

function resolveOptions(
  options: EmulatorOptions,
  seed: Seed,
  dataDir: string,
  defaults: EmulatorDefaults,
): ServiceOptions {
  return {
    seed,
    clock: new OffsetClock(options.clock ?? systemClock),
    dataDir,
    autoConsent: options.autoConsent ?? false,
    clients: options.clients,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? defaults.tokenLifetimeSeconds,
    uploadSessionLifetimeSeconds:
      options.uploadSessionLifetimeSeconds ?? DEFAULT_UPLOAD_SESSION_LIFETIME_SECONDS,
    defaultQuotaBytes: options.quotaBytes === undefined ? defaults.quotaBytes : options.quotaBytes,
    faults:
      options.faults === undefined
        ? []
        : typeof options.faults === 'string'
          ? toFaultRules(options.faults)
          : toFaultRules([...options.faults]),
    writesPerSecond: options.writesPerSecond ?? null,
    sleep: options.sleep,
  };
}

/** The OAuthServer options that come from the common options: seeded users, clock, consent, clients, lifetime. */
export function oauthServerOptions(
  options: ServiceOptions,
): Pick<OAuthServerOptions, 'users' | 'clock' | 'autoConsent' | 'clients' | 'accessTokenLifetimeSeconds'> {
  return {
    users: () => options.seed.users.map((u) => ({ email: u.email, displayName: u.displayName })),
    clock: options.clock,
    autoConsent: options.autoConsent,
    clients: options.clients,
    accessTokenLifetimeSeconds: options.tokenLifetimeSeconds,
  };
}

/** Starts a service: resolves the options, builds and initialises it, listens; resolves once it serves. */
export async function startEmulator<Name extends string, Service extends EmulatorService, Endpoints>(
  definition: EmulatorDefinition<Name, Service, Endpoints>,
  options: EmulatorOptions,
): Promise<RunningEmulator<Name, Service['admin'], Endpoints>> {
  const seed = typeof options.seed === 'object' ? options.seed : resolveSeed(options.seed ?? 'demo');
  const temporary = options.dataDir === undefined;
  const dataDir =
    options.dataDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), `skyfold-${definition.name}-`)));
  const service = definition.create(resolveOptions(options, seed, dataDir, definition.defaults));
  await service.init();
  let count = 0;
  const recent: string[] = [];
  const server = await listen(
    (req, res) => {
      const pathname = (req.url ?? '/').split('?')[0]!;
      if (pathname !== '/__admin' && !pathname.startsWith('/__admin/')) {
        count++;
        recent.push(`${req.method ?? 'GET'} ${pathname}`);
        if (recent.length > recentRequestsKept) recent.shift();
      }
      return service.handle(req, res);
    },
    { port: options.port },
  );
  return {
    service: definition.name,
    url: server.url,
    adminUrl: `${server.url}/__admin`,
    endpoints: definition.endpoints(server.url),
    users: service.users,
    admin: service.admin,
    requests: () => ({ count, recent: [...recent] }),
    async close() {
      await server.close();
      if (temporary) await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
