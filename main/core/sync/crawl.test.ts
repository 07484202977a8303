import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SkyfoldError } from '../../../common/errors';
import { openDatabase } from '../index/database';
import { ItemStore } from '../index/item-store';
import { indexMigrations } from '../index/migrations';
import { SyncStateStore } from '../index/sync-state-store';
import { LocalProvider } from '../providers/local/local-provider';
import type { Provider, ProviderItem } from '../providers/types';
import { crawlAccount } from './crawl';

let root: string;
let items: ItemStore;
let syncState: SyncStateStore;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-crawl-'));
  for (const dir of ['a', 'b', 'b/c']) await fs.mkdir(path.join(root, dir));
  for (const file of ['a/f.txt', 'b/g.txt', 'b/c/h.txt', 'top.txt'])
    await fs.writeFile(path.join(root, file), file);
  const db = openDatabase(':memory:', { migrations: indexMigrations, synchronous: 'NORMAL' });
  items = new ItemStore(db);
  syncState = new SyncStateStore(db);
});
afterEach(() => fs.rm(root, { recursive: true, force: true }));

/** Wraps a provider so listing chosen folders fails with the given error. */
function failing(provider: Provider, failures: Record<string, SkyfoldError>): Provider {
  return Object.assign(Object.create(provider) as Provider, {
    list(folderId: string, options?: { pageSize?: number }): AsyncIterable<ProviderItem[]> {
      const failure = failures[folderId];
      if (failure) {
        return (async function* () {
          yield* [];
          throw failure;
        })();
      }
      return provider.list(folderId, options);
    },
  });
}

const ids = () =>
  ['', 'a', 'a/f.txt', 'b', 'b/c', 'b/c/h.txt', 'b/g.txt', 'top.txt'].filter((id) => items.get('acc', id));

describe('crawlAccount', () => {
  it('indexes every item and sweeps what disappeared', async () => {
    const provider = await LocalProvider.open(root);
    expect((await crawlAccount('acc', provider, { items, syncState })).itemCount).toBe(8);
    await fs.rm(path.join(root, 'b'), { recursive: true });
    const second = await crawlAccount('acc', provider, { items, syncState });
    expect(second).toMatchObject({ itemCount: 4, removed: 4, failures: [] });
  });

  it('keeps the last known content of an unreadable folder, reports it, and still sweeps elsewhere', async () => {
    const provider = await LocalProvider.open(root);
    await crawlAccount('acc', provider, { items, syncState });
    await fs.rm(path.join(root, 'a', 'f.txt'));
    await fs.rm(path.join(root, 'top.txt'));
    const result = await crawlAccount(
      'acc',
      failing(provider, { b: new SkyfoldError('permanent', 'b: permission denied') }),
      {
        items,
        syncState,
      },
    );
    expect(result.failures).toEqual([{ folderId: 'b', message: 'b: permission denied' }]);
    expect(ids()).toEqual(['', 'a', 'b', 'b/c', 'b/c/h.txt', 'b/g.txt']);
  });

  it('treats a folder that vanished mid-crawl as gone, not as a failure', async () => {
    const provider = await LocalProvider.open(root);
    await crawlAccount('acc', provider, { items, syncState });
    const result = await crawlAccount(
      'acc',
      failing(provider, { 'b/c': new SkyfoldError('not_found', 'gone') }),
      {
        items,
        syncState,
      },
    );
    expect(result.failures).toEqual([]);
    expect(items.get('acc', 'b/c/h.txt')).toBeUndefined();
  });

  it('fails as a whole when the root cannot be listed, leaving the previous index', async () => {
    const provider = await LocalProvider.open(root);
    await crawlAccount('acc', provider, { items, syncState });
    await expect(
      crawlAccount('acc', failing(provider, { '': new SkyfoldError('permanent', 'root unreadable') }), {
        items,
        syncState,
      }),
    ).rejects.toThrow('root unreadable');
    expect(ids()).toHaveLength(8);
  });

  it('stops on abort without sweeping', async () => {
    const provider = await LocalProvider.open(root);
    await crawlAccount('acc', provider, { items, syncState });
    await fs.rm(path.join(root, 'top.txt'));
    const controller = new AbortController();
    const crawl = crawlAccount(
      'acc',
      provider,
      { items, syncState },
      { signal: controller.signal, onProgress: () => controller.abort(new Error('account removed')) },
    );
    await expect(crawl).rejects.toThrow('account removed');
    expect(items.get('acc', 'top.txt')).toBeDefined();
  });
});
