/**
 * The breadcrumb trail of a pane (pure builders): one crumb per folder from the top down to where
 * the pane is, each able to list the folders inside it for its dropdown; the rule that folds a long
 * trail's middle into "…"; and the keys of a crumb's menu.
 */
import type { SkyfoldApi } from '../../../common/contract';
import type { AccountDto, ItemDto } from '../../../common/dto';
import { nameKey } from '../../../common/name-encoding';
import type { FolderTarget } from './drag-drop';
import { mergedPath, mergedSegments, type PaneLocation } from './pane-location';
import { listMergedSubfolders, listSubfolders } from './tree';

/** A folder in a crumb's dropdown. */
export interface CrumbChild {
  label: string;
  location: PaneLocation;
  /** The folder is the next crumb (on the way to where the pane is). */
  onPath: boolean;
}

export interface CrumbModel {
  label: string;
  location: PaneLocation;
  /** The crumb of where the pane is (the last one). */
  current: boolean;
  /** The folder a drop on the crumb lands in; null where there is no single folder (merged view). */
  dropTarget: FolderTarget | null;
  /** The folders inside this crumb's folder, for its dropdown, by name (at most `treeLevelLimit`). */
  children: () => Promise<CrumbChild[]>;
}

/**
 * The trail from an account's root to `folder` (listFolder's folder and `ancestors`, root first). The
 * root is labelled with the account's name (a root's own name is often empty or a machine path).
 */
export function accountCrumbs(
  account: Pick<AccountDto, 'id' | 'name'>,
  folder: ItemDto,
  ancestors: readonly ItemDto[],
  api: Pick<SkyfoldApi, 'listFolder'>,
): CrumbModel[] {
  const trail = [...ancestors, folder];
  return trail.map((item, index) => {
    const root = index === 0 || item.parentId === null;
    const next = trail[index + 1];
    return {
      label: root ? account.name : item.name,
      location: { view: 'folder', accountId: account.id, folderId: root ? null : item.id },
      current: index === trail.length - 1,
      dropTarget: { accountId: account.id, folderId: item.id },
      children: async () => {
        const { folders } = await listSubfolders(api, account.id, item.id);
        return folders.map((child) => ({
          label: child.name,
          location: { view: 'folder', accountId: account.id, folderId: child.targetId ?? child.id },
          onPath: next !== undefined && (child.id === next.id || child.targetId === next.id),
        }));
      },
    };
  });
}

/** The trail of the merged view from "All clouds" ("/") down to `path`. */
export function mergedCrumbs(path: string, api: Pick<SkyfoldApi, 'listMerged'>): CrumbModel[] {
  const segments = mergedSegments(path);
  const trail = [null, ...segments];
  return trail.map((segment, index) => {
    const here = segments.slice(0, index);
    const next = segments[index];
    return {
      label: segment ?? 'All clouds',
      location: { view: 'merged', path: mergedPath(here) },
      current: index === trail.length - 1,
      dropTarget: null,
      children: async () => {
        const { folders } = await listMergedSubfolders(api, mergedPath(here));
        return folders.map((row) => ({
          label: row.name,
          location: { view: 'merged', path: mergedPath([...here, row.name]) },
          onPath: next !== undefined && nameKey(row.name, true) === nameKey(next, true),
        }));
      },
    };
  });
}

/** A place in the shown trail: a crumb, or the "…" that stands for the crumbs folded away. */
export type CrumbSlot<T> = { kind: 'crumb'; crumb: T } | { kind: 'overflow'; hidden: readonly T[] };

/** The most crumbs shown before the middle ones fold into "…". */
export const maxShownCrumbs = 7;

/**
 * The trail as shown: whole up to `max` crumbs; longer, the first crumb, "…" for the middle, and the
 * last `max - 2` crumbs (so `max` places in all, the current crumb and its parents kept in view).
 */
export function collapseCrumbs<T>(crumbs: readonly T[], max = maxShownCrumbs): CrumbSlot<T>[] {
  const whole = crumbs.map((crumb): CrumbSlot<T> => ({ kind: 'crumb', crumb }));
  if (crumbs.length <= max) return whole;
  const tail = Math.max(1, max - 2);
  return [
    whole[0]!,
    { kind: 'overflow', hidden: crumbs.slice(1, crumbs.length - tail) },
    ...whole.slice(crumbs.length - tail),
  ];
}

/** What a key press in an open menu of `count` items does, `focused` being the item with focus. */
export type MenuCommand =
  | { type: 'focus'; index: number }
  | { type: 'activate'; index: number }
  /** Escape: close and give focus back to the button that opened the menu. */
  | { type: 'close' };

/** Arrows move (wrapping around), Home/End go to the ends, Enter and Space activate, Escape closes. */
export function menuKeyCommand(count: number, focused: number, key: string): MenuCommand | null {
  if (key === 'Escape') return { type: 'close' };
  if (count === 0) return null;
  switch (key) {
    case 'ArrowDown':
      return { type: 'focus', index: focused < 0 ? 0 : (focused + 1) % count };
    case 'ArrowUp':
      return { type: 'focus', index: focused < 0 ? count - 1 : (focused - 1 + count) % count };
    case 'Home':
      return { type: 'focus', index: 0 };
    case 'End':
      return { type: 'focus', index: count - 1 };
    case 'Enter':
    case ' ':
      return focused < 0 ? null : { type: 'activate', index: focused };
    default:
      return null;
  }
}

/** The item a menu focuses when it opens: the one on the path, else the first (`fromEnd`: the last). */
export function initialMenuIndex(items: ReadonlyArray<{ onPath?: boolean }>, fromEnd: boolean): number {
  if (items.length === 0) return -1;
  const onPath = items.findIndex((item) => item.onPath === true);
  if (onPath !== -1) return onPath;
  return fromEnd ? items.length - 1 : 0;
}
