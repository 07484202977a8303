/** Which icon an item gets (pure): by kind, then by extension, then by MIME type. */
import type { ItemDto } from '../../../common/dto';

export type IconKind =
  | 'folder'
  | 'image'
  | 'video'
  | 'audio'
  | 'archive'
  | 'code'
  | 'pdf'
  | 'document'
  | 'spreadsheet'
  | 'presentation'
  | 'text'
  | 'file';

const byExtension: Record<string, IconKind> = {};
function register(kind: IconKind, extensions: string): void {
  for (const extension of extensions.split(' ')) byExtension[extension] = kind;
}
register('image', 'png jpg jpeg jfif gif webp avif heic heif bmp tif tiff ico svg raw cr2 nef arw dng psd');
register('video', 'mp4 m4v mov mkv avi webm wmv flv mpg mpeg 3gp');
register('audio', 'mp3 wav flac aac ogg oga opus m4a wma aiff aif mid midi');
register('archive', 'zip tar gz tgz bz2 tbz xz txz zst 7z rar iso dmg jar apk deb rpm');
register(
  'code',
  'ts tsx js jsx mjs cjs json py rb go rs java kt kts swift c h cc cpp hpp cs php sh bash zsh ps1 bat html htm css scss sass less vue svelte sql yml yaml toml xml lua pl r scala dart ipynb',
);
register('pdf', 'pdf');
register('document', 'doc docx odt rtf pages gdoc epub');
register('spreadsheet', 'xls xlsx xlsm ods csv tsv numbers gsheet');
register('presentation', 'ppt pptx odp key gslides');
register('text', 'txt md markdown rst log ini cfg conf env');

const byMime: Record<string, IconKind> = {
  'application/pdf': 'pdf',
  'application/zip': 'archive',
  'application/json': 'code',
  'application/vnd.google-apps.folder': 'folder',
  'application/vnd.google-apps.document': 'document',
  'application/vnd.google-apps.spreadsheet': 'spreadsheet',
  'application/vnd.google-apps.presentation': 'presentation',
};

/** The lower-cased extension of a file name (`"Report.PDF"` -> `"pdf"`), or "" (dotfiles have none). */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1).toLowerCase() : '';
}

export function iconKind(item: Pick<ItemDto, 'kind' | 'name' | 'mimeType'>): IconKind {
  if (item.kind === 'folder') return 'folder';
  const fromExtension = byExtension[extensionOf(item.name)];
  if (fromExtension) return fromExtension;
  const mime = item.mimeType?.toLowerCase() ?? '';
  const exact = byMime[mime];
  if (exact) return exact;
  if (mime.startsWith('image/')) return 'image';
  if (mime.startsWith('video/')) return 'video';
  if (mime.startsWith('audio/')) return 'audio';
  if (mime.startsWith('text/')) return 'text';
  return 'file';
}

/** A short human kind, for tooltips and screen readers. */
export const iconLabels: Record<IconKind, string> = {
  folder: 'Folder',
  image: 'Image',
  video: 'Video',
  audio: 'Audio',
  archive: 'Archive',
  code: 'Code',
  pdf: 'PDF document',
  document: 'Document',
  spreadsheet: 'Spreadsheet',
  presentation: 'Presentation',
  text: 'Text',
  file: 'File',
};
