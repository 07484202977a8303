/**
 * Small, deterministic document generators for seeds and exports: PDF, DOCX, XLSX, PPTX, OpenDocument
 * (ODT/ODS/ODP), RTF, HTML, CSV/TSV and SVG, from plain text. PDF, DOCX, XLSX and the OpenDocument
 * files are minimal but valid; PPTX has the parts that name its slides and text, not a full theme.
 * Inputs: `text` is paragraphs separated by newlines; a sheet is CSV-like text (rows by newline, cells
 * by comma); slides are separated by a blank line (first line = title).
 */
import { zip } from './zip';

const xml = (text: string) =>
  text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] as string);

export const paragraphs = (text: string) => text.split('\n');
export const rows = (text: string) =>
  text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => line.split(','));
export const slides = (text: string) =>
  text
    .split(/\n\s*\n/)
    .map((slide) => slide.split('\n').filter(Boolean))
    .filter((slide) => slide.length > 0);

/** A PDF of Helvetica text lines, 50 lines a page (characters outside Latin-1 become `?`). */
export function pdf(title: string, lines: readonly string[]): Buffer {
  const pages: string[][] = [];
  const all = [title, '', ...lines];
  for (let i = 0; i < all.length; i += 50) pages.push(all.slice(i, i + 50));
  const escape = (line: string) => line.replace(/[\\()]/g, '\\$&').replace(/[^\x20-\xff]/g, '?');
  const objects: string[] = [];
  objects.push('<< /Type /Catalog /Pages 2 0 R >>');
  const kids = pages.map((_, i) => `${4 + i * 2} 0 R`).join(' ');
  objects.push(`<< /Type /Pages /Kids [${kids}] /Count ${pages.length} >>`);
  objects.push('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  pages.forEach((page, i) => {
    const body = `BT /F1 11 Tf 72 740 Td 14 TL\n${page.map((l) => `(${escape(l)}) '`).join('\n')}\nET`;
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${5 + i * 2} 0 R /Resources << /Font << /F1 3 0 R >> >> >>`,
    );
    objects.push(`<< /Length ${Buffer.byteLength(body, 'latin1')} >>\nstream\n${body}\nendstream`);
  });
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xrefAt = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

const RELS_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const DOC_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

function contentTypes(overrides: Record<string, string>): string {
  const parts = Object.entries(overrides)
    .map(([part, type]) => `<Override PartName="${part}" ContentType="${type}"/>`)
    .join('');
  return `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>${parts}</Types>`;
}

function relationships(targets: readonly { type: string; target: string }[]): string {
  const items = targets
    .map((t, i) => `<Relationship Id="rId${i + 1}" Type="${DOC_REL}/${t.type}" Target="${t.target}"/>`)
    .join('');
  return `${XML_HEAD}<Relationships xmlns="${RELS_NS}">${items}</Relationships>`;
}

export function docx(text: string): Buffer {
  const body = paragraphs(text)
    .map((p) => `<w:p><w:r><w:t xml:space="preserve">${xml(p)}</w:t></w:r></w:p>`)
    .join('');
  return zip([
    {
      name: '[Content_Types].xml',
      data: contentTypes({
        '/word/document.xml':
          'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
      }),
    },
    { name: '_rels/.rels', data: relationships([{ type: 'officeDocument', target: 'word/document.xml' }]) },
    {
      name: 'word/document.xml',
      data: `${XML_HEAD}<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`,
    },
  ]);
}

function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

export function xlsx(text: string): Buffer {
  const sheet = rows(text)
    .map(
      (cells, r) =>
        `<row r="${r + 1}">${cells
          .map((cell, c) => {
            const ref = `${columnName(c)}${r + 1}`;
            return /^-?\d+(\.\d+)?$/.test(cell)
              ? `<c r="${ref}"><v>${cell}</v></c>`
              : `<c r="${ref}" t="inlineStr"><is><t>${xml(cell)}</t></is></c>`;
          })
          .join('')}</row>`,
    )
    .join('');
  const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  return zip([
    {
      name: '[Content_Types].xml',
      data: contentTypes({
        '/xl/workbook.xml': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml',
        '/xl/worksheets/sheet1.xml':
          'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml',
      }),
    },
    { name: '_rels/.rels', data: relationships([{ type: 'officeDocument', target: 'xl/workbook.xml' }]) },
    {
      name: 'xl/workbook.xml',
      data: `${XML_HEAD}<workbook xmlns="${main}" xmlns:r="${DOC_REL}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: relationships([{ type: 'worksheet', target: 'worksheets/sheet1.xml' }]),
    },
    {
      name: 'xl/worksheets/sheet1.xml',
      data: `${XML_HEAD}<worksheet xmlns="${main}"><sheetData>${sheet}</sheetData></worksheet>`,
    },
  ]);
}

export function pptx(text: string): Buffer {
  const list = slides(text);
  const p = 'http://schemas.openxmlformats.org/presentationml/2006/main';
  const a = 'http://schemas.openxmlformats.org/drawingml/2006/main';
  const slideXml = (lines: readonly string[]) =>
    `${XML_HEAD}<p:sld xmlns:p="${p}" xmlns:a="${a}"><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/><p:sp><p:nvSpPr><p:cNvPr id="2" name="Text"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/>${lines
      .map((line) => `<a:p><a:r><a:t>${xml(line)}</a:t></a:r></a:p>`)
      .join('')}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>`;
  const overrides: Record<string, string> = {
    '/ppt/presentation.xml':
      'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml',
  };
  list.forEach((_, i) => {
    overrides[`/ppt/slides/slide${i + 1}.xml`] =
      'application/vnd.openxmlformats-officedocument.presentationml.slide+xml';
  });
  const ids = list.map((_, i) => `<p:sldId id="${256 + i}" r:id="rId${i + 1}"/>`).join('');
  return zip([
    { name: '[Content_Types].xml', data: contentTypes(overrides) },
    {
      name: '_rels/.rels',
      data: relationships([{ type: 'officeDocument', target: 'ppt/presentation.xml' }]),
    },
    {
      name: 'ppt/presentation.xml',
      data: `${XML_HEAD}<p:presentation xmlns:p="${p}" xmlns:r="${DOC_REL}"><p:sldIdLst>${ids}</p:sldIdLst><p:sldSz cx="9144000" cy="6858000"/><p:notesSz cx="6858000" cy="9144000"/></p:presentation>`,
    },
    {
      name: 'ppt/_rels/presentation.xml.rels',
      data: relationships(list.map((_, i) => ({ type: 'slide', target: `slides/slide${i + 1}.xml` }))),
    },
    ...list.map((lines, i) => ({ name: `ppt/slides/slide${i + 1}.xml`, data: slideXml(lines) })),
  ]);
}

const ODF_NS =
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"';

function odf(mimeType: string, body: string): Buffer {
  return zip([
    { name: 'mimetype', data: mimeType },
    {
      name: 'META-INF/manifest.xml',
      data: `${XML_HEAD}<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="${mimeType}"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>`,
    },
    {
      name: 'content.xml',
      data: `${XML_HEAD}<office:document-content ${ODF_NS} office:version="1.2"><office:body>${body}</office:body></office:document-content>`,
    },
  ]);
}

export const odt = (text: string) =>
  odf(
    'application/vnd.oasis.opendocument.text',
    `<office:text>${paragraphs(text)
      .map((p) => `<text:p>${xml(p)}</text:p>`)
      .join('')}</office:text>`,
  );

export const ods = (text: string) =>
  odf(
    'application/vnd.oasis.opendocument.spreadsheet',
    `<office:spreadsheet><table:table table:name="Sheet1">${rows(text)
      .map(
        (cells) =>
          `<table:table-row>${cells.map((c) => `<table:table-cell><text:p>${xml(c)}</text:p></table:table-cell>`).join('')}</table:table-row>`,
      )
      .join('')}</table:table></office:spreadsheet>`,
  );

export const odp = (text: string) =>
  odf(
    'application/vnd.oasis.opendocument.presentation',
    `<office:presentation>${slides(text)
      .map(
        (lines, i) =>
          `<draw:page draw:name="Slide ${i + 1}"><draw:frame><draw:text-box>${lines.map((l) => `<text:p>${xml(l)}</text:p>`).join('')}</draw:text-box></draw:frame></draw:page>`,
      )
      .join('')}</office:presentation>`,
  );

export function rtf(text: string): Buffer {
  const escape = (line: string) =>
    [...line]
      .map((ch) => {
        const code = ch.codePointAt(0) as number;
        if (ch === '\\' || ch === '{' || ch === '}') return `\\${ch}`;
        if (code < 128) return ch;
        return code > 0xffff ? '?' : `\\u${code > 32767 ? code - 65536 : code}?`;
      })
      .join('');
  const body = paragraphs(text)
    .map((p) => `${escape(p)}\\par`)
    .join('\n');
  return Buffer.from(`{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Helvetica;}}\\f0\\fs24\n${body}\n}`, 'latin1');
}

export function html(title: string, text: string): Buffer {
  const body = paragraphs(text)
    .map((p) => `<p>${xml(p)}</p>`)
    .join('\n');
  return Buffer.from(
    `<!doctype html>\n<html><head><meta charset="utf-8"><title>${xml(title)}</title></head>\n<body>\n${body}\n</body></html>\n`,
  );
}

/** Cells joined by `separator` (CSV or TSV), quoting cells that need it. */
export function delimited(text: string, separator: ',' | '\t'): Buffer {
  const quote = (cell: string) => (/[",\t\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
  return Buffer.from(
    rows(text)
      .map((cells) => cells.map(quote).join(separator))
      .join('\r\n') + '\r\n',
  );
}

export function svg(title: string, lines: readonly string[]): Buffer {
  const text = lines
    .map((line, i) => `<text x="48" y="${96 + i * 40}" font-size="${i === 0 ? 32 : 22}">${xml(line)}</text>`)
    .join('');
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="960" height="540" viewBox="0 0 960 540"><title>${xml(title)}</title><rect width="960" height="540" fill="#fff"/>${text}</svg>\n`,
  );
}
