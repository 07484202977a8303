/**
 * Helpers for the OneDrive emulator's tests: an emulator on a manual clock (faults never sleep), a
 * token minted through the admin API, and raw HTTP helpers for Graph and the identity platform.
 */
import { ManualClock } from '../shared/clock';
import { startOnedriveEmulator, type OnedriveEmulator, type OnedriveEmulatorOptions } from './emulator';

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
