/**
 * Helpers for the OneDrive emulator's tests: an emulator on a manual clock (faults never sleep), a
 * token minted through the admin API, and raw HTTP helpers for Graph and the identity platform.
 */
import { afterAll, beforeAll } from 'vitest';
import { ManualClock } from '../shared/clock';
import { startOnedriveEmulator, type OnedriveEmulator, type OnedriveEmulatorOptions } from './emulator';

export { EmulatorLinksMiddleware, graphClient } from './graph-client-support';

export const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
export const ALICE = 'alice@example.com';
export const REDIRECT = 'http://localhost:53682/';

export interface Harness {
  emulator: OnedriveEmulator;
  clock: ManualClock;
  url: string;
  /** An access token for alice. */
  token: string;
  close(): Promise<void>;
}

export async function startHarness(options: OnedriveEmulatorOptions = {}): Promise<Harness> {
  const clock = new ManualClock();
  const emulator = await startOnedriveEmulator({
    seed: 'demo',
    clock,
    sleep: async () => undefined,
    ...options,
  });
  const token = emulator.admin.issueTokens(ALICE, { clientId: CLIENT_ID }).access_token;
  return { emulator, clock, url: emulator.url, token, close: () => emulator.close() };
}

/**
 * A harness started before the tests of the enclosing file or `describe` and closed after them
 * (`const h = useHarness({ seed: 'empty' })`; its fields are there once the tests run).
 */
export function useHarness(options: OnedriveEmulatorOptions = {}): Harness {
  const h = {} as Harness;
  beforeAll(async () => {
    Object.assign(h, await startHarness(options));
  });
  afterAll(() => h.close());
  return h;
}

/** GET a Graph path (`/v1.0/...`) or absolute URL with alice's token (or `token`, null = none). */
export function graph(
  h: Harness,
  pathOrUrl: string,
  init: { token?: string | null; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  const token = init.token === undefined ? h.token : init.token;
  if (token !== null) headers.set('Authorization', `Bearer ${token}`);
  return fetch(pathOrUrl.startsWith('http') ? pathOrUrl : `${h.url}${pathOrUrl}`, { headers });
}

export async function graphJson<T = Record<string, unknown>>(
  h: Harness,
  pathOrUrl: string,
  init: { token?: string | null } = {},
): Promise<T> {
  const response = await graph(h, pathOrUrl, init);
  if (response.status !== 200) throw new Error(`${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** POST a form to a token endpoint (`tenant`, default `common`). */
export function tokenRequest(
  h: Harness,
  form: Record<string, string>,
  options: { tenant?: string; contentType?: string; body?: string } = {},
): Promise<Response> {
  return fetch(`${h.url}/${options.tenant ?? 'common'}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'Content-Type': options.contentType ?? 'application/x-www-form-urlencoded' },
    body: options.body ?? new URLSearchParams(form).toString(),
  });
}

/** Any request: `path` (`/v1.0/...`) or an absolute URL; alice's token unless `token` says otherwise. */
export function call(
  h: Harness,
  method: string,
  pathOrUrl: string,
  init: {
    token?: string | null;
    headers?: Record<string, string>;
    json?: unknown;
    body?: Uint8Array | string;
    redirect?: RequestInit['redirect'];
  } = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  const token = init.token === undefined ? h.token : init.token;
  if (token !== null) headers.set('Authorization', `Bearer ${token}`);
  let body: RequestInit['body'];
  if (init.json !== undefined) {
    headers.set('Content-Type', 'application/json');
    body = JSON.stringify(init.json);
  } else if (init.body !== undefined) body = init.body as RequestInit['body'];
  return fetch(pathOrUrl.startsWith('http') ? pathOrUrl : `${h.url}${pathOrUrl}`, {
    method,
    headers,
    body,
    redirect: init.redirect ?? 'follow',
  });
}

/** A driveItem as Graph sends it (the fields tests look at). */
export type DriveItem = Record<string, unknown> & {
  id: string;
  name: string;
  size: number;
  eTag: string;
  cTag: string;
  parentReference: { driveId: string; driveType: string; id?: string; path?: string };
  folder?: { childCount: number };
  file?: { mimeType: string; hashes: { quickXorHash: string } };
  deleted?: { state: string };
  '@microsoft.graph.downloadUrl'?: string;
};

/** Asserts a Graph error answer (status, code, body shape) and returns its message and inner code. */
export async function expectGraphError(
  response: Response,
  status: number,
  code: string,
): Promise<{ message: string; innerCode?: string }> {
  const text = await response.text();
  if (response.status !== status)
    throw new Error(`expected ${status} ${code}, got ${response.status} ${text}`);
  const body = JSON.parse(text) as {
    error: { code: string; message: string; innerError: Record<string, string> };
  };
  if (body.error.code !== code) throw new Error(`expected ${code}, got ${text}`);
  const inner = body.error.innerError;
  if (typeof inner.date !== 'string' || inner['request-id'] !== response.headers.get('request-id'))
    throw new Error(`bad innerError: ${text}`);
  return { message: body.error.message, innerCode: inner.code };
}

/** PUT bytes to a path below alice's root (simple upload), returning the driveItem. */
export async function upload(
  h: Harness,
  path: string,
  data: Uint8Array | string,
  query = '',
): Promise<DriveItem> {
  const encoded = path
    .split('/')
    .map((n) => encodeURIComponent(n))
    .join('/');
  const response = await call(h, 'PUT', `/v1.0/me/drive/root:/${encoded}:/content${query}`, { body: data });
  if (response.status !== 201 && response.status !== 200)
    throw new Error(`${response.status} ${await response.text()}`);
  return (await response.json()) as DriveItem;
}

/** POST children: a folder named `name` in `parentId` (default: the root). */
export async function mkdir(h: Harness, name: string, parentId?: string): Promise<DriveItem> {
  const base = parentId ? `/v1.0/me/drive/items/${encodeURIComponent(parentId)}` : '/v1.0/me/drive/root';
  const response = await call(h, 'POST', `${base}/children`, { json: { name, folder: {} } });
  if (response.status !== 201) throw new Error(`${response.status} ${await response.text()}`);
  return (await response.json()) as DriveItem;
}
