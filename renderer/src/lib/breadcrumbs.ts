/** Breadcrumbs and "up" for the folder being shown (pure). */
import type { ItemDto } from '../../../common/dto';

export interface Crumb {
  /** The folder's item id (the account's root id for the first crumb). */
  id: string;
  label: string;
  /** The folder being shown (the last crumb). */
  current: boolean;
}

/**
 * The trail from the account's root to `folder`. The root is labelled with the account's name (a root
 * folder's own name is often empty or a machine path). `ancestors` are root first, as listFolder gives them.
 */
export function buildBreadcrumbs(
  accountName: string,
  folder: ItemDto,
  ancestors: readonly ItemDto[],
): Crumb[] {
  const trail = [...ancestors, folder];
  return trail.map((item, index) => ({
    id: item.id,
    label: index === 0 || item.parentId === null ? accountName : item.name,
    current: index === trail.length - 1,
  }));
}

/** Where "Go up" leads: the parent folder's id, or null at the root. */
export function parentFolderId(folder: ItemDto | undefined): string | null {
  return folder?.parentId ?? null;
}
