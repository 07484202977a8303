/**
 * Drive v3 files and about, driven by the official googleapis client (and raw HTTP for what it does not
 * expose: Range, default field sets, error bodies).
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodePng } from '../shared/png';
import {
  api,
  childNamed,
  CLIENT_ID,
  rejection,
  reasonOf,
  startHarness,
  statusOf,
  type Harness,
} from './test-support';

const FOLDER = 'application/vnd.google-apps.folder';
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(async () => {
  await h.emulator.admin.reset();
  h.renew();
});

const md5 = (data: Buffer | string) => createHash('md5').update(data).digest('hex');

describe('about', () => {
  it('requires fields', async () => {
    const res = await api(h, '/drive/v3/about');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: {
        code: 400,
        message: "The 'fields' parameter is required for this method.",
        errors: [
          {
            message: "The 'fields' parameter is required for this method.",
            domain: 'global',
            reason: 'required',
            location: 'fields',
            locationType: 'parameter',
          },
        ],
        status: 'INVALID_ARGUMENT',
      },
    });
  });

  it('returns the user and the quota as int64 strings', async () => {
    const { data } = await h.drive.about.get({ fields: 'user,storageQuota' });
    expect(data.user).toMatchObject({ kind: 'drive#user', emailAddress: 'alice@example.com', me: true });
    expect(data.storageQuota?.limit).toBe(String(15 * 1024 ** 3));
    expect(data.storageQuota?.usage).toMatch(/^\d+$/);
    expect(Object.keys(data).sort()).toEqual(['storageQuota', 'user']);
  });
});

describe('files.list', () => {
  it('lists a folder, root alias included, with default fields when none are asked', async () => {
    const res = await api(
      h,
      `/drive/v3/files?q=${encodeURIComponent("'root' in parents and trashed = false")}`,
    );
    const body = (await res.json()) as {
      kind: string;
      incompleteSearch: boolean;
      files: Record<string, unknown>[];
    };
    expect(body.kind).toBe('drive#fileList');
    expect(body.incompleteSearch).toBe(false);
    expect(body.files.map((f) => f.name)).toEqual([
      'Documents',
      'Photos',
      'Duplicates',
      'Deep',
      'AC/DC - Back in Black.txt',
      'dataset.bin',
      'Summer photos',
    ]);
    expect(Object.keys(body.files[0]!).sort()).toEqual(['id', 'kind', 'mimeType', 'name']);
  });

  it('applies nested field masks and reports invalid selections', async () => {
    const { data } = await h.drive.files.list({
      q: "name = 'notes.txt'",
      fields: 'files(id,name,parents,size,md5Checksum,owners(emailAddress))',
    });
    const file = data.files?.[0];
    expect(Object.keys(file!).sort()).toEqual(['id', 'md5Checksum', 'name', 'owners', 'parents', 'size']);
    expect(file).toMatchObject({ size: '20', md5Checksum: md5('Buy milk.\nCall Bob.\n') });
    expect(file?.owners).toEqual([{ emailAddress: 'alice@example.com' }]);
    expect(data).not.toHaveProperty('kind');
    const error = await rejection(h.drive.files.list({ fields: 'files(id,bogus)' }));
    expect(statusOf(error)).toBe(400);
    expect(
      (error as { response: { data: { error: { message: string } } } }).response.data.error.message,
    ).toBe('Invalid field selection bogus');
  });

  it('pages with pageToken, nextPageToken absent on the last page, and coerces pageSize above 1000', async () => {
    const seen: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const { data } = await h.drive.files.list({
        pageSize: 7,
        pageToken,
        fields: 'nextPageToken,files(id)',
      });
      pages++;
      seen.push(...data.files!.map((f) => f.id!));
      pageToken = data.nextPageToken ?? undefined;
    } while (pageToken);
    const { data: all } = await h.drive.files.list({ pageSize: 5000, fields: 'nextPageToken,files(id)' });
    expect(all.nextPageToken).toBeUndefined();
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(all.files!.map((f) => f.id));
    expect(pages).toBe(Math.ceil(seen.length / 7));
    const bad = await rejection(h.drive.files.list({ pageSize: 0 }));
    expect(reasonOf(bad)).toBe('invalid');
    const token = await rejection(h.drive.files.list({ pageToken: 'garbage' }));
    expect(reasonOf(token)).toBe('invalid');
  });

  it('evaluates the q grammar: and/or/not, parentheses, contains, mimeType, escaped quotes, times', async () => {
    const names = async (q: string) =>
      ((await h.drive.files.list({ q, fields: 'files(name)', orderBy: 'name' })).data.files ?? []).map(
        (f) => f.name,
      );
    expect(await names("name contains 'sun' or name contains 'beach'")).toEqual(['beach.png', 'sunset.png']);
    expect(
      await names("mimeType = 'image/png' and not (name contains 'sun' or name contains 'beach')"),
    ).toEqual(['city.png', 'forest.png', 'mountain.png', 'profile.png']);
    expect(await names("name = 'AC/DC - Back in Black.txt'")).toEqual(['AC/DC - Back in Black.txt']);
    expect(await names("name contains 'black'")).toEqual(['AC/DC - Back in Black.txt']);
    expect(await names("trashed = true and mimeType != 'application/vnd.google-apps.folder'")).toEqual([
      'ancient.txt',
      'old draft.txt',
    ]);
    const created = await h.drive.files.create({
      requestBody: { name: "it's here", modifiedTime: '2030-01-01T00:00:00.000Z' },
    });
    expect(await names("name = 'it\\'s here'")).toEqual(["it's here"]);
    expect(await names("modifiedTime > '2029-12-31T23:59:59'")).toEqual(["it's here"]);
    expect(await names(`modifiedTime >= '2030-01-01T00:00:00Z' and '${created.data.id}' in parents`)).toEqual(
      [],
    );
    const error = await rejection(h.drive.files.list({ q: "name === 'x'" }));
    expect(statusOf(error)).toBe(400);
    expect(
      (error as { response: { data: { error: { errors: unknown[] } } } }).response.data.error.errors,
    ).toEqual([
      {
        message: 'Invalid Value',
        domain: 'global',
        reason: 'invalid',
        location: 'q',
        locationType: 'parameter',
      },
    ]);
  });

  it('orders by folder, name and modifiedTime desc', async () => {
    const root = h.emulator.admin.rootId('alice@example.com');
    const { data } = await h.drive.files.list({
      q: `'${root}' in parents and trashed = false`,
      orderBy: 'folder,name',
      fields: 'files(name,mimeType)',
    });
    const names = data.files!.map((f) => f.name);
    const folders = data.files!.filter((f) => f.mimeType === FOLDER).map((f) => f.name);
    expect(names.slice(0, folders.length)).toEqual(['Deep', 'Documents', 'Duplicates', 'Photos']);
    expect(names.slice(folders.length)).toEqual([
      'AC/DC - Back in Black.txt',
      'dataset.bin',
      'Summer photos',
    ]);
    const byTime = await h.drive.files.list({ orderBy: 'modifiedTime desc', fields: 'files(modifiedTime)' });
    const times = byTime.data.files!.map((f) => f.modifiedTime!);
    expect([...times].sort().reverse()).toEqual(times);
    expect(times[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('lists a whole drive without a parent clause, with parents, duplicates and shortcuts', async () => {
    const { data } = await h.drive.files.list({
      pageSize: 1000,
      fields: 'files(id,name,parents,shortcutDetails)',
    });
    const files = data.files!;
    expect(files.filter((f) => f.name === 'report.txt')).toHaveLength(2);
    expect(files.every((f) => f.parents?.length === 1)).toBe(true);
    const shortcut = files.find((f) => f.name === 'Summer photos');
    const target = files.find((f) => f.id === shortcut?.shortcutDetails?.targetId);
    expect(target?.name).toBe('2024');
    expect(shortcut?.shortcutDetails?.targetMimeType).toBe(FOLDER);
  });
});

describe('files.list over the whole drive (a first crawl)', () => {
  it('lists every live item once with q "trashed = false" alone, in pages up to 1000, never the root or trashed items', async () => {
    const folder = await h.drive.files.create({
      requestBody: { name: 'Bin', mimeType: FOLDER },
      fields: 'id',
    });
    const inside = await h.drive.files.create({
      requestBody: { name: 'inside.txt', parents: [folder.data.id!] },
      fields: 'id',
    });
    await h.drive.files.update({ fileId: folder.data.id!, requestBody: { trashed: true } });
    const { data: root } = await h.drive.files.get({ fileId: 'root', fields: 'id' });
    const crawl = async (pageSize: number) => {
      const ids: string[] = [];
      let pageToken: string | undefined;
      do {
        const { data } = await h.drive.files.list({
          q: 'trashed = false',
          spaces: 'drive',
          pageSize,
          pageToken,
          fields: 'nextPageToken,files(id,parents,trashed)',
        });
        expect(data.files!.length).toBeLessThanOrEqual(pageSize);
        expect(data.files!.every((file) => file.trashed === false && file.parents?.length === 1)).toBe(true);
        ids.push(...data.files!.map((file) => file.id!));
        pageToken = data.nextPageToken ?? undefined;
      } while (pageToken);
      return ids;
    };
    const whole = await crawl(1000);
    expect(new Set(whole).size).toBe(whole.length);
    expect(whole).not.toContain(root.id);
    expect(whole).not.toContain(folder.data.id);
    expect(whole).not.toContain(inside.data.id); // inside a trashed folder: trashed too
    const { data: all } = await h.drive.files.list({ pageSize: 1000, fields: 'files(id,trashed)' });
    expect(whole.sort()).toEqual(
      all
        .files!.filter((file) => !file.trashed)
        .map((file) => file.id!)
        .sort(),
    );
    expect((await crawl(3)).sort()).toEqual(whole);
  });
});

describe('files.get and downloads', () => {
  it('returns metadata: size as a string, hashes for binary files only, version', async () => {
    const root = h.emulator.admin.rootId('alice@example.com');
    const docs = await childNamed(h, root, 'Documents');
    const notes = await childNamed(h, docs.id!, 'notes.txt');
    const { data } = await h.drive.files.get({ fileId: notes.id!, fields: '*' });
    expect(data).toMatchObject({
      kind: 'drive#file',
      name: 'notes.txt',
      mimeType: 'text/plain',
      size: '20',
      md5Checksum: md5('Buy milk.\nCall Bob.\n'),
      sha256Checksum: createHash('sha256').update('Buy milk.\nCall Bob.\n').digest('hex'),
      parents: [docs.id],
      trashed: false,
      version: expect.stringMatching(/^\d+$/),
      fileExtension: 'txt',
    });
    const plan = await childNamed(h, docs.id!, 'Project plan');
    const doc = await h.drive.files.get({ fileId: plan.id!, fields: '*' });
    expect(doc.data.md5Checksum).toBeUndefined();
    expect(Object.keys(doc.data.exportLinks ?? {})).toContain('application/pdf');
    const rootFile = await h.drive.files.get({ fileId: 'root', fields: 'id,name,parents' });
    expect(rootFile.data).toEqual({ id: root, name: 'My Drive' });
    const missing = await rejection(h.drive.files.get({ fileId: '1doesnotexist000000000000000000000' }));
    expect(statusOf(missing)).toBe(404);
    expect((missing as { response: { data: unknown } }).response.data).toEqual({
      error: {
        code: 404,
        message: 'File not found: 1doesnotexist000000000000000000000.',
        errors: [
          {
            message: 'File not found: 1doesnotexist000000000000000000000.',
            domain: 'global',
            reason: 'notFound',
            location: 'fileId',
            locationType: 'parameter',
          },
        ],
        status: 'NOT_FOUND',
      },
    });
  });

  it('downloads with alt=media, honours Range with 206 + Content-Range, 416 past the end', async () => {
    const dataset = await childNamed(h, h.emulator.admin.rootId('alice@example.com'), 'dataset.bin');
    const size = Number(dataset.size);
    const full = await h.drive.files.get(
      { fileId: dataset.id!, alt: 'media' },
      { responseType: 'arraybuffer' },
    );
    const bytes = Buffer.from(full.data as ArrayBuffer);
    expect(bytes.length).toBe(size);
    expect(md5(bytes)).toBe(dataset.md5Checksum);
    const part = await api(h, `/drive/v3/files/${dataset.id}?alt=media`, {
      headers: { Range: 'bytes=1000-1999' },
    });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 1000-1999/${size}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(bytes.subarray(1000, 2000));
    const tail = await api(h, `/drive/v3/files/${dataset.id}?alt=media`, { headers: { Range: 'bytes=-10' } });
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(bytes.subarray(size - 10));
    const past = await api(h, `/drive/v3/files/${dataset.id}?alt=media`, {
      headers: { Range: `bytes=${size}-` },
    });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${size}`);
  });

  it('refuses alt=media on Google-native documents with fileNotDownloadable', async () => {
    const docs = await childNamed(h, h.emulator.admin.rootId('alice@example.com'), 'Documents');
    const plan = await childNamed(h, docs.id!, 'Project plan');
    const error = await rejection(h.drive.files.get({ fileId: plan.id!, alt: 'media' }));
    expect(statusOf(error)).toBe(403);
    expect(reasonOf(error)).toBe('fileNotDownloadable');
  });

  it('serves a real PNG thumbnail through thumbnailLink, to a credentialed request', async () => {
    const { data } = await h.drive.files.list({
      q: "name = 'beach.png'",
      fields: 'files(thumbnailLink,hasThumbnail,imageMediaMetadata)',
    });
    const file = data.files![0]!;
    expect(file.hasThumbnail).toBe(true);
    expect(file.imageMediaMetadata).toMatchObject({ width: 640, height: 427 });
    const auth = { headers: { Authorization: `Bearer ${h.token}` } };
    const res = await fetch(file.thumbnailLink!, auth);
    expect(res.headers.get('content-type')).toBe('image/png');
    const image = decodePng(Buffer.from(await res.arrayBuffer()));
    expect(image?.width).toBe(220);
    const big = await fetch(file.thumbnailLink!.replace(/=s220$/, '=s64'), auth);
    expect(decodePng(Buffer.from(await big.arrayBuffer()))?.width).toBe(64);
    expect((await fetch(file.thumbnailLink!.replace(/\.[^.]+=/, '.forged='), auth)).status).toBe(404);
    // The file is not shared publicly: no token, or another user's, is refused.
    expect((await fetch(file.thumbnailLink!)).status).toBe(403);
    const bob = h.emulator.admin.issueTokens('bob@example.com', { clientId: CLIENT_ID }).access_token;
    const asBob = { headers: { Authorization: `Bearer ${bob}` } };
    expect((await fetch(file.thumbnailLink!, asBob)).status).toBe(403);
  });

  it('has no thumbnailLink for folders and documents', async () => {
    const { data } = await h.drive.files.list({
      q: "name = 'Documents' or name = 'Project plan'",
      fields: 'files(name,thumbnailLink,hasThumbnail)',
    });
    expect(data.files).toHaveLength(2);
    for (const file of data.files!) {
      expect(file.hasThumbnail).toBe(false);
      expect(file.thumbnailLink).toBeUndefined();
    }
  });
});

describe('files.export', () => {
  it('exports Docs, Sheets and Slides to the advertised formats', async () => {
    const docs = await childNamed(h, h.emulator.admin.rootId('alice@example.com'), 'Documents');
    const plan = await childNamed(h, docs.id!, 'Project plan');
    const text = await h.drive.files.export(
      { fileId: plan.id!, mimeType: 'text/plain' },
      { responseType: 'text' },
    );
    expect(text.data).toContain('Goals: ship the multi-cloud browser.');
    const docx = await api(
      h,
      `/drive/v3/files/${plan.id}/export?mimeType=${encodeURIComponent('application/vnd.openxmlformats-officedocument.wordprocessingml.document')}`,
    );
    expect(
      Buffer.from(await docx.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
    const pdf = await api(h, `/drive/v3/files/${plan.id}/export?mimeType=application/pdf`);
    expect((await pdf.text()).startsWith('%PDF-1.4')).toBe(true);
    const budget = await childNamed(h, docs.id!, 'Budget 2025');
    const csv = await api(h, `/drive/v3/files/${budget.id}/export?mimeType=text/csv`);
    expect((await csv.text()).split('\r\n')[0]).toBe('Item,Q1,Q2,Q3,Q4');
    const about = await h.drive.about.get({ fields: 'exportFormats' });
    expect(about.data.exportFormats?.['application/vnd.google-apps.spreadsheet']).toContain('text/csv');
  });

  it('refuses unsupported conversions, binary files, and exports over the size limit', async () => {
    const docs = await childNamed(h, h.emulator.admin.rootId('alice@example.com'), 'Documents');
    const plan = await childNamed(h, docs.id!, 'Project plan');
    const notes = await childNamed(h, docs.id!, 'notes.txt');
    expect(reasonOf(await rejection(h.drive.files.export({ fileId: plan.id!, mimeType: 'image/gif' })))).toBe(
      'badRequest',
    );
    expect(
      reasonOf(await rejection(h.drive.files.export({ fileId: notes.id!, mimeType: 'text/plain' }))),
    ).toBe('fileNotExportable');
    const small = await startHarness({ exportSizeLimitBytes: 100 });
    try {
      const { data } = await small.drive.files.list({ q: "name = 'Project plan'", fields: 'files(id)' });
      const error = await rejection(
        small.drive.files.export({ fileId: data.files![0]!.id!, mimeType: 'application/pdf' }),
      );
      expect(statusOf(error)).toBe(403);
      expect(reasonOf(error)).toBe('exportSizeLimitExceeded');
    } finally {
      await small.close();
    }
  });
});

describe('files.create', () => {
  it('creates folders, names with slashes and duplicates, and defaults the parent to root', async () => {
    const folder = await h.drive.files.create({
      requestBody: { name: 'New', mimeType: FOLDER },
      fields: 'id,parents',
    });
    expect(folder.data.parents).toEqual([h.emulator.admin.rootId('alice@example.com')]);
    for (let i = 0; i < 2; i++) {
      await h.drive.files.create({ requestBody: { name: 'a/b', parents: [folder.data.id!] } });
    }
    const { data } = await h.drive.files.list({
      q: `'${folder.data.id}' in parents`,
      fields: 'files(name,size,md5Checksum)',
    });
    expect(data.files).toEqual([
      { name: 'a/b', size: '0', md5Checksum: md5('') },
      { name: 'a/b', size: '0', md5Checksum: md5('') },
    ]);
    const orphan = await rejection(
      h.drive.files.create({ requestBody: { name: 'x', parents: ['1nope0000000000000000000000000000'] } }),
    );
    expect(statusOf(orphan)).toBe(404);
    const two = await rejection(
      h.drive.files.create({ requestBody: { name: 'x', parents: [folder.data.id!, 'root'] } }),
    );
    expect(reasonOf(two)).toBe('cannotAddParent');
  });

  it('uploads with uploadType=media and multipart through the SDK (stream and string bodies)', async () => {
    const content = Buffer.alloc(300_000, 7);
    const multipart = await h.drive.files.create(
      {
        requestBody: { name: 'photo.bin', parents: ['root'], modifiedTime: '2024-05-06T07:08:09.123Z' },
        media: { mimeType: 'application/x-test', body: Readable.from([content]) },
        fields: 'id,name,mimeType,size,md5Checksum,modifiedTime',
      },
      h.upload,
    );
    expect(multipart.data).toMatchObject({
      name: 'photo.bin',
      mimeType: 'application/x-test',
      size: '300000',
      md5Checksum: md5(content),
      modifiedTime: '2024-05-06T07:08:09.123Z',
    });
    const text = await h.drive.files.create(
      {
        requestBody: { name: 'hello.txt' },
        media: { mimeType: 'text/plain', body: 'hello' },
        fields: 'id,size',
      },
      h.upload,
    );
    expect(text.data.size).toBe('5');
    const media = await api(h, '/upload/drive/v3/files?uploadType=media&fields=name,mimeType,size', {
      method: 'POST',
      headers: { 'Content-Type': 'image/png' },
      body: new Uint8Array(10),
    });
    expect(await media.json()).toEqual({ name: 'Untitled', mimeType: 'image/png', size: '10' });
    const download = await h.drive.files.get(
      { fileId: multipart.data.id!, alt: 'media' },
      { responseType: 'arraybuffer' },
    );
    expect(Buffer.from(download.data as ArrayBuffer)).toEqual(content);
  });

  it('imports text into a Google Doc and refuses uploads past the storage quota', async () => {
    const doc = await h.drive.files.create(
      {
        requestBody: { name: 'Imported', mimeType: 'application/vnd.google-apps.document' },
        media: { mimeType: 'text/plain', body: 'line one\nline two' },
        fields: 'id,mimeType',
      },
      h.upload,
    );
    expect(doc.data.mimeType).toBe('application/vnd.google-apps.document');
    const exported = await h.drive.files.export(
      { fileId: doc.data.id!, mimeType: 'text/plain' },
      { responseType: 'text' },
    );
    expect(exported.data).toBe('line one\nline two\n');
    h.emulator.admin.setQuota('alice@example.com', 1);
    const error = await rejection(
      h.drive.files.create(
        { requestBody: { name: 'big' }, media: { mimeType: 'text/plain', body: 'too much' } },
        h.upload,
      ),
    );
    expect(statusOf(error)).toBe(403);
    expect(reasonOf(error)).toBe('storageQuotaExceeded');
  });

  it('uses generated ids, and a second create with the same id is a 409', async () => {
    const { data } = await h.drive.files.generateIds({ count: 2 });
    expect(data.ids).toHaveLength(2);
    const id = data.ids![0]!;
    const created = await h.drive.files.create({ requestBody: { id, name: 'with id' } });
    expect(created.data.id).toBe(id);
    const again = await rejection(h.drive.files.create({ requestBody: { id, name: 'with id' } }));
    expect(statusOf(again)).toBe(409);
  });

  it('creates shortcuts to existing targets only', async () => {
    const target = await h.drive.files.create({ requestBody: { name: 'target.txt' } });
    const shortcut = await h.drive.files.create({
      requestBody: {
        name: 'link',
        mimeType: 'application/vnd.google-apps.shortcut',
        shortcutDetails: { targetId: target.data.id! },
      },
      fields: 'shortcutDetails',
    });
    expect(shortcut.data.shortcutDetails).toEqual({
      targetId: target.data.id,
      targetMimeType: 'application/octet-stream',
    });
    const error = await rejection(
      h.drive.files.create({
        requestBody: {
          name: 'dangling',
          mimeType: 'application/vnd.google-apps.shortcut',
          shortcutDetails: { targetId: '1missing000000000000000000000000' },
        },
      }),
    );
    expect(statusOf(error)).toBe(404);
  });

  it('rejects media on the metadata URL, unknown body fields and unknown parameters like Google', async () => {
    const wrong = await api(h, '/drive/v3/files?uploadType=multipart', { method: 'POST', body: '{}' });
    expect(reasonOf(await wrong.json())).toBe('wrongUrlForUpload');
    const unknown = await api(h, '/drive/v3/files', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'x', colour: 'red' }),
    });
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toBe(
      'Invalid JSON payload received. Unknown name "colour": Cannot find field.',
    );
    const param = await api(h, '/drive/v3/files?pageSzie=3');
    expect(param.status).toBe(400);
    const readOnly = await rejection(h.drive.files.create({ requestBody: { name: 'x', size: '3' } }));
    expect(reasonOf(readOnly)).toBe('fieldNotWritable');
  });
});

describe('files.update, copy, delete, emptyTrash', () => {
  it('renames, moves with addParents/removeParents, and bumps version', async () => {
    const a = await h.drive.files.create({ requestBody: { name: 'A', mimeType: FOLDER } });
    const b = await h.drive.files.create({ requestBody: { name: 'B', mimeType: FOLDER } });
    const file = await h.drive.files.create({
      requestBody: { name: 'f', parents: [a.data.id!] },
      fields: 'id,version',
    });
    const moved = await h.drive.files.update({
      fileId: file.data.id!,
      addParents: b.data.id!,
      removeParents: a.data.id!,
      requestBody: { name: 'g' },
      fields: 'name,parents,version',
    });
    expect(moved.data).toMatchObject({ name: 'g', parents: [b.data.id] });
    expect(Number(moved.data.version)).toBeGreaterThan(Number(file.data.version));
    const twoParents = await rejection(
      h.drive.files.update({ fileId: file.data.id!, addParents: a.data.id! }),
    );
    expect(reasonOf(twoParents)).toBe('cannotAddParent');
    const direct = await rejection(
      h.drive.files.update({ fileId: file.data.id!, requestBody: { parents: [a.data.id!] } }),
    );
    expect(reasonOf(direct)).toBe('fieldNotWritable');
    const cycle = await rejection(
      h.drive.files.update({ fileId: a.data.id!, addParents: a.data.id!, removeParents: 'root' }),
    );
    expect(statusOf(cycle)).toBe(400);
    const root = await rejection(h.drive.files.update({ fileId: 'root', requestBody: { name: 'Mine' } }));
    expect(reasonOf(root)).toBe('insufficientFilePermissions');
  });

  it('replaces content with a media update (PATCH /upload) keeping the id', async () => {
    const file = await h.drive.files.create(
      { requestBody: { name: 'v.txt' }, media: { mimeType: 'text/plain', body: 'one' }, fields: 'id' },
      h.upload,
    );
    const updated = await h.drive.files.update(
      {
        fileId: file.data.id!,
        media: { mimeType: 'text/plain', body: 'two two' },
        fields: 'id,size,md5Checksum',
      },
      h.upload,
    );
    expect(updated.data).toEqual({ id: file.data.id, size: '7', md5Checksum: md5('two two') });
  });

  it('trashes a folder with its contents, restores it, and deletes permanently (recursive)', async () => {
    const folder = await h.drive.files.create({ requestBody: { name: 'T', mimeType: FOLDER } });
    const child = await h.drive.files.create({ requestBody: { name: 'c', parents: [folder.data.id!] } });
    await h.drive.files.update({ fileId: folder.data.id!, requestBody: { trashed: true } });
    const trashedChild = await h.drive.files.get({
      fileId: child.data.id!,
      fields: 'trashed,explicitlyTrashed',
    });
    expect(trashedChild.data).toEqual({ trashed: true, explicitlyTrashed: false });
    const visible = await h.drive.files.list({ q: `'${folder.data.id}' in parents and trashed = false` });
    expect(visible.data.files).toEqual([]);
    await h.drive.files.update({ fileId: folder.data.id!, requestBody: { trashed: false } });
    expect((await h.drive.files.get({ fileId: child.data.id!, fields: 'trashed' })).data.trashed).toBe(false);
    const del = await api(h, `/drive/v3/files/${folder.data.id}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect(statusOf(await rejection(h.drive.files.get({ fileId: child.data.id! })))).toBe(404);
  });

  it('empties the trash', async () => {
    const before = await h.drive.files.list({ q: 'trashed = true', fields: 'files(id)' });
    expect(before.data.files!.length).toBeGreaterThan(0);
    const res = await api(h, '/drive/v3/files/trash', { method: 'DELETE' });
    expect(res.status).toBe(204);
    const after = await h.drive.files.list({ q: 'trashed = true', fields: 'files(id)' });
    expect(after.data.files).toEqual([]);
    const about = await h.drive.about.get({ fields: 'storageQuota' });
    expect(about.data.storageQuota?.usageInDriveTrash).toBe('0');
  });

  it('copies files (same bytes, "Copy of" name, same parent) but not folders', async () => {
    const src = await h.drive.files.create(
      {
        requestBody: { name: 'orig.txt', properties: { k: 'v' } },
        media: { mimeType: 'text/plain', body: 'abc' },
        fields: 'id,parents',
      },
      h.upload,
    );
    const copy = await h.drive.files.copy({
      fileId: src.data.id!,
      fields: 'id,name,parents,md5Checksum,properties',
    });
    expect(copy.data).toMatchObject({
      name: 'Copy of orig.txt',
      parents: src.data.parents,
      md5Checksum: md5('abc'),
      properties: { k: 'v' },
    });
    expect(copy.data.id).not.toBe(src.data.id);
    const named = await h.drive.files.copy({
      fileId: src.data.id!,
      requestBody: { name: 'dup.txt' },
      fields: 'name',
    });
    expect(named.data.name).toBe('dup.txt');
    const folder = await h.drive.files.create({ requestBody: { name: 'F', mimeType: FOLDER } });
    expect(reasonOf(await rejection(h.drive.files.copy({ fileId: folder.data.id! })))).toBe('cannotCopyFile');
  });
});
