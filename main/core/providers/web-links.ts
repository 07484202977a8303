/**
 * An item's page in its provider's own web UI (the properties panel's "Open in browser"). Pure: the
 * address is built from the provider kind and the item's ids (Dropbox, whose web UI is addressed by
 * path: the names of the item's folders, from the index), each part encoded with encodeURIComponent,
 * never taken from anything a provider or a file sent as a link. An id that does not have the shape
 * the provider issues gives null rather than an address pointing somewhere unexpected.
 */
import type { ItemDto, ProviderKind } from '../../../common/dto';

export type WebLinkItem = Pick<ItemDto, 'id' | 'parentId' | 'name' | 'kind' | 'mimeType' | 'targetId'>;

/** Drive ids: letters, digits, `-` and `_` (files ~33 characters, the root `0A…`). */
const driveId = /^[A-Za-z0-9_-]{10,200}$/;
/** Dropbox ids: `id:` and an opaque token. */
const dropboxId = /^id:[A-Za-z0-9_-]{1,200}$/;
/** OneDrive personal ids: the drive's hex id (the web UI's `cid`), `!`, then the item's number or token. */
const onedriveId = /^([0-9A-Fa-f]{1,16})![A-Za-z0-9._-]{1,200}$/;

const googleEditors: Record<string, string> = {
  'application/vnd.google-apps.document': 'document',
  'application/vnd.google-apps.spreadsheet': 'spreadsheets',
  'application/vnd.google-apps.presentation': 'presentation',
};

/**
 * The item's web page, or null (local accounts, ids of an unexpected shape). `folderNames`: the names
 * from the account's root down to the item's parent (only Dropbox uses them). Throws nothing.
 */
export function webUrl(
  provider: ProviderKind,
  item: WebLinkItem,
  folderNames: readonly string[],
): string | null {
  switch (provider) {
    case 'gdrive':
      return driveUrl(item);
    case 'dropbox':
      return dropboxUrl(item, folderNames);
    case 'onedrive':
      return onedriveUrl(item);
    case 'local':
      return null;
  }
}

function driveUrl(item: WebLinkItem): string | null {
  if (item.parentId === null) return 'https://drive.google.com/drive/my-drive';
  // A shortcut opens its target (its kind is the target's).
  const id = item.targetId ?? item.id;
  if (!driveId.test(id)) return null;
  if (item.kind === 'folder') return `https://drive.google.com/drive/folders/${encodeURIComponent(id)}`;
  const editor = item.mimeType ? googleEditors[item.mimeType] : undefined;
  if (editor) return `https://docs.google.com/${editor}/d/${encodeURIComponent(id)}/edit`;
  return `https://drive.google.com/file/d/${encodeURIComponent(id)}/view`;
}

/** Folders open at their path; files open their folder with the file previewed (`?preview=`). */
function dropboxUrl(item: WebLinkItem, folderNames: readonly string[]): string | null {
  if (item.parentId === null) return 'https://www.dropbox.com/home';
  if (!dropboxId.test(item.id)) return null;
  const folders = folderNames.map((name) => `/${encodeURIComponent(name)}`).join('');
  if (item.kind === 'folder')
    return `https://www.dropbox.com/home${folders}/${encodeURIComponent(item.name)}`;
  return `https://www.dropbox.com/home${folders}?preview=${encodeURIComponent(item.name)}`;
}

/**
 * OneDrive personal's web UI addresses an item by its id and the drive's id (`cid`, the part of a
 * personal item id before `!`): `https://onedrive.live.com/?id=<id>&cid=<cid>` is the address the web
 * UI shows for a folder (and what Graph's own `webUrl` redirects to), so it works for the root too.
 * A file opens in the UI's file viewer over its folder: `&parId=<parent id>&o=OneUp`, the address the
 * UI shows when a file is opened. OneDrive for Business ids (no `!`) give null: its pages live on the
 * organisation's SharePoint host, which the id does not tell.
 */
function onedriveUrl(item: WebLinkItem): string | null {
  const match = onedriveId.exec(item.id);
  if (!match) return null;
  const query = new URLSearchParams({ id: item.id, cid: match[1]! });
  if (item.kind === 'file') {
    if (item.parentId === null || !onedriveId.test(item.parentId)) return null;
    query.set('parId', item.parentId);
    query.set('o', 'OneUp');
  }
  return `https://onedrive.live.com/?${query.toString()}`;
}
