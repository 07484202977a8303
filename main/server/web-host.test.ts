import * as fs from 'node:fs/promises';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { EngineEvent } from '../../common/contract';
import type { ServerMessage } from '../../common/rpc';
import { SkyfoldService } from '../core/service';
import { startWebHost, type WebHost } from './web-host';

let base: string;
let service: SkyfoldService;
let host: WebHost;

beforeEach(async () => {
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-web-'));
  await fs.mkdir(path.join(base, 'renderer'));
  await fs.writeFile(path.join(base, 'renderer', 'index.html'), '<!doctype html><title>Skyfold</title>');
  service = SkyfoldService.open({ dataDir: path.join(base, 'data') });
  host = await startWebHost({ service, rendererDir: path.join(base, 'renderer'), port: 0 });
});
afterEach(async () => {
  await host.close();
  service.close();
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
