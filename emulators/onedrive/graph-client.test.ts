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
  FileUpload,
  GraphError,
  HTTPMessageHandler,
  LargeFileUploadTask,
  OneDriveLargeFileUploadTask,
  PageIterator,
  ResponseType,
  StreamUpload,
  type Context,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuickXorHash } from '../../main/core/providers/hashes/quickxor';
import { graphClient, startHarness, useHarness, type DriveItem, type Harness } from './test-support';

const h = useHarness({ seed: 'synthetic:5:flat' });

const KIB320 = 320 * 1024;

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

describe('@microsoft/microsoft-graph-client writes (links fixed, bearer on Graph only)', () => {
  let w: Harness;
  beforeAll(async () => {
    w = await startHarness({ seed: 'empty' });
  });
  afterAll(() => w.close());

  it('LargeFileUploadTask uploads a multi-fragment file; the QuickXorHash matches', async () => {
    const { client, links } = graphClient(w);
    const data = randomBytes(3 * KIB320 + 12345);
    const session = await LargeFileUploadTask.createUploadSession(
      client,
      '/me/drive/root:/Uploads/big.bin:/createUploadSession',
      { item: { '@microsoft.graph.conflictBehavior': 'rename', name: 'big.bin' } },
    );
    expect(session.url.startsWith(`${w.url}/rup/`)).toBe(true);
    const progress: string[] = [];
    const task = new LargeFileUploadTask(client, new FileUpload(data, 'big.bin', data.length), session, {
      rangeSize: 2 * KIB320,
      uploadEventHandlers: { progress: (range) => progress.push(`${range?.minValue}-${range?.maxValue}`) },
    });
    const result = await task.upload();
    const item = result.responseBody as DriveItem;
    expect(item).toMatchObject({ name: 'big.bin', size: data.length });
    expect(item.file?.hashes.quickXorHash).toBe(new QuickXorHash().update(data).digest());
    expect(progress).toEqual([`0-${2 * KIB320 - 1}`, `${2 * KIB320}-${data.length - 1}`]);
    // The fragments went to the upload URL without Authorization (the step removed it).
    expect(links.urls.filter((u) => u.startsWith(`${w.url}/rup/`))).toHaveLength(2);
    const bytes = (await client
      .api(`/me/drive/items/${item.id}/content`)
      .responseType(ResponseType.ARRAYBUFFER)
      .get()) as ArrayBuffer;
    expect(Buffer.from(bytes).equals(data)).toBe(true);
  });

  it('StreamUpload and OneDriveLargeFileUploadTask (rename on conflict), getStatus and cancel', async () => {
    const { client } = graphClient(w);
    const data = randomBytes(KIB320 + 1);
    const stream = new StreamUpload(new PassThrough().end(data), 'streamed.bin', data.length);
    const task = await OneDriveLargeFileUploadTask.createTaskWithFileObject(client, stream, {
      fileName: 'streamed.bin',
      rangeSize: KIB320,
      conflictBehavior: 'rename',
    });
    const status = (await task.getStatus()) as { nextExpectedRanges: string[] };
    expect(status.nextExpectedRanges).toEqual(['0-']);
    const first = (await task.upload()).responseBody as DriveItem;
    expect(first.name).toBe('streamed.bin');
    const again = await OneDriveLargeFileUploadTask.createTaskWithFileObject(
      client,
      new FileUpload(data, 'streamed.bin', data.length),
      { fileName: 'streamed.bin', rangeSize: KIB320 },
    );
    expect(((await again.upload()).responseBody as DriveItem).name).toBe('streamed 1.bin');
    const cancelled = await OneDriveLargeFileUploadTask.createTaskWithFileObject(
      client,
      new FileUpload(data, 'never.bin', data.length),
      { fileName: 'never.bin', rangeSize: KIB320 },
    );
    const response = (await cancelled.cancel()) as Response;
    expect(response.status).toBe(204);
    expect(cancelled.getUploadSession().isCancelled).toBe(true);
  });

  it('simple upload, folders, conflicts as GraphError, delta through PageIterator, copy with a monitor', async () => {
    await w.emulator.admin.reset();
    const { client } = graphClient(w);
    const folder = (await client
      .api('/me/drive/root/children')
      .post({ name: 'Docs', folder: {} })) as DriveItem;
    const file = (await client
      .api('/me/drive/root:/Docs/a.txt:/content')
      .put(Buffer.from('hello world'))) as DriveItem;
    expect(file.file?.hashes.quickXorHash).toBe('aCgDG9jwBhDc4Q1yawMZAAAAAAA=');
    let conflict: unknown;
    try {
      await client.api('/me/drive/root/children').post({ name: 'docs', folder: {} });
    } catch (error) {
      conflict = error;
    }
    expect(conflict).toBeInstanceOf(GraphError);
    expect(conflict).toMatchObject({ statusCode: 409, code: 'nameAlreadyExists' });

    const names: string[] = [];
    const first = (await client.api('/me/drive/root/delta').top(1).get()) as { value: DriveItem[] };
    const iterator = new PageIterator(client, first, (item: DriveItem) => {
      names.push(item.name);
      return true;
    });
    await iterator.iterate();
    expect(names).toEqual(['root', 'Docs', 'a.txt']);
    const deltaLink = iterator.getDeltaLink() as string;
    expect(deltaLink.startsWith(`${w.url}/v1.0/me/drive/root/delta?`)).toBe(true);

    const accepted = (await client
      .api(`/me/drive/items/${file.id}/copy`)
      .responseType(ResponseType.RAW)
      .post({ parentReference: { id: folder.id }, name: 'b.txt' })) as Response;
    expect(accepted.status).toBe(202);
    const monitor = accepted.headers.get('location') as string;
    // The monitor needs no auth: plain fetch, as the docs do it.
    expect((await fetch(monitor)).status).toBe(202);
    const done = (await (await fetch(monitor)).json()) as { status: string; resourceId: string };
    expect(done.status).toBe('completed');

    // The deltaLink keeps `$top=1`: one change per page.
    const changes: DriveItem[] = [];
    await new PageIterator(
      client,
      (await client.api(deltaLink).get()) as { value: DriveItem[] },
      (item: DriveItem) => {
        changes.push(item);
        return true;
      },
    ).iterate();
    expect(changes.map((i) => i.name)).toEqual(['root', 'Docs', 'b.txt']);
    expect(changes[2]?.id).toBe(done.resourceId);
  });
});
