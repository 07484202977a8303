/**
 * Drive v3 wire facts (https://developers.google.com/workspace/drive/api/reference/rest/v3/files):
 * the field mask the provider asks for, MIME types with special meaning, and the mapping of a Drive
 * `File` onto a ProviderItem.
 */
import type { drive_v3 } from '@googleapis/drive';
import { SkyfoldError } from '../../../../common/errors';
import type { ProviderItem } from '../types';

export const folderMimeType = 'application/vnd.google-apps.folder';
export const shortcutMimeType = 'application/vnd.google-apps.shortcut';
const googleNativePrefix = 'application/vnd.google-apps.';

/** Every File field the provider reads; `size` arrives as an int64 STRING. */
export const fileFields =
  'id,name,mimeType,parents,size,modifiedTime,md5Checksum,sha1Checksum,sha256Checksum,trashed,shortcutDetails';

/** Google Docs, Sheets, Slides, Drawings...: no bytes of their own, only exports. Folders and shortcuts excluded. */
export function isGoogleNative(mimeType: string | null | undefined): boolean {
  return (
    !!mimeType &&
    mimeType.startsWith(googleNativePrefix) &&
    mimeType !== folderMimeType &&
    mimeType !== shortcutMimeType
  );
}

/** Maps a Drive File (fetched with `fileFields`) to a ProviderItem. Throws permanent on a malformed file. */
export function toProviderItem(file: drive_v3.Schema$File, rootId: string): ProviderItem {
  if (!file.id || typeof file.name !== 'string') {
    throw new SkyfoldError('permanent', 'Google Drive sent a file without an id or a name');
  }
  // A shortcut takes its target's kind; opening a folder shortcut opens the target.
  const targetId = file.mimeType === shortcutMimeType ? (file.shortcutDetails?.targetId ?? null) : null;
  const isFolder =
    file.mimeType === folderMimeType ||
    (targetId !== null && file.shortcutDetails?.targetMimeType === folderMimeType);
  const size = file.size === undefined || file.size === null ? null : Number(file.size);
  if (size !== null && !Number.isSafeInteger(size)) {
    throw new SkyfoldError('permanent', `Google Drive sent an invalid size for ${file.id}`);
  }
  const modifiedAt = file.modifiedTime ? Date.parse(file.modifiedTime) : NaN;
  const hashes: ProviderItem['hashes'] = {};
  if (file.md5Checksum) hashes.md5 = file.md5Checksum;
  if (file.sha1Checksum) hashes.sha1 = file.sha1Checksum;
  if (file.sha256Checksum) hashes.sha256 = file.sha256Checksum;
  return {
    id: file.id,
    parentId: file.id === rootId ? null : (file.parents?.[0] ?? null),
    name: file.name,
    kind: isFolder ? 'folder' : 'file',
    size: isFolder ? null : size,
    modifiedAt: Number.isNaN(modifiedAt) ? null : modifiedAt,
    mimeType: file.mimeType ?? null,
    targetId,
    hashes,
  };
}

/** Quotes a value for the `q` query language: single quotes, with `\` and `'` escaped. */
export function quoteQ(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}
