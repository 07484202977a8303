/**
 * Thumbnails kept on disk, so that a grid of pictures shown once shows again without asking the
 * clouds: `<dir>/<account>/<item and size>-<version>.<jpg|png|none>`.
 *
 * - Keys: account + item id + size + the item's version (its modification time and size, from the
 *   index), so an edited file gets a new thumbnail; the thumbnail of an older version is dropped
 *   when the new one is stored. File names are hashes: no cloud id or name reaches a path.
 * - "none" answers (not an image, nothing from the service) are kept as empty `.none` files, so a
 *   file without a thumbnail is not asked about again until it changes.
 * - Errors are never kept: whatever the fetch throws (not_found included) reaches the caller, and
 *   the next request asks again.
 * - Writes are atomic (a temporary file renamed into place): a crash leaves a whole file or none;
 *   an empty picture file (a rename that outlived its data in a power loss) counts as missing.
 * - Bounded: past `maxBytes`, the least recently used thumbnails are removed (use order is kept in
 *   memory and in the files' modification times, so it survives a restart).
 * - Concurrent requests for one key share one fetch.
 *
 * The cache is its directory: it is safe to delete by hand, and entries another process removed are
 * fetched again. One instance per directory per process.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Thumbnail } from '../providers/thumbnail-image';

export interface ThumbnailKey {
  accountId: string;
  itemId: string;
  /** Longest side in pixels. */
  size: number;
  /** Changes whenever the file's content may have changed (e.g. `${modifiedAt}:${size}`). */
  version: string;
}

export interface ThumbnailCacheOptions {
  /** The cache's own directory (created when missing). */
  dir: string;
  /** Total bytes of pictures kept at most; default 200 MB. */
  maxBytes?: number;
}

interface Entry {
  /** Path relative to the cache directory. */
  file: string;
  version: string;
  mimeType: Thumbnail['mimeType'] | null;
  bytes: number;
}

const extensions = { 'image/jpeg': 'jpg', 'image/png': 'png' } as const;
const mimeTypes: Record<string, Thumbnail['mimeType'] | null> = {
  jpg: 'image/jpeg',
  png: 'image/png',
  none: null,
};
const fileName = /^([0-9a-f]{32})-([0-9a-f]{16})\.(jpg|png|none)$/;
const tempPrefix = '.tmp-';

export const defaultThumbnailCacheBytes = 200 * 1024 * 1024;

export class ThumbnailCache {
  private readonly dir: string;
  private readonly maxBytes: number;
  /** Every entry, by `<account hash>/<item hash>`, least recently used first. */
  private readonly entries = new Map<string, Entry>();
  private total = 0;
  private readonly inflight = new Map<string, Promise<Thumbnail | null>>();
  private loaded: Promise<void> | undefined;
  /** The last use stamped on a file (ms): each use gets a later one, so ties never blur the order. */
  private lastStamp = 0;

  constructor(options: ThumbnailCacheOptions) {
    this.dir = options.dir;
    this.maxBytes = options.maxBytes ?? defaultThumbnailCacheBytes;
  }

  /**
   * The thumbnail for `key`: from disk when this version was seen before (a "none" answer
   * included), else from `fetch`, stored, and returned. Rejects with whatever `fetch` throws
   * (nothing is stored then). Disk failures while storing are not reported (the answer is still
   * returned; the next request fetches again). Safe to repeat and to call concurrently.
   */
  async get(key: ThumbnailKey, fetch: () => Promise<Thumbnail | null>): Promise<Thumbnail | null> {
    await this.load();
    const slot = slotOf(key);
    const version = hash(key.version, 16);
    const entry = this.entries.get(slot);
    if (entry?.version === version) {
      const cached = await this.read(slot, entry);
      if (cached !== undefined) return cached;
    }
    const flight = `${slot}-${version}`;
    let pending = this.inflight.get(flight);
    if (!pending) {
      pending = fetch().then(async (answer) => {
        await this.store(slot, version, answer).catch(() => undefined);
        return answer;
      });
      const forget = () => this.inflight.delete(flight);
      pending.then(forget, forget);
      this.inflight.set(flight, pending);
    }
    return pending;
  }

  /** Bytes of thumbnails kept on disk (what the settings page shows). */
  async totalBytes(): Promise<number> {
    await this.load();
    return this.total;
  }

  /** Removes every thumbnail of an account (it was removed). Safe to repeat. */
  async forgetAccount(accountId: string): Promise<void> {
    await this.load();
    await this.removeAccountDir(hash(accountId, 32));
  }

  /** Removes the thumbnails of every account not in `accountIds` (removed while the cache was not looking). */
  async keepOnly(accountIds: Iterable<string>): Promise<void> {
    await this.load();
    const kept = new Set([...accountIds].map((id) => hash(id, 32)));
    const dirs = await fs.readdir(this.dir).catch(() => [] as string[]);
    await Promise.all(dirs.filter((dir) => !kept.has(dir)).map((dir) => this.removeAccountDir(dir)));
  }

  // ---------------------------------------------------------------------------------------------

  private async removeAccountDir(accountDir: string): Promise<void> {
    for (const [slot, entry] of this.entries) {
      if (slot.startsWith(`${accountDir}/`)) this.drop(slot, entry);
    }
    await fs.rm(path.join(this.dir, accountDir), { recursive: true, force: true });
  }

  /** The cached answer, or undefined when its file is gone or damaged (then the entry is dropped). */
  private async read(slot: string, entry: Entry): Promise<Thumbnail | null | undefined> {
    try {
      const bytes = entry.mimeType === null ? null : await fs.readFile(path.join(this.dir, entry.file));
      if (bytes !== null && bytes.length === 0) throw new Error('empty picture');
      this.entries.delete(slot);
      this.entries.set(slot, entry);
      await this.stampUse(entry.file);
      return bytes === null ? null : { mimeType: entry.mimeType!, bytes };
    } catch {
      this.drop(slot, entry);
      await fs.rm(path.join(this.dir, entry.file), { force: true });
      return undefined;
    }
  }

  private async store(slot: string, version: string, answer: Thumbnail | null): Promise<void> {
    const [accountDir, itemHash] = slot.split('/') as [string, string];
    const file = `${accountDir}/${itemHash}-${version}.${answer ? extensions[answer.mimeType] : 'none'}`;
    const target = path.join(this.dir, file);
    await fs.mkdir(path.dirname(target), { recursive: true });
    const temp = path.join(this.dir, accountDir, `${tempPrefix}${randomBytes(8).toString('hex')}`);
    try {
      await fs.writeFile(temp, answer?.bytes ?? Buffer.alloc(0));
      await fs.rename(temp, target);
      await this.stampUse(file);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
    const previous = this.entries.get(slot);
    if (previous) {
      this.drop(slot, previous);
      if (previous.file !== file) await fs.rm(path.join(this.dir, previous.file), { force: true });
    }
    const bytes = answer?.bytes.length ?? 0;
    this.entries.set(slot, { file, version, mimeType: answer?.mimeType ?? null, bytes });
    this.total += bytes;
    await this.evict();
  }

  /**
   * Records a use in the file's modification time, which orders the cache when a later process
   * loads it: strictly later than every use stamped before (two uses within one millisecond, or a
   * clock that stepped back, would otherwise tie and load in directory order). Never throws.
   */
  private async stampUse(file: string): Promise<void> {
    this.lastStamp = Math.max(Date.now(), this.lastStamp + 1);
    const stamp = new Date(this.lastStamp);
    await fs.utimes(path.join(this.dir, file), stamp, stamp).catch(() => undefined);
  }

  /** Removes the least recently used thumbnails until the total fits (the newest always stays). */
  private async evict(): Promise<void> {
    while (this.total > this.maxBytes && this.entries.size > 1) {
      const [slot, entry] = this.entries.entries().next().value as [string, Entry];
      this.drop(slot, entry);
      await fs.rm(path.join(this.dir, entry.file), { force: true });
    }
  }

  private drop(slot: string, entry: Entry): void {
    if (this.entries.get(slot) !== entry) return;
    this.entries.delete(slot);
    this.total -= entry.bytes;
  }

  /** Reads what is on disk once (left-over temporary files are removed), oldest used first. */
  private load(): Promise<void> {
    this.loaded ??= (async () => {
      await fs.mkdir(this.dir, { recursive: true });
      const found: Array<Entry & { slot: string; usedAt: number }> = [];
      for (const accountDir of await fs.readdir(this.dir)) {
        const names = await fs.readdir(path.join(this.dir, accountDir)).catch(() => [] as string[]);
        for (const name of names) {
          const file = `${accountDir}/${name}`;
          const match = fileName.exec(name);
          if (!match) {
            if (name.startsWith(tempPrefix)) await fs.rm(path.join(this.dir, file), { force: true });
            continue;
          }
          const stats = await fs.stat(path.join(this.dir, file)).catch(() => null);
          if (!stats?.isFile()) continue;
          const [, itemHash, version, extension] = match as unknown as [string, string, string, string];
          found.push({
            slot: `${accountDir}/${itemHash}`,
            file,
            version,
            mimeType: mimeTypes[extension]!,
            bytes: stats.size,
            usedAt: stats.mtimeMs,
          });
        }
      }
      found.sort((a, b) => a.usedAt - b.usedAt);
      this.lastStamp = Math.max(this.lastStamp, Math.ceil(found.at(-1)?.usedAt ?? 0));
      for (const { slot, file, version, mimeType, bytes } of found) {
        const previous = this.entries.get(slot);
        if (previous) {
          // Two versions of one item (a crash between storing one and removing the other): the
          // one used last stays.
          this.drop(slot, previous);
          await fs.rm(path.join(this.dir, previous.file), { force: true });
        }
        this.entries.set(slot, { file, version, mimeType, bytes });
        this.total += bytes;
      }
    })();
    return this.loaded;
  }
}

/** `<account hash>/<item and size hash>`: where an item's thumbnail of one size lives. */
function slotOf(key: ThumbnailKey): string {
  return `${hash(key.accountId, 32)}/${hash(`${key.itemId}\u0000${key.size}`, 32)}`;
}

function hash(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}
