/**
 * Fault injection and throttling on the Drive emulator, observed over raw HTTP: exact rate-limit and
 * error bodies, resets, truncated bodies (detectable by Content-Length), dropped answers whose effect
 * happened, slow requests, expiring tokens, the write throttle and the admin endpoints.
 */
import { get } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { api, reasonOf, startHarness, type Harness } from './test-support';

let h: Harness;
const sleeps: number[] = [];

beforeAll(async () => {
  h = await startHarness({
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
});
afterAll(() => h.close());
beforeEach(async () => {
  await h.emulator.admin.reset();
  h.renew();
  sleeps.length = 0;
});

const about = () => api(h, '/drive/v3/about?fields=user(emailAddress)');

/** GETs a URL and reports what arrived: the declared length, the bytes received, and how it ended. */
function rawGet(
  url: string,
  token: string,
): Promise<{ status: number; declared: number; received: number; ended: 'end' | 'error' }> {
  return new Promise((resolve, reject) => {
    const req = get(url, { headers: { Authorization: `Bearer ${token}` } }, (res) => {
      let received = 0;
      const declared = Number(res.headers['content-length']);
      res.on('data', (chunk: Buffer) => (received += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, declared, received, ended: 'end' }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, declared, received, ended: 'error' }));
      res.on('aborted', () => resolve({ status: res.statusCode ?? 0, declared, received, ended: 'error' }));
    });
    req.on('error', reject);
  });
}

/** GETs a URL whole (optionally a Range), failing unless it ends cleanly with the declared length. */
function rawBytes(url: string, token: string, range?: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
    if (range) headers.Range = range;
    const req = get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const declared = Number(res.headers['content-length']);
        if (body.length !== declared) reject(new Error(`got ${body.length} of ${declared} bytes`));
        else resolve(body);
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** The positions where two equally long buffers differ. */
function differences(a: Buffer, b: Buffer): number[] {
  const positions: number[] = [];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) positions.push(i);
  return positions;
}

describe('rate limits and errors', () => {
  it('answers 403 userRateLimitExceeded exactly as Drive does (no Retry-After by default)', async () => {
    h.emulator.admin.setFaults('user-rate-limit times=1');
    const res = await about();
    expect(res.status).toBe(403);
    expect(res.headers.get('retry-after')).toBeNull();
    expect(res.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    const body = (await res.json()) as { error: Record<string, unknown> };
    expect(body.error.code).toBe(403);
    expect(body.error.status).toBe('PERMISSION_DENIED');
    expect(body.error.errors).toEqual([
      { message: body.error.message, domain: 'usageLimits', reason: 'userRateLimitExceeded' },
    ]);
    expect(String(body.error.message)).toMatch(/^User rate limit exceeded/);
    expect((await about()).status).toBe(200);
  });

  it('answers 429 rateLimitExceeded, with Retry-After when the rule asks for it', async () => {
    h.emulator.admin.setFaults('rate-limit retryAfter=7 times=1');
    const res = await about();
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    const body = (await res.json()) as { error: { status: string } };
    expect(reasonOf(body)).toBe('rateLimitExceeded');
    expect(body.error.status).toBe('RESOURCE_EXHAUSTED');
  });

  it('follows a scripted sequence per matching route, and leaves other routes alone', async () => {
    h.emulator.admin.setFaults('error=503 GET /drive/v3/about seq=x.x');
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await about()).status);
    expect(statuses).toEqual([503, 200, 503, 200]);
    expect((await api(h, '/drive/v3/files?pageSize=1')).status).toBe(200);
    const [rule] = h.emulator.admin.faults();
    expect(rule).toMatchObject({ matched: 4, fired: 2 });
    h.emulator.admin.setFaults('error=500 times=1');
    const res = await about();
    expect(await res.json()).toEqual({
      error: {
        code: 500,
        message: 'Internal Error',
        errors: [{ message: 'Internal Error', domain: 'global', reason: 'internalError' }],
        status: 'INTERNAL',
      },
    });
  });

  it('answers storage quota faults on uploads after reading the body', async () => {
    h.emulator.admin.setFaults('quota POST /upload/*');
    const res = await api(h, '/upload/drive/v3/files?uploadType=media', {
      method: 'POST',
      body: new Uint8Array(2_000_000),
    });
    expect(res.status).toBe(403);
    expect(reasonOf(await res.json())).toBe('storageQuotaExceeded');
  });
});

describe('broken connections', () => {
  it('resets the connection before answering', async () => {
    h.emulator.admin.setFaults('reset times=1');
    await expect(about()).rejects.toThrow();
    expect((await about()).status).toBe(200);
  });

  it('truncates a body: the client sees fewer bytes than Content-Length, then an error', async () => {
    const { data } = await h.drive.files.list({ q: "name = 'dataset.bin'", fields: 'files(id,size)' });
    const file = data.files![0]!;
    h.emulator.admin.setFaults('truncate bytes=100000 GET /drive/v3/files/*');
    const result = await rawGet(`${h.url}/drive/v3/files/${file.id}?alt=media`, h.token);
    expect(result.status).toBe(200);
    expect(result.declared).toBe(Number(file.size));
    expect(result.received).toBe(100000);
    expect(result.ended).toBe('error');
    h.emulator.admin.setFaults('truncate GET /drive/v3/about');
    const json = await rawGet(`${h.url}/drive/v3/about?fields=user`, h.token);
    expect(json.received).toBeLessThan(json.declared);
  });

  it('flips bytes of a download at the given positions: same length, only those bytes differ', async () => {
    const { data } = await h.drive.files.list({ q: "name = 'dataset.bin'", fields: 'files(id,size)' });
    const file = data.files![0]!;
    const url = `${h.url}/drive/v3/files/${file.id}?alt=media`;
    const clean = await rawBytes(url, h.token);
    h.emulator.admin.setFaults('flip=1000 count=3 GET /drive/v3/files/* times=1');
    const flipped = await rawBytes(url, h.token);
    expect(flipped.length).toBe(clean.length);
    expect(flipped.length).toBe(Number(file.size));
    expect(differences(clean, flipped)).toEqual([1000, 1001, 1002]);
    for (const at of [1000, 1001, 1002]) expect(flipped[at]).toBe(clean[at]! ^ 0xff);
    expect((await rawBytes(url, h.token)).equals(clean)).toBe(true);
    expect(h.emulator.admin.faults()[0]).toMatchObject({ kind: 'flip', fired: 1 });
  });

  it('flips seeded positions reproducibly, within a ranged body too', async () => {
    const { data } = await h.drive.files.list({ q: "name = 'dataset.bin'", fields: 'files(id,size)' });
    const url = `${h.url}/drive/v3/files/${data.files![0]!.id}?alt=media`;
    const clean = await rawBytes(url, h.token);
    const flippedPositions = async () => {
      h.emulator.admin.setFaults('flip count=4 seed=21 GET /drive/v3/files/*');
      const flipped = await rawBytes(url, h.token);
      expect(flipped.length).toBe(clean.length);
      return differences(clean, flipped);
    };
    const positions = await flippedPositions();
    expect(positions).toHaveLength(4);
    expect(await flippedPositions()).toEqual(positions);
    // Positions count in the response body: a range of 100 bytes gets its flip among those 100.
    h.emulator.admin.setFaults('flip seed=2 GET /drive/v3/files/*');
    const ranged = await rawBytes(url, h.token, 'bytes=500-599');
    expect(ranged.length).toBe(100);
    expect(differences(clean.subarray(500, 600), ranged)).toHaveLength(1);
  });

  it('drops the answer of a request whose effect still happens', async () => {
    h.emulator.admin.setFaults('drop POST /drive/v3/files times=1');
    await expect(
      api(h, '/drive/v3/files', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"name":"ghost"}',
      }),
    ).rejects.toThrow();
    const { data } = await h.drive.files.list({ q: "name = 'ghost'" });
    expect(data.files).toHaveLength(1);
  });

  it('delays slow requests through the injected sleep', async () => {
    h.emulator.admin.setFaults('slow=1500 GET /drive/v3/about');
    expect((await about()).status).toBe(200);
    expect(sleeps).toEqual([1500]);
  });
});

describe('tokens and throttling', () => {
  it('expires the caller token (401 authError with WWW-Authenticate); refresh then works', async () => {
    h.emulator.admin.setFaults('expire-token times=1');
    const res = await about();
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="https://accounts.google.com/", error="invalid_token"',
    );
    expect(reasonOf(await res.json())).toBe('authError');
    expect((await about()).status).toBe(401);
  });

  it('throttles writes per user at the configured rate (403 userRateLimitExceeded)', async () => {
    h.emulator.admin.setWriteRate(3);
    const create = () =>
      api(h, '/drive/v3/files', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"name":"w"}',
      });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await create()).status);
    expect(statuses).toEqual([200, 200, 200, 403]);
    expect(reasonOf(await (await create()).json())).toBe('userRateLimitExceeded');
    expect((await about()).status).toBe(200);
    h.clock.advance(1000);
    expect((await create()).status).toBe(200);
    const bob = h.emulator.admin.issueTokens('bob@example.com');
    const other = await api(h, '/drive/v3/files', {
      method: 'POST',
      token: bob.access_token,
      headers: { 'Content-Type': 'application/json' },
      body: '{"name":"b"}',
    });
    expect(other.status).toBe(200);
  });
});

describe('admin endpoints', () => {
  it('sets, lists and clears faults over HTTP, and rejects a bad spec', async () => {
    const admin = h.emulator.url + '/__admin';
    const set = await fetch(`${admin}/faults`, {
      method: 'POST',
      body: JSON.stringify({ spec: 'rate-limit p=1 times=2' }),
    });
    expect(set.status).toBe(200);
    expect((await about()).status).toBe(429);
    const listed = (await (await fetch(`${admin}/faults`)).json()) as {
      rules: { kind: string; fired: number }[];
    };
    expect(listed.rules).toEqual([expect.objectContaining({ kind: 'rate-limit', fired: 1 })]);
    await fetch(`${admin}/faults`, { method: 'DELETE' });
    expect((await about()).status).toBe(200);
    const bad = await fetch(`${admin}/faults`, { method: 'POST', body: JSON.stringify({ spec: 'explode' }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain('unknown fault kind');
  });

  it('mints, expires and revokes tokens, moves the clock, and resets the data', async () => {
    const admin = h.emulator.url + '/__admin';
    const minted = (await (
      await fetch(`${admin}/tokens`, { method: 'POST', body: JSON.stringify({ user: 'bob@example.com' }) })
    ).json()) as { access_token: string; refresh_token: string };
    const asBob = () => api(h, '/drive/v3/about?fields=user', { token: minted.access_token });
    expect((await asBob()).status).toBe(200);
    await fetch(`${admin}/expire-tokens`, {
      method: 'POST',
      body: JSON.stringify({ user: 'bob@example.com' }),
    });
    expect((await asBob()).status).toBe(401);
    expect((await about()).status).toBe(200);
    await fetch(`${admin}/revoke-tokens`, { method: 'POST', body: '{}' });
    const refresh = await fetch(`${h.url}/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: minted.refresh_token,
        client_id: 'emulator-client',
      }),
    });
    expect(((await refresh.json()) as { error: string }).error).toBe('invalid_grant');
    const before = (await (await fetch(`${admin}/clock`)).json()) as { now: string };
    const moved = (await (
      await fetch(`${admin}/clock`, { method: 'POST', body: JSON.stringify({ advanceSeconds: 60 }) })
    ).json()) as { now: string };
    expect(Date.parse(moved.now) - Date.parse(before.now)).toBe(60_000);
    h.renew();
    await h.drive.files.create({ requestBody: { name: 'temp' } });
    await fetch(`${admin}/reset`, { method: 'POST' });
    expect((await h.drive.files.list({ q: "name = 'temp'" })).data.files).toEqual([]);
  });
});
