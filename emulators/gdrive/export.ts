/**
 * files.export: Google-native documents converted to the formats the emulator can generate (a subset
 * of Drive's list; about.exportFormats and exportLinks advertise exactly this subset). Output is small
 * and deterministic; see shared/documents.ts for what each format contains.
 */
import * as doc from '../shared/documents';
import { drawPicture, encodePng } from '../shared/png';
import { hashString } from '../shared/prng';
import type { NativeDocType } from '../shared/seeds';
import { zip } from '../shared/zip';
import { NATIVE_MIME } from './mime';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';

type Generator = (name: string, text: string) => Buffer;

const lines = (text: string) => text.split('\n');

const GENERATORS: Record<NativeDocType, Record<string, Generator>> = {
  document: {
    [DOCX]: (_, text) => doc.docx(text),
    'application/vnd.oasis.opendocument.text': (_, text) => doc.odt(text),
    'application/rtf': (_, text) => doc.rtf(text),
    'application/pdf': (name, text) => doc.pdf(name, lines(text)),
    'text/plain': (_, text) => Buffer.from(text + '\n'),
    'text/markdown': (_, text) => Buffer.from(lines(text).join('\n\n') + '\n'),
    'text/html': (name, text) => doc.html(name, text),
    'application/zip': (name, text) => zipHtml(name, text),
  },
  spreadsheet: {
    [XLSX]: (_, text) => doc.xlsx(text),
    'application/x-vnd.oasis.opendocument.spreadsheet': (_, text) => doc.ods(text),
    'application/vnd.oasis.opendocument.spreadsheet': (_, text) => doc.ods(text),
    'application/pdf': (name, text) =>
      doc.pdf(
        name,
        lines(text).map((l) => l.replace(/,/g, '    ')),
      ),
    'text/csv': (_, text) => doc.delimited(text, ','),
    'text/tab-separated-values': (_, text) => doc.delimited(text, '\t'),
    'application/zip': (name, text) => zipHtml(name, text),
  },
  presentation: {
    [PPTX]: (_, text) => doc.pptx(text),
    'application/vnd.oasis.opendocument.presentation': (_, text) => doc.odp(text),
    'application/pdf': (name, text) => doc.pdf(name, lines(text)),
    'text/plain': (_, text) => Buffer.from(text + '\n'),
    'image/png': (name) => encodePng(drawPicture(960, 540, hashString(name))),
    'image/svg+xml': (name, text) => doc.svg(name, doc.slides(text)[0] ?? [name]),
  },
};

/** Drive's "Web page (zipped HTML)" export. */
function zipHtml(name: string, text: string): Buffer {
  const safe = name.replace(/[/\\]/g, '_') || 'document';
  return zip([{ name: `${safe}.html`, data: doc.html(name, text) }]);
}

/** Export targets per native MIME type (for about.exportFormats). */
export function exportFormats(): Record<string, string[]> {
  const formats: Record<string, string[]> = {};
  for (const [type, generators] of Object.entries(GENERATORS)) {
    formats[NATIVE_MIME[type as NativeDocType]] = Object.keys(generators);
  }
  return formats;
}

/** The bytes of an export, or undefined when the conversion is not supported. */
export function exportDocument(
  type: NativeDocType,
  name: string,
  text: string,
  target: string,
): Buffer | undefined {
  const generator = GENERATORS[type][target.toLowerCase()];
  return generator?.(name, text);
}

/** Import conversions (upload with a native target type): text-like sources only. */
export function importableSource(mimeType: string): boolean {
  return mimeType.startsWith('text/');
}
