import { describe, expect, it } from 'vitest';
import { nameSortKey, numberedName, splitPath } from './names';

describe('numberedName', () => {
  it('puts the number before the extension', () => {
    expect(numberedName('report.pdf', 2)).toBe('report (2).pdf');
    expect(numberedName('archive.tar.gz', 3)).toBe('archive.tar (3).gz');
  });
  it('appends to names without an extension, including dotfiles', () => {
    expect(numberedName('README', 2)).toBe('README (2)');
    expect(numberedName('.bashrc', 2)).toBe('.bashrc (2)');
    expect(numberedName('trailing.', 2)).toBe('trailing. (2)');
  });
  it('returns the name itself for n = 1', () => {
    expect(numberedName('a.txt', 1)).toBe('a.txt');
  });
});

describe('nameSortKey', () => {
  const sorted = (names: string[]) =>
    [...names].sort((a, b) =>
      nameSortKey(a) < nameSortKey(b) ? -1 : nameSortKey(a) > nameSortKey(b) ? 1 : 0,
    );

  it('sorts digit runs by value', () => {
    expect(sorted(['file10', 'file2', 'file1', 'file002x'])).toEqual([
      'file1',
      'file2',
      'file002x',
      'file10',
    ]);
  });
  it('ignores case and puts accented letters with their base letter', () => {
    expect(sorted(['b', 'É', 'a', 'e', 'C'])).toEqual(['a', 'b', 'C', 'e', 'É']);
  });
  it('gives NFC and NFD spellings the same key', () => {
    expect(nameSortKey('caf\u00e9')).toBe(nameSortKey('cafe\u0301'));
  });
});

describe('splitPath', () => {
  it('splits and drops empty segments', () => {
    expect(splitPath('/a//b/')).toEqual(['a', 'b']);
    expect(splitPath('')).toEqual([]);
  });
  it('refuses dot segments', () => {
    expect(() => splitPath('/a/../b')).toThrow(/not allowed/);
    expect(() => splitPath('./a')).toThrow(/not allowed/);
  });
});
