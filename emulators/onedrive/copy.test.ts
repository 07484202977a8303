/**
 * Copy over raw HTTP: 202 + a monitor URL that needs no Authorization, deterministic progress
 * (inProgress on the first poll, completed with the new item's id on the second), copies of folders
 * with their subtree, refusals upfront (taken name, no space, into itself), a copy that fails when
 * it runs, and the copy happening on the clock when nobody polls. Search by name too.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  ALICE,
  call,
  expectGraphError,
  graphJson,
  mkdir,
  upload,
  useHarness,
  type DriveItem,
} from './test-support';
import { COPY_MS } from './copy';

interface Monitor {
  operation: string;
  percentageComplete: number;
  status: string;
  resourceId?: string;
  errorCode?: string;
}

const h = useHarness({ seed: 'empty' });
afterEach(() => h.emulator.admin.reset());

async function startCopy(itemId: string, body: unknown): Promise<string> {
  const response = await call(h, 'POST', `/v1.0/me/drive/items/${itemId}/copy`, { json: body });
  if (response.status !== 202) throw new Error(`${response.status} ${await response.text()}`);
  expect(await response.text()).toBe('');
  return response.headers.get('location') as string;
}

async function poll(location: string): Promise<{ status: number; body: Monitor }> {
  const response = await call(h, 'GET', location, { token: null });
  return { status: response.status, body: (await response.json()) as Monitor };
}

describe('copy', () => {
  it('accepts with 202 + Location, reports progress, then completed with the new item', async () => {
    const folder = await mkdir(h, 'Source');
    await upload(h, 'Source/a.txt', 'aaa');
    await upload(h, 'Source/sub/b.txt', 'bb');
    const target = await mkdir(h, 'Target');
    const driveId = folder.parentReference.driveId;
    const location = await startCopy(folder.id, {
      parentReference: { driveId, id: target.id },
      name: 'Copied',
    });
    expect(location).toMatch(new RegExp(`^${h.url}/monitor/[A-Za-z0-9_-]+$`));
    expect(await poll(location)).toEqual({
      status: 202,
      body: { operation: 'ItemCopy', percentageComplete: 50, status: 'inProgress' },
    });
    const done = await poll(location);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ operation: 'ItemCopy', percentageComplete: 100, status: 'completed' });
    const copy = await graphJson<DriveItem>(h, `/v1.0/me/drive/items/${done.body.resourceId}`);
    expect(copy).toMatchObject({ name: 'Copied', size: 5, parentReference: { id: target.id } });
    const b = await graphJson<DriveItem>(h, '/v1.0/me/drive/root:/Target/Copied/sub/b.txt');
    expect(await call(h, 'GET', `/v1.0/me/drive/items/${b.id}/content`).then((r) => r.text())).toBe('bb');
    // Copies are independent items.
    expect(b.id).not.toBe((await graphJson<DriveItem>(h, '/v1.0/me/drive/root:/Source/sub/b.txt')).id);
    // The monitor keeps answering completed.
    expect((await poll(location)).body.status).toBe('completed');
    await expectGraphError(
      await call(h, 'GET', `${h.url}/monitor/unknown`, { token: null }),
      404,
      'itemNotFound',
    );
  });

  it('copies in place under a new name, and on the clock when nobody polls', async () => {
    const file = await upload(h, 'file.txt', 'content');
    await startCopy(file.id, { name: 'file copy.txt' });
    await expectGraphError(await call(h, 'GET', '/v1.0/me/drive/root:/file copy.txt'), 404, 'itemNotFound');
    h.clock.advance(COPY_MS);
    const copy = await graphJson<DriveItem>(h, '/v1.0/me/drive/root:/file copy.txt');
    expect(copy.file?.hashes.quickXorHash).toBe(file.file?.hashes.quickXorHash);
  });

  it('refuses upfront a taken name, a folder into itself, a full drive; fails when the name is taken meanwhile', async () => {
    const folder = await mkdir(h, 'F');
    const file = await upload(h, 'F/x.txt', 'x');
    await expectGraphError(
      await call(h, 'POST', `/v1.0/me/drive/items/${file.id}/copy`, { json: {} }),
      409,
      'nameAlreadyExists',
    );
    const inner = await mkdir(h, 'Inner', folder.id);
    await expectGraphError(
      await call(h, 'POST', `/v1.0/me/drive/items/${folder.id}/copy`, {
        json: { parentReference: { id: inner.id } },
      }),
      400,
      'invalidRequest',
    );
    const used = (await graphJson<{ quota: { used: number } }>(h, '/v1.0/me/drive')).quota.used;
    h.emulator.admin.setQuota(ALICE, used);
    await expectGraphError(
      await call(h, 'POST', `/v1.0/me/drive/items/${file.id}/copy`, { json: { name: 'y.txt' } }),
      507,
      'quotaLimitReached',
    );
    h.emulator.admin.setQuota(ALICE, null);
    const location = await startCopy(file.id, { name: 'z.txt' });
    await upload(h, 'F/z.txt', 'first');
    await poll(location);
    const failed = await poll(location);
    expect(failed.body).toMatchObject({ status: 'failed', errorCode: 'nameAlreadyExists' });
  });
});

describe('search', () => {
  it('finds items whose names contain the query, case-insensitively, paged', async () => {
    await upload(h, 'Reports/2024 Report.pdf', 'a');
    await upload(h, 'Reports/notes.txt', 'b');
    await upload(h, 'report card.txt', 'c');
    const found = await graphJson<{ value: DriveItem[] }>(h, "/v1.0/me/drive/root/search(q='report')");
    expect(found.value.map((i) => i.name).sort()).toEqual(['2024 Report.pdf', 'Reports', 'report card.txt']);
    const paged = await graphJson<{ value: DriveItem[]; '@odata.nextLink'?: string }>(
      h,
      "/v1.0/me/drive/root/search(q='report')?$top=2",
    );
    expect(paged.value).toHaveLength(2);
    const rest = await graphJson<{ value: DriveItem[] }>(h, paged['@odata.nextLink'] as string);
    expect(rest.value).toHaveLength(1);
    const inFolder = await graphJson<{ value: DriveItem[] }>(
      h,
      "/v1.0/me/drive/root:/Reports:/search(q='o')",
    );
    expect(inFolder.value.map((i) => i.name).sort()).toEqual(['2024 Report.pdf', 'notes.txt']);
  });
});
