import { describe, expect, it } from 'vitest';
import type { ItemDto } from '../../../common/dto';
import { groupByAccount, itemKey, refsOfKey, rowOfItem, rowOfMerged } from './rows';

const item = (accountId: string, id: string, extra: Partial<ItemDto> = {}): ItemDto => ({
  accountId,
  id,
  parentId: 'root',
  name: 'Photos',
  kind: 'folder',
  size: null,
  modifiedAt: null,
  mimeType: null,
  targetId: null,
  ...extra,
});

describe('rows', () => {
  it('keys one item by account and id, and reads the key back', () => {
    const row = rowOfItem(item('a1', 'x/y', { kind: 'file', size: 5, name: 'f.txt' }));
    expect(row.size).toBe(5);
    expect(refsOfKey(row.key)).toEqual([{ accountId: 'a1', itemId: 'x/y' }]);
  });

  it('makes a merged folder one row standing for every account, newest time first', () => {
    const row = rowOfMerged({
      name: 'Photos',
      kind: 'folder',
      items: [item('a1', 'p1', { modifiedAt: 5 }), item('a2', 'p2', { modifiedAt: 9 }), item('a2', 'p3')],
    });
    expect(row.modifiedAt).toBe(9);
    expect(refsOfKey(row.key)).toEqual([
      { accountId: 'a1', itemId: 'p1' },
      { accountId: 'a2', itemId: 'p2' },
      { accountId: 'a2', itemId: 'p3' },
    ]);
    expect(row.key).not.toBe(itemKey(item('a1', 'p1')));
  });

  it('refuses keys it did not make', () => {
    expect(refsOfKey('plain')).toEqual([]);
    expect(refsOfKey('\u0000id')).toEqual([]);
  });

  it('groups refs by account, each id once', () => {
    expect(
      groupByAccount([
        { accountId: 'b', itemId: '1' },
        { accountId: 'a', itemId: '2' },
        { accountId: 'b', itemId: '1' },
        { accountId: 'b', itemId: '3' },
      ]),
    ).toEqual([
      { accountId: 'b', itemIds: ['1', '3'] },
      { accountId: 'a', itemIds: ['2'] },
    ]);
  });
});
