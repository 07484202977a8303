/** Drive MIME types: folders, shortcuts, Google-native documents, extension guessing. */
import type { NativeDocType } from '../shared/seeds';

export const FOLDER = 'application/vnd.google-apps.folder';
export const SHORTCUT = 'application/vnd.google-apps.shortcut';
const NATIVE_PREFIX = 'application/vnd.google-apps.';

export const NATIVE_MIME: Record<NativeDocType, string> = {
  document: 'application/vnd.google-apps.document',
  spreadsheet: 'application/vnd.google-apps.spreadsheet',
  presentation: 'application/vnd.google-apps.presentation',
};

/** The native document type of a MIME type, if it is one of the exportable Docs Editors types. */
export function nativeDocType(mimeType: string): NativeDocType | undefined {
  for (const [type, mime] of Object.entries(NATIVE_MIME)) if (mime === mimeType) return type as NativeDocType;
  return undefined;
}

/** Folders, shortcuts and Docs Editors files have no binary content (no checksums, no alt=media). */
export function isBinaryMime(mimeType: string): boolean {
  return !mimeType.startsWith(NATIVE_PREFIX);
}

const BY_EXTENSION: Record<string, string> = {
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  html: 'text/html',
  htm: 'text/html',
  json: 'application/json',
  xml: 'text/xml',
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  heic: 'image/heic',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  zip: 'application/zip',
  gz: 'application/gzip',
  tar: 'application/x-tar',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  odp: 'application/vnd.oasis.opendocument.presentation',
  rtf: 'application/rtf',
  js: 'text/javascript',
  ts: 'video/mp2t',
};

/**
 * The MIME type Drive settles on for uploaded content: the declared one, unless it is missing or
 * generic (`application/octet-stream`), in which case the name's extension decides.
 */
export function detectMime(declared: string | undefined, name: string): string {
  const type = (declared ?? '').split(';')[0]!.trim().toLowerCase();
  if (type && type !== 'application/octet-stream') return type;
  const dot = name.lastIndexOf('.');
  const guess = dot > 0 ? BY_EXTENSION[name.slice(dot + 1).toLowerCase()] : undefined;
  return guess ?? 'application/octet-stream';
}

/** `fullFileExtension` (`tar.gz`) and `fileExtension` (`gz`) of a name, as Drive derives them. */
export function extensions(name: string): { full: string; last: string } | undefined {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const first = base.indexOf('.');
  if (first <= 0 || first === base.length - 1) return undefined;
  const full = base.slice(first + 1);
  return { full, last: full.slice(full.lastIndexOf('.') + 1) };
}
