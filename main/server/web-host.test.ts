import * as fs from 'node:fs/promises';
import * as http from 'node:http';
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
  it('binds the loopback address only and prints a token URL', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(32);
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
