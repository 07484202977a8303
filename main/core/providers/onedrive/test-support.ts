/**
 * Helpers for the OneDrive provider's tests against the emulator: a provider per "process" (the same
 * emulator, a fresh provider = a restart), a fetch that records what goes out (method, path, whether
 * a token was sent, body bytes), checkpoints in memory, patterned bytes and dying sources.
 */
import { Readable } from 'node:stream';
import { startOnedriveEmulator, type OnedriveEmulator } from '../../../../emulators/onedrive/emulator';
import { QuickXorHash } from '../hashes/quickxor';
import { Pacer } from '../pacer';
import type { UploadCheckpoint } from '../types';
import { OnedriveProvider } from './onedrive-provider';

export const KiB = 1024;
/** OneDrive's fragment unit. */
export const unit = 320 * KiB;

export interface Sent {
  method: string;
  /** Path below the origin (`/v1.0/me/...`, `/rup/...`). */
  path: string;
  query: string;
  authorized: boolean;
  headers: Record<string, string>;
  bytes: number;
}

export interface Lab {
  emulator: OnedriveEmulator;
  /** Every request any provider of this lab sent, in order. */
  sent: Sent[];
  /** A new provider ("process") on the emulator's first user. */
  connect(options?: ConnectOptions): Promise<OnedriveProvider>;
  /** A fresh folder in the root. */
  scratch(provider: OnedriveProvider): Promise<string>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  retries?: number;
  fragmentSize?: number;
  simpleUploadLimit?: number;
  /** Items per part of `changeFeed.listAll`. */
  listAllPageSize?: number;
  /** Wraps the recording fetch (to tamper with requests). */
  fetch?: (inner: typeof fetch) => typeof fetch;
}

export async function startLab(): Promise<Lab> {
  const emulator = await startOnedriveEmulator({ seed: 'empty' });
  const sent: Sent[] = [];
  const user = emulator.users[0]!;
  let folders = 0;
  const recording: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = Object.fromEntries(
      new Headers(init?.headers as ConstructorParameters<typeof Headers>[0]),
    );
    const body = init?.body;
    sent.push({
      method: init?.method ?? 'GET',
      path: url.pathname,
      query: url.search,
      authorized: 'authorization' in headers,
      headers,
      bytes:
        body instanceof Uint8Array ? body.byteLength : typeof body === 'string' ? Buffer.byteLength(body) : 0,
    });
    return fetch(input, init);
  };
  return {
    emulator,
    sent,
    connect: async (options = {}) => {
      let token = emulator.admin.issueTokens(user).access_token;
      return OnedriveProvider.connect({
        apiBaseUrl: emulator.url,
        tokens: {
          getAccessToken: async () => token,
          invalidate: (rejected) => {
            if (rejected === token) token = emulator.admin.issueTokens(user).access_token;
          },
        },
        fetch: options.fetch ? options.fetch(recording) : recording,
        uploadFragmentSize: options.fragmentSize ?? unit,
        simpleUploadLimit: options.simpleUploadLimit ?? 2 * unit,
        copyPollDelayMs: { first: 1, max: 10 },
        ...(options.listAllPageSize === undefined ? {} : { listAllPageSize: options.listAllPageSize }),
        pacer: new Pacer({
          maxConcurrency: 4,
          maxRetries: options.retries ?? 0,
          baseDelayMs: 1,
          maxDelayMs: 1,
          sleep: async () => undefined,
        }),
      });
    },
    scratch: async (provider) =>
      (await provider.mkdir(provider.rootId, `scratch-${++folders}`, { conflict: 'fail' })).id,
    close: () => emulator.close(),
  };
}

/** Deterministic bytes. */
export function pattern(length: number, seed = 13): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * seed + 7 + (i >> 11)) & 0xff;
  return bytes;
}

export const quickXor = (bytes: Buffer) => new QuickXorHash().update(bytes).digest();

export function memoryCheckpoint(): UploadCheckpoint & { saved: string | null } {
  const checkpoint = {
    saved: null as string | null,
    load: async () => checkpoint.saved,
    save: async (state: string) => void (checkpoint.saved = state),
    clear: async () => void (checkpoint.saved = null),
  };
  return checkpoint;
}

/** A source that sends `bytes` (in 64 KiB chunks) and then fails (a crash, a lost download...). */
export function dying(bytes: Buffer): Readable {
  return Readable.from(
    (async function* () {
      for (let offset = 0; offset < bytes.length; offset += 64 * KiB)
        yield bytes.subarray(offset, offset + 64 * KiB);
      throw new Error('the process was killed');
    })(),
  );
}

/** `bytes` as a stream of 64 KiB chunks. */
export function streamOf(bytes: Buffer): Readable {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += 64 * KiB)
    chunks.push(bytes.subarray(offset, offset + 64 * KiB));
  return Readable.from(chunks);
}
