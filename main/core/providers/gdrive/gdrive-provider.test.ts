/** Drive-specific behaviour beyond the shared conformance suite, against the emulator's demo seed. */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGdriveEmulator, type GdriveEmulator } from '../../../../emulators';
import { readAll } from '../../../../test/conformance/provider-suite';
import type { ProviderChange, ProviderItem } from '../types';
import { GdriveProvider } from './gdrive-provider';

/** The items a `listAll` part lists (its upserts). */
const listedIn = (part: { changes: readonly ProviderChange[] }): ProviderItem[] =>
  part.changes.flatMap((change) => (change.kind === 'upsert' ? [change.item] : []));

let emulator: GdriveEmulator;
let provider: GdriveProvider;

beforeAll(async () => {
  emulator = await startGdriveEmulator({ seed: 'demo' });
  const token = emulator.admin.issueTokens(emulator.users[0]!).access_token;
  provider = await GdriveProvider.connect({
    apiBaseUrl: emulator.url,
    tokens: { getAccessToken: async () => token, invalidate: () => undefined },
  });
});
afterAll(() => emulator.close());

async function childNamed(parentId: string, name: string) {
  for await (const page of provider.list(parentId)) {
    const found = page.find((item) => item.name === name);
    if (found) return found;
  }
  throw new Error(`${name} not found`);
}

describe('GdriveProvider with Google documents', () => {
  it('reads a Google Doc as its default export (.docx) and as any offered format', async () => {
    const documents = await childNamed(provider.rootId, 'Documents');
    const plan = await childNamed(documents.id, 'Project plan');
    expect(plan).toMatchObject({
      kind: 'file',
      mimeType: 'application/vnd.google-apps.document',
    });
    const docx = await readAll(await provider.read(plan.id));
    expect(docx.subarray(0, 2).toString('latin1')).toBe('PK'); // a zip container: Office Open XML
    const text = (await readAll(await provider.export(plan.id, 'text/plain'))).toString('utf8');
    expect(text).toContain('Goals: ship the multi-cloud browser.');
  });

  it('refuses byte ranges and unknown hashes on Google documents', async () => {
    const documents = await childNamed(provider.rootId, 'Documents');
    const budget = await childNamed(documents.id, 'Budget 2025');
    await expect(provider.read(budget.id, { start: 0, end: 10 })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(provider.hash(budget.id, 'md5')).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});

describe('GdriveProvider with shortcuts', () => {
  it('lists a folder shortcut as a folder pointing at its target, and reads through file shortcuts only', async () => {
    const shortcut = await childNamed(provider.rootId, 'Summer photos');
    const photos = await childNamed(provider.rootId, 'Photos');
    const target = await childNamed(photos.id, '2024');
    expect(shortcut).toMatchObject({
      kind: 'folder',
      mimeType: 'application/vnd.google-apps.shortcut',
      targetId: target.id,
    });
    await expect(provider.read(shortcut.id)).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});

describe('GdriveProvider first crawl (listAll)', () => {
  const connectWith = async (listAllPageSize: number) => {
    const token = emulator.admin.issueTokens(emulator.users[0]!).access_token;
    return GdriveProvider.connect({
      apiBaseUrl: emulator.url,
      tokens: { getAccessToken: async () => token, invalidate: () => undefined },
      listAllPageSize,
    });
  };
  /** Every live item under the root, folder by folder. */
  async function walk(): Promise<Map<string, ProviderItem>> {
    const items = new Map<string, ProviderItem>();
    const pending = [provider.rootId];
    while (pending.length > 0) {
      for await (const page of provider.list(pending.pop()!)) {
        for (const item of page) {
          items.set(item.id, item);
          if (item.kind === 'folder' && item.mimeType !== 'application/vnd.google-apps.shortcut')
            pending.push(item.id);
        }
      }
    }
    return items;
  }

  it('lists the whole drive with one files.list per part (no folder walk), resumable by a new instance', async () => {
    const gone = await provider.mkdir(provider.rootId, 'listAll trashed', { conflict: 'fail' });
    await provider.trash(gone.id);
    const expected = await walk();
    emulator.admin.setFaults('slow=0 GET /drive/v3/files; slow=0 GET /drive/v3/changes/startPageToken');
    const crawler = await connectWith(4);
    const first = await crawler.changeFeed.listAll(null);
    expect(first.done).toBe(false);
    expect(JSON.parse(first.next)).toEqual({ start: expect.any(String), page: expect.any(String) });
    // Resumed by another instance (after a restart) from the persisted `next`.
    const resumer = await connectWith(4);
    const listed = new Map(listedIn(first).map((item) => [item.id, item]));
    let part = first;
    let parts = 1;
    while (!part.done) {
      part = await resumer.changeFeed.listAll(part.next);
      for (const item of listedIn(part)) listed.set(item.id, item);
      parts++;
    }
    const [files, starts] = emulator.admin.faults();
    emulator.admin.clearFaults();
    expect(files!.matched).toBe(parts);
    expect(starts!.matched).toBe(1);
    expect(parts).toBe(Math.ceil(expected.size / 4));
    expect(listed).toEqual(expected);
    expect(listed.has(gone.id)).toBe(false);
    expect([...listed.values()].filter((item) => item.parentId === provider.rootId).length).toBeGreaterThan(
      0,
    );

    // Done: `next` is the change feed's start token from before the listing.
    expect(part.next).toBe(JSON.parse(first.next).start);
    const later = await provider.mkdir(provider.rootId, 'listAll later', { conflict: 'fail' });
    const { changes } = await provider.changeFeed.changesSince(part.next);
    expect(changes).toContainEqual({ kind: 'upsert', item: later });
  });

  it('returns a long change feed in parts (`more`), each part going on where the last stopped', async () => {
    const token = emulator.admin.issueTokens(emulator.users[0]!).access_token;
    const reader = await GdriveProvider.connect({
      apiBaseUrl: emulator.url,
      tokens: { getAccessToken: async () => token, invalidate: () => undefined },
      changePages: { size: 2, perCall: 1 },
    });
    let cursor = await reader.changeFeed.startCursor();
    const created: string[] = [];
    for (let i = 0; i < 5; i++)
      created.push((await provider.mkdir(provider.rootId, `more ${i}`, { conflict: 'fail' })).id);
    const seen: string[] = [];
    const mores: boolean[] = [];
    for (let calls = 0; calls < 10; calls++) {
      const batch = await reader.changeFeed.changesSince(cursor);
      for (const change of batch.changes) if (change.kind === 'upsert') seen.push(change.item.id);
      mores.push(batch.more ?? false);
      cursor = batch.cursor;
      if (!batch.more) break;
    }
    expect(seen).toEqual(created);
    expect(mores).toEqual([true, true, false]);
  });

  it('throws invalid_argument for a position it did not hand out, or one Drive refuses', async () => {
    const start = await provider.changeFeed.startCursor();
    for (const from of ['', 'garbage', start, '{"start":"1"}', '{"page":"x"}', '[]', 'null']) {
      await expect(provider.changeFeed.listAll(from), from).rejects.toMatchObject({
        code: 'invalid_argument',
      });
    }
    await expect(
      provider.changeFeed.listAll(JSON.stringify({ start, page: 'not-a-page-token' })),
    ).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});

describe('GdriveProvider resumable uploads across restarts', () => {
  function pattern(length: number): Buffer {
    const bytes = Buffer.alloc(length);
    for (let i = 0; i < length; i++) bytes[i] = (i * 13 + 7) & 0xff;
    return bytes;
  }

  it('continues an interrupted upload from its checkpoint, sending only the missing bytes', async () => {
    const KiB = 1024;
    const bytes = pattern(1536 * KiB);
    let saved: string | null = null;
    const checkpoint = {
      load: async () => saved,
      save: async (state: string) => void (saved = state),
      clear: async () => void (saved = null),
    };
    const token = emulator.admin.issueTokens(emulator.users[0]!).access_token;
    let sentBytes = 0;
    const counting: typeof fetch = async (input, init) => {
      if (init?.method === 'PUT' && init.body) sentBytes += (init.body as Uint8Array).byteLength;
      return fetch(input, init);
    };
    const connect = () =>
      GdriveProvider.connect({
        apiBaseUrl: emulator.url,
        tokens: { getAccessToken: async () => token, invalidate: () => undefined },
        chunkSize: 256 * KiB,
        fetch: counting,
      });

    // First attempt: the source dies after 600 KiB (a crash, a lost download...).
    const first = await connect();
    async function* dying() {
      yield bytes.subarray(0, 600 * KiB);
      throw new Error('the process was killed');
    }
    await expect(
      first.write(first.rootId, 'resumed.bin', Readable.from(dying()), {
        conflict: 'fail',
        size: bytes.length,
        checkpoint,
      }),
    ).rejects.toMatchObject({ code: 'transient' });
    expect(JSON.parse(saved!)).toMatchObject({ confirmed: 512 * KiB, size: bytes.length });

    // After a "restart": a new provider, the same checkpoint, the whole source again.
    sentBytes = 0;
    const second = await connect();
    const item = await second.write(second.rootId, 'resumed.bin', Readable.from([bytes]), {
      conflict: 'fail',
      size: bytes.length,
      checkpoint,
    });
    expect(sentBytes).toBe(bytes.length - 512 * KiB);
    expect(saved).toBeNull();
    expect(item.hashes.md5).toBe(createHash('md5').update(bytes).digest('hex'));
    expect((await readAll(await second.read(item.id))).equals(bytes)).toBe(true);
  });
});

describe('GdriveProvider.findChildren and removePermanently', () => {
  const token = () => emulator.admin.issueTokens(emulator.users[0]!).access_token;
  /** Creates through the raw API, as another client would: Drive lets names repeat in a folder. */
  async function rawCreate(name: string, parentId: string, folder = false): Promise<string> {
    const response = await fetch(`${emulator.url}/drive/v3/files?fields=id`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token()}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name,
        parents: [parentId],
        ...(folder ? { mimeType: 'application/vnd.google-apps.folder' } : {}),
      }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { id: string }).id;
  }
  /** Counts the API requests `run` makes (a rule that matches every request and never fires). */
  async function requestsOf(run: () => Promise<unknown>): Promise<number> {
    emulator.admin.setFaults('slow=0 p=0');
    try {
      await run();
      return emulator.admin.faults()[0]!.matched;
    } finally {
      emulator.admin.clearFaults();
    }
  }

  it('finds every duplicate in one request, exact names only, never a trashed one', async () => {
    const folder = await provider.mkdir(provider.rootId, 'dupes', { conflict: 'rename' });
    const ids = [
      await rawCreate('same.txt', folder.id),
      await rawCreate('same.txt', folder.id),
      await rawCreate('same.txt', folder.id, true),
    ];
    await rawCreate('Same.txt', folder.id);
    const trashed = await rawCreate('same.txt', folder.id);
    await provider.trash(trashed);
    let found: ProviderItem[] = [];
    expect(await requestsOf(async () => (found = await provider.findChildren(folder.id, 'same.txt')))).toBe(
      1,
    );
    expect(found.map((item) => item.id).sort()).toEqual([...ids].sort());
    expect(found.every((item) => item.name === 'same.txt' && item.parentId === folder.id)).toBe(true);
    expect(found.filter((item) => item.kind === 'folder')).toHaveLength(1);
    // A name with quotes and backslashes is quoted, not interpreted.
    const odd = await rawCreate(`it's a \\ test`, folder.id);
    expect((await provider.findChildren(folder.id, `it's a \\ test`)).map((item) => item.id)).toEqual([odd]);
  });

  it('removes permanently in one request: the item is not in the trash, the rest stays', async () => {
    const folder = await provider.mkdir(provider.rootId, 'remove-here', { conflict: 'rename' });
    const file = await provider.write(folder.id, 'bad.bin', Readable.from([Buffer.from('bad')]), {
      conflict: 'fail',
      size: 3,
    });
    expect(await requestsOf(() => provider.removePermanently(file.id))).toBe(1);
    const raw = await fetch(`${emulator.url}/drive/v3/files/${file.id}?fields=id,trashed`, {
      headers: { Authorization: `Bearer ${token()}` },
    });
    expect(raw.status).toBe(404);
    const trashList = await fetch(
      `${emulator.url}/drive/v3/files?q=${encodeURIComponent('trashed = true')}&fields=files(id)`,
      { headers: { Authorization: `Bearer ${token()}` } },
    );
    const trashedIds = ((await trashList.json()) as { files: { id: string }[] }).files.map((f) => f.id);
    expect(trashedIds).not.toContain(file.id);
    expect((await provider.stat(folder.id)).kind).toBe('folder');
  });
});
