import { describe, expect, it } from 'vitest';
import { maxNameLength, onedriveNameProblem } from './names';

describe('onedriveNameProblem', () => {
  it.each([
    ['', 'empty'],
    ['.', 'dot'],
    ['..', 'parent reference'],
    ['a/b', 'slash'],
    ['a\\b', 'backslash'],
    ['nul\0.txt', 'NUL'],
    ['tab\there', 'control character'],
    ['quote".txt', 'double quote'],
    ['star*.txt', 'asterisk'],
    ['a:b', 'colon'],
    ['<tag>', 'angle brackets'],
    ['why?', 'question mark'],
    ['pipe|name', 'pipe'],
    [' leading space', 'leading space'],
    ['trailing ', 'trailing space'],
    ['trailing dot.', 'trailing dot'],
    ['CON', 'reserved device name'],
    ['com1', 'reserved device name, any case'],
    ['LPT9', 'reserved device name'],
    ['.lock', 'reserved name'],
    ['Desktop.ini', 'reserved name'],
    ['~$draft.docx', 'Office lock file prefix'],
    ['my_vti_folder', '_vti_ anywhere'],
    ['lone \ud800 surrogate', 'lone high surrogate'],
    ['x'.repeat(maxNameLength + 1), 'too long'],
  ])('refuses %j (%s) with a message', (name) => {
    expect(onedriveNameProblem(name)).toEqual(expect.any(String));
  });

  it.each([
    'ordinary name.txt',
    '.hidden',
    '..double-dot-prefix',
    'caf\u00e9 NFC.txt',
    'cafe\u0301 NFD.txt',
    '日本語のファイル.txt',
    '🌤️ sky.png',
    'CON.txt',
    'console',
    '~tilde',
    'AC／DC - Back in Black.txt',
    `${'long'.repeat(50)}.txt`,
  ])('accepts %j', (name) => {
    expect(onedriveNameProblem(name)).toBeNull();
  });
});
