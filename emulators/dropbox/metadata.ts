/**
 * The Metadata JSON Dropbox returns, fields in Dropbox's order. Where a route's result type is the
 * `Metadata` union (list_folder entries, get_metadata, delete_v2, move_v2, copy_v2) each value carries
 * `.tag` (`file`, `folder`, `deleted`); where it is a concrete struct (`FileMetadata` from upload and
 * download, `FolderMetadata` from create_folder_v2) there is no `.tag`. Times are
 * `%Y-%m-%dT%H:%M:%SZ` (no fractions); `size` is a JSON integer.
 */
import { pngSize } from '../shared/png';
import { contentHead, contentSize } from './content';
import { fold } from './paths';
import type { DropboxStore, Entry, FileEntry, FileVersion, FolderEntry, Tombstone } from './store';

/** `2025-01-15T09:30:00Z`. */
export const dropboxTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface MetadataOptions {
  /** Adds `.tag` (the value is a Metadata union member). */
  tagged: boolean;
  /** `include_has_explicit_shared_members`: files get `has_explicit_shared_members: false`. */
  sharedMembers?: boolean;
  /** `include_media_info` (get_metadata only): photos get `media_info` with their dimensions. */
  mediaInfo?: boolean;
}

export function fileMetadata(
  store: DropboxStore,
  file: FileEntry | FileVersion,
  options: MetadataOptions,
): Record<string, unknown> {
  const pathDisplay = 'pathDisplay' in file ? file.pathDisplay : store.pathDisplay(file);
  const body: Record<string, unknown> = options.tagged ? { '.tag': 'file' } : {};
  Object.assign(body, {
    name: file.name,
    path_lower: fold(pathDisplay),
    path_display: pathDisplay,
    id: file.id,
    client_modified: dropboxTime(file.clientModified),
    server_modified: dropboxTime(file.serverModified),
    rev: file.rev,
    size: contentSize(file.content),
  });
  const media = options.mediaInfo ? photoInfo(file) : undefined;
  if (media) body.media_info = media;
  body.is_downloadable = true;
  if (options.sharedMembers) body.has_explicit_shared_members = false;
  body.content_hash = store.contentHash(file);
  return body;
}

export function folderMetadata(
  store: DropboxStore,
  folder: FolderEntry,
  options: MetadataOptions,
): Record<string, unknown> {
  const pathDisplay = store.pathDisplay(folder);
  const body: Record<string, unknown> = options.tagged ? { '.tag': 'folder' } : {};
  return Object.assign(body, {
    name: folder.name,
    path_lower: fold(pathDisplay),
    path_display: pathDisplay,
    id: folder.id,
  });
}

export function metadata(
  store: DropboxStore,
  entry: Entry,
  options: MetadataOptions,
): Record<string, unknown> {
  return entry.kind === 'file' ? fileMetadata(store, entry, options) : folderMetadata(store, entry, options);
}

/** DeletedMetadata: no id, no times (the item is gone). Always a union member. */
export function deletedMetadata(tombstone: Tombstone): Record<string, unknown> {
  return {
    '.tag': 'deleted',
    name: tombstone.name,
    path_lower: fold(tombstone.pathDisplay),
    path_display: tombstone.pathDisplay,
  };
}

/** MediaInfo of a PNG photo (the only format whose dimensions the emulator reads). */
function photoInfo(file: FileEntry | FileVersion): Record<string, unknown> | undefined {
  const size = pngSize(contentHead(file.content));
  if (!size) return undefined;
  return {
    '.tag': 'metadata',
    metadata: { '.tag': 'photo', dimensions: { height: size.height, width: size.width } },
  };
}
