/** The Drive change feed: start tokens, paging, removals, moves/renames/trash as changes of one fileId. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { drive_v3 } from 'googleapis';
import { api, reasonOf, rejection, startHarness, type Harness } from './test-support';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ seed: 'empty' });
});
afterAll(() => h.close());
beforeEach(async () => {
  await h.emulator.admin.reset();
  h.renew();
});

const FIELDS =
  'nextPageToken,newStartPageToken,changes(fileId,removed,time,changeType,file(name,parents,trashed))';

async function allChanges(
  token: string,
  pageSize = 100,
): Promise<{ changes: drive_v3.Schema$Change[]; next: string; pages: number }> {
  const changes: drive_v3.Schema$Change[] = [];
  let pageToken = token;
  for (let pages = 1; ; pages++) {
    const { data } = await h.drive.changes.list({ pageToken, pageSize, fields: FIELDS });
    changes.push(...(data.changes ?? []));
    if (data.newStartPageToken) {
      expect(data.nextPageToken).toBeUndefined();
      return { changes, next: data.newStartPageToken, pages };
    }
    expect(data.nextPageToken).toBeTruthy();
    pageToken = data.nextPageToken!;
  }
}

describe('changes', () => {
  it('starts empty from a fresh start token', async () => {
    const { data } = await h.drive.changes.getStartPageToken({});
    expect(data).toEqual({ kind: 'drive#startPageToken', startPageToken: expect.stringMatching(/^\d+$/) });
    const list = await h.drive.changes.list({ pageToken: data.startPageToken! });
    expect(list.data).toEqual({
      kind: 'drive#changeList',
      newStartPageToken: data.startPageToken,
      changes: [],
    });
  });

  it('reports creates, renames, moves and trash as the latest state of each fileId', async () => {
    const start = (await h.drive.changes.getStartPageToken({})).data.startPageToken!;
    const folder = await h.drive.files.create({
      requestBody: { name: 'F', mimeType: 'application/vnd.google-apps.folder' },
    });
    const file = await h.drive.files.create({ requestBody: { name: 'a.txt' } });
    await h.drive.files.update({ fileId: file.data.id!, requestBody: { name: 'b.txt' } });
    await h.drive.files.update({ fileId: file.data.id!, addParents: folder.data.id!, removeParents: 'root' });
    const first = await allChanges(start);
    expect(first.changes.map((c) => c.fileId)).toEqual([folder.data.id, file.data.id]);
    expect(first.changes[1]).toMatchObject({
      changeType: 'file',
      removed: false,
      file: { name: 'b.txt', parents: [folder.data.id], trashed: false },
    });
    expect(first.changes[1]?.time).toMatch(/\.\d{3}Z$/);

    await h.drive.files.update({ fileId: folder.data.id!, requestBody: { trashed: true } });
    const second = await allChanges(first.next);
    // Trashing the folder also changes its child (trashed through its parent).
    expect(second.changes.map((c) => [c.fileId, c.file?.trashed])).toEqual([
      [folder.data.id, true],
      [file.data.id, true],
    ]);
  });

  it('reports a permanent delete as removed without a file, recursively', async () => {
    const folder = await h.drive.files.create({
      requestBody: { name: 'F', mimeType: 'application/vnd.google-apps.folder' },
    });
    const child = await h.drive.files.create({ requestBody: { name: 'c', parents: [folder.data.id!] } });
    const start = (await h.drive.changes.getStartPageToken({})).data.startPageToken!;
    await api(h, `/drive/v3/files/${folder.data.id}`, { method: 'DELETE' });
    const { changes } = await allChanges(start);
    expect(changes.map((c) => ({ id: c.fileId, removed: c.removed, hasFile: 'file' in c }))).toEqual([
      { id: folder.data.id, removed: true, hasFile: false },
      { id: child.data.id, removed: true, hasFile: false },
    ]);
    const without = await h.drive.changes.list({
      pageToken: start,
      includeRemoved: false,
      fields: 'changes(fileId)',
    });
    expect(without.data.changes).toEqual([]);
  });

  it('pages: nextPageToken on every page but the last, newStartPageToken only on the last', async () => {
    const start = (await h.drive.changes.getStartPageToken({})).data.startPageToken!;
    for (let i = 0; i < 25; i++) await h.drive.files.create({ requestBody: { name: `f${i}` } });
    const { changes, pages, next } = await allChanges(start, 10);
    expect(pages).toBe(3);
    expect(changes.map((c) => c.file?.name)).toEqual(Array.from({ length: 25 }, (_, i) => `f${i}`));
    const later = await h.drive.changes.list({ pageToken: next });
    expect(later.data.changes).toEqual([]);
  });

  it('gives the default change fields when none are asked', async () => {
    const start = (await h.drive.changes.getStartPageToken({})).data.startPageToken!;
    await h.drive.files.create({ requestBody: { name: 'x' } });
    const res = await api(h, `/drive/v3/changes?pageToken=${start}`);
    const body = (await res.json()) as { changes: Record<string, unknown>[] };
    expect(Object.keys(body.changes[0]!).sort()).toEqual([
      'changeType',
      'file',
      'fileId',
      'kind',
      'removed',
      'time',
    ]);
    expect(Object.keys(body.changes[0]!.file as object).sort()).toEqual(['id', 'kind', 'mimeType', 'name']);
  });

  it('requires a valid pageToken', async () => {
    // googleapis checks required parameters itself, so ask over raw HTTP.
    expect(reasonOf(await (await api(h, '/drive/v3/changes')).json())).toBe('required');
    expect(reasonOf(await rejection(h.drive.changes.list({ pageToken: 'abc' })))).toBe('invalid');
  });
});
