/**
 * Drop rules (pure): what a drag carries, whether a place accepts it, and whether it copies or moves.
 * Items dragged inside the app travel as `application/x-skyfold-items` (JSON `{accountId, itemIds}`,
 * plus the folder they came from); files from the desktop as the browser's `Files`.
 */
import type { TransferOpDto } from '../../../common/transfers';

export const itemsMimeType = 'application/x-skyfold-items';

export interface DraggedItems {
  accountId: string;
  itemIds: string[];
  /** The folder the items were dragged from (to refuse dropping them back there), when known. */
  parentId?: string | null;
}

/** A folder things can be dropped into. */
export interface FolderTarget {
  accountId: string;
  folderId: string;
}

export function encodeDraggedItems(items: DraggedItems): string {
  return JSON.stringify(items);
}

/** The items of a drag's `application/x-skyfold-items` text, or null when it is not that. */
export function decodeDraggedItems(text: string | null | undefined): DraggedItems | null {
  if (!text) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const candidate = value as Record<string, unknown>;
  const { accountId, itemIds, parentId } = candidate;
  if (typeof accountId !== 'string' || accountId === '') return null;
  if (!Array.isArray(itemIds) || itemIds.length === 0) return null;
  if (!itemIds.every((id): id is string => typeof id === 'string' && id !== '')) return null;
  const items: DraggedItems = { accountId, itemIds };
  if (typeof parentId === 'string' || parentId === null) items.parentId = parentId;
  return items;
}

export type DragKind = 'items' | 'files' | null;

/** What a drag carries, from its types alone (all a page may read before the drop). */
export function dragKind(types: readonly string[] | null | undefined): DragKind {
  if (!types) return null;
  if (types.includes(itemsMimeType)) return 'items';
  if (types.includes('Files')) return 'files';
  return null;
}

export interface Modifiers {
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
}

/** Whether the browser runs on macOS (Option, not Ctrl, forces a copy there; Cmd, not Ctrl, is the shortcut key). */
export function isMacPlatform(platform: string | undefined): boolean {
  return /mac|iphone|ipad|ipod/i.test(platform ?? '');
}

/**
 * Copy or move: within one account a move, across accounts a copy, like file managers. Shift forces a
 * move; Ctrl (Windows, Linux) or Option (macOS) forces a copy.
 */
export function dropOperation(
  sourceAccountId: string,
  targetAccountId: string,
  modifiers: Modifiers,
  mac: boolean,
): TransferOpDto {
  if (mac ? modifiers.altKey : modifiers.ctrlKey) return 'copy';
  if (modifiers.shiftKey) return 'move';
  return sourceAccountId === targetAccountId ? 'move' : 'copy';
}

/**
 * Whether `items` may be dropped into `target`: never into one of the dragged folders itself, and not
 * back into the folder they came from (nothing would change).
 */
export function canDropItems(items: DraggedItems, target: FolderTarget): boolean {
  if (items.accountId !== target.accountId) return true;
  if (items.itemIds.includes(target.folderId)) return false;
  if (items.parentId !== undefined && items.parentId === target.folderId) return false;
  return true;
}

/**
 * Local paths (dropped from the desktop) by the folder they are in: startTransfer takes one parent
 * at a time. Works with `/` and `\` separators; the order of first appearance is kept.
 */
export function groupPathsByParent(paths: readonly string[]): Array<{ parent: string; paths: string[] }> {
  const groups = new Map<string, string[]>();
  for (const path of paths) {
    if (path === '') continue;
    const trimmed = path.length > 1 ? path.replace(/[\\/]+$/, '') : path;
    const cut = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
    let parent = cut <= 0 ? trimmed.slice(0, cut + 1) || '/' : trimmed.slice(0, cut);
    if (/^[A-Za-z]:$/.test(parent)) parent += '\\';
    const group = groups.get(parent);
    if (group) group.push(path);
    else groups.set(parent, [path]);
  }
  return [...groups].map(([parent, grouped]) => ({ parent, paths: grouped }));
}

/**
 * Chrome's `DownloadURL` drag data, `mime:filename:url`: dropping the row on the desktop downloads
 * the file. Colons would end the fields early, so names lose them.
 */
export function downloadUrlData(mimeType: string | null, name: string, absoluteUrl: string): string {
  const mime = mimeType && /^[\w.+-]+\/[\w.+-]+$/.test(mimeType) ? mimeType : 'application/octet-stream';
  const safeName = name.replace(/[:\r\n]/g, '_') || 'download';
  return `${mime}:${safeName}:${absoluteUrl}`;
}

export type ClipboardCommand = 'cut' | 'copy' | 'paste';

/** Ctrl (Cmd on macOS) + X, C or V, without other modifiers. */
export function clipboardCommand(event: Modifiers & { key: string }, mac: boolean): ClipboardCommand | null {
  const primary = mac ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey;
  if (!primary || event.altKey || event.shiftKey) return null;
  switch (event.key.toLowerCase()) {
    case 'x':
      return 'cut';
    case 'c':
      return 'copy';
    case 'v':
      return 'paste';
    default:
      return null;
  }
}
