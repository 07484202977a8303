import { describe, expect, it } from 'vitest';
import { formatAccountPath, parseAccountPath } from './account-path';

describe('ACCOUNT:PATH', () => {
  it('parses account and path', () => {
    expect(parseAccountPath('Photos:/2024/May')).toEqual({ account: 'Photos', path: '/2024/May' });
    expect(parseAccountPath('Photos:2024')).toEqual({ account: 'Photos', path: '/2024' });
  });
  it('treats a bare account and a trailing colon as the root', () => {
    expect(parseAccountPath('Photos')).toEqual({ account: 'Photos', path: '/' });
    expect(parseAccountPath('Photos:')).toEqual({ account: 'Photos', path: '/' });
  });
  it('keeps later colons in the path', () => {
    expect(parseAccountPath('work:/a:b')).toEqual({ account: 'work', path: '/a:b' });
  });
  it('refuses an empty account', () => {
    expect(() => parseAccountPath(':/x')).toThrow(/does not name an account/);
  });
  it('formats what it parses', () => {
    expect(formatAccountPath(parseAccountPath('a:b/c'))).toBe('a:/b/c');
  });
});
