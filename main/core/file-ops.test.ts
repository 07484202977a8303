/** FileOps against local folders and the Dropbox emulator, with a real index in memory. */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SkyfoldError } from '../../common/errors';
import { startDropboxEmulator, type DropboxEmulator } from '../../emulators/dropbox/emulator';
import { FileOps } from './file-ops';
import { DropboxProvider } from './providers/dropbox/dropbox-provider';
import { LocalProvider } from './providers/local/local-provider';
import type { Provider } from './providers/types';
import { crawlAccount } from './sync/crawl';
import { indexTree, memoryStores } from './sync/test-support';

const accountId = 'acc';

interface Backend {
  name: string;
  /** A provider whose root is empty (a fresh one per test). */
  open(): Promise<Provider>;
  /** Whether trashed folders can be restored (not on Dropbox). */
  restoresFolders: boolean;
}

let dropbox: DropboxEmulator;
let tempDir: string;
beforeAll(async () => {
  dropbox = await startDropboxEmulator({ seed: 'empty' });
});
afterAll(() => dropbox.close());
beforeEach(async () => {
  tempDir = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-file-ops-'));
});
afterEach(() => fs.rm(tempDir, { recursive: true, force: true }));

const backends: Backend[] = [
  { name: 'local', open: () => LocalProvider.open(tempDir), restoresFolders: true },
  {
    name: 'dropbox (emulator)',
    open: async () => {
      await dropbox.admin.reset();
      const token = dropbox.admin.issueTokens(dropbox.users[0]!).access_token;
      return DropboxProvider.connect({
        apiBaseUrl: dropbox.url,
        tokens: { getAccessToken: async () => token, invalidate: () => undefined },
      });
    },
    restoresFolders: false,
  },
];

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (error instanceof SkyfoldError ? error.code : `foreign: ${String(error)}`),
  );

describe.each(backends)('FileOps on $name', (backend) => {
  let provider: Provider;
  let stores: ReturnType<typeof memoryStores>;
  let ops: FileOps;
  let changed: string[];

  /** The index under the root, as `/path` lines (folders ending in `/`). */
  const tree = () => indexTree(stores, accountId, provider.rootId);
  const write = (parentId: string, name: string, text: string) =>
    provider.write(parentId, name, Readable.from([Buffer.from(text)]), { conflict: 'fail' });

  beforeEach(async () => {
    provider = await backend.open();
    stores = memoryStores();
    changed = [];
    ops = new FileOps({
      stores,
      provider: async (id) => {
        if (id !== accountId) throw new SkyfoldError('not_found', `no account "${id}"`);
        return provider;
      },
      changed: (id) => changed.push(id),
    });
    await crawlAccount(accountId, provider, stores);
  });
  afterEach(() => stores.close());

  it('creates a folder, indexed at once; a taken or refused name is refused', async () => {
    const folder = await ops.createFolder(accountId, provider.rootId, 'Photos');
    expect(folder).toMatchObject({ accountId, name: 'Photos', kind: 'folder', parentId: provider.rootId });
    expect(stores.items.get(accountId, folder.id)).toEqual(folder);
    expect(changed).toEqual([accountId]);
    expect(await codeOf(ops.createFolder(accountId, provider.rootId, 'Photos'))).toBe('conflict');
    expect(await codeOf(ops.createFolder(accountId, provider.rootId, 'a/b'))).toBe('invalid_argument');
    expect(await codeOf(ops.createFolder('nobody', provider.rootId, 'x'))).toBe('not_found');
    expect(tree()).toEqual(['/Photos/']);
  });

  it('renames files and folders (content following), refusing taken names and the root', async () => {
    const folder = await ops.createFolder(accountId, provider.rootId, 'Album');
    await write(folder.id, 'photo.txt', 'pixels');
    const file = await write(provider.rootId, 'draft.txt', 'text');
    await crawlAccount(accountId, provider, stores);
    changed = [];

    const renamed = await ops.rename(accountId, file.id, 'final.txt');
    expect(renamed).toMatchObject({ name: 'final.txt', kind: 'file', size: 4 });
    await ops.rename(accountId, folder.id, 'Holidays');
    expect(tree()).toEqual(['/Holidays/', '/Holidays/photo.txt', '/final.txt']);
    expect(changed).toEqual([accountId, accountId]);

    expect(await ops.rename(accountId, renamed.id, 'final.txt')).toEqual(renamed);
    expect(await codeOf(ops.rename(accountId, renamed.id, 'Holidays'))).toBe('conflict');
    expect(await codeOf(ops.rename(accountId, renamed.id, 'a/b'))).toBe('invalid_argument');
    expect(await codeOf(ops.rename(accountId, provider.rootId, 'x'))).toBe('invalid_argument');
    expect(tree()).toEqual(['/Holidays/', '/Holidays/photo.txt', '/final.txt']);
  });

  it('trashes items (a child of a trashed folder goes with it) and restores them, index following', async () => {
    const folder = await ops.createFolder(accountId, provider.rootId, 'Album');
    const photo = await write(folder.id, 'photo.txt', 'pixels');
    const file = await write(provider.rootId, 'note.txt', 'remember');
    await crawlAccount(accountId, provider, stores);
    changed = [];

    const refs = [folder, photo, file].map((item) => ({ accountId, itemId: item.id }));
    const { trashed } = await ops.trash(refs);
    expect(trashed).toEqual([
      { accountId, itemId: folder.id, name: 'Album', restorable: backend.restoresFolders },
      { accountId, itemId: file.id, name: 'note.txt', restorable: true },
    ]);
    expect(tree()).toEqual([]);
    expect(changed).toEqual([accountId]);

    const { restored } = await ops.restore([{ accountId, itemId: file.id }]);
    expect(restored).toMatchObject([{ name: 'note.txt', kind: 'file', size: 8, parentId: provider.rootId }]);
    expect(tree()).toEqual(['/note.txt']);
    // Restoring again is safe.
    expect((await ops.restore([{ accountId, itemId: file.id }])).restored).toEqual(restored);

    const folderBack = ops.restore([{ accountId, itemId: folder.id }]);
    if (backend.restoresFolders) {
      await folderBack;
      expect(tree()).toEqual(['/Album/', '/Album/photo.txt', '/note.txt']);
    } else {
      expect(await codeOf(folderBack)).toBe('permanent');
    }
  });

  it('counts items already gone as trashed (not restorable), and refuses roots before trashing anything', async () => {
    const file = await write(provider.rootId, 'a.txt', 'a');
    await crawlAccount(accountId, provider, stores);
    await provider.trash(file.id);
    expect((await ops.trash([{ accountId, itemId: file.id }])).trashed).toEqual([
      { accountId, itemId: file.id, name: 'a.txt', restorable: false },
    ]);
    const kept = await write(provider.rootId, 'b.txt', 'b');
    const refs = [
      { accountId, itemId: kept.id },
      { accountId, itemId: provider.rootId },
    ];
    expect(await codeOf(ops.trash(refs))).toBe('invalid_argument');
    expect(await codeOf(ops.trash([{ accountId: 'nobody', itemId: kept.id }]))).toBe('not_found');
    expect((await provider.stat(kept.id)).name).toBe('b.txt');
  });

  it('says how many items were restored before one failed', async () => {
    const one = await write(provider.rootId, 'one.txt', '1');
    const two = await write(provider.rootId, 'two.txt', '2');
    await ops.trash([{ accountId, itemId: one.id }]);
    await provider.trash(two.id);
    await write(provider.rootId, 'two.txt', 'taken');
    const error = await ops
      .restore([
        { accountId, itemId: one.id },
        { accountId, itemId: two.id },
      ])
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/^1 of 2 items were restored/),
    });
    expect(tree()).toContain('/one.txt');
    expect(changed.at(-1)).toBe(accountId);
  });
});
