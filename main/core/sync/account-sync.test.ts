import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SkyfoldError } from '../../../common/errors';
import { syncAccount, type SyncStores } from './account-sync';
import { FakeCloud, file, folder, indexTree, memoryStores } from './test-support';

const account = 'acc';
let stores: SyncStores & { close(): void };
let cloud: FakeCloud;

beforeEach(() => {
  stores = memoryStores();
  cloud = new FakeCloud();
  cloud.items.set('docs', folder('docs', 'root', 'Docs'));
  cloud.items.set('a', file('a', 'docs', 'a.txt'));
  cloud.items.set('pics', folder('pics', 'root', 'Pics'));
  cloud.items.set('p1', file('p1', 'pics', 'p1.jpg'));
  cloud.items.set('top', file('top', 'root', 'top.md'));
});
afterEach(() => stores.close());

/** Each part committed on its own (the default groups parts into fewer, larger commits). */
const eachPart = { rows: 1, ms: 0 };
const sync = (options = {}) => syncAccount(account, cloud, stores, { writeGroup: eachPart, ...options });
const tree = () => indexTree(stores, account, cloud.rootId);

describe('first sync: a crawl through the one listing of everything', () => {
  it('writes every item, part by part, and keeps the cursor taken before the listing', async () => {
    const progress: number[] = [];
    const outcome = await sync({ onCrawlProgress: (n: number) => progress.push(n) });
    expect(outcome).toMatchObject({ kind: 'crawl', itemCount: 6 });
    expect(tree()).toEqual(cloud.tree());
    expect(cloud.listAllCalls.length).toBe(3);
    expect(progress).toEqual([3, 5, 6]);
    const state = stores.syncState.get(account);
    expect(state.crawlNext).toBeNull();
    expect(state.cursor).not.toBeNull();
    expect(state.lastSyncedAt).not.toBeNull();
  });

  it('groups parts into fewer commits, each with the resume point after its last part', async () => {
    const progress: number[] = [];
    cloud.partSize = 1;
    await sync({ writeGroup: { rows: 2, ms: 60_000 }, onCrawlProgress: (n: number) => progress.push(n) });
    expect(cloud.listAllCalls.length).toBe(5);
    expect(progress).toEqual([3, 5, 6]);
    expect(tree()).toEqual(cloud.tree());
  });

  it('resumes an interrupted crawl where it stopped, in the same generation, even from a new process', async () => {
    const abort = new AbortController();
    await expect(
      sync({
        signal: abort.signal,
        onCrawlProgress: (n: number) => n >= 3 && abort.abort(new Error('killed')),
      }),
    ).rejects.toThrow('killed');
    const saved = stores.syncState.get(account);
    expect(saved.crawlNext).not.toBeNull();
    expect(stores.items.countItems(account)).toBe(3);

    cloud.listAllCalls.length = 0;
    await expect(sync()).resolves.toMatchObject({ kind: 'crawl', itemCount: 6 });
    expect(cloud.listAllCalls[0]).toBe(saved.crawlNext);
    expect(stores.syncState.get(account).crawlGeneration).toBe(saved.crawlGeneration);
    expect(tree()).toEqual(cloud.tree());
  });

  it('starts the listing over when its resume point expired', async () => {
    const abort = new AbortController();
    await sync({ signal: abort.signal, onCrawlProgress: () => abort.abort(new Error('stop')) }).catch(
      () => null,
    );
    cloud.expireCursors();
    cloud.listAllCalls.length = 0;
    await expect(sync()).resolves.toMatchObject({ kind: 'crawl', itemCount: 6 });
    expect(cloud.listAllCalls).toContain(null);
    expect(tree()).toEqual(cloud.tree());
  });

  it('sweeps what the listing no longer has and what is not under the root (shared strays)', async () => {
    await sync();
    cloud.items.delete('p1');
    cloud.items.set('shared', file('shared', 'someone-elses-folder', 'shared.pdf'));
    cloud.items.set('shared-dir', folder('shared-dir', 'elsewhere', 'Shared'));
    cloud.items.set('shared-child', file('shared-child', 'shared-dir', 'inside.txt'));
    await expect(sync({ full: true })).resolves.toMatchObject({ kind: 'crawl', itemCount: 5 });
    expect(tree()).toEqual(cloud.tree());
    expect(stores.items.has(account, 'shared')).toBe(false);
    expect(stores.items.has(account, 'shared-child')).toBe(false);
  });
});

describe('later syncs: the change feed', () => {
  beforeEach(async () => {
    await sync();
  });

  it('applies creations, renames, moves (the subtree follows), and removals of folders with their content', async () => {
    cloud.put(folder('work', 'root', 'Work'));
    cloud.put(file('w1', 'work', 'plan.txt'));
    cloud.put({ ...cloud.items.get('top')!, name: 'TOP renamed.md' });
    cloud.put({ ...cloud.items.get('docs')!, parentId: 'work' });
    cloud.remove('pics');
    const outcome = await sync();
    expect(outcome).toEqual({ kind: 'changes', applied: 5, removed: 0 });
    expect(tree()).toEqual(cloud.tree());
    expect(tree()).toContain('/Work/Docs/a.txt');
    expect(stores.items.has(account, 'p1')).toBe(false);
  });

  it('takes the last state of an item reported several times (Graph latest-state duplicates)', async () => {
    cloud.put({ ...cloud.items.get('a')!, name: 'first.txt' });
    cloud.put({ ...cloud.items.get('a')!, name: 'second.txt' });
    cloud.put({ ...cloud.items.get('a')!, name: 'a.txt', parentId: 'pics' });
    await sync();
    expect(tree()).toEqual(cloud.tree());
  });

  it("applies Dropbox's delete-then-add move by path, case-insensitively, with the subtree coming back", async () => {
    // Dropbox words "Docs moved into Pics" as: deleted at /docs, then the folder and its content at the new path.
    cloud.remove('docs', [{ kind: 'removePath', path: ['docs'] }]);
    cloud.put(folder('docs', 'pics', 'Docs'));
    cloud.put(file('a', 'docs', 'a.txt'));
    await sync();
    expect(tree()).toEqual(cloud.tree());
    expect(tree()).toContain('/Pics/Docs/a.txt');
  });

  it('replaces an item deleted and created again under its name when only the new one is reported', async () => {
    cloud.items.delete('top');
    cloud.put(file('top-2', 'root', 'Top.md', 99));
    await sync();
    expect(tree()).toEqual(cloud.tree());
    expect(stores.items.has(account, 'top')).toBe(false);
  });

  it('keeps both items of a name swap reported as two latest states', async () => {
    cloud.put({ ...cloud.items.get('docs')!, name: 'Pics' });
    cloud.put({ ...cloud.items.get('pics')!, name: 'Docs' });
    await sync();
    expect(tree()).toEqual(cloud.tree());
    expect(tree()).toContain('/Pics/a.txt');
    expect(tree()).toContain('/Docs/p1.jpg');
  });

  it('keeps same-named items where the provider allows duplicate names (Drive)', async () => {
    const drive = new FakeCloud({ duplicateNamesAllowed: true, caseInsensitive: false });
    drive.items.set('x', file('x', 'root', 'same.txt'));
    await syncAccount('drive', drive, stores);
    drive.put(file('y', 'root', 'same.txt'));
    await syncAccount('drive', drive, stores);
    expect(indexTree(stores, 'drive', drive.rootId)).toEqual(['/same.txt', '/same.txt']);
  });

  it('accepts a child reported before its folder, and drops items whose folder is not in the account', async () => {
    cloud.put(file('late-child', 'late', 'child.txt'));
    cloud.put(folder('late', 'root', 'Late'));
    cloud.put(file('stray', 'not-mine', 'shared.txt'));
    await sync();
    expect(tree()).toContain('/Late/child.txt');
    expect(stores.items.has(account, 'stray')).toBe(false);
  });

  it('crawls again when the service forgot the cursor, keeping the old index until the crawl is complete', async () => {
    cloud.put(file('new', 'root', 'new.txt'));
    cloud.expireCursors();
    const seenDuringCrawl: boolean[] = [];
    const outcome = await sync({
      onCrawlProgress: () => seenDuringCrawl.push(stores.items.has(account, 'p1')),
    });
    expect(outcome.kind).toBe('crawl');
    expect(seenDuringCrawl.every(Boolean)).toBe(true);
    expect(tree()).toEqual(cloud.tree());
  });

  it('leaves the index and the cursor as they were when the feed fails, and catches up on the next run', async () => {
    const before = stores.syncState.get(account);
    cloud.put(file('new', 'root', 'new.txt'));
    cloud.failNext = new SkyfoldError('transient', 'connection refused');
    await expect(sync()).rejects.toMatchObject({ code: 'transient' });
    expect(stores.syncState.get(account)).toEqual(before);
    expect(stores.items.has(account, 'new')).toBe(false);
    await sync();
    expect(tree()).toEqual(cloud.tree());
  });

  it('never removes the root, whatever the feed says', async () => {
    cloud.feed.push({ kind: 'remove', id: 'root' }, { kind: 'removePath', path: [] });
    await sync();
    expect(stores.items.has(account, 'root')).toBe(true);
    expect(tree()).toEqual(cloud.tree());
  });
});
