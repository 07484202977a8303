/**
 * The rows an explorer pane shows, whatever feeds it (one account's folder, the merged view): each row
 * stands for one item, or for a folder name several accounts share (pure). Rows and selections are
 * named by stable keys built from account and item ids, never by object references.
 */
import type { ItemDto, ItemKind, MergedRowDto } from '../../../common/dto';

export interface Row {
  /** Stable: the same items give the same key on every page and after every reload. */
  key: string;
  name: string;
  kind: ItemKind;
  /** Bytes; null for folders. */
  size: number | null;
  /** The newest modification among the row's items. */
  modifiedAt: number | null;
  mimeType: string | null;
  /** What the row stands for: one item, or each account's folder of a merged folder row. */
  items: readonly ItemDto[];
}

export interface ItemRef {
  accountId: string;
  itemId: string;
}

const fieldSeparator = '\u0000';
const itemSeparator = '\u0001';

/** The key of one item (account id and item id cannot contain NUL: the index refuses them). */
export function itemKey(ref: { accountId: string; id: string }): string {
  return `${ref.accountId}${fieldSeparator}${ref.id}`;
}

export function rowOfItem(item: ItemDto): Row {
  return {
    key: itemKey(item),
    name: item.name,
    kind: item.kind,
    size: item.kind === 'folder' ? null : item.size,
    modifiedAt: item.modifiedAt,
    mimeType: item.mimeType,
    items: [item],
  };
}

export function rowOfMerged(row: MergedRowDto): Row {
  const first = row.items[0]!;
  const times = row.items.map((item) => item.modifiedAt).filter((time): time is number => time !== null);
  return {
    key: row.items.map(itemKey).join(itemSeparator),
    name: row.name,
    kind: row.kind,
    size: row.kind === 'folder' ? null : first.size,
    modifiedAt: times.length === 0 ? null : Math.max(...times),
    mimeType: first.mimeType,
    items: row.items,
  };
}

/** The items a row key stands for (a merged folder row: several). Keys not made by this module give []. */
export function refsOfKey(key: string): ItemRef[] {
  const refs: ItemRef[] = [];
  for (const part of key.split(itemSeparator)) {
    const at = part.indexOf(fieldSeparator);
    if (at <= 0 || at === part.length - 1) return [];
    refs.push({ accountId: part.slice(0, at), itemId: part.slice(at + 1) });
  }
  return refs;
}

/** Item refs grouped by account, in first-seen order, each id once: one call per account. */
export function groupByAccount(refs: readonly ItemRef[]): Array<{ accountId: string; itemIds: string[] }> {
  const groups = new Map<string, Set<string>>();
  for (const ref of refs) {
    let ids = groups.get(ref.accountId);
    if (!ids) groups.set(ref.accountId, (ids = new Set()));
    ids.add(ref.itemId);
  }
  return [...groups].map(([accountId, ids]) => ({ accountId, itemIds: [...ids] }));
}
