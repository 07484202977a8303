import { describe, expect, it } from 'vitest';
import { SkyfoldError } from './errors';
import { decodeName, encodeName, nameKey, type NameProblem } from './name-encoding';

// Rules in the shapes destinations have (the real providers' rules: main/core/transfers/name-encoding.test.ts).
const refusing =
  (characters: RegExp): NameProblem =>
  (name) =>
    name.length === 0 ? 'empty' : characters.test(name) ? 'refused character' : null;
const windowsLike: NameProblem = (name) =>
  name.length === 0
    ? 'empty'
    : // eslint-disable-next-line no-control-regex
      /[<>:"/\\|?*\u0000-\u001f]/.test(name)
      ? 'character'
      : /^(con|nul)(\..*)?$/i.test(name)
        ? 'device'
        : /[. ]$/.test(name)
          ? 'trailing'
          : null;

describe('encodeName', () => {
  it('leaves accepted names alone, look-alikes included', () => {
    for (const name of ['report.pdf', 'a：b', '‛quoted', '資料：２０２４.pdf', ' x ', '']) {
      expect(encodeName(name, () => null)).toBe(name);
    }
  });

  it('replaces only the characters the destination refuses', () => {
    expect(encodeName('a:b?c*.txt', refusing(/[:?]/))).toBe('a：b？c*.txt');
    expect(encodeName('a/b\\c', refusing(/[/]/))).toBe('a／b\\c');
    // eslint-disable-next-line no-control-regex
    expect(encodeName('tab\there\u0000', refusing(/[\t\u0000]/))).toBe('tab␉here␀');
    expect(encodeName('del\u007f', refusing(/\u007f/))).toBe('del␡');
  });

  it('replaces a refused first or last character, not the same character elsewhere', () => {
    expect(encodeName(' a b ', windowsLike)).toBe(' a b␠');
    expect(encodeName('v1.0.', windowsLike)).toBe('v1.0．');
    const noEdgeSpaces: NameProblem = (name) => (/^ | $/.test(name) ? 'edge space' : null);
    expect(encodeName('  two  ', noEdgeSpaces)).toBe('␠ two ␠');
  });

  it('changes the first character of reserved names, then every punctuation character if still refused', () => {
    expect(encodeName('CON', windowsLike)).toBe('ＣON');
    expect(encodeName('nul.txt', windowsLike)).toBe('ｎul.txt');
    const noVti: NameProblem = (name) => (name.toLowerCase().includes('_vti_') ? 'vti' : null);
    expect(encodeName('x_vti_y', noVti)).toBe('x＿vti＿y');
  });

  it('escapes look-alikes and the escape already in a name it renames, so decoding is exact', () => {
    const encoded = encodeName('a：b:c‛d', refusing(/:/));
    expect(encoded).toBe('a‛：b：c‛‛d');
    expect(decodeName(encoded)).toBe('a：b:c‛d');
    expect(decodeName(encodeName('‛:', refusing(/:/)))).toBe('‛:');
  });

  it('is idempotent: an encoded name is accepted, so encoding it again changes nothing', () => {
    for (const name of ['a:b', 'CON', 'x.', 'a：b:c', '‛:']) {
      const once = encodeName(name, windowsLike);
      expect(encodeName(once, windowsLike)).toBe(once);
    }
  });

  it('throws invalid_argument when no name can be accepted', () => {
    const short: NameProblem = (name) => (name.length > 3 ? 'too long' : null);
    for (const [name, problem] of [
      ['', windowsLike],
      ['a:bcd', (name: string) => (name.includes(':') || name.length > 4 ? 'no' : null)],
      ['abcdef', short],
      ['\ud800', (name: string) => (/[\ud800-\udfff]/.test(name) ? 'not Unicode' : null)],
    ] as const) {
      expect(() => encodeName(name, problem)).toThrow(SkyfoldError);
      try {
        encodeName(name, problem);
      } catch (error) {
        expect((error as SkyfoldError).code).toBe('invalid_argument');
      }
    }
  });
});

describe('decodeName', () => {
  it('turns every look-alike back into its character', () => {
    expect(decodeName('＂＊：＜＞？｜＼／')).toBe('"*:<>?|\\/');
    expect(decodeName('␀␉␟␠␡')).toBe('\u0000\t\u001f \u007f');
    expect(decodeName('ＣON')).toBe('CON');
  });

  it('keeps escaped characters and everything else as they are', () => {
    expect(decodeName('‛：‛‛😀é')).toBe('：‛😀é');
    expect(decodeName('trailing‛')).toBe('trailing‛');
  });

  it('round-trips every single character through every kind of rule', () => {
    const rules = [
      windowsLike,
      refusing(/[^a-z]/),
      (name: string) => (/^[^a-z]|[^a-z]$/.test(name) ? 'x' : null),
    ];
    for (let code = 0; code < 0x80; code++) {
      for (const name of [String.fromCharCode(code), `a${String.fromCharCode(code)}b`]) {
        for (const rule of rules) {
          let encoded: string;
          try {
            encoded = encodeName(name, rule);
          } catch {
            continue; // e.g. "." alone is never a name for the letters-only rule's first step
          }
          expect(rule(encoded)).toBeNull();
          expect(decodeName(encoded)).toBe(name);
        }
      }
    }
  });
});

describe('nameKey', () => {
  it('composes to NFC and folds case only where the destination does', () => {
    expect(nameKey('Cafe\u0301.TXT', true)).toBe('café.txt');
    expect(nameKey('Cafe\u0301.TXT', false)).toBe('Café.TXT');
    expect(nameKey('café', false)).toBe(nameKey('cafe\u0301', false));
  });
});
