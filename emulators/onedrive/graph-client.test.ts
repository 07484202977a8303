/**
 * How the official @microsoft/microsoft-graph-client (3.x) behaves against the emulator's plain-http
 * origin (see README, "The Graph client"): its AuthenticationHandler attaches `Authorization` only to
 * `https://` URLs of Graph hosts or `customHosts`, so `Client.init({baseUrl: 'http://127.0.0.1:PORT/'})`
 * sends no token at all, `customHosts` included; a middleware chain with its own auth step works;
 * absolute `http://` nextLinks passed back to `client.api()` are not recognised as URLs.
 */
import {
  AuthenticationHandler,
  Client,
  GraphError,
  HTTPMessageHandler,
  type Context,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './test-support';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ seed: 'synthetic:5:flat' });
});
afterAll(() => h.close());

/** The auth step the later design needs over http: a bearer token on every request. */
class BearerMiddleware implements Middleware {
  private next: Middleware | undefined;
  /** The URL of the last request. */
  lastUrl = '';
  constructor(private readonly token: string) {}
  async execute(context: Context): Promise<void> {
    this.lastUrl = typeof context.request === 'string' ? context.request : context.request.url;
    const options = (context.options ??= {});
    const headers = new Headers(options.headers as ConstructorParameters<typeof Headers>[0]);
    headers.set('Authorization', `Bearer ${this.token}`);
    options.headers = Object.fromEntries(headers);
    await this.next?.execute(context);
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}

async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (error) {
    if (error instanceof GraphError) return error.statusCode;
    throw error;
  }
}

describe('@microsoft/microsoft-graph-client against http://127.0.0.1:PORT', () => {
  it('Client.init with an authProvider sends no Authorization to a plain-http baseUrl, customHosts or not', async () => {
    const authProvider = (done: (error: unknown, token: string | null) => void) => done(null, h.token);
    const plain = Client.init({ baseUrl: `${h.url}/`, authProvider });
    expect(await statusOf(plain.api('/me/drive').get())).toBe(401);
    const custom = Client.init({ baseUrl: `${h.url}/`, authProvider, customHosts: new Set(['127.0.0.1']) });
    expect(await statusOf(custom.api('/me/drive').get())).toBe(401);
    // A header set by hand is removed too: the handler deletes Authorization on hosts it does not accept.
    const manual = custom.api('/me/drive').header('Authorization', `Bearer ${h.token}`);
    expect(await statusOf(manual.get())).toBe(401);
  });

  it('AuthenticationHandler accepts an https:// custom host with any port (the HTTPS design)', async () => {
    const seen: (string | undefined)[] = [];
    const handler = new AuthenticationHandler({ getAccessToken: () => Promise.resolve('T0KEN') });
    handler.setNext({
      execute: (context: Context) => {
        seen.push((context.options?.headers as Record<string, string> | undefined)?.Authorization);
        return Promise.resolve();
      },
    });
    const run = (url: string, headers: Record<string, string>) =>
      handler.execute({
        request: url,
        options: { method: 'GET', headers },
        customHosts: new Set(['127.0.0.1']),
      });
    await run('https://127.0.0.1:8443/v1.0/me/drive', {});
    // On plain http the token is not added, and one set by hand is deleted.
    await run('http://127.0.0.1:8443/v1.0/me/drive', { Authorization: 'Bearer preset' });
    expect(seen).toEqual(['Bearer T0KEN', undefined]);
  });

  it('works with initWithMiddleware and an own bearer step; nextLinks must be made relative', async () => {
    const auth = new BearerMiddleware(h.token);
    auth.setNext(new HTTPMessageHandler());
    const client = Client.initWithMiddleware({ baseUrl: `${h.url}/`, middleware: auth });
    const drive = (await client.api('/me/drive').get()) as { driveType: string };
    expect(drive.driveType).toBe('personal');
    const first = (await client.api('/me/drive/root/children').top(2).select('id,name').get()) as {
      value: { name: string }[];
      '@odata.nextLink': string;
    };
    expect(first.value).toHaveLength(2);
    const nextLink = first['@odata.nextLink'];
    expect(nextLink.startsWith(`${h.url}/v1.0/`)).toBe(true);
    // Passed as is, the http:// link is appended to baseUrl + version: a path Graph does not serve.
    expect(await statusOf(client.api(nextLink).get())).toBe(400);
    expect(auth.lastUrl.startsWith(`${h.url}/v1.0/http:/`)).toBe(true);
    // Stripped of origin and version, it works.
    const second = (await client.api(nextLink.slice(`${h.url}/v1.0`.length)).get()) as { value: unknown[] };
    expect(second.value).toHaveLength(2);
  });
});
