/**
 * Applies a change feed's batches to the index. One ChangeApplier serves one sync run (all the
 * batches from one cursor until the feed is caught up):
 *
 * - `upsert` writes the item as it is now: a move or rename is its new parent and name, and the
 *   items below a moved folder follow it (they name their parent by id). The last entry for an id
 *   wins, so feeds that report latest states more than once (Graph) need nothing special.
 * - `remove` deletes the item with everything below it; `removePath` first finds the item by names
 *   from the root (case-insensitively where the provider's names are). Both are no-ops when nothing
 *   is there, so repeated or late removals are harmless (Dropbox reports a move as a removal at the
 *   old path and the item at the new one, in that order: the removal takes the subtree away and the
 *   upserts that follow bring it back, with the same ids, at the new place).
 * - At the end of the run (`finish`), where the provider's names are unique in a folder, an item
 *   upserted in the run replaces any other item of the same name in its folder that the run did not
 *   upsert (a path-addressed feed reports a file deleted and created again as the new item only);
 *   items of the same name that were all upserted in the run are kept (a swap of two names arrives
 *   as two latest states). Then upserted items whose parent is not in the index are dropped: items
 *   outside the account's tree (Drive: files shared with the user, whose parent the user cannot
 *   see). Doing both at the end, not per batch, lets a feed report a child before its folder or one
 *   half of a swap in one batch and the other half in the next.
 *
 * Every batch commits with the cursor after it (the caller's `commit` callback runs inside the same
 * transaction), so a crash never applies a batch twice in a way that matters and never skips one.
 */
import type { ItemStore } from '../index/item-store';
import type { ProviderChange, ProviderFeatures, ProviderItem } from '../providers/types';

export interface ApplyRules {
  rootId: string;
  caseInsensitive: ProviderFeatures['caseInsensitive'];
  duplicateNamesAllowed: ProviderFeatures['duplicateNamesAllowed'];
}

export class ChangeApplier {
  /** Ids upserted during this run, by parent: the candidates for the end-of-run checks. */
  private readonly upserted = new Map<string, Set<string>>();
  private changeCount = 0;

  constructor(
    private readonly accountId: string,
    private readonly items: ItemStore,
    private readonly generation: number,
    private readonly rules: ApplyRules,
    /**
     * Whether `finish` will run: a crawl's parts (whose sweep does the same work for the whole
     * account at once) pass false, and nothing is remembered per item.
     */
    private readonly endOfRunChecks = true,
  ) {}

  /** Changes applied so far. */
  get applied(): number {
    return this.changeCount;
  }

  /** Applies one batch and runs `commit` (e.g. saving the cursor) in the same transaction. */
  applyBatch(changes: readonly ProviderChange[], commit: () => void): void {
    this.items.transaction(() => {
      // Consecutive upserts are written together (one statement loop, no savepoint per item).
      let upserts: ProviderItem[] = [];
      const flush = () => {
        if (upserts.length > 0) this.upsert(upserts);
        upserts = [];
      };
      for (const change of changes) {
        if (change.kind === 'upsert') {
          if (change.item.id !== this.rules.rootId) upserts.push(change.item);
          continue;
        }
        flush();
        const id = change.kind === 'remove' ? change.id : this.resolvePath(change.path);
        if (id !== null && id !== this.rules.rootId) this.items.deleteSubtree(this.accountId, id);
      }
      flush();
      commit();
    });
    this.changeCount += changes.length;
  }

  /**
   * The end-of-run checks (namesakes replaced, strays dropped), in one transaction with `commit`.
   * Returns the number of items they removed.
   */
  finish(commit: () => void): number {
    return this.items.transaction(() => {
      let removed = 0;
      if (!this.rules.duplicateNamesAllowed) removed += this.replaceNamesakes();
      removed += this.dropStrays();
      commit();
      return removed;
    });
  }

  private upsert(items: readonly ProviderItem[]): void {
    this.items.upsert(this.accountId, items, this.generation);
    if (!this.endOfRunChecks) return;
    for (const item of items) {
      if (item.parentId === null) continue;
      let siblings = this.upserted.get(item.parentId);
      if (!siblings) this.upserted.set(item.parentId, (siblings = new Set()));
      siblings.add(item.id);
    }
  }

  /** The id of the item at `path` (names from the root), or null when the index has nothing there. */
  private resolvePath(path: readonly string[]): string | null {
    let current = this.rules.rootId;
    for (const name of path) {
      const [first] = this.items.namesakes(this.accountId, current, name, this.rules.caseInsensitive);
      if (first === undefined) return null;
      current = first;
    }
    return current;
  }

  private replaceNamesakes(): number {
    let removed = 0;
    for (const [parentId, ids] of this.upserted) {
      for (const id of ids) {
        const item = this.items.get(this.accountId, id);
        // Moved on again later in the run: its final parent's entry covers it.
        if (!item || item.parentId !== parentId) continue;
        for (const other of this.items.namesakes(
          this.accountId,
          parentId,
          item.name,
          this.rules.caseInsensitive,
        )) {
          if (!ids.has(other)) removed += this.items.deleteSubtree(this.accountId, other);
        }
      }
    }
    return removed;
  }

  private dropStrays(): number {
    let removed = 0;
    for (const [parentId, ids] of this.upserted) {
      if (this.items.has(this.accountId, parentId)) continue;
      for (const id of ids) {
        const item = this.items.get(this.accountId, id);
        if (item && item.parentId === parentId) removed += this.items.deleteSubtree(this.accountId, id);
      }
    }
    return removed;
  }
}
