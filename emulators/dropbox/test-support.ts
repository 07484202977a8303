/**
 * Helpers for the Dropbox emulator's tests: an emulator on a manual clock, tokens minted through the
 * admin API, the official `dropbox` SDK pointed at it (its hosts rewritten by `dropboxFetch`), and raw
 * HTTP for what the SDK never sends.
 */
import { Dropbox, DropboxResponseError } from 'dropbox';
import { Readable } from 'node:stream';
import { dropboxFetch } from '../../main/core/providers/dropbox/hosts';
import { ManualClock } from '../shared/clock';
import { startDropboxEmulator, type DropboxEmulator, type DropboxEmulatorOptions } from './emulator';

export const CLIENT_ID = 'skyfold-test-app-key';
export const ALICE = 'alice@example.com';

export interface Harness {
  emulator: DropboxEmulator;
  clock: ManualClock;
  url: string;
  /** A fetch that serves every Dropbox host from the emulator. */
  fetch: typeof fetch;
  /** An access token for alice (every scope). */
  token: string;
  dbx: Dropbox;
  close(): Promise<void>;
}

export function dropboxFor(url: string, accessToken: string): Dropbox {
  return new Dropbox({ accessToken, fetch: dropboxFetch(url) });
}

export async function startHarness(options: DropboxEmulatorOptions = {}): Promise<Harness> {
  const clock = new ManualClock();
  const emulator = await startDropboxEmulator({
    seed: 'empty',
    clock,
    sleep: async () => undefined,
    ...options,
  });
  const token = emulator.admin.issueTokens(ALICE, { clientId: CLIENT_ID }).access_token;
  return {
    emulator,
    clock,
    url: emulator.url,
    fetch: dropboxFetch(emulator.url),
    token,
    dbx: dropboxFor(emulator.url, token),
    close: () => emulator.close(),
  };
}

/** POST /2/<route> with a JSON body (or none), alice's token unless `token` says otherwise. */
export function rpc(
  h: Harness,
  route: string,
  body?: unknown,
  init: { token?: string | null; contentType?: string | null; raw?: string } = {},
): Promise<Response> {
  const headers = new Headers();
  const token = init.token === undefined ? h.token : init.token;
  if (token !== null) headers.set('Authorization', `Bearer ${token}`);
  const text = init.raw ?? (body === undefined ? undefined : JSON.stringify(body));
  if (text !== undefined && init.contentType !== null)
    headers.set('Content-Type', init.contentType ?? 'application/json');
  return fetch(`${h.url}/2/${route}`, { method: 'POST', headers, body: text });
}

/**
 * A content-host call: argument in Dropbox-API-Arg (escaped like the SDK, or `argHeader` as it is),
 * bytes in the body (a Readable is streamed), Content-Type application/octet-stream unless given.
 */
export function content(
  h: Harness,
  route: string,
  arg: unknown,
  init: {
    body?: Uint8Array | string | Readable;
    headers?: Record<string, string>;
    method?: string;
    argHeader?: string;
  } = {},
): Promise<Response> {
  const headers = new Headers({ Authorization: `Bearer ${h.token}`, ...init.headers });
  headers.set('Dropbox-API-Arg', init.argHeader ?? headerJson(arg));
  if (init.body !== undefined && !headers.has('Content-Type'))
    headers.set('Content-Type', 'application/octet-stream');
  const url = `${h.url}/2/${route}`;
  const method = init.method ?? 'POST';
  if (init.body instanceof Readable) {
    const body = Readable.toWeb(init.body) as ReadableStream;
    return fetch(url, { method, headers, body, duplex: 'half' } as RequestInit);
  }
  return fetch(url, { method, headers, body: init.body });
}

export const headerJson = (value: unknown) =>
  JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

/** A Dropbox JSON error body as the SDK exposes it (`error.error`). */
export interface ErrorBody {
  error_summary: string;
  error: Record<string, unknown>;
}

/** The DropboxResponseError of a failed SDK call (fails the test if the call succeeds). */
export async function rejection(promise: Promise<unknown>): Promise<DropboxResponseError<ErrorBody>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DropboxResponseError) return error as DropboxResponseError<ErrorBody>;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** The `.tag` chain of a 409 error body (`path/not_found`). */
export function tags(error: DropboxResponseError<ErrorBody>): string {
  return String(error.error.error_summary).replace(/\/\.+$/, '');
}

/** FileMetadata's fields in the order Dropbox sends them (a file without media info, sharing or properties). */
export const fileMetadataFields = [
  'name',
  'path_lower',
  'path_display',
  'id',
  'client_modified',
  'server_modified',
  'rev',
  'size',
  'is_downloadable',
  'content_hash',
];
