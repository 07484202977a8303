import { describe, expect, it } from 'vitest';
import { SkyfoldError } from '../../../../common/errors';
import { graphBaseOrigin, itemPath, relativeLink } from './links';

describe('graphBaseOrigin', () => {
  it('is Graph for null, the origin of a configured URL otherwise', () => {
    expect(graphBaseOrigin(null)).toBe('https://graph.microsoft.com');
    expect(graphBaseOrigin('http://127.0.0.1:4100/')).toBe('http://127.0.0.1:4100');
    expect(graphBaseOrigin('https://graph.microsoft.us')).toBe('https://graph.microsoft.us');
  });

  it('refuses what is not an http(s) URL', () => {
    expect(() => graphBaseOrigin('graph.microsoft.com')).toThrow(SkyfoldError);
    expect(() => graphBaseOrigin('ftp://example.com')).toThrow(/http/);
  });
});

describe('relativeLink', () => {
  it('turns absolute links on the configured origin into paths below /v1.0, query kept as sent', () => {
    expect(
      relativeLink(
        'https://graph.microsoft.com/v1.0/me/drive/items/A!1/children?$top=1000&$skiptoken=czox%3D%3D',
        'https://graph.microsoft.com',
      ),
    ).toBe('/me/drive/items/A!1/children?$top=1000&$skiptoken=czox%3D%3D');
    expect(
      relativeLink('http://127.0.0.1:4100/v1.0/me/drive/root/delta?token=abc', 'http://127.0.0.1:4100'),
    ).toBe('/me/drive/root/delta?token=abc');
  });

  it('refuses links to another origin, port or version, and non-URLs (the token never leaves its host)', () => {
    const origin = 'http://127.0.0.1:4100';
    for (const link of [
      'https://evil.example/v1.0/me/drive/root/delta?token=x',
      'http://127.0.0.1:4101/v1.0/me',
      'https://127.0.0.1:4100/v1.0/me',
      'http://127.0.0.1:4100/beta/me',
      'http://127.0.0.1:4100/v1.0me',
      '/v1.0/me',
    ]) {
      expect(() => relativeLink(link, origin), link).toThrow(SkyfoldError);
    }
  });
});

describe('itemPath', () => {
  it('encodes ids and child names, keeping Graph path syntax', () => {
    expect(itemPath('ABC!101')).toBe('/me/drive/items/ABC!101');
    expect(itemPath('ABC!101', { segment: '/children' })).toBe('/me/drive/items/ABC!101/children');
    expect(itemPath('ABC!101', { child: 'a b#?%.txt', segment: '/content' })).toBe(
      '/me/drive/items/ABC!101:/a%20b%23%3F%25.txt:/content',
    );
    expect(itemPath('ABC!101', { child: 'caf\u00e9' })).toBe('/me/drive/items/ABC!101:/caf%C3%A9:');
  });
});
