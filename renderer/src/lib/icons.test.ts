import { describe, expect, it } from 'vitest';
import { extensionOf, iconKind } from './icons';

const file = (name: string, mimeType: string | null = null) => ({ kind: 'file' as const, name, mimeType });

describe('extensionOf', () => {
  it('lower-cases the last extension and ignores dotfiles', () => {
    expect(extensionOf('Report.PDF')).toBe('pdf');
    expect(extensionOf('archive.tar.gz')).toBe('gz');
    expect(extensionOf('.bashrc')).toBe('');
    expect(extensionOf('README')).toBe('');
    expect(extensionOf('trailing.')).toBe('');
  });
});

describe('iconKind', () => {
  it('gives folders the folder icon whatever their name', () => {
    expect(iconKind({ kind: 'folder', name: 'photos.zip', mimeType: null })).toBe('folder');
  });
  it('chooses by extension', () => {
    expect(iconKind(file('beach.JPG'))).toBe('image');
    expect(iconKind(file('clip.mov'))).toBe('video');
    expect(iconKind(file('song.flac'))).toBe('audio');
    expect(iconKind(file('backup.tar.gz'))).toBe('archive');
    expect(iconKind(file('main.tsx'))).toBe('code');
    expect(iconKind(file('paper.pdf'))).toBe('pdf');
    expect(iconKind(file('letter.docx'))).toBe('document');
    expect(iconKind(file('budget.xlsx'))).toBe('spreadsheet');
    expect(iconKind(file('data.csv'))).toBe('spreadsheet');
    expect(iconKind(file('talk.pptx'))).toBe('presentation');
    expect(iconKind(file('notes.md'))).toBe('text');
  });
  it('falls back to the MIME type when the extension says nothing', () => {
    expect(iconKind(file('IMG_0001', 'image/heic'))).toBe('image');
    expect(iconKind(file('Budget', 'application/vnd.google-apps.spreadsheet'))).toBe('spreadsheet');
    expect(iconKind(file('Minutes', 'application/vnd.google-apps.document'))).toBe('document');
    expect(iconKind(file('stream', 'audio/ogg'))).toBe('audio');
    expect(iconKind(file('LICENSE', 'text/plain'))).toBe('text');
  });
  it('prefers the extension over a generic MIME type', () => {
    expect(iconKind(file('photo.png', 'application/octet-stream'))).toBe('image');
  });
  it('uses the generic file icon otherwise', () => {
    expect(iconKind(file('blob.bin'))).toBe('file');
    expect(iconKind(file('Makefile', 'application/octet-stream'))).toBe('file');
  });
});
