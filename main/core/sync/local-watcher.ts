/**
 * Watches a local account's folder for changes and reports, after a quiet moment, which folders'
 * content changed, as the local provider's ids (`/`-separated paths relative to the root; "" is the
 * root). A changed entry is reported as its parent folder, which covers creations, deletions and
 * renames (a folder that appears is then read whole by refresh-folders.ts).
 *
 * Built on @parcel/watcher (VS Code's watcher): inotify per folder on Linux, FSEvents on macOS,
 * ReadDirectoryChangesW on Windows, in native code. Node's own `fs.watch({recursive: true})` on
 * Linux stats and remembers every file in JavaScript: on the 103,000-entry demo folder it took 9.4 s
 * and 245 MB to start, against 2.0 s (off the main thread) and 30 MB here.
 */
import watcher from '@parcel/watcher';
import * as path from 'node:path';

export interface LocalWatchOptions {
  /** Quiet time after the last event before reporting. */
  debounceMs?: number;
}

/** What a watcher reports: the changed folders, or `everything` when it cannot tell (then crawl). */
export type LocalChange = { folders: string[] } | { everything: true };

export class LocalWatcher {
  private readonly dirty = new Set<string>();
  private everything = false;
  private timer: NodeJS.Timeout | undefined;
  private subscription: watcher.AsyncSubscription | undefined;
  private closed = false;

  private constructor(
    private readonly rootPath: string,
    private readonly onChange: (change: LocalChange) => void,
    private readonly options: LocalWatchOptions,
  ) {}

  /**
   * Starts watching `rootPath`. `onChange` gets each debounced set of changes; a watcher error (events
   * lost, the folder gone) is reported as `everything`. Throws when the folder cannot be watched.
   */
  static async start(
    rootPath: string,
    onChange: (change: LocalChange) => void,
    options: LocalWatchOptions = {},
  ): Promise<LocalWatcher> {
    const local = new LocalWatcher(rootPath, onChange, options);
    local.subscription = await watcher.subscribe(rootPath, (error, events) => {
      if (error) local.everything = true;
      for (const event of events) local.dirty.add(local.parentIdOf(event.path));
      local.schedule();
    });
    return local;
  }

  /** Stops watching. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    await this.subscription?.unsubscribe();
  }

  private parentIdOf(absolute: string): string {
    const relative = path.relative(this.rootPath, absolute).split(path.sep).join('/');
    return localParentId(relative);
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const change: LocalChange = this.everything ? { everything: true } : { folders: [...this.dirty] };
      this.dirty.clear();
      this.everything = false;
      if (!this.closed) this.onChange(change);
    }, this.options.debounceMs ?? 200);
    this.timer.unref();
  }
}

/** The local id of the folder holding the item with local id `id` ("" for the root's children). */
export function localParentId(id: string): string {
  const slash = id.lastIndexOf('/');
  return slash < 0 ? '' : id.slice(0, slash);
}
