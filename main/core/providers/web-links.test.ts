import { describe, expect, it } from 'vitest';
import { webUrl, type WebLinkItem } from './web-links';

const item = (overrides: Partial<WebLinkItem>): WebLinkItem => ({
  id: 'x',
  parentId: 'parent',
  name: 'name',
  kind: 'file',
  mimeType: null,
  targetId: null,
  ...overrides,
});
const driveFileId = '1AbCdEfGhIjKlMnOpQrStUvWxYz012345';

describe('webUrl: Google Drive', () => {
  it('opens folders, Docs editors, other files and the root', () => {
    expect(webUrl('gdrive', item({ id: driveFileId, kind: 'folder' }), [])).toBe(
      `https://drive.google.com/drive/folders/${driveFileId}`,
    );
    for (const [mimeType, editor] of [
      ['application/vnd.google-apps.document', 'document'],
      ['application/vnd.google-apps.spreadsheet', 'spreadsheets'],
      ['application/vnd.google-apps.presentation', 'presentation'],
    ]) {
      expect(webUrl('gdrive', item({ id: driveFileId, mimeType }), [])).toBe(
        `https://docs.google.com/${editor}/d/${driveFileId}/edit`,
      );
    }
    expect(webUrl('gdrive', item({ id: driveFileId, mimeType: 'image/png' }), [])).toBe(
      `https://drive.google.com/file/d/${driveFileId}/view`,
    );
    expect(webUrl('gdrive', item({ id: '0AbcdefghijkUk9PVA', parentId: null, kind: 'folder' }), [])).toBe(
      'https://drive.google.com/drive/my-drive',
    );
  });
  it("opens a shortcut's target", () => {
    expect(
      webUrl('gdrive', item({ id: driveFileId, kind: 'folder', targetId: '1TargetTargetTarget' }), []),
    ).toBe('https://drive.google.com/drive/folders/1TargetTargetTarget');
  });
  it('gives null for ids Drive does not issue', () => {
    expect(webUrl('gdrive', item({ id: '../../evil?x=1' }), [])).toBeNull();
    expect(webUrl('gdrive', item({ id: 'short' }), [])).toBeNull();
  });
});

describe('webUrl: Dropbox', () => {
  it('opens folders at their path and files previewed in their folder, every segment encoded', () => {
    expect(
      webUrl('dropbox', item({ id: 'id:abc', kind: 'folder', name: 'Q1 #2' }), ['Work', 'Ré?ports']),
    ).toBe('https://www.dropbox.com/home/Work/R%C3%A9%3Fports/Q1%20%232');
    expect(webUrl('dropbox', item({ id: 'id:abc', name: 'a&b.pdf' }), ['Work'])).toBe(
      'https://www.dropbox.com/home/Work?preview=a%26b.pdf',
    );
    expect(webUrl('dropbox', item({ id: 'id:abc', name: 'top.txt' }), [])).toBe(
      'https://www.dropbox.com/home?preview=top.txt',
    );
    expect(webUrl('dropbox', item({ id: 'root', parentId: null, kind: 'folder', name: '' }), [])).toBe(
      'https://www.dropbox.com/home',
    );
  });
  it('gives null for ids Dropbox does not issue', () => {
    expect(webUrl('dropbox', item({ id: '/path/like/id' }), [])).toBeNull();
  });
});

describe('webUrl: OneDrive', () => {
  it('opens folders by id and cid, files in the viewer over their folder', () => {
    expect(webUrl('onedrive', item({ id: 'AB8DAAB49807BE4!140', kind: 'folder' }), [])).toBe(
      'https://onedrive.live.com/?id=AB8DAAB49807BE4%21140&cid=AB8DAAB49807BE4',
    );
    expect(webUrl('onedrive', item({ id: 'AB8DAAB49807BE4!141', parentId: 'AB8DAAB49807BE4!140' }), [])).toBe(
      'https://onedrive.live.com/?id=AB8DAAB49807BE4%21141&cid=AB8DAAB49807BE4&parId=AB8DAAB49807BE4%21140&o=OneUp',
    );
  });
  it('gives null for ids a personal OneDrive does not issue (Business, or odd ones)', () => {
    expect(
      webUrl('onedrive', item({ id: '01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K', kind: 'folder' }), []),
    ).toBeNull();
    expect(webUrl('onedrive', item({ id: 'ABC!1&evil=1', kind: 'folder' }), [])).toBeNull();
  });
});

describe('webUrl: local', () => {
  it('has no web page', () => {
    expect(webUrl('local', item({ id: '/home/me/x' }), [])).toBeNull();
  });
});
