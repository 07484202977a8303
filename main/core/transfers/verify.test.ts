import { describe, expect, it } from 'vitest';
import { checkDestination, planHashes, sourceMismatch } from './verify';

describe('planHashes', () => {
  it('always computes sha256, the destination types, and one type the source reported', () => {
    expect(planHashes({ dropbox: 'c0ffee' }, ['quickxor'])).toEqual({
      compute: ['sha256', 'quickxor', 'dropbox'],
      sourceCheck: 'dropbox',
    });
    // Drive reports md5 and often sha256: sha256 is preferred, it is computed anyway.
    expect(planHashes({ md5: 'aa', sha256: 'bb' }, ['dropbox'])).toEqual({
      compute: ['sha256', 'dropbox'],
      sourceCheck: 'sha256',
    });
  });

  it('has no source check when the source reports no hash (local files)', () => {
    expect(planHashes({}, ['md5', 'sha1', 'sha256'])).toEqual({
      compute: ['sha256', 'md5', 'sha1'],
      sourceCheck: null,
    });
  });
});

describe('sourceMismatch', () => {
  const plan = planHashes({ quickxor: 'AAAA' }, ['md5']);
  it('accepts the bytes when the computed hash equals the reported one', () => {
    expect(sourceMismatch(plan, { quickxor: 'AAAA' }, { quickxor: 'AAAA', md5: 'x' })).toBeNull();
  });
  it('says why when they differ (a flipped byte on the way)', () => {
    expect(sourceMismatch(plan, { quickxor: 'AAAA' }, { quickxor: 'AAAB' })).toMatch(/quickxor AAAB.*AAAA/);
  });
});

describe('checkDestination', () => {
  it('matches type by type, hex case-insensitively, and ignores types only one side has', () => {
    expect(
      checkDestination({ sha256: 'ab', md5: 'CD', quickxor: 'Qw==' }, { md5: 'cd', sha1: 'ff' }),
    ).toEqual({
      matched: ['md5'],
      mismatched: [],
    });
  });
  it('reports every disagreeing type', () => {
    expect(checkDestination({ md5: 'aa', sha256: 'bb' }, { md5: 'aa', sha256: 'bc' })).toEqual({
      matched: ['md5'],
      mismatched: ['sha256'],
    });
    expect(checkDestination({ quickxor: 'Qw==' }, { quickxor: 'qw==' }).mismatched).toEqual(['quickxor']);
  });
});
