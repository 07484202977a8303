import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { app, protocol, resetElectron } from '../../test/stand-ins/electron';
import {
  appSchemePrivileges,
  contentSecurityPolicy,
  createAppProtocolHandler,
  registerAppScheme,
  resolveRequestPath,
} from './protocol';

const secret = 'root:x:0:0:SECRET';
const indexHtml = '<!doctype html><title>Skyfold</title><script type="module" src="/assets/app.js"></script>';
const base = mkdtempSync(path.join(tmpdir(), 'skyfold-protocol-'));
const root = path.join(base, 'out', 'renderer');

beforeAll(() => {
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), indexHtml);
  writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log("hi")');
  writeFileSync(path.join(root, 'assets', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  // Files just outside the served folder, which escapes would try to reach.
  writeFileSync(path.join(base, 'out', 'secret.txt'), secret);
  writeFileSync(path.join(base, 'secret.txt'), secret);
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

beforeEach(() => resetElectron());

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name as string, values]),
  );
}

describe('app scheme registration', () => {
  it('registers app: as standard, secure and fetch-capable (and nothing that bypasses CSP)', () => {
    registerAppScheme(protocol);
    expect(protocol.privilegedSchemes).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    expect(appSchemePrivileges.privileges).not.toHaveProperty('bypassCSP');
    expect(appSchemePrivileges.privileges).not.toHaveProperty('allowServiceWorkers');
  });

  it('cannot be done after ready (the stand-in enforces Electron’s rule)', () => {
    app.emitReady();
    expect(() => registerAppScheme(protocol)).toThrow(/before app is ready/);
  });
});

describe('content security policy', () => {
  const policy = directives(contentSecurityPolicy);

  it('allows scripts only from our origin: no inline, no eval, no remote', () => {
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(contentSecurityPolicy).not.toMatch(/unsafe-eval|https?:|\*/);
  });

  it('forbids plugins, base rewriting, framing and remote connections', () => {
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(policy.get('img-src')).toEqual(["'self'", 'data:']);
    expect(policy.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
  });
});

describe('app:// handler', () => {
  async function fetchApp(url: string, init?: RequestInit): Promise<Response> {
    app.emitReady();
    protocol.handle('app', createAppProtocolHandler({ root }));
    return protocol.fetch(url, init);
  }

  it.each(['app://skyfold/', 'app://skyfold/index.html'])(
    'serves index.html for %s with the CSP',
    async (url) => {
      const response = await fetchApp(url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await response.text()).toBe(indexHtml);
    },
  );

  it('serves assets with their content type', async () => {
    const js = await fetchApp('app://skyfold/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await js.text()).toBe('console.log("hi")');
    const svg = await protocol.fetch('app://skyfold/assets/logo.svg');
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
  });

  it('answers 404 (with the CSP) for a missing file or a folder', async () => {
    const missing = await fetchApp('app://skyfold/nope.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    expect((await protocol.fetch('app://skyfold/assets/')).status).toBe(404);
  });

  it.each([
    'app://skyfold/../../secret.txt',
    'app://skyfold/..%2fsecret.txt',
    'app://skyfold/..%2f..%2fsecret.txt',
    'app://skyfold/%2e%2e%2fsecret.txt',
    'app://skyfold/assets/..%2f..%2fsecret.txt',
    'app://skyfold/..%5csecret.txt',
    'app://skyfold/%2e%2e%5c%2e%2e%5csecret.txt',
    `app://skyfold/${encodeURIComponent(path.join(base, 'secret.txt'))}`,
    'app://skyfold/../../etc/passwd',
    'app://skyfold/..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
  ])('never serves a file outside the renderer folder: %s', async (url) => {
    const response = await fetchApp(url);
    expect(response.status).toBeGreaterThanOrEqual(400);
    const body = await response.text();
    expect(body).not.toContain('SECRET');
    expect(body).not.toContain('root:');
  });

  it('answers 403 for an encoded escape (the path.relative check, not a lucky 404)', async () => {
    expect((await fetchApp('app://skyfold/..%2fsecret.txt')).status).toBe(403);
  });

  it('refuses a NUL byte and a broken escape with 400', async () => {
    expect((await fetchApp('app://skyfold/index.html%00.js')).status).toBe(400);
    expect((await protocol.fetch('app://skyfold/%E0%A4%A')).status).toBe(400);
  });

  it.each([
    'app://evil/index.html',
    'app://skyfold.evil.example/index.html',
    'app://skyfold:8080/index.html',
  ])('serves nothing for another host: %s', async (url) => {
    const response = await fetchApp(url);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('Skyfold');
  });

  it('refuses methods other than GET and HEAD', async () => {
    const response = await fetchApp('app://skyfold/index.html', { method: 'POST', body: 'x' });
    expect(response.status).toBe(405);
    const head = await protocol.fetch('app://skyfold/index.html', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});

describe('resolveRequestPath', () => {
  it('maps our URLs into the root and flags escapes', () => {
    expect(resolveRequestPath('/r', 'app://skyfold/')).toBe(path.resolve('/r/index.html'));
    expect(resolveRequestPath('/r', 'app://skyfold/a/b.js')).toBe(path.resolve('/r/a/b.js'));
    expect(resolveRequestPath('/r', 'app://skyfold/..%2fx')).toBe(403);
    expect(resolveRequestPath('/r', 'app://other/x')).toBeNull();
    expect(resolveRequestPath('/r', 'https://skyfold/x')).toBeNull();
  });
});
