/**
 * Support for matrix.test.ts (the transfer reliability matrix): one cloud emulator per cloud, the
 * engine's provider of it (a real TokenManager refreshing at the emulator's token endpoint, a real
 * Pacer, small upload chunks so that a file takes several requests), a log of every request that
 * provider sends (when, what, the Range asked for, the status answered), and helpers to seed files,
 * plan a batch and look at both ends afterwards.
 */
import { createHash } from 'node:crypto';
import * as diagnostics from 'node:diagnostics_channel';
import * as fs from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import {
  startDropboxEmulator,
  startGdriveEmulator,
  startOnedriveEmulator,
  type EmulatorAdmin,
} from '../../emulators';
import {
  createOAuthClient,
  MemoryTokenStore,
  resolveClientConfig,
  TokenManager,
  tokensFromResponse,
  type AuthStateChange,
} from '../../main/core/auth';
import { openDatabase, type SqliteDatabase } from '../../main/core/index/database';
import { stateMigrations } from '../../main/core/index/migrations';
import { DropboxProvider } from '../../main/core/providers/dropbox/dropbox-provider';
import { GdriveProvider } from '../../main/core/providers/gdrive/gdrive-provider';
import { OnedriveProvider } from '../../main/core/providers/onedrive/onedrive-provider';
import { Pacer } from '../../main/core/providers/pacer';
import type { AccessTokenSource, HashType, Provider } from '../../main/core/providers/types';
import { HashSet } from '../../main/core/transfers/hash-set';
import { TransferEngine } from '../../main/core/transfers/engine';
import { TransferJournal, type Job, type TransferOp } from '../../main/core/transfers/journal';
import { planBatch } from '../../main/core/transfers/planner';

export const cloudNames = ['gdrive', 'dropbox', 'onedrive'] as const;
export type CloudName = (typeof cloudNames)[number];

export const clientId = 'skyfold-tests';

/** What the matrix uses of a running emulator. */
export interface MatrixEmulator {
  readonly url: string;
  readonly users: readonly string[];
  readonly admin: EmulatorAdmin;
  requests(): { count: number; recent: readonly string[] };
  close(): Promise<void>;
}

export function startCloud(name: CloudName): Promise<MatrixEmulator> {
  // Long-lived tokens: only the faults expire them.
  const options = { seed: 'empty', tokenLifetimeSeconds: 24 * 3600 } as const;
  switch (name) {
    case 'gdrive':
      return startGdriveEmulator(options);
    case 'dropbox':
      return startDropboxEmulator(options);
    case 'onedrive':
      return startOnedriveEmulator(options);
  }
}

/**
 * Where each cloud's bytes travel, as fault-rule `METHOD PATH-GLOB` (emulators/README.md): the
 * download of a file's content, and the requests carrying an upload's bytes (sessions: the chunks).
 */
export const routes: Record<CloudName, { download: string; upload: string; downloadRule: string }> = {
  // Drive's read first gets the file's metadata on the same path, then `?alt=media`: rules skip one.
  gdrive: {
    download: 'GET /drive/v3/files/*',
    downloadRule: 'GET /drive/v3/files/* after=1',
    upload: 'PUT /upload/drive/v3/files*',
  },
  dropbox: {
    download: 'POST /2/files/download',
    downloadRule: 'POST /2/files/download',
    upload: 'POST /2/files/upload_session/*',
  },
  onedrive: { download: 'GET /personal/*', downloadRule: 'GET /personal/*', upload: 'PUT /rup/*' },
};

/** The hash type each cloud reports, which its copies are compared with. */
export const nativeHash: Record<CloudName, HashType> = {
  gdrive: 'md5',
  dropbox: 'dropbox',
  onedrive: 'quickxor',
};

/** One request an emulator received from the engine, as the emulator saw it. */
export interface LoggedRequest {
  /** performance.now() when it arrived. */
  at: number;
  method: string;
  path: string;
  query: string;
  range: string | null;
  /** The request body's declared length (Content-Length), 0 when none. */
  bytes: number;
  /** The status answered (null while answering, or when the connection was broken). */
  status: number | null;
  /** performance.now() when the answer was sent in full. */
  answeredAt: number | null;
}

interface ServerMessage {
  request: IncomingMessage;
  response: ServerResponse;
  server: Server;
}

/**
 * The requests one emulator receives while `armed`, timed where they arrive (node's http server
 * diagnostics channels): whatever HTTP client a provider uses (Drive's SDK has its own), every
 * request counts. Requests carrying a token of `ignored` (the observer's) are left out.
 * `onArrival` sees each request before the emulator handles it (to act mid-transfer).
 */
export class ServerLog {
  readonly entries: LoggedRequest[] = [];
  armed = false;
  onArrival: ((entry: LoggedRequest) => void) | null = null;
  private readonly pending = new WeakMap<IncomingMessage, LoggedRequest>();

  constructor(
    private readonly port: number,
    private readonly ignored: ReadonlySet<string>,
  ) {
    diagnostics.subscribe('http.server.request.start', this.arrived);
    diagnostics.subscribe('http.server.response.finish', this.answered);
  }

  close(): void {
    diagnostics.unsubscribe('http.server.request.start', this.arrived);
    diagnostics.unsubscribe('http.server.response.finish', this.answered);
  }

  private readonly arrived = (message: unknown) => {
    const { request, server } = message as ServerMessage;
    if (!this.armed || (server.address() as AddressInfo | null)?.port !== this.port) return;
    const url = new URL(request.url ?? '/', 'http://emulator');
    if (url.pathname.startsWith('/__admin')) return;
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (bearer !== undefined && this.ignored.has(bearer)) return;
    const entry: LoggedRequest = {
      at: performance.now(),
      method: request.method ?? 'GET',
      path: url.pathname,
      query: url.search,
      range: request.headers.range ?? null,
      bytes: Number(request.headers['content-length'] ?? 0),
      status: null,
      answeredAt: null,
    };
    this.entries.push(entry);
    this.pending.set(request, entry);
    this.onArrival?.(entry);
  };

  private readonly answered = (message: unknown) => {
    const { request, response } = message as ServerMessage;
    const entry = this.pending.get(request);
    if (!entry) return;
    entry.status = response.statusCode;
    entry.answeredAt = performance.now();
  };

  /** Requests matching a fault rule's `METHOD PATH-GLOB`. */
  matching(route: string): LoggedRequest[] {
    const [method, glob] = route.split(' ') as [string, string];
    const pattern = new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    return this.entries.filter((entry) => entry.method === method && pattern.test(entry.path));
  }
}

/** The engine's side of one cloud account, connected to its emulator. */
export interface Connection {
  provider: Provider;
  tokens: TokenManager;
  authChanges: AuthStateChange[];
}

function pacer(): Pacer {
  // Real time (Retry-After must really be waited for); short backoffs for the 5xx rows.
  return new Pacer({ maxConcurrency: 4, maxRetries: 6, baseDelayMs: 5, maxDelayMs: 50 });
}

/** Small chunks: a file of about 1 MB takes several upload requests on every cloud. */
async function connectProvider(name: CloudName, url: string, tokens: AccessTokenSource): Promise<Provider> {
  switch (name) {
    case 'gdrive':
      return GdriveProvider.connect({
        apiBaseUrl: url,
        tokens,
        pacer: pacer(),
        chunkSize: 256 * 1024,
        multipartLimit: 256 * 1024,
      });
    case 'dropbox':
      return DropboxProvider.connect({
        apiBaseUrl: url,
        tokens,
        pacer: pacer(),
        uploadChunkSize: 256 * 1024,
      });
    case 'onedrive':
      return OnedriveProvider.connect({
        apiBaseUrl: url,
        tokens,
        pacer: pacer(),
        uploadFragmentSize: 320 * 1024,
        simpleUploadLimit: 320 * 1024,
      });
  }
}

/**
 * The provider as the app builds it for an account (accounts/cloud.ts): a TokenManager over a
 * token store, refreshing at the emulator's token endpoint through the OAuth client.
 */
export async function connect(name: CloudName, emulator: MatrixEmulator): Promise<Connection> {
  const config = resolveClientConfig(name, {
    env: { [`SKYFOLD_${name.toUpperCase()}_CLIENT_ID`]: clientId },
    overrides: { endpoint: emulator.url },
  });
  const client = createOAuthClient(config);
  const store = new MemoryTokenStore();
  await store.set(
    'account',
    tokensFromResponse(emulator.admin.issueTokens(emulator.users[0]!, { clientId }), Date.now()),
  );
  const authChanges: AuthStateChange[] = [];
  const tokens = new TokenManager({
    accountId: 'account',
    store,
    refresh: client.refresh,
    onStateChange: (change) => authChanges.push(change),
  });
  const provider = await connectProvider(name, emulator.url, tokens);
  return { provider, tokens, authChanges };
}

/**
 * A provider for looking at the cloud from outside the engine (seeding, checking): tokens straight
 * from the admin, a new one whenever one is rejected (so it survives revoked grants), no log.
 */
export async function observer(
  name: CloudName,
  emulator: MatrixEmulator,
): Promise<{ provider: Provider; tokens: ReadonlySet<string> }> {
  const user = emulator.users[0]!;
  const issued = new Set<string>();
  const issue = () => {
    const token = emulator.admin.issueTokens(user).access_token;
    issued.add(token);
    return token;
  };
  let token = issue();
  const tokens: AccessTokenSource = {
    getAccessToken: async () => token,
    invalidate: (rejected) => {
      if (rejected === token) token = issue();
    },
  };
  return { provider: await connectProvider(name, emulator.url, tokens), tokens: issued };
}

/** Deterministic, incompressible bytes for a file name (xorshift32 seeded by the name). */
export function contentFor(name: string, size: number): Buffer {
  let state = createHash('sha256').update(name).digest().readUInt32LE(0) || 1;
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    const word = Buffer.alloc(4);
    word.writeUInt32LE(state);
    word.copy(bytes, i, 0, Math.min(4, size - i));
  }
  return bytes;
}

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** The digest of `bytes` in a provider's hash type. */
export function hashOf(bytes: Buffer, type: HashType): string {
  return new HashSet([type]).update(bytes).digest()[type]!;
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

/** Files by name and their bytes. */
export type Files = Map<string, Buffer>;

export function makeFiles(prefix: string, count: number, size: (i: number) => number): Files {
  const files: Files = new Map();
  for (let i = 0; i < count; i++) {
    const name = `${prefix} ${String(i).padStart(2, '0')}.bin`;
    files.set(name, contentFor(name, size(i)));
  }
  return files;
}

export async function writeLocalFiles(folder: string, files: Files): Promise<void> {
  await fs.mkdir(folder, { recursive: true });
  for (const [name, bytes] of files) await fs.writeFile(path.join(folder, name), bytes);
}

/** The files of a local folder (Skyfold's own `.skyfold*` entries apart) by name: their sha256. */
export async function localHashes(folder: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const name of await fs.readdir(folder)) {
    if (name.startsWith('.skyfold')) continue;
    found.set(name, sha256(await fs.readFile(path.join(folder, name))));
  }
  return found;
}

/** Every entry of a local folder, Skyfold's own (part files, trash) included. */
export async function localEntries(folder: string): Promise<string[]> {
  return (await fs.readdir(folder)).sort();
}

/** The files of a cloud folder by name: the sha256 of the bytes read back. */
export async function cloudHashes(provider: Provider, folderId: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for await (const page of provider.list(folderId)) {
    for (const item of page) {
      if (item.kind !== 'file') continue;
      found.set(item.name, sha256(await readAll(await provider.read(item.id))));
    }
  }
  return found;
}

export async function uploadFiles(provider: Provider, folderId: string, files: Files): Promise<string[]> {
  const ids: string[] = [];
  for (const [name, bytes] of files) {
    const item = await provider.write(folderId, name, Readable.from([bytes]), {
      conflict: 'fail',
      size: bytes.length,
    });
    ids.push(item.id);
  }
  return ids;
}

export const hashesOf = (files: Files) =>
  new Map([...files].map(([name, bytes]) => [name, sha256(bytes)] as const));

/**
 * `provider` whose `trash` first runs `check` (the move's source is trashed only now: the check
 * looks at the destination). What `check` throws is recorded in `violations`, and the trash goes
 * on: the test fails on the record, not on a retry the engine would make of it.
 */
export function watchTrash(
  provider: Provider,
  check: (id: string) => Promise<void>,
  violations: string[],
): Provider {
  return new Proxy(provider, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (property === 'trash') {
        return async (id: string) => {
          await check(id).catch((error: unknown) => violations.push(String(error)));
          return target.trash(id);
        };
      }
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

export const LOCAL = JSON.stringify({ account: 'local' });
export const CLOUD = JSON.stringify({ account: 'cloud' });

/** A journal in `dir` and the engine over it, its providers by endpoint. */
export interface Run {
  journal: TransferJournal;
  db: SqliteDatabase;
  engine: TransferEngine;
  batchId: string;
  jobs(): Job[];
}

/**
 * Plans `op` of `itemIds` from `from` to `to`'s `folderId` and returns the engine that will run it.
 * `clock`: 'virtual' lets the engine's own retry pauses (job-level backoff) pass at once, so a row
 * does not wait for them; 'real' keeps real time (the Retry-After row: every wait is a real one).
 */
export async function plan(options: {
  dir: string;
  op: TransferOp;
  from: { endpoint: string; provider: Provider; itemIds: string[] };
  to: { endpoint: string; provider: Provider; folderId: string };
  clock: 'virtual' | 'real';
}): Promise<Run> {
  const db = openDatabase(path.join(options.dir, 'state.db'), {
    migrations: stateMigrations,
    synchronous: 'FULL',
  });
  const journal = new TransferJournal(db);
  const summary = await planBatch(journal, {
    op: options.op,
    origin: 'reliability-matrix',
    source: options.from,
    destination: options.to,
    conflict: 'rename',
  });
  const providers = new Map([
    [options.from.endpoint, options.from.provider],
    [options.to.endpoint, options.to.provider],
  ]);
  let skew = 0;
  const engine = new TransferEngine({
    journal,
    provider: async (endpoint) => providers.get(endpoint)!,
    ...(options.clock === 'virtual'
      ? {
          now: () => Date.now() + skew,
          sleep: async (ms: number) => {
            skew += Math.max(0, ms);
          },
        }
      : {}),
  });
  return {
    journal,
    db,
    engine,
    batchId: summary.batchId,
    jobs: () => journal.jobs(summary.batchId).filter((job) => job.kind === 'file'),
  };
}
