import { describe, expect, it } from 'vitest';
import { isHttpUrl } from './urls';

describe('isHttpUrl', () => {
  it('accepts absolute http and https URLs', () => {
    expect(isHttpUrl('https://accounts.google.com/o/oauth2/v2/auth?client_id=x&state=y')).toBe(true);
    expect(isHttpUrl('http://127.0.0.1:4567/auth')).toBe(true);
  });

  it('refuses script, data, file and relative URLs, and non-strings', () => {
    expect(isHttpUrl('javascript:alert(1)')).toBe(false);
    expect(isHttpUrl(' JavaScript:alert(1)')).toBe(false);
    expect(isHttpUrl('data:text/html,<script>1</script>')).toBe(false);
    expect(isHttpUrl('file:///etc/passwd')).toBe(false);
    expect(isHttpUrl('/auth')).toBe(false);
    expect(isHttpUrl('//evil.example/auth')).toBe(false);
    expect(isHttpUrl('')).toBe(false);
    expect(isHttpUrl(null)).toBe(false);
    expect(isHttpUrl(42)).toBe(false);
    expect(isHttpUrl(`https://example.com/${'a'.repeat(9000)}`)).toBe(false);
  });
});
