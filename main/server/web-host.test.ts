import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { EngineEvent } from '../../common/contract';
import { SkyfoldError } from '../../common/errors';
import type { ServerMessage } from '../../common/rpc';
import { downloadUrl, uploadUrl } from '../../common/uploads';
import { SkyfoldService } from '../core/service';
import {
  attachmentDisposition,
  contentSecurityPolicy,
  startWebHost,
  type WebHost,
  type WebHostOptions,
} from './web-host';

let base: string;
let host: WebHost;

beforeEach(async () => {
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-web-'));
  await fs.mkdir(path.join(base, 'renderer'));
  await fs.writeFile(path.join(base, 'renderer', 'index.html'), '<!doctype html><title>Skyfold</title>');
});
afterEach(async () => {
  await host.close();
  await fs.rm(base, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function get(pathname: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port: host.port, path: pathname, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
      );
    });
    request.on('error', reject);
  });
}

function rawRequest(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port: host.port }, () => socket.write(text));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    setTimeout(() => socket.end(), 200);
  });
}

const cookie = () => `skyfold-token-${host.port}=${host.token}`;

function connect(headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/rpc`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    ws.once('error', reject);
  });
}

function nextMessage(ws: WebSocket): Promise<ServerMessage> {
  return new Promise((resolve) =>
    ws.once('message', (data) => resolve(JSON.parse(String(data)) as ServerMessage)),
  );
}

describe('web host', () => {
  let service: SkyfoldService;

  beforeEach(async () => {
    service = SkyfoldService.open({ dataDir: path.join(base, 'data') });
    host = await startWebHost({ service, rendererDir: path.join(base, 'renderer'), port: 0 });
  });
  afterEach(() => service.close());

  it('binds the loopback address only and prints a token URL', async () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(32);
    const addresses = Object.values(os.networkInterfaces())
      .flat()
      .filter((info) => info && info.family === 'IPv4' && !info.internal)
      .map((info) => info!.address);
    for (const address of addresses) {
      const reached = await new Promise<boolean>((resolve) => {
        const socket = net.connect({ host: address, port: host.port }, () => {
          socket.destroy();
          resolve(true);
        });
        socket.on('error', () => resolve(false));
      });
      expect(reached, `reachable on ${address}`).toBe(false);
    }
  });

  it('survives malformed request targets, resets and bad frames', async () => {
    expect((await rawRequest(`GET // HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\n\r\n`)).split(' ')[1]).toBe(
      '400',
    );
    expect(
      await rawRequest(
        `GET // HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`,
      ),
    ).toMatch(/^HTTP\/1\.1 403/);
    // A client that resets a refused upgrade.
    await new Promise<void>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port: host.port }, () => {
        socket.write(
          `GET /rpc HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`,
        );
        socket.resetAndDestroy();
        setTimeout(resolve, 50);
      });
    });
    // A frame over the size limit closes that client only.
    const ws = await connect({ Cookie: cookie(), Origin: host.origin });
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    ws.on('error', () => undefined);
    ws.send('x'.repeat(2 * 1024 * 1024));
    await closed;
    expect((await get('/', { Cookie: cookie() })).status).toBe(200);
  });

  it('serves nothing without the token', async () => {
    const answer = await get('/');
    expect(answer.status).toBe(401);
    expect(answer.body).not.toContain('Skyfold</title>');
    expect((await get('/index.html')).status).toBe(401);
  });

  it('refuses a wrong token', async () => {
    expect((await get('/?token=wrong')).status).toBe(403);
    expect((await get('/', { Cookie: `skyfold-token-${host.port}=wrong` })).status).toBe(401);
  });

  it('exchanges the token URL for an HttpOnly SameSite cookie and redirects', async () => {
    const answer = await get(`/?token=${host.token}`);
    expect(answer.status).toBe(302);
    expect(answer.headers.location).toBe('/');
    expect(answer.headers['set-cookie']?.[0]).toMatch(/HttpOnly; SameSite=Strict; Path=\//);
    const page = await get('/', { Cookie: cookie() });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Skyfold</title>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses a foreign Host header even with the token (DNS rebinding)', async () => {
    expect((await get('/', { Cookie: cookie(), Host: 'evil.example' })).status).toBe(403);
    expect((await get(`/?token=${host.token}`, { Host: `attacker.test:${host.port}` })).status).toBe(403);
  });

  it('refuses transfers that name files on this computer over the WebSocket (the desktop app only)', async () => {
    await fs.writeFile(path.join(base, 'secret.txt'), 'private');
    const account = await service.addLocalAccount({ path: path.join(base, 'renderer'), name: 'Shared' });
    const ws = await connect({ Cookie: cookie(), Origin: host.origin });
    ws.send(
      JSON.stringify({
        kind: 'call',
        id: 9,
        method: 'startTransfer',
        args: {
          op: 'copy',
          source: { paths: [path.join(base, 'secret.txt')] },
          destination: { accountId: account.id, folderId: account.rootId },
        },
      }),
    );
    expect(await nextMessage(ws)).toMatchObject({
      kind: 'result',
      id: 9,
      ok: false,
      error: { code: 'invalid_argument', message: expect.stringMatching(/desktop app only/) },
    });
    ws.close();
    expect(await fs.readdir(path.join(base, 'renderer'))).toEqual(['index.html']);
  });

  it('carries contract calls and events over the WebSocket', async () => {
    const ws = await connect({ Cookie: cookie(), Origin: host.origin });
    ws.send(JSON.stringify({ kind: 'call', id: 7, method: 'listAccounts', args: {} }));
    expect(await nextMessage(ws)).toEqual({ kind: 'result', id: 7, ok: true, value: [] });
    ws.send(JSON.stringify({ kind: 'call', id: 8, method: 'stat', args: { accountId: 'none', itemId: '' } }));
    expect(await nextMessage(ws)).toMatchObject({
      kind: 'result',
      id: 8,
      ok: false,
      error: { code: 'not_found' },
    });
    const events: EngineEvent[] = [];
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as ServerMessage;
      if (message.kind === 'event') events.push(message.event);
    });
    await service.addLocalAccount({ path: path.join(base, 'renderer') });
    await expect.poll(() => events).toContainEqual({ type: 'accounts-changed' });
    ws.close();
  });

  it('refuses WebSockets from a foreign origin, without a cookie, or with a foreign Host', async () => {
    await expect(connect({ Cookie: cookie(), Origin: 'https://evil.example' })).rejects.toThrow(/403/);
    await expect(connect({ Cookie: cookie() })).rejects.toThrow(/403/);
    await expect(connect({ Origin: host.origin })).rejects.toThrow(/403/);
    await expect(connect({ Cookie: cookie(), Origin: host.origin, Host: 'evil.example' })).rejects.toThrow(
      /403/,
    );
  });

  it('closes a socket that sends something other than a contract call, with no side effect', async () => {
    const ws = await connect({ Cookie: cookie(), Origin: host.origin });
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('{"kind":"call","method":"addLocalAccount"}');
    expect(await closed).toBe(1003);
    expect(await service.listAccounts()).toEqual([]);
  });
});

describe('web host file bytes', () => {
  interface Received {
    uploadId: string;
    index: number;
    length: number;
    bytes: Buffer;
    chunks: number;
  }

  /** A fake engine for the byte routes: records uploads, serves `files`, throws `failure` when set. */
  function fakeTransfers() {
    const fake = {
      received: [] as Received[],
      /** Bytes of the upload being received so far (to see the body arrive while it is sent). */
      arriving: 0,
      files: new Map<
        string,
        { name: string; mimeType: string | null; size: number | null; stream(): Readable }
      >(),
      failure: undefined as unknown,
      service: {
        onEvent: () => () => undefined,
        async receiveUpload(uploadId: string, index: number, body: Readable, length: number): Promise<void> {
          if (fake.failure) throw fake.failure;
          const chunks: Buffer[] = [];
          fake.arriving = 0;
          for await (const chunk of body as AsyncIterable<Buffer>) {
            chunks.push(chunk);
            fake.arriving += chunk.length;
          }
          fake.received.push({
            uploadId,
            index,
            length,
            bytes: Buffer.concat(chunks),
            chunks: chunks.length,
          });
        },
        async openDownload(accountId: string, itemId: string) {
          if (fake.failure) throw fake.failure;
          const file = fake.files.get(`${accountId}/${itemId}`);
          if (!file) throw new SkyfoldError('not_found', 'no such file');
          return { name: file.name, size: file.size, mimeType: file.mimeType, stream: file.stream() };
        },
      } as unknown as WebHostOptions['service'],
    };
    return fake;
  }

  interface Reply {
    status: number;
    headers: http.IncomingHttpHeaders;
    body: Buffer;
    /** False when the response was cut off before its end. */
    complete: boolean;
  }

  /** One request; `body` chunks are written in turn (`beforeChunk` may wait before each). */
  function send(
    method: string,
    target: string,
    headers: Record<string, string | number>,
    body: Buffer[] = [],
    beforeChunk: (index: number) => Promise<void> = async () => undefined,
  ): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const request = http.request({ host: '127.0.0.1', port: host.port, method, path: target, headers });
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        const done = () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
            complete: response.complete,
          });
        response.on('end', done);
        response.on('error', done);
        response.on('aborted', done);
      });
      request.on('error', reject);
      void (async () => {
        for (const [index, chunk] of body.entries()) {
          await beforeChunk(index);
          request.write(chunk);
        }
        request.end();
      })();
    });
  }

  const put = (target: string, bytes: Buffer, headers: Record<string, string | number> = {}) =>
    send(
      'PUT',
      target,
      { Cookie: cookie(), Origin: host.origin, 'Content-Length': bytes.length, ...headers },
      [bytes],
    );

  let fake: ReturnType<typeof fakeTransfers>;

  beforeEach(async () => {
    fake = fakeTransfers();
    host = await startWebHost({ service: fake.service, rendererDir: path.join(base, 'renderer'), port: 0 });
  });

  it('streams an upload into the engine with its declared length and answers 204', async () => {
    const bytes = Buffer.from('hello, cloud');
    const reply = await put(uploadUrl('up/1 é', 3), bytes);
    expect(reply.status).toBe(204);
    expect(fake.received).toEqual([{ uploadId: 'up/1 é', index: 3, length: bytes.length, bytes, chunks: 1 }]);
    expect((await put(uploadUrl('up', 0), Buffer.alloc(0))).status).toBe(204);
    expect(fake.received[1]).toMatchObject({ index: 0, length: 0, bytes: Buffer.alloc(0) });
  });

  it('streams a multi-megabyte body through as it arrives, bytes intact', async () => {
    const bytes = randomBytes(8 * 1024 * 1024 + 17);
    const chunks = Array.from({ length: 129 }, (_, i) => bytes.subarray(i * 65_536, (i + 1) * 65_536));
    const reply = await send(
      'PUT',
      uploadUrl('big', 0),
      { Cookie: cookie(), Origin: host.origin, 'Content-Length': bytes.length },
      chunks,
      // The second half is sent only once the engine has started reading: a host that buffered the
      // whole body first would never get here.
      async (index) => {
        if (index === 64) await expect.poll(() => fake.arriving).toBeGreaterThan(0);
      },
    );
    expect(reply.status).toBe(204);
    const [received] = fake.received;
    expect(received?.length).toBe(bytes.length);
    expect(received?.chunks).toBeGreaterThan(1);
    expect(createHash('sha256').update(received!.bytes).digest('hex')).toBe(
      createHash('sha256').update(bytes).digest('hex'),
    );
  });

  it('refuses an upload from another origin, or with no Origin (403)', async () => {
    for (const origin of ['https://evil.example', 'null', undefined]) {
      const headers: Record<string, string | number> = { Cookie: cookie(), 'Content-Length': 1 };
      if (origin) headers.Origin = origin;
      const reply = await send('PUT', uploadUrl('up', 0), headers, [Buffer.from('x')]);
      expect(reply.status, String(origin)).toBe(403);
    }
    expect(fake.received).toEqual([]);
  });

  it('refuses an upload without the cookie (401) or with a foreign Host (403)', async () => {
    const anonymous = await send('PUT', uploadUrl('up', 0), { Origin: host.origin, 'Content-Length': 1 }, [
      Buffer.from('x'),
    ]);
    expect(anonymous.status).toBe(401);
    expect((await put(uploadUrl('up', 0), Buffer.from('x'), { Host: 'evil.example' })).status).toBe(403);
    expect(fake.received).toEqual([]);
  });

  it('requires Content-Length (411 for a chunked body)', async () => {
    const reply = await send('PUT', uploadUrl('up', 0), { Cookie: cookie(), Origin: host.origin }, [
      Buffer.from('no length'),
    ]);
    expect(reply.status).toBe(411);
    expect(fake.received).toEqual([]);
  });

  it.each([
    '/upload/up/-1',
    '/upload/up/1.5',
    '/upload/up/x',
    '/upload/up/',
    '/upload/up',
    '/upload//0',
    '/upload/up/0/1',
    '/upload/%E0%A4%A/0',
  ])('refuses the malformed upload address %s (400) without calling the engine', async (target) => {
    expect((await put(target, Buffer.from('x'))).status).toBe(400);
    expect(fake.received).toEqual([]);
  });

  it('accepts only PUT on upload addresses (405)', async () => {
    const reply = await send(
      'POST',
      uploadUrl('up', 0),
      { Cookie: cookie(), Origin: host.origin, 'Content-Length': 1 },
      [Buffer.from('x')],
    );
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe('PUT');
  });

  it.each([
    [new SkyfoldError('not_found', 'unknown upload'), 404],
    [new SkyfoldError('invalid_argument', 'expected 5 bytes, got 1'), 400],
    [new SkyfoldError('conflict', 'file 0 was already received'), 409],
    [new SkyfoldError('quota_exceeded', 'disk full'), 500],
    [new Error('boom'), 500],
  ])('answers the engine error %s with %i and a short text body', async (error, status) => {
    fake.failure = error;
    const reply = await put(uploadUrl('up', 0), Buffer.from('x'));
    expect(reply.status).toBe(status);
    expect(reply.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(reply.body.toString()).toBe(`${error.message}\n`);
    fake.failure = error;
    const download = await send('GET', downloadUrl('acc', 'item'), { Cookie: cookie() });
    expect(download.status).toBe(status);
  });

  it('streams a download as an attachment with its type and length', async () => {
    const bytes = randomBytes(3 * 1024 * 1024);
    fake.files.set('acc 1/item/2', {
      name: 'Report 2024.pdf',
      mimeType: 'application/pdf',
      size: bytes.length,
      stream: () => Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]),
    });
    const reply = await send('GET', downloadUrl('acc 1', 'item/2'), { Cookie: cookie() });
    expect(reply.status).toBe(200);
    expect(reply.complete).toBe(true);
    expect(reply.body.equals(bytes)).toBe(true);
    expect(reply.headers['content-type']).toBe('application/pdf');
    expect(reply.headers['content-length']).toBe(String(bytes.length));
    expect(reply.headers['content-disposition']).toBe(
      `attachment; filename="Report 2024.pdf"; filename*=UTF-8''Report%202024.pdf`,
    );
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.headers['content-security-policy']).toBe(contentSecurityPolicy);
  });

  it('sends an unknown size chunked and an unknown or odd type as octet-stream', async () => {
    for (const mimeType of [null, 'text/html\r\nX-Evil: 1', 'text/html; charset=utf-8']) {
      fake.files.set('acc/item', {
        name: 'a.bin',
        mimeType,
        size: null,
        stream: () => Readable.from([Buffer.from('abc')]),
      });
      const reply = await send('GET', downloadUrl('acc', 'item'), { Cookie: cookie() });
      expect(reply.body.toString()).toBe('abc');
      expect(reply.headers['content-type']).toBe('application/octet-stream');
      expect(reply.headers['content-length']).toBeUndefined();
      expect(reply.headers['x-evil']).toBeUndefined();
    }
  });

  it('keeps hostile names inside one safe Content-Disposition header', async () => {
    const name = 'a"b\r\nSet-Cookie: x=1; ../..\\evil%22\u0000\u202e’ 日本.txt\ud800';
    fake.files.set('acc/item', {
      name,
      mimeType: 'text/plain',
      size: 1,
      stream: () => Readable.from([Buffer.from('x')]),
    });
    const reply = await send('GET', downloadUrl('acc', 'item'), { Cookie: cookie() });
    expect(reply.status).toBe(200);
    expect(reply.headers['set-cookie']).toBeUndefined();
    const disposition = reply.headers['content-disposition'] ?? '';
    const match =
      /^attachment; filename="([\x20-\x7e]*)"; filename\*=UTF-8''([A-Za-z0-9!#$&+.^_`|~%-]+)$/.exec(
        disposition,
      );
    expect(match, disposition).not.toBeNull();
    const [, fallback, encoded] = match!;
    expect(fallback).not.toMatch(/["\\/%]/);
    const decoded = decodeURIComponent(encoded!);
    expect(decoded).toBe('a"b__Set-Cookie: x=1; .._.._evil%22_\u202e’ 日本.txt\ufffd');
    expect(attachmentDisposition('  ')).toBe(`attachment; filename="download"; filename*=UTF-8''download`);
    expect(attachmentDisposition("it's (1)*.txt")).toBe(
      `attachment; filename="it's (1)*.txt"; filename*=UTF-8''it%27s%20%281%29%2A.txt`,
    );
  });

  it('destroys the response when the file stream fails mid-body', async () => {
    for (const size of [1_000_000, null]) {
      fake.files.set('acc/item', {
        name: 'a.bin',
        mimeType: null,
        size,
        stream: () =>
          Readable.from(
            (async function* () {
              yield Buffer.alloc(100_000, 1);
              await new Promise((resolve) => setTimeout(resolve, 20));
              throw new Error('connection reset by the cloud');
            })(),
          ),
      });
      const reply = await send('GET', downloadUrl('acc', 'item'), { Cookie: cookie() });
      expect(reply.status).toBe(200);
      expect(reply.complete, `size ${size}`).toBe(false);
    }
    expect((await get('/', { Cookie: cookie() })).status).toBe(200);
  });

  it('refuses downloads without the cookie (401), with a bad query (400) or another method (405)', async () => {
    fake.files.set('acc/item', {
      name: 'a',
      mimeType: null,
      size: 1,
      stream: () => Readable.from([Buffer.from('x')]),
    });
    expect((await send('GET', downloadUrl('acc', 'item'), {})).status).toBe(401);
    expect((await send('GET', '/download?account=acc', { Cookie: cookie() })).status).toBe(400);
    expect(
      (await send('GET', `/download?account=acc&item=${'x'.repeat(1025)}`, { Cookie: cookie() })).status,
    ).toBe(400);
    const post = await send('POST', downloadUrl('acc', 'item'), { Cookie: cookie(), Origin: host.origin });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET');
    expect((await send('GET', downloadUrl('acc', 'missing'), { Cookie: cookie() })).status).toBe(404);
  });
});
