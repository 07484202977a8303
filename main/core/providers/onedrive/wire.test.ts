import { describe, expect, it } from 'vitest';
import { readDeltaPage } from './change-feed';
import { graphTime, isFolder, readItem, toProviderItem } from './wire';

const rootId = 'ABC!101';

describe('readItem', () => {
  it('accepts driveItems and refuses malformed ones', () => {
    expect(readItem({ id: 'ABC!1', name: 'a' }).id).toBe('ABC!1');
    expect(readItem({ id: 'ABC!1', deleted: {} }).deleted).toEqual({});
    for (const bad of [
      null,
      [],
      'x',
      { name: 'no id' },
      { id: 'x' },
      { id: 'x', name: 'a', size: -1 },
      { id: 'x', name: 'a', size: '12' },
      { id: 'x', name: 'a', file: 'yes' },
    ]) {
      expect(() => readItem(bad), JSON.stringify(bad)).toThrow(/malformed/);
    }
  });
});

describe('toProviderItem', () => {
  it('maps a file with its QuickXorHash, MIME type, size and fileSystemInfo time', () => {
    const item = readItem({
      id: 'ABC!7',
      name: 'a.txt',
      size: 12,
      lastModifiedDateTime: '2025-01-02T03:04:05Z',
      fileSystemInfo: { lastModifiedDateTime: '2020-06-07T08:09:10Z' },
      parentReference: { id: 'ABC!5', driveId: 'abc' },
      file: { mimeType: 'text/plain', hashes: { quickXorHash: 'aCgDG9jwBhDc4Q1yawMZAAAAAAA=' } },
    });
    expect(toProviderItem(item, rootId)).toEqual({
      id: 'ABC!7',
      parentId: 'ABC!5',
      name: 'a.txt',
      kind: 'file',
      size: 12,
      modifiedAt: Date.parse('2020-06-07T08:09:10Z'),
      mimeType: 'text/plain',
      targetId: null,
      hashes: { quickxor: 'aCgDG9jwBhDc4Q1yawMZAAAAAAA=' },
    });
  });

  it('maps folders and packages as folders (no size, no hash), the root as the root', () => {
    const folder = readItem({
      id: 'ABC!5',
      name: 'Docs',
      size: 999,
      folder: { childCount: 2 },
      parentReference: { id: rootId },
    });
    expect(toProviderItem(folder, rootId)).toMatchObject({
      kind: 'folder',
      size: null,
      hashes: {},
      parentId: rootId,
    });
    const notebook = readItem({
      id: 'ABC!6',
      name: 'Notes',
      package: { type: 'oneNote' },
      parentReference: { id: rootId },
    });
    expect(isFolder(notebook)).toBe(true);
    const root = readItem({ id: rootId, name: 'root', root: {}, folder: {} });
    expect(toProviderItem(root, rootId)).toMatchObject({
      id: rootId,
      parentId: null,
      kind: 'folder',
      name: 'OneDrive',
    });
  });

  it('takes the parent the caller knows (a listing), and refuses items without one or deleted', () => {
    const item = readItem({ id: 'ABC!9', name: 'x', file: {} });
    expect(toProviderItem(item, rootId, 'ABC!5').parentId).toBe('ABC!5');
    expect(() => toProviderItem(item, rootId)).toThrow(/did not say where/);
    expect(() => toProviderItem(readItem({ id: 'ABC!9', deleted: {} }), rootId, 'ABC!5')).toThrow(/deleted/);
  });
});

describe('graphTime', () => {
  it('is UTC ISO 8601 in whole seconds', () => {
    expect(graphTime(Date.parse('2025-03-04T05:06:07.890Z'))).toBe('2025-03-04T05:06:07Z');
  });
});

describe('readDeltaPage', () => {
  it('reads items and exactly one of nextLink and deltaLink', () => {
    expect(
      readDeltaPage({ value: [{ id: 'a', deleted: {} }], '@odata.deltaLink': 'http://x/v1.0/d?token=1' }),
    ).toEqual({
      items: [{ id: 'a', deleted: {} }],
      deltaLink: 'http://x/v1.0/d?token=1',
    });
    expect(readDeltaPage({ value: [], '@odata.nextLink': 'n' }).nextLink).toBe('n');
    for (const bad of [
      { value: [] },
      { value: [], '@odata.nextLink': 'n', '@odata.deltaLink': 'd' },
      { '@odata.deltaLink': 'd' },
      { value: {}, '@odata.deltaLink': 'd' },
    ]) {
      expect(() => readDeltaPage(bad), JSON.stringify(bad)).toThrow(/malformed/);
    }
  });
});
