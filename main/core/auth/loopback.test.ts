import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { SignInError } from './errors';
import { type LoopbackListener, startLoopbackListener } from './loopback';
import { createState } from './pkce';
import { freePort, occupyPort, rawRequest, tryConnect, rejectionOf } from './test-helpers';

const listeners: LoopbackListener[] = [];

async function start(options: Partial<Parameters<typeof startLoopbackListener>[0]> = {}) {
  const state = options.state ?? createState();
  const listener = await startLoopbackListener({ state, ...options });
  listeners.push(listener);
  return { listener, state };
}

afterEach(async () => {
  await Promise.all(listeners.splice(0).map((listener) => listener.close()));
});

/** Resolves 'pending' when the promise has not settled after the event loop had a few turns. */
async function settledState(promise: Promise<unknown>): Promise<'pending' | 'resolved' | 'rejected'> {
  let state: 'pending' | 'resolved' | 'rejected' = 'pending';
  promise.then(
    () => (state = 'resolved'),
    () => (state = 'rejected'),
  );
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  return state;
}

const rejection = (promise: Promise<unknown>) => rejectionOf(promise, SignInError);

describe('startLoopbackListener', () => {
  it('accepts one valid callback, answers with a close-this-window page, then closes the port', async () => {
    const { listener, state } = await start();
    expect(listener.redirectUri).toBe(`http://127.0.0.1:${listener.port}/callback`);

    const page = await rawRequest(listener.port, `/callback?code=the-code&state=${state}&scope=x`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.body).toContain('You can close this window');
    expect(page.body).not.toContain('<script');

    await expect(listener.result).resolves.toEqual({ code: 'the-code', redirectUri: listener.redirectUri });
    expect(await tryConnect(listener.port)).toBe('ECONNREFUSED');
  });

  it('rejects a callback with a wrong, missing or repeated state with 400 and keeps waiting', async () => {
    const { listener, state } = await start();
    const wrong = await rawRequest(listener.port, `/callback?code=evil&state=${createState()}`);
    expect(wrong.status).toBe(400);
    const missing = await rawRequest(listener.port, '/callback?code=evil');
    expect(missing.status).toBe(400);
    const repeated = await rawRequest(listener.port, `/callback?code=evil&state=${state}&state=${state}`);
    expect(repeated.status).toBe(400);
    const twoCodes = await rawRequest(listener.port, `/callback?code=a&code=b&state=${state}`);
    expect(twoCodes.status).toBe(400);
    expect(await settledState(listener.result)).toBe('pending');

    const good = await rawRequest(listener.port, `/callback?code=real&state=${state}`);
    expect(good.status).toBe(200);
    await expect(listener.result).resolves.toMatchObject({ code: 'real' });
  });

  it('an error callback with a wrong state cannot cancel the sign-in', async () => {
    const { listener, state } = await start();
    const forged = await rawRequest(listener.port, `/callback?error=access_denied&state=nope`);
    expect(forged.status).toBe(400);
    expect(await settledState(listener.result)).toBe('pending');
    await rawRequest(listener.port, `/callback?code=ok&state=${state}`);
    await expect(listener.result).resolves.toMatchObject({ code: 'ok' });
  });

  it('turns error=access_denied into a SignInError (denied) and closes', async () => {
    const { listener, state } = await start();
    const page = await rawRequest(
      listener.port,
      `/callback?error=access_denied&error_description=${encodeURIComponent('<b>User said no</b>')}&state=${state}`,
    );
    expect(page.status).toBe(200);
    expect(page.body).toContain('Sign-in cancelled');
    expect(page.body).toContain('&lt;b&gt;User said no&lt;/b&gt;');
    expect(page.body).not.toContain('<b>User');

    const error = await rejection(listener.result);
    expect(error.reason).toBe('denied');
    expect(error.code).toBe('permanent');
    expect(error.oauthError).toBe('access_denied');
    expect(error.message).toContain('User said no');
    expect(await tryConnect(listener.port)).toBe('ECONNREFUSED');
  });

  it('maps other provider errors: temporarily_unavailable is transient', async () => {
    const { listener, state } = await start();
    await rawRequest(listener.port, `/callback?error=temporarily_unavailable&state=${state}`);
    const error = await rejection(listener.result);
    expect(error.reason).toBe('provider_error');
    expect(error.code).toBe('transient');
  });

  it('keeps waiting after a callback with the right state but no code', async () => {
    const { listener, state } = await start();
    expect((await rawRequest(listener.port, `/callback?state=${state}`)).status).toBe(400);
    expect((await rawRequest(listener.port, `/callback?state=${state}&code=`)).status).toBe(400);
    expect(await settledState(listener.result)).toBe('pending');
  });

  it('answers 404 for other paths and 405 for other methods without ending the wait', async () => {
    const { listener, state } = await start();
    expect((await rawRequest(listener.port, `/favicon.ico`)).status).toBe(404);
    expect((await rawRequest(listener.port, `/callback/x?code=a&state=${state}`)).status).toBe(404);
    expect((await rawRequest(listener.port, `/?code=a&state=${state}`)).status).toBe(404);
    const post = await rawRequest(listener.port, `/callback?code=a&state=${state}`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET');
    expect(await settledState(listener.result)).toBe('pending');
  });

  it('checks the Host header (DNS rebinding) and accepts localhost with the right port', async () => {
    const { listener, state } = await start();
    const query = `/callback?code=a&state=${state}`;
    expect((await rawRequest(listener.port, query, { host: `evil.example:${listener.port}` })).status).toBe(
      400,
    );
    expect((await rawRequest(listener.port, query, { host: 'evil.example' })).status).toBe(400);
    expect((await rawRequest(listener.port, query, { host: `127.0.0.1:${listener.port + 1}` })).status).toBe(
      400,
    );
    expect((await rawRequest(listener.port, query, { host: '127.0.0.1' })).status).toBe(400);
    expect(await settledState(listener.result)).toBe('pending');

    expect((await rawRequest(listener.port, query, { host: `localhost:${listener.port}` })).status).toBe(200);
    await expect(listener.result).resolves.toMatchObject({ code: 'a' });
  });

  it('binds 127.0.0.1 only', async () => {
    const { listener } = await start();
    expect(await tryConnect(listener.port, '127.0.0.1')).toBe('connected');
    // The rest of 127/8 is loopback too, but a socket bound to 127.0.0.1 does not answer there.
    expect(await tryConnect(listener.port, '127.0.0.2')).toBe('ECONNREFUSED');
    expect(await tryConnect(listener.port, '::1')).not.toBe('connected');
    const external = Object.values(networkInterfaces())
      .flat()
      .filter((info) => info !== undefined && !info.internal)
      .map((info) => info!.address);
    for (const address of external) expect(await tryConnect(listener.port, address)).not.toBe('connected');
  });

  it('times out with a transient SignInError and closes', async () => {
    const { listener } = await start({ timeoutMs: 30 });
    const error = await rejection(listener.result);
    expect(error.reason).toBe('timeout');
    expect(error.code).toBe('transient');
    expect(error.message).toContain('30 ms');
    expect(await tryConnect(listener.port)).toBe('ECONNREFUSED');
  });

  it('is cancelled by an AbortSignal, and refuses to start with an aborted one', async () => {
    const controller = new AbortController();
    const { listener } = await start({ signal: controller.signal });
    controller.abort();
    const error = await rejection(listener.result);
    expect(error.reason).toBe('cancelled');
    expect(await tryConnect(listener.port)).toBe('ECONNREFUSED');

    await expect(startLoopbackListener({ state: 's', signal: AbortSignal.abort() })).rejects.toMatchObject({
      reason: 'cancelled',
    });
  });

  it('close() cancels the wait and is idempotent', async () => {
    const { listener } = await start();
    await listener.close();
    await listener.close();
    expect((await rejection(listener.result)).reason).toBe('cancelled');
  });

  it('listens on a requested fixed port and reports a busy one as port_in_use', async () => {
    const port = await freePort();
    const { listener } = await start({ port, redirectHost: 'localhost' });
    expect(listener.port).toBe(port);
    expect(listener.redirectUri).toBe(`http://localhost:${port}/callback`);

    const busy = await occupyPort();
    try {
      const error = await rejection(startLoopbackListener({ state: 's', port: busy.port }));
      expect(error.reason).toBe('port_in_use');
      expect(error.code).toBe('conflict');
      expect(error.message).toContain(String(busy.port));
    } finally {
      busy.server.close();
    }
  });

  it('validates its options', async () => {
    await expect(startLoopbackListener({ state: 's', path: 'callback' })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(startLoopbackListener({ state: 's', port: 70000 })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(startLoopbackListener({ state: '' })).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  it('serves a custom path', async () => {
    const { listener, state } = await start({ path: '/oauth2/done' });
    expect(listener.redirectUri.endsWith('/oauth2/done')).toBe(true);
    expect((await rawRequest(listener.port, `/callback?code=a&state=${state}`)).status).toBe(404);
    expect((await rawRequest(listener.port, `/oauth2/done?code=a&state=${state}`)).status).toBe(200);
    await expect(listener.result).resolves.toMatchObject({ code: 'a' });
  });
});
