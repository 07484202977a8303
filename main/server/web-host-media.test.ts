/** The web host's byte routes for the grid and the preview panel, on a real engine and a local folder. */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewUrl, thumbnailUrl } from '../../common/uploads';
import { SkyfoldService } from '../core/service';
import { startWebHost, type WebHost } from './web-host';

let base: string;
let service: SkyfoldService;
let host: WebHost;
let accountId: string;

beforeAll(async () => {
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-web-media-'));
  const root = path.join(base, 'Home');
  await fs.mkdir(path.join(base, 'renderer'));
  await fs.writeFile(path.join(base, 'renderer', 'index.html'), '<!doctype html>');
  await fs.mkdir(path.join(root, 'Photos'), { recursive: true });
  const png = await sharp({ create: { width: 600, height: 400, channels: 3, background: 'green' } })
    .png()
    .toBuffer();
  await fs.writeFile(path.join(root, 'Photos', 'a.png'), png);
  await fs.writeFile(path.join(root, 'notes.txt'), 'plain <b>text</b>');
  await fs.writeFile(path.join(root, 'Report "Q1".pdf'), '%PDF-1.4\n%%EOF\n');
  await fs.writeFile(
    path.join(root, 'logo.svg'),
    '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
  );
  await fs.writeFile(path.join(root, 'page.html'), '<script>alert(1)</script>');
  service = SkyfoldService.open({ dataDir: path.join(base, 'data') });
  accountId = (await service.addLocalAccount({ path: root, name: 'Home' })).id;
  await service.refreshAccount({ accountId });
  host = await startWebHost({ service, rendererDir: path.join(base, 'renderer'), port: 0 });
});
afterAll(async () => {
  await host.close();
  service.close();
  await fs.rm(base, { recursive: true, force: true });
});

const get = (target: string, cookie = true) =>
  fetch(`${host.origin}${target}`, {
    headers: cookie ? { Cookie: `skyfold-token-${host.port}=${host.token}` } : {},
  });

function expectSandboxed(response: Response): void {
  expect(response.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
}

describe('GET /thumbnail', () => {
  it('serves a JPEG thumbnail of the asked size, privately cacheable', async () => {
    const response = await get(thumbnailUrl(accountId, 'Photos/a.png', 96));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(response.headers.get('cache-control')).toBe('private, max-age=300');
    expectSandboxed(response);
    const meta = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
    expect([meta.width, meta.height]).toEqual([96, 64]);
  });

  it('answers 404 for a file without one, an unknown account or item; 400 for a size not served', async () => {
    for (const target of [
      thumbnailUrl(accountId, 'notes.txt', 96),
      thumbnailUrl('nobody', 'Photos/a.png', 96),
      thumbnailUrl(accountId, 'Photos/missing.png', 256),
    ]) {
      const response = await get(target);
      expect(response.status, target).toBe(404);
      expectSandboxed(response);
    }
    expect((await get(`/thumbnail?account=${accountId}&item=Photos/a.png&size=512`)).status).toBe(400);
    expect((await get(thumbnailUrl(accountId, 'Photos', 96))).status).toBe(400);
  });

  it('needs the session cookie like every route', async () => {
    expect((await get(thumbnailUrl(accountId, 'Photos/a.png', 96), false)).status).toBe(401);
  });
});

describe('GET /preview', () => {
  it('serves text as plain text, inline and sandboxed', async () => {
    const response = await get(previewUrl(accountId, 'notes.txt'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      `inline; filename="notes.txt"; filename*=UTF-8''notes.txt`,
    );
    expectSandboxed(response);
    expect(await response.text()).toBe('plain <b>text</b>');
  });

  it('serves images and PDFs with their own type and a safe file name', async () => {
    const image = await get(previewUrl(accountId, 'Photos/a.png'));
    expect([image.status, image.headers.get('content-type')]).toEqual([200, 'image/png']);
    await image.arrayBuffer();
    const pdf = await get(previewUrl(accountId, 'Report "Q1".pdf'));
    expect([pdf.status, pdf.headers.get('content-type')]).toEqual([200, 'application/pdf']);
    expect(pdf.headers.get('content-disposition')).toBe(
      `inline; filename="Report _Q1_.pdf"; filename*=UTF-8''Report%20%22Q1%22.pdf`,
    );
    expectSandboxed(pdf);
    expect(await pdf.text()).toMatch(/^%PDF/);
  });

  it('refuses SVG and HTML (415), and answers 404 for an unknown account', async () => {
    for (const item of ['logo.svg', 'page.html']) {
      const response = await get(previewUrl(accountId, item));
      expect(response.status, item).toBe(415);
      expectSandboxed(response);
      expect(await response.text()).not.toContain('<script>');
    }
    expect((await get(previewUrl('nobody', 'notes.txt'))).status).toBe(404);
  });
});
