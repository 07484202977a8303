import { describe, expect, it } from 'vitest';
import { dropboxNameProblem, maxNameLength } from './names';

describe('dropboxNameProblem', () => {
  it.each([
    ['', 'empty'],
    ['.', 'dot'],
    ['..', 'parent reference'],
    ['a/b', 'slash'],
    ['a\\b', 'backslash'],
    ['nul\0.txt', 'NUL'],
    ['del\u007f', 'DEL'],
    ['trailing ', 'trailing space'],
    ['lone \ud800 surrogate', 'lone high surrogate'],
    ['x'.repeat(maxNameLength + 1), 'too long'],
    ['Desktop.ini', 'ignored system file'],
    ['.DS_Store', 'ignored system file'],
  ])('refuses %j (%s) with a message', (name) => {
    expect(dropboxNameProblem(name)).toEqual(expect.any(String));
  });

  it.each([
    'ordinary name.txt',
    ' leading space',
    '.hidden',
    '..double-dot-prefix',
    'trailing dot.',
    'caf\u00e9 NFC.txt',
    'cafe\u0301 NFD.txt',
    '🌤️ sky.png',
    'a:b*c?.txt',
    '🌤'.repeat(maxNameLength),
  ])('accepts %j', (name) => {
    expect(dropboxNameProblem(name)).toBeNull();
  });
});
