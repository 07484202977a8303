/**
 * `common/name-encoding` against the destinations' real rules (each provider's `nameProblem`): the
 * pre-flight renaming must yield names every destination accepts and that decode to the original.
 * (common/ tests cannot import the providers: this one lives beside its user, the transfer planner.)
 */
import { describe, expect, it } from 'vitest';
import { SkyfoldError } from '../../../common/errors';
import { decodeName, encodeName, type NameProblem } from '../../../common/name-encoding';
import { dropboxNameProblem } from '../providers/dropbox/names';
import { GdriveProvider } from '../providers/gdrive/gdrive-provider';
import { localNameProblem } from '../providers/local/names';
import { onedriveNameProblem } from '../providers/onedrive/names';

const destinations: Record<string, NameProblem> = {
  onedrive: onedriveNameProblem,
  dropbox: dropboxNameProblem,
  'local (win32)': (name) => localNameProblem(name, 'win32'),
  'local (linux)': (name) => localNameProblem(name, 'linux'),
  // Drive's rule is a method that uses nothing of its instance.
  gdrive: (name) => GdriveProvider.prototype.nameProblem.call(undefined, name),
};

const reserved = [
  'CON', 'con', 'PRN', 'aux', 'NUL', 'COM1', 'com¹', 'LPT9', '.lock', 'desktop.ini', 'Desktop.INI',
  'thumbs.db', '.DS_Store', 'icon\r', '.dropbox', '.dropbox.attr', '~$report.docx', 'a_vti_b',
  '.skyfold-trash', '.skyfold-part-1', '.', '..', 'nul.txt', 'CON.tar.gz',
]; // prettier-ignore
const pieces = [
  ...':*?"<>|\\/', ' ', '.', '..', '\t', '\r', '\n', '\u0000', '\u0001', '\u001f', '\u007f', '~$', '_vti_',
  'report', 'a', 'Z9', '😀', 'cafe\u0301', 'café', '資料', '：', '＂', '␀', '␠', '‛', '．', 'Ｃ', '-', '_',
]; // prettier-ignore

/** Seeded hostile names: reserved names (alone or with an extension) and random runs of pieces. */
function hostileNames(count: number): string[] {
  let state = 12345;
  const random = (n: number) => {
    state = (state * 1103515245 + 12345) >>> 0;
    return (state >>> 8) % n;
  };
  const names = [
    ...reserved,
    ...reserved.map((name) => `${name}.txt`),
    ...reserved.map((name) => ` ${name} `),
  ];
  while (names.length < count) {
    let name = '';
    for (let i = 1 + random(8); i > 0; i--) name += pieces[random(pieces.length)];
    if (random(4) === 0) name = [' ', '.', '  '][random(3)] + name;
    if (random(4) === 0) name += [' ', '.', '. ', ' .'][random(4)];
    if (random(5) === 0) name = reserved[random(reserved.length)] + name;
    names.push(name);
  }
  return names;
}

describe.each(Object.entries(destinations))('encodeName for %s', (_, problem) => {
  const names = hostileNames(3000);

  it('gives accepted names that decode to the original, and leaves accepted names alone', () => {
    let renamed = 0;
    for (const name of names) {
      const encoded = encodeName(name, problem);
      expect(problem(encoded), JSON.stringify(encoded)).toBeNull();
      if (problem(name) === null) {
        expect(encoded).toBe(name);
      } else {
        renamed++;
        expect(decodeName(encoded), JSON.stringify(name)).toBe(name);
      }
      expect(encodeName(encoded, problem)).toBe(encoded);
    }
    // The generator is hostile enough to matter for every destination but Drive.
    expect(renamed).toBeGreaterThan(problem === destinations.gdrive ? 50 : 500);
  });

  it('keeps long names that need no change, and renames or refuses long hostile ones', () => {
    for (const name of ['a'.repeat(255), `${'x'.repeat(251)}.txt`, 'é'.repeat(127)]) {
      if (problem(name) === null) expect(encodeName(name, problem)).toBe(name);
    }
    for (const name of ['a:'.repeat(60), `${'b'.repeat(200)}.`, ` ${'c?'.repeat(100)}`, '😀:'.repeat(80)]) {
      try {
        const encoded = encodeName(name, problem);
        expect(problem(encoded)).toBeNull();
        if (encoded !== name) expect(decodeName(encoded)).toBe(name);
      } catch (error) {
        expect(error).toBeInstanceOf(SkyfoldError);
        expect((error as SkyfoldError).code).toBe('invalid_argument');
        expect((error as SkyfoldError).message).toMatch(/long/);
      }
    }
  });

  it('refuses the empty name', () => {
    expect(() => encodeName('', problem)).toThrow(SkyfoldError);
  });
});

describe('encodeName examples', () => {
  it('renames the way the memo shows', () => {
    expect(encodeName('a:b?.txt', onedriveNameProblem)).toBe('a：b？.txt');
    expect(encodeName(' notes. ', onedriveNameProblem)).toBe('␠notes.␠');
    expect(encodeName('v2.', onedriveNameProblem)).toBe('v2．');
    expect(encodeName('CON', destinations['local (win32)']!)).toBe('ＣON');
    expect(encodeName('.lock', onedriveNameProblem)).toBe('．lock');
    expect(encodeName('desktop.ini', dropboxNameProblem)).toBe('ｄesktop.ini');
    expect(encodeName('~$x.docx', onedriveNameProblem)).toBe('～$x.docx');
    expect(encodeName('a\\b:c', dropboxNameProblem)).toBe('a＼b:c');
    expect(
      encodeName('bell\u0007', (name) => GdriveProvider.prototype.nameProblem.call(undefined, name)),
    ).toBe('bell␇');
  });
});
