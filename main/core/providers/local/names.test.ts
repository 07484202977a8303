import { describe, expect, it } from 'vitest';
import { localNameProblem } from './names';

describe('localNameProblem', () => {
  it.each(['', '.', '..', 'a/b', 'nul\0byte', 'x'.repeat(256), '.skyfold-trash', '.skyfold-part-123'])(
    'refuses %j everywhere',
    (name) => {
      expect(localNameProblem(name, 'linux')).not.toBeNull();
      expect(localNameProblem(name, 'win32')).not.toBeNull();
    },
  );

  it.each([
    'CON',
    'con.txt',
    'NUL',
    'Com1.log',
    'LPT9',
    'a:b',
    'what?',
    'tab\there',
    'ends.',
    'ends ',
    'back\\slash',
  ])('refuses %j on Windows only', (name) => {
    expect(localNameProblem(name, 'win32')).not.toBeNull();
    expect(localNameProblem(name, 'linux')).toBeNull();
  });

  it.each([
    'report.pdf',
    '.hidden',
    'with space.txt',
    'caf\u00e9',
    'cafe\u0301',
    '日本語.txt',
    'console.log',
    'e'.repeat(255),
  ])('accepts %j', (name) => {
    expect(localNameProblem(name, 'linux')).toBeNull();
    expect(localNameProblem(name, 'win32')).toBeNull();
  });

  it('counts bytes, not characters', () => {
    expect(localNameProblem('é'.repeat(128), 'linux')).toMatch(/255 bytes/);
  });
});
