import { describe, expect, it } from 'vitest';
import {
  clientModified,
  dropboxRootId,
  headerSafeJson,
  isSameOrInside,
  parentPath,
  pathNames,
  readEntry,
  toProviderItem,
  wirePath,
} from './wire';

const file = {
  '.tag': 'file' as const,
  name: 'Report.pdf',
  path_lower: '/docs/report.pdf',
  path_display: '/Docs/Report.pdf',
  id: 'id:a4ayc_80_OEAAAAAAAAAXw',
  client_modified: '2015-05-12T15:50:38Z',
  server_modified: '2015-05-12T15:50:38Z',
  rev: 'a1c10ce0dd78',
  size: 7212,
  content_hash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
};

describe('Dropbox ids and paths', () => {
  it('sends the root as "" and ids unchanged; refuses anything else as not_found', () => {
    expect(wirePath(dropboxRootId)).toBe('');
    expect(wirePath('id:abc')).toBe('id:abc');
    expect(() => wirePath('/docs/report.pdf')).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(() => wirePath('id:')).toThrow(expect.objectContaining({ code: 'not_found' }));
  });

  it('splits paths into parents and names', () => {
    expect(parentPath('/a/b')).toBe('/a');
    expect(parentPath('/a')).toBe('');
    expect(pathNames('/Docs/Report.pdf')).toEqual(['Docs', 'Report.pdf']);
  });

  it('tells nesting on path_lower values exactly (Dropbox folds case), without prefix confusion', () => {
    expect(isSameOrInside('/a/b', '/a')).toBe(true);
    expect(isSameOrInside('/a', '/a')).toBe(true);
    expect(isSameOrInside('/ab', '/a')).toBe(false);
    // U+212A KELVIN SIGN: JavaScript lower-cases it to "k"; only Dropbox's path_lower says whether it folds.
    expect(isSameOrInside('/k/x', '/\u212a')).toBe(false);
  });
});

describe('Dropbox metadata -> ProviderItem', () => {
  it('maps a file with its size, client time and content hash', () => {
    expect(toProviderItem(readEntry(file), 'id:parent')).toEqual({
      id: file.id,
      parentId: 'id:parent',
      name: 'Report.pdf',
      kind: 'file',
      size: 7212,
      modifiedAt: Date.parse('2015-05-12T15:50:38Z'),
      mimeType: null,
      targetId: null,
      hashes: { dropbox: file.content_hash },
    });
  });

  it('maps a folder without size or time', () => {
    const folder = { '.tag': 'folder', name: 'Docs', path_lower: '/docs', id: 'id:f' };
    expect(toProviderItem(readEntry(folder), dropboxRootId)).toMatchObject({
      id: 'id:f',
      parentId: dropboxRootId,
      kind: 'folder',
      size: null,
      modifiedAt: null,
      hashes: {},
    });
  });

  it('refuses malformed metadata as permanent instead of guessing', () => {
    const permanent = expect.objectContaining({ code: 'permanent' });
    expect(() => readEntry('<html>')).toThrow(permanent);
    expect(() => readEntry({ '.tag': 'symlink', name: 'x' })).toThrow(permanent);
    expect(() => toProviderItem(readEntry({ ...file, size: '12' }), 'p')).toThrow(permanent);
    expect(() => toProviderItem(readEntry({ ...file, id: undefined }), 'p')).toThrow(permanent);
    expect(() => toProviderItem(readEntry({ '.tag': 'deleted', name: 'gone' }), 'p')).toThrow(permanent);
  });
});

describe('Dropbox wire values', () => {
  it('writes client_modified in whole UTC seconds', () => {
    expect(clientModified(Date.parse('2024-02-29T23:59:59.999Z'))).toBe('2024-02-29T23:59:59Z');
  });

  it('escapes every character from U+007F in Dropbox-API-Arg JSON, as the SDK does', () => {
    const json = headerSafeJson({ path: '/café/日本\u007f.txt' });
    expect(json).toBe('{"path":"/caf\\u00e9/\\u65e5\\u672c\\u007f.txt"}');
    expect(JSON.parse(json)).toEqual({ path: '/café/日本\u007f.txt' });
  });
});
