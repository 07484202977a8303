/**
 * Helpers for the Drive emulator's tests: an emulator on a manual clock, tokens minted through the
 * admin API, and the official googleapis client pointed at it.
 */
import { google, type drive_v3 } from 'googleapis';
import { ManualClock } from '../shared/clock';
import {
  gdriveEndpoints,
  startGdriveEmulator,
  type GdriveEmulator,
  type GdriveEmulatorOptions,
} from './emulator';

export const CLIENT_ID = 'skyfold-test.apps.googleusercontent.com';

export interface Harness {
  emulator: GdriveEmulator;
  clock: ManualClock;
  url: string;
  /** An access token for alice (full drive scope). */
  token: string;
  drive: drive_v3.Drive;
  /** Per-call options media uploads need (googleapis ignores rootUrl for uploads otherwise). */
  upload: { rootUrl: string };
  /** Issues a fresh token for alice (after the clock moved past the old one's lifetime). */
  renew(): void;
  close(): Promise<void>;
}

export function oauthClient(url: string) {
  const { oauth2AuthBaseUrl, oauth2TokenUrl, oauth2RevokeUrl, tokenInfoUrl } = gdriveEndpoints(url);
  return new google.auth.OAuth2({
    clientId: CLIENT_ID,
    endpoints: { oauth2AuthBaseUrl, oauth2TokenUrl, oauth2RevokeUrl, tokenInfoUrl },
  });
}

export function driveFor(url: string, accessToken: string, refreshToken?: string): drive_v3.Drive {
  const auth = oauthClient(url);
  auth.setCredentials({ access_token: accessToken, refresh_token: refreshToken });
  return google.drive({ version: 'v3', auth, rootUrl: `${url}/`, retry: false });
}

export async function startHarness(options: GdriveEmulatorOptions = {}): Promise<Harness> {
  const clock = new ManualClock();
  const emulator = await startGdriveEmulator({
    seed: 'demo',
    clock,
    sleep: async () => undefined,
    ...options,
  });
  const issue = () => emulator.admin.issueTokens('alice@example.com', { clientId: CLIENT_ID }).access_token;
  const token = issue();
  const harness: Harness = {
    emulator,
    clock,
    url: emulator.url,
    token,
    drive: driveFor(emulator.url, token),
    upload: { rootUrl: `${emulator.url}/` },
    renew() {
      harness.token = issue();
      harness.drive = driveFor(emulator.url, harness.token);
    },
    close: () => emulator.close(),
  };
  return harness;
}

/** fetch against the emulator with alice's token. */
export function api(
  h: Harness,
  path: string,
  init: RequestInit & { token?: string | null } = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  const token = init.token === undefined ? h.token : init.token;
  if (token !== null) headers.set('Authorization', `Bearer ${token}`);
  return fetch(`${h.url}${path}`, { ...init, headers });
}

/** The Drive error reason of a failed googleapis call (or of a JSON error body). */
export function reasonOf(error: unknown): string | undefined {
  const data = (error as { response?: { data?: unknown } }).response?.data ?? error;
  return (data as { error?: { errors?: { reason?: string }[] } }).error?.errors?.[0]?.reason;
}

export function statusOf(error: unknown): number | undefined {
  return (error as { response?: { status?: number } }).response?.status;
}

/** Resolves to the rejection of a promise (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

/** Finds a file by name in a folder (first match). */
export async function childNamed(h: Harness, parent: string, name: string): Promise<drive_v3.Schema$File> {
  const res = await h.drive.files.list({
    q: `'${parent}' in parents and name = '${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`,
    fields: 'files(id,name,mimeType,parents,size,md5Checksum,trashed)',
  });
  const file = res.data.files?.[0];
  if (!file) throw new Error(`no ${name} in ${parent}`);
  return file;
}
