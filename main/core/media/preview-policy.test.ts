import { describe, expect, it } from 'vitest';
import { maxPreviewBytes, maxPreviewTextBytes, planPreview, previewKindOf } from './preview-policy';

describe('previewKindOf', () => {
  it.each([
    ['photo.PNG', null, 'image', 'image/png'],
    ['photo.jpeg', null, 'image', 'image/jpeg'],
    ['scan.bmp', null, 'image', 'image/bmp'],
    ['anim.gif', 'application/octet-stream', 'image', 'image/gif'],
    ['camera-upload', 'image/webp', 'image', 'image/webp'],
    ['Report.pdf', null, 'pdf', 'application/pdf'],
    ['notes.md', null, 'text', 'text/plain; charset=utf-8'],
    ['data', 'application/json', 'text', 'text/plain; charset=utf-8'],
  ])('%s (%s) is previewed as %s served as %s', (name, mimeType, kind, contentType) => {
    expect(previewKindOf(name, mimeType)).toEqual({ kind, contentType });
  });

  it.each([
    ['logo.svg', 'image/svg+xml'],
    ['page.html', 'text/html'],
    ['page.htm', null],
    ['drawing', 'image/svg+xml'],
    ['movie.mp4', 'video/mp4'],
    ['Project plan', 'application/vnd.google-apps.document'],
    ['archive.zip', null],
  ])('refuses %s (%s)', (name, mimeType) => {
    expect(previewKindOf(name, mimeType)).toBeNull();
  });
});

describe('planPreview', () => {
  it('reads a whole image or PDF up to the size limit, and refuses a larger one', () => {
    expect(planPreview({ name: 'a.png', mimeType: null, size: maxPreviewBytes })).toEqual({
      kind: 'image',
      contentType: 'image/png',
      range: undefined,
      truncated: false,
    });
    expect(planPreview({ name: 'a.pdf', mimeType: null, size: maxPreviewBytes + 1 })).toEqual({
      refused: 'size',
    });
    expect(planPreview({ name: 'a.svg', mimeType: null, size: 10 })).toEqual({ refused: 'type' });
  });

  it('cuts a long text to its first bytes and says so', () => {
    expect(planPreview({ name: 'a.txt', mimeType: null, size: maxPreviewTextBytes })).toMatchObject({
      range: undefined,
      truncated: false,
    });
    expect(planPreview({ name: 'a.txt', mimeType: null, size: maxPreviewTextBytes + 1 })).toMatchObject({
      range: { start: 0, end: maxPreviewTextBytes - 1 },
      truncated: true,
    });
    expect(planPreview({ name: 'a.log', mimeType: null, size: null })).toMatchObject({
      range: { start: 0, end: maxPreviewTextBytes - 1 },
      truncated: false,
    });
  });
});
