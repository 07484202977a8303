import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncState } from '../../../common/dto';
import { SkyfoldError } from '../../../common/errors';
import { LocalProvider } from '../providers/local/local-provider';
import type { Provider } from '../providers/types';
import { AccountSyncer, type SyncTiming } from './account-syncer';
import { FakeCloud, file, indexTree, memoryStores } from './test-support';

const account = 'acc';
let stores: ReturnType<typeof memoryStores>;
let syncers: AccountSyncer[];
let states: SyncState[];
let indexChanges: number;

beforeEach(() => {
  stores = memoryStores();
  syncers = [];
  states = [];
  indexChanges = 0;
});
afterEach(async () => {
  for (const syncer of syncers) {
    syncer.stop();
    await syncer.settled();
  }
  stores.close();
});

const fast: Partial<SyncTiming> = {
  pollIntervalMs: 60_000,
  offlineRetryMs: { first: 5, max: 20 },
  localDebounceMs: 20,
};

function syncerFor(provider: Provider, extra: { localRoot?: string; timing?: Partial<SyncTiming> } = {}) {
  const syncer = new AccountSyncer({
    accountId: account,
    provider: async () => provider,
    stores,
    report: (state) => states.push(state),
    indexChanged: () => indexChanges++,
    timing: { ...fast, ...extra.timing },
    ...(extra.localRoot === undefined ? {} : { localRoot: extra.localRoot }),
  });
  syncers.push(syncer);
  return syncer;
}

describe('AccountSyncer on demand', () => {
  it('shares one run between concurrent calls and reports crawling, then idle', async () => {
    const cloud = new FakeCloud();
    cloud.items.set('a', file('a', 'root', 'a.txt'));
    cloud.partSize = 1;
    const syncer = syncerFor(cloud);
    const [first, second] = await Promise.all([syncer.sync(), syncer.sync()]);
    expect(first).toMatchObject({ state: 'idle', itemCount: 2 });
    expect(second).toEqual(first);
    expect(cloud.listAllCalls).toEqual([null]);
    expect(states.map((s) => s.state)).toEqual(['crawling', 'idle']);
    expect(indexChanges).toBeGreaterThan(0);
  });

  it('says offline (index kept) when the service cannot be reached, and error for other failures', async () => {
    const cloud = new FakeCloud();
    const syncer = syncerFor(cloud);
    await syncer.sync();
    cloud.failNext = new SkyfoldError(
      'transient',
      'request to http://127.0.0.1:9/drive/v3/changes?pageToken=43&pageSize=1000 failed, reason: socket hang up',
    );
    await expect(syncer.sync()).resolves.toMatchObject({
      state: 'offline',
      itemCount: 1,
      // Paging tokens in URLs mean nothing to people: the query string is left out.
      message: 'request to http://127.0.0.1:9/drive/v3/changes failed, reason: socket hang up',
      lastSyncedAt: expect.any(Number),
    });
    cloud.failNext = new SkyfoldError('needs_reconnect', 'sign-in expired');
    await expect(syncer.sync()).resolves.toMatchObject({ state: 'error', message: 'sign-in expired' });
    await expect(syncer.sync()).resolves.toMatchObject({ state: 'idle' });
  });

  it('crawls again on `full` even with a cursor', async () => {
    const cloud = new FakeCloud();
    const syncer = syncerFor(cloud);
    await syncer.sync();
    cloud.listAllCalls.length = 0;
    await syncer.sync({ full: true });
    expect(cloud.listAllCalls).toEqual([null]);
  });
});

describe('AccountSyncer in the background', () => {
  it('polls a feed without push and applies what changed', async () => {
    const cloud = new FakeCloud();
    const syncer = syncerFor(cloud, { timing: { pollIntervalMs: 10 } });
    syncer.start();
    await expect.poll(() => syncer.current.state).toBe('idle');
    cloud.put(file('new', 'root', 'new.txt'));
    await expect.poll(() => stores.items.has(account, 'new')).toBe(true);
  });

  it('syncs at once when woken (window focus), not only on its schedule', async () => {
    const cloud = new FakeCloud();
    const syncer = syncerFor(cloud);
    syncer.start();
    await expect.poll(() => stores.syncState.get(account).cursor).not.toBeNull();
    cloud.put(file('new', 'root', 'new.txt'));
    syncer.wake();
    await expect.poll(() => stores.items.has(account, 'new')).toBe(true);
  });

  it('retries an offline account by itself with growing pauses until it is back', async () => {
    const cloud = new FakeCloud();
    const syncer = syncerFor(cloud);
    cloud.failNext = new SkyfoldError('transient', 'offline');
    syncer.start();
    await expect.poll(() => syncer.current.state).toBe('idle');
    expect(states.map((s) => s.state)).toContain('offline');
  });

  it('waits on the service push (longpoll) and syncs when it says something changed', async () => {
    const cloud = new FakeCloud();
    let release: (changed: boolean) => void = () => undefined;
    let waits = 0;
    cloud.changeFeed.waitForChanges = (_cursor, { signal }) =>
      new Promise((resolve) => {
        waits++;
        release = (changed) => resolve({ changed, backoffSeconds: null });
        signal?.addEventListener('abort', () => resolve({ changed: false, backoffSeconds: null }));
      });
    const syncer = syncerFor(cloud);
    syncer.start();
    await expect.poll(() => waits).toBe(1);
    release(false); // a longpoll that timed out: wait again, no sync run
    await expect.poll(() => waits).toBe(2);
    cloud.put(file('pushed', 'root', 'pushed.txt'));
    release(true);
    await expect.poll(() => stores.items.has(account, 'pushed')).toBe(true);
  });
});

describe('AccountSyncer when the push fails', () => {
  it('does not hammer the service: after a failed push it waits for the poll schedule', async () => {
    const cloud = new FakeCloud();
    let pushes = 0;
    cloud.changeFeed.waitForChanges = async () => {
      pushes++;
      throw new SkyfoldError('invalid_argument', 'longpoll refused');
    };
    const syncer = syncerFor(cloud, { timing: { pollIntervalMs: 60_000 } });
    syncer.start();
    await expect.poll(() => pushes).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(pushes).toBe(1);
    expect(cloud.changesSinceCalls).toBe(0);
    syncer.wake(); // the window got focus: one sync, then the push is tried again
    await expect.poll(() => cloud.changesSinceCalls).toBe(1);
    await expect.poll(() => pushes).toBe(2);
  });
});

describe('AccountSyncer on a local folder', () => {
  let root: string;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-watch-'));
    await fs.mkdir(path.join(root, 'docs'));
    await fs.writeFile(path.join(root, 'docs', 'a.txt'), 'a');
  });
  afterEach(() => fs.rm(root, { recursive: true, force: true }));

  async function diskTree(dir = root, prefix = '/'): Promise<string[]> {
    const lines: string[] = [];
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      lines.push(`${prefix}${entry.name}${entry.isDirectory() ? '/' : ''}`);
      if (entry.isDirectory())
        lines.push(...(await diskTree(path.join(dir, entry.name), `${prefix}${entry.name}/`)));
    }
    return lines.sort();
  }

  it('watches the folder: creations (nested too), renames and deletions reach the index', async () => {
    const provider = await LocalProvider.open(root);
    const syncer = syncerFor(provider, { localRoot: root });
    syncer.start();
    await expect.poll(() => syncer.current.state).toBe('idle');
    const current = () => indexTree(stores, account, provider.rootId);

    await fs.mkdir(path.join(root, 'new', 'deep'), { recursive: true });
    await fs.writeFile(path.join(root, 'new', 'deep', 'x.txt'), 'x');
    await fs.writeFile(path.join(root, 'top.txt'), 'top');
    await expect.poll(current).toEqual(await diskTree());

    await fs.rename(path.join(root, 'docs'), path.join(root, 'documents'));
    await fs.rm(path.join(root, 'new'), { recursive: true });
    await expect.poll(current).toEqual(await diskTree());
    expect(current()).toContain('/documents/a.txt');
  });
});
