import { describe, expect, it } from 'vitest';
import { searchCategories } from './search';
import type { SearchCategory } from './search';
import { categoryOf, extensionOf, extensionsOf } from './search-categories';

describe('extensionOf', () => {
  it('is the lower-cased part after the last dot', () => {
    expect(extensionOf('report.pdf')).toBe('pdf');
    expect(extensionOf('IMG_0001.JPG')).toBe('jpg');
    expect(extensionOf('backup.tar.gz')).toBe('gz');
    expect(extensionOf('my.report.final.Docx')).toBe('docx');
  });
  it('is null without one: no dot, a leading dot only (dotfiles), a trailing dot', () => {
    expect(extensionOf('README')).toBeNull();
    expect(extensionOf('.bashrc')).toBeNull();
    expect(extensionOf('notes.')).toBeNull();
    expect(extensionOf('')).toBeNull();
  });
  it('keeps non-ASCII extensions', () => {
    expect(extensionOf('données.ÉTÉ')).toBe('été');
  });
});

describe('categoryOf by extension', () => {
  const cases: Record<SearchCategory, string> = {
    images:
      'a.jpg a.jpeg a.png a.gif a.webp a.heic a.heif a.avif a.tiff a.bmp a.svg a.psd a.cr2 a.cr3 a.nef a.dng a.arw a.orf a.raf a.rw2',
    documents: 'a.pdf a.doc a.docx a.odt a.rtf a.txt a.md a.pages a.epub a.tex',
    spreadsheets: 'a.xls a.xlsx a.xlsm a.ods a.csv a.tsv a.numbers',
    presentations: 'a.ppt a.pptx a.odp a.key a.ppsx',
    video: 'a.mp4 a.mov a.mkv a.avi a.webm a.m4v a.wmv a.mts a.m2ts a.3gp',
    audio: 'a.mp3 a.wav a.flac a.aac a.m4a a.ogg a.opus a.aiff a.mid',
    archives:
      'a.zip a.7z a.rar a.tar a.gz a.tgz a.bz2 a.xz a.zst a.dmg a.iso a.tar.gz a.tar.bz2 a.tar.xz a.tar.zst',
    code: 'a.ts a.tsx a.js a.mjs a.py a.java a.go a.rs a.c a.cpp a.h a.cs a.rb a.php a.swift a.kt a.sh a.sql a.html a.css a.json a.yaml a.yml a.toml a.xml a.ini a.ipynb',
  };
  for (const [category, list] of Object.entries(cases)) {
    const names = list.split(' ');
    it(`puts ${names.length} common names in ${category}`, () => {
      for (const name of names) expect([name, categoryOf(name, null)]).toEqual([name, category]);
    });
  }

  it('ignores the case of the extension', () => {
    expect(categoryOf('IMG_0001.JPG', null)).toBe('images');
    expect(categoryOf('Budget.XLSX', null)).toBe('spreadsheets');
    expect(categoryOf('Photo.HeIc', null)).toBe('images');
  });
  it('decides the documented edge cases', () => {
    expect(categoryOf('notes.txt', null)).toBe('documents');
    expect(categoryOf('README.md', null)).toBe('documents');
    expect(categoryOf('data.csv', null)).toBe('spreadsheets');
    expect(categoryOf('package.json', null)).toBe('code');
    expect(categoryOf('logo.svg', null)).toBe('images');
    expect(categoryOf('backup.tar.gz', null)).toBe('archives');
    expect(categoryOf('clip.ogv', null)).toBe('video');
    expect(categoryOf('song.ogg', null)).toBe('audio');
  });
  it('lets a known extension win over the MIME type', () => {
    expect(categoryOf('photo.jpg', 'application/octet-stream')).toBe('images');
    expect(categoryOf('data.csv', 'text/plain')).toBe('spreadsheets');
    expect(categoryOf('script.ts', 'video/mp2t')).toBe('code');
  });
  it('has no category for an unknown extension without a MIME type', () => {
    expect(categoryOf('thing.xyz123', null)).toBeNull();
    expect(categoryOf('README', null)).toBeNull();
    expect(categoryOf('.bashrc', null)).toBeNull();
  });
});

describe('categoryOf by MIME type', () => {
  it('uses the MIME type when the name has no extension or an unknown one', () => {
    expect(categoryOf('Holiday', 'image/jpeg')).toBe('images');
    expect(categoryOf('clip.unknownext', 'video/mp4')).toBe('video');
    expect(categoryOf('track', 'audio/mpeg')).toBe('audio');
    expect(categoryOf('scan', 'application/pdf')).toBe('documents');
  });
  it('reads any image/, video/ and audio/ subtype', () => {
    expect(categoryOf('x', 'image/x-canon-cr2')).toBe('images');
    expect(categoryOf('x', 'image/svg+xml')).toBe('images');
    expect(categoryOf('x', 'video/quicktime')).toBe('video');
    expect(categoryOf('x', 'audio/x-flac')).toBe('audio');
  });
  it('knows Google Docs, Sheets, Slides and the other Google types', () => {
    expect(categoryOf('Minutes', 'application/vnd.google-apps.document')).toBe('documents');
    expect(categoryOf('Budget', 'application/vnd.google-apps.spreadsheet')).toBe('spreadsheets');
    expect(categoryOf('Pitch', 'application/vnd.google-apps.presentation')).toBe('presentations');
    expect(categoryOf('Sketch', 'application/vnd.google-apps.drawing')).toBe('images');
    expect(categoryOf('Macro', 'application/vnd.google-apps.script')).toBe('code');
  });
  it('gives Google folders, shortcuts, forms and made-up Google types no category', () => {
    expect(categoryOf('Work', 'application/vnd.google-apps.folder')).toBeNull();
    expect(categoryOf('Link', 'application/vnd.google-apps.shortcut')).toBeNull();
    expect(categoryOf('Survey', 'application/vnd.google-apps.form')).toBeNull();
    expect(categoryOf('x', 'application/vnd.google-apps.constructor')).toBeNull();
    expect(categoryOf('x', 'application/vnd.google-apps.toString')).toBeNull();
  });
  it('knows Office Open XML, legacy Office, OpenDocument and iWork types', () => {
    const ooxml = 'application/vnd.openxmlformats-officedocument';
    expect(categoryOf('x', `${ooxml}.wordprocessingml.document`)).toBe('documents');
    expect(categoryOf('x', `${ooxml}.wordprocessingml.template`)).toBe('documents');
    expect(categoryOf('x', `${ooxml}.spreadsheetml.sheet`)).toBe('spreadsheets');
    expect(categoryOf('x', `${ooxml}.presentationml.presentation`)).toBe('presentations');
    expect(categoryOf('x', `${ooxml}.presentationml.slideshow`)).toBe('presentations');
    expect(categoryOf('x', 'application/msword')).toBe('documents');
    expect(categoryOf('x', 'application/vnd.ms-excel')).toBe('spreadsheets');
    expect(categoryOf('x', 'application/vnd.ms-excel.sheet.macroEnabled.12')).toBe('spreadsheets');
    expect(categoryOf('x', 'application/vnd.ms-powerpoint')).toBe('presentations');
    expect(categoryOf('x', 'application/vnd.oasis.opendocument.text')).toBe('documents');
    expect(categoryOf('x', 'application/vnd.oasis.opendocument.text-template')).toBe('documents');
    expect(categoryOf('x', 'application/vnd.oasis.opendocument.spreadsheet')).toBe('spreadsheets');
    expect(categoryOf('x', 'application/vnd.oasis.opendocument.presentation')).toBe('presentations');
    expect(categoryOf('x', 'application/vnd.apple.pages')).toBe('documents');
    expect(categoryOf('x', 'application/vnd.apple.numbers')).toBe('spreadsheets');
    expect(categoryOf('x', 'application/vnd.apple.keynote')).toBe('presentations');
  });
  it('knows archive types', () => {
    for (const mime of [
      'application/zip',
      'application/x-zip-compressed',
      'application/x-7z-compressed',
      'application/vnd.rar',
      'application/x-rar-compressed',
      'application/x-tar',
      'application/gzip',
      'application/x-bzip2',
      'application/x-xz',
      'application/zstd',
      'application/x-apple-diskimage',
      'application/x-iso9660-image',
    ]) {
      expect([mime, categoryOf('x', mime)]).toEqual([mime, 'archives']);
    }
  });
  it('treats plain text and markdown as documents, CSV as a spreadsheet, other text and data as code', () => {
    expect(categoryOf('x', 'text/plain')).toBe('documents');
    expect(categoryOf('x', 'text/markdown')).toBe('documents');
    expect(categoryOf('x', 'text/csv')).toBe('spreadsheets');
    expect(categoryOf('x', 'text/tab-separated-values')).toBe('spreadsheets');
    expect(categoryOf('x', 'text/html')).toBe('code');
    expect(categoryOf('x', 'text/x-python')).toBe('code');
    expect(categoryOf('x', 'application/json')).toBe('code');
    expect(categoryOf('x', 'application/ld+json')).toBe('code');
    expect(categoryOf('x', 'application/javascript')).toBe('code');
    expect(categoryOf('x', 'application/x-yaml')).toBe('code');
  });
  it('ignores the case, surrounding spaces and parameters of the MIME type', () => {
    expect(categoryOf('x', 'Text/Plain; charset=UTF-8')).toBe('documents');
    expect(categoryOf('x', ' IMAGE/PNG ')).toBe('images');
    expect(categoryOf('x', 'application/vnd.google-apps.DOCUMENT')).toBe('documents');
  });
  it('has no category for opaque, calendar and malformed types', () => {
    expect(categoryOf('x', 'application/octet-stream')).toBeNull();
    expect(categoryOf('x', 'text/calendar')).toBeNull();
    expect(categoryOf('x', 'text/vcard')).toBeNull();
    expect(categoryOf('x', '')).toBeNull();
    expect(categoryOf('x', 'image')).toBeNull();
    expect(categoryOf('x', '/png')).toBeNull();
  });
});

describe('extensionsOf', () => {
  it('lists each category’s extensions, lower case and without dots', () => {
    for (const category of searchCategories) {
      const extensions = extensionsOf(category);
      expect(extensions.length).toBeGreaterThan(5);
      for (const extension of extensions) expect(extension).toMatch(/^[a-z0-9]+$/);
    }
  });
  it('puts every extension in exactly one category, once', () => {
    const all = searchCategories.flatMap((category) => extensionsOf(category));
    expect(new Set(all).size).toBe(all.length);
  });
  it('agrees with categoryOf for every extension it lists', () => {
    for (const category of searchCategories) {
      for (const extension of extensionsOf(category)) {
        expect([extension, categoryOf(`file.${extension}`, null)]).toEqual([extension, category]);
        expect(categoryOf(`FILE.${extension.toUpperCase()}`, 'application/octet-stream')).toBe(category);
      }
    }
  });
  it('includes the extensions the issue names', () => {
    expect(extensionsOf('images')).toEqual(expect.arrayContaining(['heic', 'webp', 'cr2', 'nef', 'dng']));
    expect(extensionsOf('documents')).toEqual(
      expect.arrayContaining(['pdf', 'doc', 'docx', 'odt', 'rtf', 'txt', 'md', 'pages']),
    );
    expect(extensionsOf('spreadsheets')).toEqual(
      expect.arrayContaining(['xls', 'xlsx', 'ods', 'csv', 'numbers']),
    );
    expect(extensionsOf('presentations')).toEqual(expect.arrayContaining(['ppt', 'pptx', 'odp', 'key']));
    expect(extensionsOf('archives')).toEqual(
      expect.arrayContaining(['zip', '7z', 'rar', 'tar', 'gz', 'tgz', 'bz2', 'xz', 'zst', 'dmg', 'iso']),
    );
    expect(extensionsOf('code')).toEqual(expect.arrayContaining(['json', 'yaml', 'toml', 'ts', 'py']));
  });
  it('cannot be changed by a caller', () => {
    expect(Object.isFrozen(extensionsOf('images'))).toBe(true);
  });
});
