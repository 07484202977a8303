/**
 * Graph v1.0 reads over raw HTTP: user, drive and quota, driveItem shapes, by-path addressing,
 * children paging with absolute nextLinks, $select, $orderby, Graph error bodies and faults.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { QuickXorHash } from '../../main/core/providers/hashes/quickxor';
import { ALICE, graph, graphJson, startHarness, useHarness, type DriveItem } from './test-support';

type Item = Record<string, unknown> & {
  id: string;
  name: string;
  size: number;
  parentReference: Record<string, unknown>;
  folder?: { childCount: number };
  file?: { mimeType: string; hashes: { quickXorHash: string } };
};
type Page = { '@odata.context': string; '@odata.nextLink'?: string; value: Item[] };

async function graphError(
  response: Response,
  status: number,
  code: string,
  innerCode?: string,
): Promise<string> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json;odata\.metadata=minimal/);
  const body = (await response.json()) as { error: { code: string; message: string; innerError: unknown } };
  expect(body).toEqual({
    error: {
      code,
      message: expect.any(String),
      innerError: {
        ...(innerCode === undefined ? {} : { code: innerCode }),
        date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/),
        'request-id': response.headers.get('request-id'),
        'client-request-id': response.headers.get('client-request-id'),
      },
    },
  });
  return body.error.message;
}

describe('demo seed', () => {
  const h = useHarness();
  afterEach(() => h.emulator.admin.clearFaults());

  it('GET /me and /me/drive: the user, the personal drive and its quota', async () => {
    const me = await graphJson(h, '/v1.0/me');
    expect(me).toMatchObject({
      '@odata.context': `${h.url}/v1.0/$metadata#users/$entity`,
      displayName: 'Alice Example',
      userPrincipalName: ALICE,
      id: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    const drive = await graphJson<{ id: string; quota: Record<string, unknown> } & Record<string, unknown>>(
      h,
      '/v1.0/me/drive',
    );
    expect(drive).toMatchObject({
      id: me.id,
      driveType: 'personal',
      owner: { user: { displayName: 'Alice Example', id: me.id } },
    });
    const { quota } = drive;
    expect(quota.total).toBe(5 * 1024 ** 3);
    expect(quota.state).toBe('normal');
    expect(quota.deleted).toBeGreaterThan(0); // the seed's trashed items sit in the recycle bin
    expect(quota.remaining).toBe((quota.total as number) - (quota.used as number));
    const used = quota.used as number;
    for (const [limit, state] of [
      [Math.ceil(used / 0.95), 'nearing'],
      [Math.ceil(used / 0.995), 'critical'],
      [used, 'exceeded'],
    ] as const) {
      h.emulator.admin.setQuota(ALICE, limit);
      const q = (await graphJson<{ quota: { state: string } }>(h, '/v1.0/me/drive')).quota;
      expect(q.state).toBe(state);
    }
    h.emulator.admin.setQuota(ALICE, 5 * 1024 ** 3);
    expect(await graphJson(h, `/v1.0/drives/${drive.id}`)).toMatchObject({ id: drive.id });
  });

  it('serves the root and items by id, with the driveItem shape and QuickXorHash', async () => {
    const root = await graphJson<Item>(h, '/v1.0/me/drive/root');
    const driveId = (await graphJson<{ id: string }>(h, '/v1.0/me/drive')).id;
    expect(root).toMatchObject({
      name: 'root',
      root: {},
      parentReference: { driveId, driveType: 'personal' },
    });
    expect(root.id).toBe(`${driveId.toUpperCase()}!101`);
    expect(root.folder?.childCount).toBeGreaterThan(3);
    const children = await graphJson<Page>(h, '/v1.0/me/drive/root/children');
    const ac = children.value.find((i) => i.name === 'AC\uff0fDC - Back in Black.txt') as Item;
    expect(Object.keys(ac)).toEqual([
      '@microsoft.graph.downloadUrl',
      'id',
      'name',
      'size',
      'createdDateTime',
      'lastModifiedDateTime',
      'eTag',
      'cTag',
      'webUrl',
      'createdBy',
      'lastModifiedBy',
      'parentReference',
      'fileSystemInfo',
      'file',
    ]);
    const content = Buffer.from('A name with a slash.\n');
    expect(ac).toMatchObject({
      id: expect.stringMatching(new RegExp(`^${driveId.toUpperCase()}!\\d+$`)),
      size: content.length,
      parentReference: { driveId, driveType: 'personal', id: root.id, path: '/drive/root:' },
      file: { mimeType: 'text/plain', hashes: { quickXorHash: new QuickXorHash().update(content).digest() } },
      fileSystemInfo: { createdDateTime: ac.createdDateTime, lastModifiedDateTime: ac.lastModifiedDateTime },
    });
    expect(ac.lastModifiedDateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const byId = await graphJson<Item>(h, `/v1.0/me/drive/items/${encodeURIComponent(ac.id)}`);
    expect(byId).toMatchObject({ id: ac.id, eTag: ac.eTag });
    const sameDrive = await graphJson<Item>(h, `/v1.0/drives/${driveId}/items/${ac.id}`);
    expect(sameDrive.id).toBe(ac.id);
    // If-None-Match with the current eTag: 304.
    const unchanged = await graph(h, `/v1.0/me/drive/items/${ac.id}`, {
      headers: { 'If-None-Match': ac.eTag as string },
    });
    expect(unchanged.status).toBe(304);
    // Trashed items are not in the tree; duplicates got OneDrive's numbering.
    expect(children.value.map((i) => i.name)).not.toContain('old draft.txt');
    const dups = await graphJson<Page>(h, '/v1.0/me/drive/root:/Duplicates:/children');
    expect(dups.value.map((i) => i.name)).toEqual(['report 1.txt', 'report.txt', 'Same', 'Same 1']);
  });

  it('addresses items by path, case-insensitively, also relative to an item', async () => {
    const photos = await graphJson<Item>(h, '/v1.0/me/drive/root:/photos:');
    expect(photos.name).toBe('Photos');
    expect(photos.folder?.childCount).toBe(3);
    const beach = await graphJson<Item>(h, '/v1.0/me/drive/root:/Photos/2024/BEACH.png');
    expect(beach).toMatchObject({ name: 'beach.png', parentReference: { path: '/drive/root:/Photos/2024' } });
    const relative = await graphJson<Item>(h, `/v1.0/me/drive/items/${photos.id}:/2024/beach.png:`);
    expect(relative.id).toBe(beach.id);
    const listing = await graphJson<Page>(h, '/v1.0/me/drive/root:/Photos/2024:/children');
    expect(listing.value.map((i) => i.name)).toEqual(['beach.png', 'mountain.png', 'sunset.png']);
    expect(listing['@odata.context']).toBe(
      `${h.url}/v1.0/$metadata#drives('${String(beach.parentReference.driveId)}')/items('${String(beach.parentReference.id)}')/children`,
    );
    const deep = await graphJson<Item>(
      h,
      `/v1.0/me/drive/root:/${encodeURIComponent('Deep')}/Level%201/Level%202:`,
    );
    expect(deep.name).toBe('Level 2');
  });

  it('applies $select to items and listings, $orderby to listings', async () => {
    const item = await graphJson(h, '/v1.0/me/drive/root?$select=id,name');
    expect(Object.keys(item)).toEqual(['@odata.context', 'id', 'name']);
    const page = await graphJson<Page>(
      h,
      '/v1.0/me/drive/root:/Photos/2024:/children?$select=name,size&$orderby=size desc',
    );
    expect(page.value.every((i) => Object.keys(i).join() === 'name,size')).toBe(true);
    const sizes = page.value.map((i) => i.size);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    const byName = await graphJson<Page>(h, '/v1.0/me/drive/root/children?$orderby=name desc&$select=name');
    const names = byName.value.map((i) => i.name.toLowerCase());
    expect(names).toEqual([...names].sort().reverse());
    const byTime = await graphJson<Page>(h, '/v1.0/me/drive/root/children?$orderby=lastModifiedDateTime');
    const times = byTime.value.map((i) => Date.parse(i.lastModifiedDateTime as string));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('takes items/root (any case) for the root, with paths, children and delta; lists /me/drives', async () => {
    const root = await graphJson<DriveItem>(h, '/v1.0/me/drive/root');
    const drive = await graphJson<{ id: string }>(h, '/v1.0/me/drive');
    for (const path of ['/v1.0/me/drive/items/root', `/v1.0/drives/${drive.id}/items/ROOT`])
      expect(await graphJson<DriveItem>(h, `${path}?$select=id,name`)).toEqual({
        '@odata.context': expect.any(String),
        id: root.id,
        name: 'root',
      });
    const children = await graphJson<{ value: DriveItem[] }>(
      h,
      `/v1.0/drives/${drive.id}/items/root/children?$select=name`,
    );
    const byRoot = await graphJson<{ value: DriveItem[] }>(h, '/v1.0/me/drive/root/children?$select=name');
    expect(children.value).toEqual(byRoot.value);
    const notes = await graphJson<DriveItem>(h, '/v1.0/me/drive/items/Root:/Documents/notes.txt:');
    expect(notes).toMatchObject({ name: 'notes.txt', parentReference: { path: '/drive/root:/Documents' } });
    const delta = await graphJson<{ value: DriveItem[]; '@odata.deltaLink': string }>(
      h,
      '/v1.0/me/drive/items/root/delta?token=latest',
    );
    expect(delta['@odata.deltaLink']).toMatch(/\/v1\.0\/me\/drive\/items\/root\/delta\?token=/);
    expect((await graphJson<{ value: unknown[] }>(h, delta['@odata.deltaLink'])).value).toEqual([]);

    const drives = await graphJson<{ '@odata.context': string; value: Record<string, unknown>[] }>(
      h,
      '/v1.0/me/drives',
    );
    expect(drives).toEqual({
      '@odata.context': `${h.url}/v1.0/$metadata#drives`,
      value: [expect.any(Object)],
    });
    const { '@odata.context': _context, ...one } = await graphJson(h, '/v1.0/me/drive');
    expect(drives.value[0]).toEqual(one);
  });

  it('answers Graph error bodies', async () => {
    const none = await graph(h, '/v1.0/me/drive/root', { token: null });
    expect(await graphError(none, 401, 'InvalidAuthenticationToken')).toBe('Access token is empty.');
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer /);
    await graphError(
      await graph(h, '/v1.0/me/drive/root', { token: 'EwBnope' }),
      401,
      'InvalidAuthenticationToken',
    );
    await graphError(await graph(h, '/v1.0/me/drive/items/NOPE!999'), 404, 'itemNotFound');
    await graphError(await graph(h, '/v1.0/me/drive/root:/nothing/here:'), 404, 'itemNotFound');
    await graphError(await graph(h, '/v1.0/drives/0123456789abcdef/root'), 404, 'itemNotFound');
    await graphError(await graph(h, '/v1.0/me/drive/root/children?$top=0'), 400, 'invalidRequest');
    await graphError(await graph(h, '/v1.0/me/drive/root/children?$top=abc'), 400, 'invalidRequest');
    await graphError(await graph(h, '/v1.0/me/drive/root/children?$orderby=eTag'), 400, 'invalidRequest');
    await graphError(await graph(h, '/v1.0/me/drive/root?$select=nope'), 400, 'invalidRequest');
    await graphError(await graph(h, '/v1.0/me/drive/root/children?$skiptoken=bad'), 400, 'invalidRequest');
    await graphError(await graph(h, '/v1.0/me/drive/root/whatever'), 400, 'BadRequest');
    await graphError(await graph(h, '/v1.0/nothing'), 400, 'BadRequest');
    const echoed = await graph(h, '/v1.0/me/drive/items/x', { headers: { 'client-request-id': 'abc-123' } });
    expect(echoed.headers.get('client-request-id')).toBe('abc-123');
    await graphError(echoed, 404, 'itemNotFound');
    // Without one, client-request-id is the request id (on successes too).
    for (const response of [await graph(h, '/v1.0/me/drive/items/x'), await graph(h, '/v1.0/me')]) {
      expect(response.headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(response.headers.get('client-request-id')).toBe(response.headers.get('request-id'));
      await response.text();
    }
  });

  it('injects faults as Graph answers them, on /v1.0 only', async () => {
    h.emulator.admin.setFaults(
      'rate-limit GET /v1.0/me/drive/root times=1; error=503 /v1.0/me retryAfter=7 times=1',
    );
    const limited = await graph(h, '/v1.0/me/drive/root');
    expect(limited.headers.get('retry-after')).toBe('1');
    await graphError(limited, 429, 'activityLimitReached', 'throttledRequest');
    expect((await graph(h, '/v1.0/me/drive/root')).status).toBe(200);
    const unavailable = await graph(h, '/v1.0/me');
    expect(unavailable.headers.get('retry-after')).toBe('7');
    await graphError(unavailable, 503, 'serviceNotAvailable');
    h.emulator.admin.setFaults('error=500');
    const token = await fetch(`${h.url}/common/oauth2/v2.0/token`, { method: 'POST' });
    expect(token.status).toBe(400); // the identity endpoints are not API paths: unfaulted
    await graphError(await graph(h, '/v1.0/me/drive'), 500, 'generalException');
    h.emulator.admin.setFaults('expire-token times=1');
    await graphError(await graph(h, '/v1.0/me'), 401, 'InvalidAuthenticationToken');
  });
});

describe('paging (synthetic:450:flat)', () => {
  const h = useHarness({ seed: 'synthetic:450:flat' });

  it('pages with $top and absolute @odata.nextLink links that keep the query', async () => {
    const seen: string[] = [];
    let next: string | undefined = '/v1.0/me/drive/root/children?$top=100&$select=id,name';
    let pages = 0;
    while (next) {
      const page: Page = await graphJson<Page>(h, next);
      pages++;
      for (const item of page.value) {
        expect(Object.keys(item)).toEqual(['id', 'name']);
        seen.push(item.name);
      }
      next = page['@odata.nextLink'];
      if (next) {
        expect(next.startsWith(`${h.url}/v1.0/me/drive/root/children?`)).toBe(true);
        const query = new URL(next).searchParams;
        expect(query.get('$top')).toBe('100');
        expect(query.get('$select')).toBe('id,name');
        expect(query.get('$skiptoken')).toBeTruthy();
      }
    }
    expect(pages).toBe(5);
    expect(seen).toHaveLength(450);
    expect(new Set(seen).size).toBe(450);
    expect(seen).toEqual([...seen].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)));
    const first = await graphJson<Page>(h, '/v1.0/me/drive/root/children');
    expect(first.value).toHaveLength(200);
    const root = await graphJson<Item>(h, '/v1.0/me/drive/root');
    expect(root.folder?.childCount).toBe(450);
  });
});

describe('admin', () => {
  it('resets to the seed over HTTP and issues tokens', async () => {
    const h = await startHarness({ seed: 'empty' });
    try {
      const tokens = (await (
        await fetch(`${h.url}/__admin/tokens`, {
          method: 'POST',
          body: JSON.stringify({ user: 'bob@example.com' }),
        })
      ).json()) as { access_token: string; token_type: string };
      expect(tokens.token_type).toBe('Bearer');
      const me = await graphJson(h, '/v1.0/me', { token: tokens.access_token });
      expect(me.userPrincipalName).toBe('bob@example.com');
      const empty = await graphJson<Page>(h, '/v1.0/me/drive/root/children');
      expect(empty.value).toEqual([]);
      expect((await fetch(`${h.url}/__admin/reset`, { method: 'POST' })).status).toBe(200);
      expect((await graph(h, '/v1.0/me')).status).toBe(200);
    } finally {
      await h.close();
    }
  });
});
