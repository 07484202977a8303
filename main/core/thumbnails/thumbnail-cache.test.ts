import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SkyfoldError } from '../../../common/errors';
import type { Thumbnail } from '../providers/thumbnail-image';
import { ThumbnailCache, type ThumbnailKey } from './thumbnail-cache';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-thumbs-'));
});
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

const key = (itemId: string, version = 'v1', accountId = 'acc'): ThumbnailKey => ({
  accountId,
  itemId,
  size: 96,
  version,
});
const jpeg = (length: number, fill = 1): Thumbnail => ({
  mimeType: 'image/jpeg',
  bytes: Buffer.alloc(length, fill),
});

/** A fetch that counts its calls and answers `answer`. */
function counting(answer: Thumbnail | null | Error) {
  const fetch = async () => {
    fetch.calls++;
    if (answer instanceof Error) throw answer;
    return answer;
  };
  fetch.calls = 0;
  return fetch;
}

async function filesUnder(root: string): Promise<string[]> {
  const entries = await fs.readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
}

describe('ThumbnailCache', () => {
  it('fetches once per version, then answers from disk (also after a restart)', async () => {
    const fetch = counting(jpeg(10));
    const cache = new ThumbnailCache({ dir });
    expect(await cache.get(key('a'), fetch)).toEqual(jpeg(10));
    expect(await cache.get(key('a'), fetch)).toEqual(jpeg(10));
    expect(await new ThumbnailCache({ dir }).get(key('a'), fetch)).toEqual(jpeg(10));
    expect(fetch.calls).toBe(1);
  });

  it('fetches again for a new version and drops the old one', async () => {
    const cache = new ThumbnailCache({ dir });
    await cache.get(key('a', 'v1'), counting(jpeg(10, 1)));
    const edited = counting(jpeg(20, 2));
    expect(await cache.get(key('a', 'v2'), edited)).toEqual(jpeg(20, 2));
    expect(edited.calls).toBe(1);
    expect(await filesUnder(dir)).toHaveLength(1);
    expect(await cache.totalBytes()).toBe(20);
  });

  it('remembers "none" answers, so a non-image is not asked again', async () => {
    const fetch = counting(null);
    const cache = new ThumbnailCache({ dir });
    expect(await cache.get(key('notes.txt'), fetch)).toBeNull();
    expect(await new ThumbnailCache({ dir }).get(key('notes.txt'), fetch)).toBeNull();
    expect(fetch.calls).toBe(1);
    expect(await cache.totalBytes()).toBe(0);
  });

  it('keeps no errors: they reach the caller and the next request asks again', async () => {
    const cache = new ThumbnailCache({ dir });
    for (const code of ['not_found', 'transient'] as const) {
      const failing = counting(new SkyfoldError(code, 'no'));
      await expect(cache.get(key(code), failing)).rejects.toMatchObject({ code });
      await expect(cache.get(key(code), failing)).rejects.toMatchObject({ code });
      expect(failing.calls).toBe(2);
    }
    expect(await filesUnder(dir)).toEqual([]);
  });

  it('shares one fetch between concurrent requests for a key', async () => {
    let release!: () => void;
    let calls = 0;
    const fetch = async () => {
      calls++;
      await new Promise<void>((resolve) => (release = resolve));
      return jpeg(5);
    };
    const cache = new ThumbnailCache({ dir });
    const answers = Promise.all([
      cache.get(key('a'), fetch),
      cache.get(key('a'), fetch),
      cache.get(key('a'), fetch),
    ]);
    while (calls === 0) await new Promise((resolve) => setImmediate(resolve));
    release();
    expect(await answers).toEqual([jpeg(5), jpeg(5), jpeg(5)]);
    expect(calls).toBe(1);
  });

  it('evicts the least recently used thumbnails past its size, in use order across restarts', async () => {
    const cache = new ThumbnailCache({ dir, maxBytes: 300 });
    for (const id of ['a', 'b', 'c']) await cache.get(key(id), counting(jpeg(100)));
    // `a` is used again: `b` is now the oldest.
    await cache.get(key('a'), counting(jpeg(100)));
    await cache.get(key('d'), counting(jpeg(100)));
    expect(await cache.totalBytes()).toBe(300);
    const again = { a: counting(jpeg(100)), b: counting(jpeg(100)) };
    await cache.get(key('a'), again.a);
    await cache.get(key('b'), again.b);
    expect([again.a.calls, again.b.calls]).toEqual([0, 1]);
    // Use order now: d, a, b (c was evicted for b). A new process evicts d first.
    const reopened = new ThumbnailCache({ dir, maxBytes: 300 });
    expect(await reopened.totalBytes()).toBe(300);
    await reopened.get(key('e'), counting(jpeg(100)));
    const after = { a: counting(jpeg(100)), b: counting(jpeg(100)), d: counting(jpeg(100)) };
    for (const id of ['a', 'b', 'd'] as const) await reopened.get(key(id), after[id]);
    expect([after.a.calls, after.b.calls, after.d.calls]).toEqual([0, 0, 1]);
  });

  it('writes atomically: a damaged or left-over file is never served', async () => {
    const cache = new ThumbnailCache({ dir });
    await cache.get(key('a'), counting(jpeg(10)));
    const [accountDir] = await fs.readdir(dir);
    const [picture] = await fs.readdir(path.join(dir, accountDir!));
    // A power loss kept the rename but not the data; another write was cut before its rename.
    await fs.writeFile(path.join(dir, accountDir!, picture!), '');
    await fs.writeFile(path.join(dir, accountDir!, '.tmp-0123456789abcdef'), 'partial');
    const reopened = new ThumbnailCache({ dir });
    const fetch = counting(jpeg(10, 7));
    expect(await reopened.get(key('a'), fetch)).toEqual(jpeg(10, 7));
    expect(fetch.calls).toBe(1);
    expect(await filesUnder(dir)).toEqual([picture]);
  });

  it('forgets the thumbnails of a removed account, now or at the next start', async () => {
    const cache = new ThumbnailCache({ dir });
    await cache.get(key('a', 'v1', 'gone'), counting(jpeg(10)));
    await cache.get(key('a', 'v1', 'kept'), counting(jpeg(20)));
    await cache.get(key('b', 'v1', 'later'), counting(jpeg(30)));
    await cache.forgetAccount('gone');
    expect(await cache.totalBytes()).toBe(50);
    const fetch = counting(jpeg(10));
    await cache.get(key('a', 'v1', 'gone'), fetch);
    expect(fetch.calls).toBe(1);
    await cache.forgetAccount('gone');
    const reopened = new ThumbnailCache({ dir });
    await reopened.keepOnly(['kept']);
    expect(await reopened.totalBytes()).toBe(20);
    expect(await filesUnder(dir)).toHaveLength(1);
  });

  it('keeps cloud ids out of file names', async () => {
    const cache = new ThumbnailCache({ dir });
    await cache.get(key('../../etc/passwd'), counting(jpeg(1)));
    const [accountDir] = await fs.readdir(dir);
    expect(accountDir).toMatch(/^[0-9a-f]{32}$/);
    expect(await filesUnder(dir)).toEqual([expect.stringMatching(/^[0-9a-f]{32}-[0-9a-f]{16}\.jpg$/)]);
  });
});
