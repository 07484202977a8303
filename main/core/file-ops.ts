/**
 * The file operations of the browser: create a folder, rename, trash and restore (undo). Each one
 * asks the account's provider, then writes the outcome into the index at once (as the sync code
 * does: items upserted with the account's crawl generation, removed subtrees deleted) and reports
 * the account changed, so that the UI shows it without waiting for the next sync.
 *
 * Path-addressed providers (local folders) give an item a new id when it is renamed: the old rows
 * go, and a renamed folder's content is listed again under its new ids. A restored folder's content
 * is listed too (trash removed it from the index).
 */
import type { ItemDto, TrashedItemDto } from '../../common/dto';
import { SkyfoldError } from '../../common/errors';
import type { Provider, ProviderItem } from './providers/types';
import type { SyncStores } from './sync/account-sync';
import { refreshFolders } from './sync/refresh-folders';

export interface FileOpsDeps {
  /** The index and the accounts' crawl generations. */
  stores: SyncStores;
  /** The account's provider. Throws not_found for an unknown account. */
  provider: (accountId: string) => Promise<Provider>;
  /** Called once per account whose index rows an operation changed (the service emits `index-changed`). */
  changed: (accountId: string) => void;
}

export interface ItemRef {
  accountId: string;
  itemId: string;
}

/** Provider kinds whose `restore` refuses folders (Dropbox's API restores files only). */
const filesOnlyRestoreKinds: ReadonlySet<string> = new Set(['dropbox']);

export class FileOps {
  constructor(private readonly deps: FileOpsDeps) {}

  /**
   * Creates `name` in `parentId` (`conflict: 'fail'`) and indexes it. Not idempotent. Throws
   * not_found (account, parent), conflict (name taken), invalid_argument (name refused: the
   * provider's reason).
   */
  async createFolder(accountId: string, parentId: string, name: string): Promise<ItemDto> {
    const provider = await this.deps.provider(accountId);
    checkName(provider, name);
    const folder = await provider.mkdir(parentId, name, { conflict: 'fail' });
    return this.changing([accountId], () => this.reindex(accountId, provider, folder.id, folder, false));
  }

  /**
   * Renames an item in its folder (`conflict: 'fail'`) and indexes it; the same name as the index
   * knows changes nothing. Throws not_found, conflict, invalid_argument (name refused, the root).
   */
  async rename(accountId: string, itemId: string, name: string): Promise<ItemDto> {
    const provider = await this.deps.provider(accountId);
    const known = this.deps.stores.items.get(accountId, itemId);
    if (this.isRoot(provider, itemId, known)) {
      throw new SkyfoldError('invalid_argument', 'the root folder cannot be renamed');
    }
    checkName(provider, name);
    if (known?.name === name) return known;
    const renamed = await provider.move(itemId, { name, conflict: 'fail' });
    const relist = renamed.id !== itemId && renamed.kind === 'folder';
    return this.changing([accountId], () => this.reindex(accountId, provider, itemId, renamed, relist));
  }

  /**
   * Trashes items (of any accounts), in order, and removes them from the index. An item inside
   * another item of the list goes with it (reported once, as that item); an item already gone
   * (not_found) counts as trashed, not restorable. Throws not_found (an account) and
   * invalid_argument (a root) before trashing anything; a provider's error part way is rethrown
   * with its code, saying how many items were trashed before it (they stay trashed).
   */
  async trash(refs: readonly ItemRef[]): Promise<{ trashed: TrashedItemDto[] }> {
    const targets = await this.withProviders(refs);
    for (const { ref, provider } of targets) {
      if (this.isRoot(provider, ref.itemId, this.deps.stores.items.get(ref.accountId, ref.itemId))) {
        throw new SkyfoldError('invalid_argument', 'the root folder cannot be trashed');
      }
    }
    const tops = targets.filter(({ ref }) => !this.insideAnother(ref, refs));
    const trashed: TrashedItemDto[] = [];
    await this.changing(accounts(refs), async () => {
      for (const { ref, provider } of tops) {
        try {
          trashed.push(await this.trashOne(ref, provider));
        } catch (error) {
          throw partWay(error, trashed.length, tops.length, 'trashed');
        }
      }
    });
    return { trashed };
  }

  /**
   * Restores items trashed by `trash`, in order, and indexes them (a folder with its content).
   * Throws not_found (an account; an item no longer in the trash), conflict (its name was taken),
   * permanent (the provider cannot restore it: the message says where to); an error part way says
   * how many items were restored before it (they stay restored). Safe to repeat.
   */
  async restore(refs: readonly ItemRef[]): Promise<{ restored: ItemDto[] }> {
    const targets = await this.withProviders(refs);
    const restored: ItemDto[] = [];
    await this.changing(accounts(refs), async () => {
      for (const { ref, provider } of targets) {
        try {
          restored.push(await this.restoreOne(ref, provider));
        } catch (error) {
          throw partWay(error, restored.length, refs.length, 'restored');
        }
      }
    });
    return { restored };
  }

  // ---------------------------------------------------------------------------------------------

  private async trashOne({ accountId, itemId }: ItemRef, provider: Provider): Promise<TrashedItemDto> {
    const item = this.deps.stores.items.get(accountId, itemId) ?? (await statOrNull(provider, itemId));
    let gone = item === null;
    if (!gone) {
      try {
        await provider.trash(itemId);
      } catch (error) {
        if (!isNotFound(error)) throw error;
        gone = true;
      }
    }
    this.deps.stores.items.deleteSubtree(accountId, itemId);
    const restorable =
      !gone &&
      provider.restore !== undefined &&
      !(item?.kind === 'folder' && filesOnlyRestoreKinds.has(provider.kind));
    return { accountId, itemId, name: item?.name ?? itemId, restorable };
  }

  private async restoreOne({ accountId, itemId }: ItemRef, provider: Provider): Promise<ItemDto> {
    if (!provider.restore) {
      throw new SkyfoldError(
        'permanent',
        `Skyfold cannot restore ${provider.kind} items: restore it in the provider's own trash`,
      );
    }
    const item = await provider.restore(itemId);
    return this.reindex(accountId, provider, itemId, item, item.kind === 'folder');
  }

  /**
   * Writes `item` (formerly `oldId`) into the index: the old rows go when its id changed; with
   * `relist`, the folder's content is listed into the index too.
   */
  private async reindex(
    accountId: string,
    provider: Provider,
    oldId: string,
    item: ProviderItem,
    relist: boolean,
  ): Promise<ItemDto> {
    const { items, syncState } = this.deps.stores;
    items.transaction(() => {
      if (item.id !== oldId) items.deleteSubtree(accountId, oldId);
      items.upsert(accountId, [item], syncState.get(accountId).crawlGeneration);
    });
    if (relist) await refreshFolders(accountId, provider, this.deps.stores, [item.id]);
    return toItemDto(accountId, item);
  }

  /** Runs `work`, then reports each of `accountIds` changed (also when `work` failed part way). */
  private async changing<T>(accountIds: Iterable<string>, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } finally {
      for (const accountId of new Set(accountIds)) this.deps.changed(accountId);
    }
  }

  /** Each ref with its account's provider (asked once per account). Throws not_found for an unknown account. */
  private async withProviders(
    refs: readonly ItemRef[],
  ): Promise<Array<{ ref: ItemRef; provider: Provider }>> {
    const providers = new Map<string, Provider>();
    const targets: Array<{ ref: ItemRef; provider: Provider }> = [];
    for (const ref of refs) {
      let provider = providers.get(ref.accountId);
      if (!provider) providers.set(ref.accountId, (provider = await this.deps.provider(ref.accountId)));
      targets.push({ ref, provider });
    }
    return targets;
  }

  private isRoot(provider: Provider, itemId: string, known: ItemDto | undefined): boolean {
    return itemId === provider.rootId || known?.parentId === null;
  }

  /** Whether the index places `ref` below another item of `refs` (of its account). */
  private insideAnother(ref: ItemRef, refs: readonly ItemRef[]): boolean {
    const item = this.deps.stores.items.get(ref.accountId, ref.itemId);
    if (!item) return false;
    const listed = new Set(
      refs.filter((other) => other.accountId === ref.accountId).map((other) => other.itemId),
    );
    return this.deps.stores.items.ancestors(ref.accountId, item).some((ancestor) => listed.has(ancestor.id));
  }
}

/** Throws invalid_argument with the provider's reason when it refuses `name`. */
function checkName(provider: Provider, name: string): void {
  const problem = provider.nameProblem(name);
  if (problem !== null) throw new SkyfoldError('invalid_argument', `cannot use "${name}": ${problem}`);
}

function accounts(refs: readonly ItemRef[]): Set<string> {
  return new Set(refs.map((ref) => ref.accountId));
}

function isNotFound(error: unknown): boolean {
  return error instanceof SkyfoldError && error.code === 'not_found';
}

async function statOrNull(provider: Provider, itemId: string): Promise<ProviderItem | null> {
  try {
    return await provider.stat(itemId);
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/** `error` as thrown after `done` of `total` items were done (its code kept); as it is when none were. */
function partWay(error: unknown, done: number, total: number, verb: string): unknown {
  if (done === 0) return error;
  const code = error instanceof SkyfoldError ? error.code : 'permanent';
  const message = error instanceof Error ? error.message : String(error);
  return new SkyfoldError(code, `${done} of ${total} items were ${verb}, then: ${message}`, { cause: error });
}

function toItemDto(accountId: string, item: ProviderItem): ItemDto {
  return {
    accountId,
    id: item.id,
    parentId: item.parentId,
    name: item.name,
    kind: item.kind,
    size: item.size,
    modifiedAt: item.modifiedAt,
    mimeType: item.mimeType,
    targetId: item.targetId,
  };
}
