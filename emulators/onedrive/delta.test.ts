/**
 * Delta over raw HTTP: the full enumeration (root first, folders before their children, absolute
 * nextLinks, a deltaLink with a token), token=latest, changes in their latest state (each item once,
 * parents included unless excluded, moves as the same id, deletions with the deleted facet), scoped
 * delta on a folder, $select, and 410 resyncRequired after an admin expiry, a reset or the retention.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  call,
  expectGraphError,
  graph,
  graphJson,
  mkdir,
  upload,
  useHarness,
  type DriveItem,
  type Harness,
} from './test-support';

type DeltaPage = {
  '@odata.context': string;
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
  value: DriveItem[];
};

/** Follows nextLinks to the end: every item, and the deltaLink. */
async function drain(h: Harness, start: string, headers: Record<string, string> = {}) {
  const items: DriveItem[] = [];
  let next: string | undefined = start;
  let pages = 0;
  for (;;) {
    const response = await graph(h, next, { headers });
    if (response.status !== 200) throw new Error(`${response.status} ${await response.text()}`);
    const page = (await response.json()) as DeltaPage;
    pages++;
    items.push(...page.value);
    if (page['@odata.nextLink']) next = page['@odata.nextLink'];
    else return { items, deltaLink: page['@odata.deltaLink'] as string, pages };
  }
}

describe('delta (demo seed)', () => {
  const h = useHarness({ tokenLifetimeSeconds: 365 * 24 * 3600 });

  it('enumerates the whole drive: root first, folders before children, paged with absolute links', async () => {
    const { items, deltaLink, pages } = await drain(h, '/v1.0/me/drive/root/delta?$top=10');
    expect(pages).toBeGreaterThan(3);
    const root = items[0] as DriveItem;
    expect(root).toMatchObject({ name: 'root', root: {} });
    const ids = new Set(items.map((i) => i.id));
    expect(ids.size).toBe(items.length);
    const position = new Map(items.map((item, i) => [item.id, i]));
    for (const item of items.slice(1)) {
      expect(item.parentReference.path).toBeUndefined();
      expect(position.get(item.parentReference.id as string)).toBeLessThan(position.get(item.id) as number);
    }
    // Every item of the tree, trashed ones excluded.
    expect(items.map((i) => i.name)).toContain('beach.png');
    expect(items.map((i) => i.name)).not.toContain('old draft.txt');
    const link = new URL(deltaLink);
    expect(`${link.origin}${link.pathname}`).toBe(`${h.url}/v1.0/me/drive/root/delta`);
    expect(link.searchParams.get('token')).toBeTruthy();
    expect(link.searchParams.get('$top')).toBe('10');
    // Nothing changed: the deltaLink gives an empty page and a new deltaLink.
    const again = await graphJson<DeltaPage>(h, deltaLink);
    expect(again.value).toEqual([]);
    expect(again['@odata.deltaLink']).toBeTruthy();
    expect(again['@odata.context']).toBe(`${h.url}/v1.0/$metadata#Collection(driveItem)`);
  });

  it('pages a full enumeration stably while the tree changes', async () => {
    const first = await graphJson<DeltaPage>(h, '/v1.0/me/drive/root/delta?$top=5&$select=id,name');
    expect(Object.keys(first.value[0] as object)).toEqual(['id', 'name']);
    await upload(h, 'aaa-new.txt', 'new');
    const rest = await drain(h, first['@odata.nextLink'] as string);
    const all = [...first.value, ...rest.items];
    expect(new Set(all.map((i) => i.id)).size).toBe(all.length);
    // The change made while enumerating comes with the next round.
    const changes = await graphJson<DeltaPage>(h, rest.deltaLink);
    expect(changes.value.map((i) => i.name)).toContain('aaa-new.txt');
  });
});

describe('delta changes (empty seed)', () => {
  const h = useHarness({ seed: 'empty', tokenLifetimeSeconds: 365 * 24 * 3600 });
  afterEach(() => h.emulator.admin.reset());

  const latest = async (path = '/v1.0/me/drive/root/delta') => {
    const page = await graphJson<DeltaPage>(h, `${path}?token=latest`);
    expect(page.value).toEqual([]);
    return page['@odata.deltaLink'] as string;
  };

  it('token=latest then changes: latest state once per item, parents before, deletions, moves', async () => {
    const docs = await mkdir(h, 'Docs');
    const start = await latest();
    const file = await upload(h, 'Docs/a.txt', 'one');
    await upload(h, 'Docs/a.txt', 'two');
    await call(h, 'PATCH', `/v1.0/me/drive/items/${file.id}`, { json: { name: 'renamed.txt' } });
    const temp = await upload(h, 'temp.txt', 'temp');
    await call(h, 'DELETE', `/v1.0/me/drive/items/${temp.id}`);
    const { items, deltaLink } = await drain(h, start);
    const root = await graphJson<DriveItem>(h, '/v1.0/me/drive/root');
    // The root and Docs come (their size changed), each item once, by its last change.
    expect(items.map((i) => i.id)).toEqual([docs.id, file.id, root.id, temp.id]);
    const renamed = items.find((i) => i.id === file.id) as DriveItem;
    expect(renamed).toMatchObject({ name: 'renamed.txt', size: 3, parentReference: { id: docs.id } });
    expect(renamed.parentReference.path).toBeUndefined();
    // Deleted: the driveItem without cTag, size (delta docs, OneDrive consumer) and download URL.
    const deleted = items.find((i) => i.id === temp.id) as DriveItem;
    expect(Object.keys(deleted)).toEqual([
      'id',
      'name',
      'createdDateTime',
      'lastModifiedDateTime',
      'eTag',
      'webUrl',
      'createdBy',
      'lastModifiedBy',
      'parentReference',
      'fileSystemInfo',
      'file',
      'deleted',
    ]);
    expect(deleted).toEqual({
      id: temp.id,
      name: 'temp.txt',
      createdDateTime: temp.createdDateTime,
      lastModifiedDateTime: temp.lastModifiedDateTime,
      eTag: temp.eTag,
      webUrl: temp.webUrl,
      createdBy: temp.createdBy,
      lastModifiedBy: temp.lastModifiedBy,
      parentReference: { driveId: root.parentReference.driveId, driveType: 'personal', id: root.id },
      fileSystemInfo: temp.fileSystemInfo,
      file: {},
      deleted: { state: 'deleted' },
    });

    // A move: the same id under its new parent; the folder's descendants do not come.
    const other = await mkdir(h, 'Other');
    const afterMkdir = await drain(h, deltaLink);
    await call(h, 'PATCH', `/v1.0/me/drive/items/${docs.id}`, {
      json: { parentReference: { id: other.id } },
    });
    const moved = await drain(h, afterMkdir.deltaLink, { deltaExcludeParent: 'true' });
    expect(moved.items.map((i) => i.id)).toEqual([docs.id]);
    expect(moved.items[0]?.parentReference.id).toBe(other.id);

    // Deleting a folder brings every item of its subtree as deleted, children first.
    await call(h, 'DELETE', `/v1.0/me/drive/items/${other.id}`);
    const gone = await drain(h, moved.deltaLink, { deltaExcludeParent: 'true' });
    expect(gone.items.map((i) => [i.id, i.deleted?.state])).toEqual([
      [file.id, 'deleted'],
      [docs.id, 'deleted'],
      [other.id, 'deleted'],
    ]);
    expect(gone.items[1]).toMatchObject({
      name: 'Docs',
      folder: { childCount: 0 },
      eTag: expect.any(String),
    });
    expect(gone.items[1]?.cTag).toBeUndefined();
    expect(gone.items[1]?.size).toBeUndefined();
    expect(gone.items[0]).toMatchObject({ parentReference: { id: docs.id }, file: {} });
    expect(gone.items[0]?.['@microsoft.graph.downloadUrl']).toBeUndefined();
  });

  it('pages changes with $top and keeps the window fixed while paging', async () => {
    const start = await latest();
    for (let i = 0; i < 7; i++) await upload(h, `f${i}.txt`, `${i}`);
    const first = await graphJson<DeltaPage>(h, `${start}&$top=3`);
    expect(first.value).toHaveLength(3);
    await upload(h, 'late.txt', 'late');
    const rest = await drain(h, first['@odata.nextLink'] as string);
    const names = [...first.value, ...rest.items].map((i) => i.name);
    // The root's last change (its size) comes just before the last file's.
    expect(names).toEqual(['f0.txt', 'f1.txt', 'f2.txt', 'f3.txt', 'f4.txt', 'f5.txt', 'root', 'f6.txt']);
    const next = await drain(h, rest.deltaLink);
    expect(next.items.map((i) => i.name)).toEqual(['root', 'late.txt']);
  });

  it('scopes delta to a folder: its subtree only, items moved out read as deleted', async () => {
    const scope = await mkdir(h, 'Scope');
    const outside = await mkdir(h, 'Outside');
    const full = await drain(h, `/v1.0/me/drive/items/${scope.id}/delta`);
    expect(full.items.map((i) => i.id)).toEqual([scope.id]);
    const inside = await upload(h, 'Scope/in.txt', 'in');
    await upload(h, 'Outside/out.txt', 'out');
    const changes = await drain(h, full.deltaLink);
    expect(changes.items.map((i) => i.id)).toEqual([scope.id, inside.id]);
    await call(h, 'PATCH', `/v1.0/me/drive/items/${inside.id}`, {
      json: { parentReference: { id: outside.id } },
    });
    const movedOut = await drain(h, changes.deltaLink, { deltaExcludeParent: 'true' });
    expect(movedOut.items).toEqual([
      expect.objectContaining({ id: inside.id, deleted: { state: 'deleted' } }),
    ]);
    const other = await drain(h, '/v1.0/me/drive/root/delta?token=latest');
    await expectGraphError(
      await graph(
        h,
        `/v1.0/me/drive/items/${scope.id}/delta?token=${new URL(other.deltaLink).searchParams.get('token')}`,
      ),
      400,
      'invalidRequest',
    );
  });

  it('answers 410 resyncRequired with a Location after an admin expiry, a reset, or the retention', async () => {
    const link = await latest();
    expect(h.emulator.admin.expireDeltaTokens()).toBe(3);
    const expired = await graph(h, link);
    expect(expired.headers.get('location')).toBe(`${h.url}/v1.0/me/drive/root/delta`);
    expect((await expectGraphError(expired, 410, 'resyncRequired')).innerCode).toBe(
      'resyncChangesApplyDifferences',
    );
    // The Location starts a fresh enumeration.
    expect((await drain(h, expired.headers.get('location') as string)).items[0]?.name).toBe('root');

    const upload410 = await latest();
    h.emulator.admin.expireDeltaTokens('alice@example.com', 'resyncChangesUploadDifferences');
    expect((await expectGraphError(await graph(h, upload410), 410, 'resyncRequired')).innerCode).toBe(
      'resyncChangesUploadDifferences',
    );

    const beforeReset = await latest();
    await h.emulator.admin.reset();
    await expectGraphError(await graph(h, beforeReset), 410, 'resyncRequired');

    const old = await latest();
    h.clock.advance(31 * 24 * 3600 * 1000);
    await expectGraphError(await graph(h, old), 410, 'resyncRequired');
    await expectGraphError(await graph(h, '/v1.0/me/drive/root/delta?token=garbage'), 400, 'invalidRequest');
    // The function form works too.
    const fn = await latest();
    const token = new URL(fn).searchParams.get('token') as string;
    expect((await graphJson<DeltaPage>(h, `/v1.0/me/drive/root/delta(token='${token}')`)).value).toEqual([]);
    // Over HTTP: POST /__admin/delta/expire.
    const viaHttp = await latest();
    const admin = await fetch(`${h.url}/__admin/delta/expire`, { method: 'POST', body: '{}' });
    expect(await admin.json()).toEqual({ expired: 3 });
    await expectGraphError(await graph(h, viaHttp), 410, 'resyncRequired');
  });
});
