import { describe, expect, it } from 'vitest';
import {
  fetchPreview,
  hashRows,
  isProviderWebUrl,
  isTruncated,
  mostVisiblePage,
  previewErrorMessage,
  previewKind,
  PreviewRequestError,
  tabForKey,
} from './preview';
import { keysToInvalidate, queryKeys } from './query-keys';

const file = (name: string, mimeType: string | null = null) => ({ kind: 'file' as const, name, mimeType });

describe('previewKind', () => {
  it('previews images, text and PDF by extension, whatever the case', () => {
    expect(previewKind(file('beach.PNG'))).toBe('image');
    expect(previewKind(file('photo.jpeg'))).toBe('image');
    expect(previewKind(file('anim.webp'))).toBe('image');
    expect(previewKind(file('notes.txt'))).toBe('text');
    expect(previewKind(file('README.md'))).toBe('text');
    expect(previewKind(file('data.csv'))).toBe('text');
    expect(previewKind(file('main.py'))).toBe('text');
    expect(previewKind(file('Invoice 2025-03.pdf'))).toBe('pdf');
  });

  it('falls back to the MIME type when the extension says nothing', () => {
    expect(previewKind(file('scan', 'image/jpeg'))).toBe('image');
    expect(previewKind(file('report', 'application/pdf'))).toBe('pdf');
    expect(previewKind(file('CHANGES', 'text/markdown'))).toBe('text');
    expect(previewKind(file('config', 'application/json; charset=utf-8'))).toBe('text');
  });

  it('lets a known extension win over a vague MIME type', () => {
    expect(previewKind(file('notes.txt', 'application/octet-stream'))).toBe('text');
  });

  it('gives no preview to what the hosts refuse: folders, SVG, HTML, Google documents, other types', () => {
    expect(previewKind({ kind: 'folder', name: 'photos.png', mimeType: null })).toBe('none');
    expect(previewKind(file('logo.svg', 'image/svg+xml'))).toBe('none');
    expect(previewKind(file('drawing', 'image/svg+xml'))).toBe('none');
    expect(previewKind(file('page.html', 'text/html'))).toBe('none');
    expect(previewKind(file('page', 'text/html'))).toBe('none');
    expect(previewKind(file('Project plan', 'application/vnd.google-apps.document'))).toBe('none');
    expect(previewKind(file('notes.txt', 'application/vnd.google-apps.document'))).toBe('none');
    expect(previewKind(file('movie.mp4', 'video/mp4'))).toBe('none');
    expect(previewKind(file('dataset.bin', 'application/octet-stream'))).toBe('none');
    expect(previewKind(file('.hidden-settings'))).toBe('none');
  });
});

describe('hashRows', () => {
  it('labels known hashes in a stable order whatever order they come in', () => {
    const rows = hashRows({ quickxor: 'q', sha256: 's2', dropbox: 'd', md5: 'm', sha1: 's1' });
    expect(rows.map((row) => row.label)).toEqual([
      'MD5',
      'SHA-1',
      'SHA-256',
      'Dropbox content hash',
      'QuickXorHash',
    ]);
    expect(rows.map((row) => row.value)).toEqual(['m', 's1', 's2', 'd', 'q']);
  });

  it('puts unknown types last, alphabetically, and drops empty values', () => {
    expect(hashRows({ xxh3: 'x', crc32: 'c', md5: '', sha256: 'abc' })).toEqual([
      { type: 'sha256', label: 'SHA-256', value: 'abc' },
      { type: 'crc32', label: 'CRC32', value: 'c' },
      { type: 'xxh3', label: 'XXH3', value: 'x' },
    ]);
    expect(hashRows({})).toEqual([]);
  });
});

describe('isTruncated', () => {
  it('reads the host’s truncation header', () => {
    expect(isTruncated(new Headers({ 'X-Preview-Truncated': 'true' }))).toBe(true);
    expect(isTruncated(new Headers({ 'x-preview-truncated': 'TRUE' }))).toBe(true);
    expect(isTruncated(new Headers({ 'X-Preview-Truncated': 'false' }))).toBe(false);
    expect(isTruncated(new Headers())).toBe(false);
  });
});

describe('previewErrorMessage', () => {
  it('turns the host’s statuses into sentences', () => {
    expect(previewErrorMessage(415)).toBe('There is no preview for this kind of file.');
    expect(previewErrorMessage(413)).toBe('This file is too large to preview.');
    expect(previewErrorMessage(404)).toMatch(/no longer there/);
    expect(previewErrorMessage(503)).toMatch(/could not be reached/);
    expect(previewErrorMessage(500)).toBe('The preview could not be loaded (error 500).');
  });
});

describe('fetchPreview', () => {
  it('resolves 2xx responses, with the session cookie of the same origin', async () => {
    const seen: RequestInit[] = [];
    const response = await fetchPreview('/preview?account=a&item=b', undefined, async (_url, init) => {
      seen.push(init!);
      return new Response('hello', { status: 200 });
    });
    await expect(response.text()).resolves.toBe('hello');
    expect(seen[0]?.credentials).toBe('same-origin');
  });

  it('rejects other statuses with the sentence for them', async () => {
    const failing = fetchPreview('/preview', undefined, async () => new Response('nope', { status: 415 }));
    await expect(failing).rejects.toBeInstanceOf(PreviewRequestError);
    await expect(failing).rejects.toMatchObject({
      status: 415,
      message: 'There is no preview for this kind of file.',
    });
  });
});

describe('isProviderWebUrl', () => {
  it('accepts https addresses on the provider’s own web hosts', () => {
    expect(isProviderWebUrl('https://drive.google.com/file/d/abc/view', 'gdrive')).toBe(true);
    expect(isProviderWebUrl('https://docs.google.com/document/d/abc/edit', 'gdrive')).toBe(true);
    expect(isProviderWebUrl('https://www.dropbox.com/home/Documents?preview=a.txt', 'dropbox')).toBe(true);
    expect(isProviderWebUrl('https://onedrive.live.com/?id=ABC%21123', 'onedrive')).toBe(true);
  });

  it('refuses another provider’s host, other schemes, look-alike hosts, credentials and ports', () => {
    expect(isProviderWebUrl('https://www.dropbox.com/home', 'gdrive')).toBe(false);
    expect(isProviderWebUrl('http://drive.google.com/file/d/abc/view', 'gdrive')).toBe(false);
    expect(isProviderWebUrl('javascript:alert(1)//drive.google.com', 'gdrive')).toBe(false);
    expect(isProviderWebUrl('file:///etc/passwd', 'gdrive')).toBe(false);
    expect(isProviderWebUrl('https://drive.google.com.evil.example/x', 'gdrive')).toBe(false);
    expect(isProviderWebUrl('https://evil.example/?drive.google.com', 'gdrive')).toBe(false);
    expect(isProviderWebUrl('https://drive.google.com@evil.example/x', 'gdrive')).toBe(false);
    expect(isProviderWebUrl('https://user@drive.google.com/x', 'gdrive')).toBe(false);
    expect(isProviderWebUrl('https://drive.google.com:8443/x', 'gdrive')).toBe(false);
    expect(isProviderWebUrl('not a url', 'gdrive')).toBe(false);
  });

  it('never opens anything for a local folder', () => {
    expect(isProviderWebUrl('https://drive.google.com/file/d/abc/view', 'local')).toBe(false);
  });
});

describe('mostVisiblePage', () => {
  it('names the page most in view, the first of equals', () => {
    expect(
      mostVisiblePage(
        new Map([
          [1, 1],
          [2, 0.6],
        ]),
        1,
      ),
    ).toBe(1);
    expect(
      mostVisiblePage(
        new Map([
          [1, 0.2],
          [2, 0.9],
          [3, 0],
        ]),
        1,
      ),
    ).toBe(2);
    expect(
      mostVisiblePage(
        new Map([
          [3, 0.5],
          [2, 0.5],
        ]),
        1,
      ),
    ).toBe(2);
  });

  it('keeps the fallback while no page is in view', () => {
    expect(
      mostVisiblePage(
        new Map([
          [1, 0],
          [2, 0],
        ]),
        4,
      ),
    ).toBe(4);
    expect(mostVisiblePage(new Map(), 1)).toBe(1);
  });
});

describe('tabForKey', () => {
  it('moves between the two tabs with the arrows, Home and End', () => {
    expect(tabForKey('preview', 'ArrowRight')).toBe('properties');
    expect(tabForKey('properties', 'ArrowRight')).toBe('preview');
    expect(tabForKey('preview', 'ArrowLeft')).toBe('properties');
    expect(tabForKey('properties', 'Home')).toBe('preview');
    expect(tabForKey('preview', 'End')).toBe('properties');
    expect(tabForKey('preview', 'Enter')).toBeNull();
  });
});

describe('the panel’s query keys', () => {
  const isPrefix = (prefix: readonly unknown[], key: readonly unknown[]) =>
    prefix.every((part, index) => key[index] === part);

  it('refresh an item’s details when its account’s index changes, and only then', () => {
    const details = queryKeys.itemDetails('acc', 'item');
    expect(
      keysToInvalidate({ type: 'index-changed', accountId: 'acc' }).some((p) => isPrefix(p, details)),
    ).toBe(true);
    expect(
      keysToInvalidate({ type: 'index-changed', accountId: 'other' }).some((p) => isPrefix(p, details)),
    ).toBe(false);
  });

  it('key a text preview by the file’s version, which no event invalidates', () => {
    const before = queryKeys.previewText('acc', 'item', 10, 1000);
    expect(queryKeys.previewText('acc', 'item', 10, 2000)).not.toEqual(before);
    expect(
      keysToInvalidate({ type: 'index-changed', accountId: 'acc' }).some((p) => isPrefix(p, before)),
    ).toBe(false);
  });
});
