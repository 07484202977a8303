/**
 * Google-native documents (Docs, Sheets, Slides, Drawings) have no bytes of their own: they are
 * downloaded as an export (https://developers.google.com/workspace/drive/api/guides/ref-export-formats).
 * The formats Skyfold offers for each, the first being the default for a plain download.
 */
const formats: Record<string, readonly string[]> = {
  'application/vnd.google-apps.document': [
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'application/pdf',
    'text/plain',
  ],
  'application/vnd.google-apps.spreadsheet': [
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'application/pdf',
    'text/csv',
  ],
  'application/vnd.google-apps.presentation': [
    'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    'application/pdf',
  ],
  'application/vnd.google-apps.drawing': ['image/png', 'application/pdf'],
};

/** The export formats for an item's MIME type; empty for everything that has bytes of its own. */
export function exportFormatsFor(mimeType: string | null | undefined): readonly string[] {
  return (mimeType && formats[mimeType]) || [];
}

const extensions: Record<string, string> = {
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': '.xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': '.pptx',
  'application/pdf': '.pdf',
  'text/plain': '.txt',
  'text/csv': '.csv',
  'image/png': '.png',
};

/**
 * The name a Google-native document gets as its default export ("Budget" -> "Budget.xlsx"): what
 * a copy out of Drive is called. Other names are returned as they are.
 */
export function exportedName(name: string, mimeType: string | null | undefined): string {
  const format = exportFormatsFor(mimeType)[0];
  const extension = format === undefined ? undefined : extensions[format];
  if (extension === undefined || name.toLowerCase().endsWith(extension)) return name;
  return `${name}${extension}`;
}
