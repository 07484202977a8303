import { describe, expect, it } from 'vitest';
import {
  canDropItems,
  clipboardCommand,
  decodeDraggedItems,
  downloadUrlData,
  dragKind,
  dropOperation,
  encodeDraggedItems,
  groupPathsByParent,
  isMacPlatform,
  itemsMimeType,
} from './drag-drop';

const none = { altKey: false, ctrlKey: false, metaKey: false, shiftKey: false };

describe('dragged items', () => {
  it('round-trips through the drag data', () => {
    const items = { accountId: 'a', itemIds: ['1', '2'], parentId: 'root' };
    expect(decodeDraggedItems(encodeDraggedItems(items))).toEqual(items);
    expect(decodeDraggedItems(JSON.stringify({ accountId: 'a', itemIds: ['1'] }))).toEqual({
      accountId: 'a',
      itemIds: ['1'],
    });
  });
  it('refuses anything else', () => {
    expect(decodeDraggedItems('')).toBeNull();
    expect(decodeDraggedItems('not json')).toBeNull();
    expect(decodeDraggedItems('null')).toBeNull();
    expect(decodeDraggedItems(JSON.stringify({ accountId: 'a', itemIds: [] }))).toBeNull();
    expect(decodeDraggedItems(JSON.stringify({ accountId: '', itemIds: ['1'] }))).toBeNull();
    expect(decodeDraggedItems(JSON.stringify({ accountId: 'a', itemIds: [1] }))).toBeNull();
  });
  it('tells items from desktop files by the drag types', () => {
    expect(dragKind([itemsMimeType, 'text/plain'])).toBe('items');
    expect(dragKind(['Files'])).toBe('files');
    expect(dragKind(['text/plain'])).toBeNull();
    expect(dragKind(undefined)).toBeNull();
  });
});

describe('dropOperation', () => {
  it('moves within an account and copies across accounts', () => {
    expect(dropOperation('a', 'a', none, false)).toBe('move');
    expect(dropOperation('a', 'b', none, false)).toBe('copy');
  });
  it('lets Shift force a move, Ctrl (or Option on macOS) force a copy', () => {
    expect(dropOperation('a', 'b', { ...none, shiftKey: true }, false)).toBe('move');
    expect(dropOperation('a', 'a', { ...none, ctrlKey: true }, false)).toBe('copy');
    expect(dropOperation('a', 'a', { ...none, altKey: true }, false)).toBe('move');
    expect(dropOperation('a', 'a', { ...none, altKey: true }, true)).toBe('copy');
    expect(dropOperation('a', 'a', { ...none, ctrlKey: true }, true)).toBe('move');
  });
  it('knows macOS', () => {
    expect(isMacPlatform('MacIntel')).toBe(true);
    expect(isMacPlatform('macOS')).toBe(true);
    expect(isMacPlatform('Linux x86_64')).toBe(false);
    expect(isMacPlatform('Win32')).toBe(false);
    expect(isMacPlatform(undefined)).toBe(false);
  });
});

describe('canDropItems', () => {
  const items = { accountId: 'a', itemIds: ['f1', 'x'], parentId: 'root' };
  it('refuses a folder onto itself and items back where they are', () => {
    expect(canDropItems(items, { accountId: 'a', folderId: 'f1' })).toBe(false);
    expect(canDropItems(items, { accountId: 'a', folderId: 'root' })).toBe(false);
  });
  it('takes any other folder, and any folder of another account', () => {
    expect(canDropItems(items, { accountId: 'a', folderId: 'other' })).toBe(true);
    expect(canDropItems(items, { accountId: 'b', folderId: 'f1' })).toBe(true);
    expect(canDropItems({ accountId: 'a', itemIds: ['x'] }, { accountId: 'a', folderId: 'root' })).toBe(true);
  });
});

describe('groupPathsByParent', () => {
  it('makes one group per parent folder, in order', () => {
    expect(groupPathsByParent(['/home/me/a.txt', '/home/me/b', '/tmp/c', '/home/me/d/'])).toEqual([
      { parent: '/home/me', paths: ['/home/me/a.txt', '/home/me/b', '/home/me/d/'] },
      { parent: '/tmp', paths: ['/tmp/c'] },
    ]);
  });
  it('understands Windows paths and the root', () => {
    expect(groupPathsByParent(['C:\\Users\\me\\a.txt', 'C:\\b.txt', '/c.txt', ''])).toEqual([
      { parent: 'C:\\Users\\me', paths: ['C:\\Users\\me\\a.txt'] },
      { parent: 'C:\\', paths: ['C:\\b.txt'] },
      { parent: '/', paths: ['/c.txt'] },
    ]);
  });
});

describe('downloadUrlData', () => {
  it('gives Chrome’s mime:name:url', () => {
    expect(downloadUrlData('text/plain', 'a.txt', 'http://127.0.0.1:1/download?a=1')).toBe(
      'text/plain:a.txt:http://127.0.0.1:1/download?a=1',
    );
  });
  it('defaults the type and keeps colons out of the name', () => {
    expect(downloadUrlData(null, 'a:b.txt', 'http://h/d')).toBe(
      'application/octet-stream:a_b.txt:http://h/d',
    );
    expect(downloadUrlData('bad type', '', 'http://h/d')).toBe(
      'application/octet-stream:download:http://h/d',
    );
  });
});

describe('clipboardCommand', () => {
  it('maps Ctrl+X/C/V off macOS and Cmd on macOS', () => {
    expect(clipboardCommand({ ...none, key: 'x', ctrlKey: true }, false)).toBe('cut');
    expect(clipboardCommand({ ...none, key: 'C', ctrlKey: true }, false)).toBe('copy');
    expect(clipboardCommand({ ...none, key: 'v', ctrlKey: true }, false)).toBe('paste');
    expect(clipboardCommand({ ...none, key: 'v', metaKey: true }, true)).toBe('paste');
    expect(clipboardCommand({ ...none, key: 'v', ctrlKey: true }, true)).toBeNull();
  });
  it('ignores other keys and extra modifiers', () => {
    expect(clipboardCommand({ ...none, key: 'v' }, false)).toBeNull();
    expect(clipboardCommand({ ...none, key: 'a', ctrlKey: true }, false)).toBeNull();
    expect(clipboardCommand({ ...none, key: 'v', ctrlKey: true, shiftKey: true }, false)).toBeNull();
  });
});
