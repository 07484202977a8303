/**
 * What the Type column says of an item, and the key the `type` sort orders by (pure; shared by the
 * index's ORDER BY and the renderer so that both agree). Google-native documents are named by kind;
 * other files by their extension ("PNG file"), then by MIME type; folders are "Folder".
 */
import type { ItemDto } from './dto';

const googleKinds: Record<string, string> = {
  'application/vnd.google-apps.document': 'Google Docs document',
  'application/vnd.google-apps.spreadsheet': 'Google Sheets spreadsheet',
  'application/vnd.google-apps.presentation': 'Google Slides presentation',
  'application/vnd.google-apps.drawing': 'Google Drawings drawing',
  'application/vnd.google-apps.form': 'Google Forms form',
  'application/vnd.google-apps.shortcut': 'Shortcut',
};

/** The label of an item's type: "Folder", "PDF file", "Google Sheets spreadsheet", "File". */
export function fileTypeLabel(item: Pick<ItemDto, 'kind' | 'name' | 'mimeType'>): string {
  if (item.kind === 'folder') return 'Folder';
  const google = item.mimeType ? googleKinds[item.mimeType] : undefined;
  if (google) return google;
  const dot = item.name.lastIndexOf('.');
  const extension = dot > 0 && dot < item.name.length - 1 ? item.name.slice(dot + 1) : '';
  if (extension !== '' && extension.length <= 12) return `${extension.toUpperCase()} file`;
  return 'File';
}

/**
 * The key rows are ordered by for the `type` sort: the label, lower-cased, so that "PDF file" and
 * "pdf file" sort together. Folders come first in every listing regardless.
 */
export function fileTypeKey(item: Pick<ItemDto, 'kind' | 'name' | 'mimeType'>): string {
  return fileTypeLabel(item).toLowerCase();
}
