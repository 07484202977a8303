import { describe, expect, it } from 'vitest';
import { formatLocationHash, parseLocationHash } from './location';

describe('location hash', () => {
  it('round-trips ids with slashes, spaces and unicode', () => {
    const place = { accountId: 'acc 1', folderId: '/home/ann/Fotos été/2024' };
    const hash = formatLocationHash(place);
    expect(hash).toBe('#/acc%201/%2Fhome%2Fann%2FFotos%20%C3%A9t%C3%A9%2F2024');
    expect(parseLocationHash(hash)).toEqual(place);
  });
  it('writes the root as the account alone', () => {
    expect(formatLocationHash({ accountId: 'acc', folderId: null })).toBe('#/acc');
    expect(parseLocationHash('#/acc')).toEqual({ accountId: 'acc', folderId: null });
    expect(parseLocationHash('#/acc/')).toEqual({ accountId: 'acc', folderId: null });
  });
  it('refuses anything else', () => {
    expect(parseLocationHash('')).toBeNull();
    expect(parseLocationHash('#')).toBeNull();
    expect(parseLocationHash('#/')).toBeNull();
    expect(parseLocationHash('#/a/b/c')).toBeNull();
    expect(parseLocationHash('#/%E0%A4%A')).toBeNull();
  });
});
