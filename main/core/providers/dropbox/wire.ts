/**
 * Dropbox v2 wire facts (https://www.dropbox.com/developers/documentation/http/documentation):
 * how Skyfold ids map onto Dropbox paths, and how Dropbox `Metadata` maps onto a ProviderItem.
 *
 * - Items are named by Dropbox's own ids (`id:...`), which survive moves and renames. Every endpoint
 *   that reads an item accepts such an id wherever it takes a path.
 * - The root folder is the path `""` and has no id: Skyfold calls it `dropboxRootId` (`root`, which
 *   can never be a Dropbox id since those all start with `id:`) and sends `""` on the wire.
 * - New items are addressed by path (`/parent/path/name`), so a parent id is first resolved to its path.
 */
import type { files } from 'dropbox';
import { SkyfoldError } from '../../../../common/errors';
import type { ProviderItem } from '../types';

/** The root folder's id in Skyfold (Dropbox gives the root none). */
export const dropboxRootId = 'root';

export type DropboxEntry =
  files.FileMetadataReference | files.FolderMetadataReference | files.DeletedMetadataReference;

/** What Dropbox calls an item's location in requests: `""` for the root, else its `id:...`. Throws not_found for a foreign id. */
export function wirePath(id: string): string {
  if (id === dropboxRootId) return '';
  if (!id.startsWith('id:') || id.length === 3) {
    throw new SkyfoldError('not_found', `"${id}" is not a Dropbox item id`);
  }
  return id;
}

/** The path of `name` inside the folder at `folderPath` (`""` for the root). */
export function childPath(folderPath: string, name: string): string {
  return `${folderPath}/${name}`;
}

/** The parent folder's path of `path` (`/a/b` -> `/a`, `/a` -> `""`). */
export function parentPath(path: string): string {
  return path.slice(0, Math.max(0, path.lastIndexOf('/')));
}

/** The names from the root down to the item at `path` (`/a/b` -> `["a", "b"]`). */
export function pathNames(path: string): string[] {
  return path.split('/').filter((name) => name.length > 0);
}

/**
 * True when `path` is `ancestor` or lies inside it. Both are `path_lower` values (Dropbox's own case
 * folding, which JavaScript's `toLowerCase` does not always reproduce), compared exactly.
 */
export function isSameOrInside(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(`${ancestor}/`);
}

/** The root folder as an item (Dropbox has no metadata for it). */
export function rootItem(): ProviderItem {
  return {
    id: dropboxRootId,
    parentId: null,
    name: 'Dropbox',
    kind: 'folder',
    size: null,
    modifiedAt: null,
    mimeType: null,
    targetId: null,
    hashes: {},
  };
}

/**
 * Checks that an answer is a Dropbox metadata entry (a `.tag` of file, folder or deleted, and a name)
 * and returns it typed. Throws permanent on anything else: a malformed answer is never guessed at.
 */
export function readEntry(value: unknown, what = 'an item'): DropboxEntry {
  const record = value as Record<string, unknown> | null;
  const tag = record && typeof record === 'object' ? record['.tag'] : undefined;
  if ((tag !== 'file' && tag !== 'folder' && tag !== 'deleted') || typeof record?.name !== 'string') {
    throw new SkyfoldError('permanent', `Dropbox sent malformed metadata for ${what}`);
  }
  return value as DropboxEntry;
}

/**
 * Reads a FileMetadata answer (uploads, `Dropbox-API-Result` of downloads), which Dropbox sends
 * without a `.tag` since its type is not a union there. Throws permanent unless it is a file.
 */
export function readFileMetadata(value: unknown, what = 'a file'): files.FileMetadataReference {
  const entry = readEntry(value && typeof value === 'object' ? { '.tag': 'file', ...value } : value, what);
  if (entry['.tag'] !== 'file')
    throw new SkyfoldError('permanent', `Dropbox did not describe ${what} as a file`);
  return entry;
}

/** The entry's path as displayed (or lowercased when that is all Dropbox sent). Throws permanent when it has none (not mounted). */
export function entryPath(entry: DropboxEntry): string {
  const path = entry.path_display ?? entry.path_lower;
  if (typeof path !== 'string') {
    throw new SkyfoldError('permanent', `Dropbox did not say where "${entry.name}" is`);
  }
  return path;
}

/**
 * The entry's `path_lower`: its path as Dropbox folds it for comparisons (a folder's `path_lower` is
 * a prefix of its children's). Throws permanent when it has none (not mounted).
 */
export function lowerPath(entry: DropboxEntry): string {
  if (typeof entry.path_lower !== 'string') {
    throw new SkyfoldError('permanent', `Dropbox did not say where "${entry.name}" is`);
  }
  return entry.path_lower;
}

/**
 * Maps a file or folder entry to a ProviderItem under `parentId`. Times are `client_modified` (the
 * modification time the uploader set, or the upload time). Throws permanent on a deleted or
 * malformed entry.
 */
export function toProviderItem(entry: DropboxEntry, parentId: string): ProviderItem {
  if (entry['.tag'] === 'deleted' || typeof entry.id !== 'string' || !entry.id.startsWith('id:')) {
    throw new SkyfoldError('permanent', `Dropbox sent "${entry.name}" without an id`);
  }
  const base = { id: entry.id, parentId, name: entry.name, mimeType: null, targetId: null };
  if (entry['.tag'] === 'folder') {
    return { ...base, kind: 'folder', size: null, modifiedAt: null, hashes: {} };
  }
  if (!Number.isSafeInteger(entry.size) || entry.size < 0) {
    throw new SkyfoldError('permanent', `Dropbox sent an invalid size for "${entry.name}"`);
  }
  const modifiedAt = Date.parse(entry.client_modified);
  return {
    ...base,
    kind: 'file',
    size: entry.size,
    modifiedAt: Number.isNaN(modifiedAt) ? null : modifiedAt,
    hashes: typeof entry.content_hash === 'string' ? { dropbox: entry.content_hash } : {},
  };
}

/** A `client_modified` value: UTC, whole seconds (Dropbox refuses fractions), e.g. `2025-01-02T03:04:05Z`. */
export function clientModified(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * JSON for the `Dropbox-API-Arg` header: HTTP headers carry ASCII only, so every character from
 * U+007F up is escaped as `\uXXXX` (as the official SDKs do; JSON readers decode it back).
 */
export function headerSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
