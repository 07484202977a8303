/**
 * Graph v1.0 driveItem facts (https://learn.microsoft.com/graph/api/resources/driveitem): how a
 * driveItem maps onto a ProviderItem, checked as it arrives.
 *
 * - Items are named by Graph's ids (opaque strings, stable across renames and moves); the root folder
 *   has a real id too (looked up once at connect) and the `root` facet.
 * - A driveItem is a file (`file` facet: `mimeType`, `hashes.quickXorHash`), a folder (`folder`), or a
 *   package (`package`: OneNote notebooks, folder-like: listed as folders); deleted items (delta only)
 *   carry `deleted`. Items with none of these (e.g. shared items added from another drive, which
 *   this provider does not follow) are listed as files without a hash.
 * - The parent is `parentReference.id` (the root's has none); times are `fileSystemInfo`'s (what the
 *   uploader set, as rclone reads them), else the item's own.
 */
import { SkyfoldError } from '../../../../common/errors';
import type { ProviderItem } from '../types';

/** The driveItem properties the provider reads: what `$select` asks for. */
export const itemFields = [
  'id',
  'name',
  'size',
  'lastModifiedDateTime',
  'fileSystemInfo',
  'parentReference',
  'file',
  'folder',
  'package',
  'root',
  'deleted',
].join(',');

export interface DriveItem {
  id: string;
  name?: string;
  size?: number;
  lastModifiedDateTime?: string;
  fileSystemInfo?: { lastModifiedDateTime?: string; createdDateTime?: string };
  parentReference?: { id?: string; driveId?: string; path?: string };
  file?: { mimeType?: string; hashes?: { quickXorHash?: string } };
  folder?: { childCount?: number };
  package?: { type?: string };
  root?: object;
  deleted?: { state?: string };
}

/** Checks that a value is a JSON object (a malformed answer is never guessed at). */
export function expectObject(value: unknown, what: string): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new SkyfoldError('permanent', `OneDrive sent a malformed answer for ${what}`);
  }
  return value as Record<string, unknown>;
}

/**
 * Checks that an answer is a driveItem (an object with a string id; a name unless deleted; facets and
 * sizes of the right types) and returns it typed. Throws permanent on anything else.
 */
export function readItem(value: unknown, what = 'an item'): DriveItem {
  const item = expectObject(value, what);
  const malformed = () => new SkyfoldError('permanent', `OneDrive sent malformed metadata for ${what}`);
  if (typeof item.id !== 'string' || item.id.length === 0) throw malformed();
  if (item.deleted === undefined && typeof item.name !== 'string') throw malformed();
  if (item.size !== undefined && (!Number.isSafeInteger(item.size) || (item.size as number) < 0)) {
    throw malformed();
  }
  for (const facet of ['file', 'folder', 'package', 'root', 'deleted', 'parentReference', 'fileSystemInfo']) {
    const value = item[facet];
    if (value !== undefined && value !== null && (typeof value !== 'object' || Array.isArray(value))) {
      throw malformed();
    }
  }
  return item as unknown as DriveItem;
}

/** Whether the item is a folder (or a folder-like package). */
export function isFolder(item: DriveItem): boolean {
  return Boolean(item.folder || item.package || item.root);
}

/** The item's QuickXorHash, when Graph reported one. */
export function quickXorOf(item: DriveItem): string | undefined {
  const hash = item.file?.hashes?.quickXorHash;
  return typeof hash === 'string' && hash.length > 0 ? hash : undefined;
}

/** The item's modification time in epoch ms (fileSystemInfo's, else the item's), null when absent or unreadable. */
export function modifiedAtOf(item: DriveItem): number | null {
  const text = item.fileSystemInfo?.lastModifiedDateTime ?? item.lastModifiedDateTime;
  const time = typeof text === 'string' ? Date.parse(text) : NaN;
  return Number.isNaN(time) ? null : time;
}

/** The id of the item's parent folder (undefined for the root or when Graph did not say). */
export function parentIdOf(item: DriveItem): string | undefined {
  const id = item.parentReference?.id;
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}

/** The root folder as an item. */
export function rootItem(rootId: string, item?: DriveItem): ProviderItem {
  return {
    id: rootId,
    parentId: null,
    name: 'OneDrive',
    kind: 'folder',
    size: null,
    modifiedAt: item ? modifiedAtOf(item) : null,
    mimeType: null,
    targetId: null,
    hashes: {},
  };
}

/**
 * Maps a driveItem to a ProviderItem. `parentId`: the parent's id when the caller knows it better
 * than the item says (a listing), else `parentReference.id`. The root (its id, or the `root` facet)
 * becomes the root item. Throws permanent for a deleted item or one without a parent.
 */
export function toProviderItem(item: DriveItem, rootId: string, parentId?: string): ProviderItem {
  if (item.id === rootId || item.root) return rootItem(rootId, item);
  if (item.deleted) throw new SkyfoldError('permanent', `OneDrive sent the deleted item ${item.id} as live`);
  const parent = parentId ?? parentIdOf(item);
  if (parent === undefined) {
    throw new SkyfoldError('permanent', `OneDrive did not say where "${item.name}" is`);
  }
  const base = { id: item.id, parentId: parent, name: item.name!, targetId: null };
  if (isFolder(item)) {
    return {
      ...base,
      kind: 'folder',
      size: null,
      modifiedAt: modifiedAtOf(item),
      mimeType: null,
      hashes: {},
    };
  }
  const quickXor = quickXorOf(item);
  return {
    ...base,
    kind: 'file',
    size: item.size ?? 0,
    modifiedAt: modifiedAtOf(item),
    mimeType: typeof item.file?.mimeType === 'string' ? item.file.mimeType : null,
    hashes: quickXor === undefined ? {} : { quickxor: quickXor },
  };
}

/** A `fileSystemInfo.lastModifiedDateTime` value: UTC ISO 8601, whole seconds (Graph keeps no more). */
export function graphTime(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
