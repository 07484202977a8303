/**
 * What the preview panel may show of a file, decided from its name and MIME type only (pure): the
 * kinds a browser displays without running anything of the file's (raster images, plain text, PDF),
 * the type the bytes are served as (ours, never the cloud's), and how much of the file is read.
 * SVG and HTML are refused: they are documents that can carry script. Every other type is refused
 * too (the UI shows the file's icon and offers a download instead).
 */
import type { ByteRange } from '../providers/types';

export type PreviewKind = 'image' | 'text' | 'pdf';

/** Images and PDFs larger than this are not previewed (413): the panel is no viewer for huge files. */
export const maxPreviewBytes = 50 * 1024 * 1024;
/** Text files are previewed up to this many bytes; the rest is cut off (and said so). */
export const maxPreviewTextBytes = 2 * 1024 * 1024;

const imageTypes: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  jpe: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  bmp: 'image/bmp',
};
const textExtensions = new Set(
  (
    'txt text md markdown csv tsv log json jsonl yaml yml toml ini cfg conf env properties ' +
    'js mjs cjs ts tsx jsx py rb go rs java kt c h cc cpp hpp cs swift php sh bash zsh ps1 bat sql ' +
    'css scss less tex srt vtt diff patch'
  ).split(' '),
);
const textMimeTypes = new Set(['text/plain', 'text/markdown', 'text/csv', 'application/json']);
const textType = 'text/plain; charset=utf-8';
const pdfType = 'application/pdf';

/** A preview the hosts can serve: the content type and the bytes to read. */
export interface PreviewPlan {
  kind: PreviewKind;
  contentType: string;
  /** The bytes to read: all of the file (undefined), or its first bytes (long text). */
  range: ByteRange | undefined;
  /** Whether `range` leaves part of the file out. */
  truncated: boolean;
}

/** Why a file is not previewed: its type (415) or its size (413). */
export interface PreviewRefusal {
  refused: 'type' | 'size';
}

/** The kind and served type of a file, by its extension first, then by its MIME type; null: refused. */
export function previewKindOf(
  name: string,
  mimeType: string | null,
): { kind: PreviewKind; contentType: string } | null {
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  const image = imageTypes[extension] ?? Object.values(imageTypes).find((type) => type === mimeType);
  if (image) return { kind: 'image', contentType: image };
  if (extension === 'pdf' || mimeType === pdfType) return { kind: 'pdf', contentType: pdfType };
  if (textExtensions.has(extension) || (mimeType !== null && textMimeTypes.has(mimeType)))
    return { kind: 'text', contentType: textType };
  return null;
}

/**
 * How to preview a file of `size` bytes (null: unknown): refused for its type or (images, PDFs) its
 * size; a text file longer than `maxPreviewTextBytes` (or of unknown size) is read up to that many
 * bytes, `truncated` when it is known to be longer.
 */
export function planPreview(file: {
  name: string;
  mimeType: string | null;
  size: number | null;
}): PreviewPlan | PreviewRefusal {
  const type = previewKindOf(file.name, file.mimeType);
  if (!type) return { refused: 'type' };
  if (type.kind === 'text') {
    const long = file.size !== null && file.size > maxPreviewTextBytes;
    const range = long || file.size === null ? { start: 0, end: maxPreviewTextBytes - 1 } : undefined;
    return { ...type, range, truncated: long };
  }
  if (file.size !== null && file.size > maxPreviewBytes) return { refused: 'size' };
  return { ...type, range: undefined, truncated: false };
}
