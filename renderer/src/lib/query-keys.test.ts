import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { TransferBatchDto } from '../../../common/transfers';
import { keysToInvalidate, queryKeys } from './query-keys';

describe('queryKeys', () => {
  it('orders list keys general to specific', () => {
    expect(queryKeys.listPage('acc', 'dir', { by: 'size', direction: 'desc' }, 3)).toEqual([
      'list',
      'acc',
      'dir',
      'size',
      'desc',
      3,
    ]);
  });
  it('keys search pages by the box’s text, under one prefix', () => {
    expect(queryKeys.searchPage('report ext:pdf', 2)).toEqual(['search', 'report ext:pdf', 2]);
    expect(queryKeys.searchPage('x', 0).slice(0, 1)).toEqual(queryKeys.searches());
  });
});

describe('keysToInvalidate', () => {
  it('maps index-changed to that account’s listings, stats, the account list and every search', () => {
    expect(keysToInvalidate({ type: 'index-changed', accountId: 'acc' })).toEqual([
      ['list', 'acc'],
      ['stat', 'acc'],
      ['accounts'],
      ['merged'],
      ['search'],
    ]);
  });
  it('maps notices-changed to the notices', () => {
    expect(keysToInvalidate({ type: 'notices-changed' })).toEqual([['notices']]);
  });

  it('maps transfers-changed to the transfer list', () => {
    expect(keysToInvalidate({ type: 'transfers-changed' })).toEqual([['transfers']]);
  });

  it('maps transfer-finished to the transfers and the destination account’s listings and searches', () => {
    const batch: TransferBatchDto = {
      id: 'b1',
      op: 'copy',
      state: 'finished',
      destination: { accountId: 'dst', folderId: 'root' },
      createdAt: 1,
      finishedAt: 2,
      summary: { done: 1, skipped: 0, failed: 0, cancelled: 0, bytes: 3 },
      files: 1,
      bytes: 3,
      bytesDone: 3,
      rate: 0,
      open: 0,
      paused: 0,
      conflicts: [],
    };
    expect(keysToInvalidate({ type: 'transfer-finished', batch })).toEqual([
      ['transfers'],
      ['list', 'dst'],
      ['merged'],
      ['search'],
    ]);
    expect(
      keysToInvalidate({ type: 'transfer-finished', batch: { ...batch, destination: { path: '/tmp/x' } } }),
    ).toEqual([['transfers']]);
  });

  it('maps accounts-changed to the account list and every search', () => {
    expect(keysToInvalidate({ type: 'accounts-changed' })).toEqual([['accounts'], ['merged'], ['search']]);
  });

  it('invalidates exactly the changed account’s queries in a real cache', async () => {
    const client = new QueryClient();
    const sort = { by: 'name', direction: 'asc' } as const;
    const keys = [
      queryKeys.listPage('a', 'root', sort, 0),
      queryKeys.listPage('a', 'sub', sort, 4),
      queryKeys.stat('a', 'file'),
      queryKeys.listPage('b', 'root', sort, 0),
      queryKeys.stat('b', 'file'),
      queryKeys.accounts(),
      queryKeys.searchPage('report', 0),
    ];
    for (const key of keys) client.setQueryData(key, 'data');
    for (const queryKey of keysToInvalidate({ type: 'index-changed', accountId: 'a' })) {
      await client.invalidateQueries({ queryKey });
    }
    const stale = keys.map((key) => client.getQueryState(key)?.isInvalidated);
    expect(stale).toEqual([true, true, true, false, false, true, true]);
  });
});

describe('keys of the folder tree and the breadcrumb menus', () => {
  it('go stale with the listings they come from', async () => {
    const client = new QueryClient();
    const keys = [
      queryKeys.subfolders('a', 'root'),
      queryKeys.folderTrail('a', 'sub'),
      queryKeys.mergedSubfolders('/Photos'),
      queryKeys.subfolders('b', 'root'),
    ];
    for (const key of keys) client.setQueryData(key, 'data');
    for (const queryKey of keysToInvalidate({ type: 'index-changed', accountId: 'a' })) {
      await client.invalidateQueries({ queryKey });
    }
    expect(keys.map((key) => client.getQueryState(key)?.isInvalidated)).toEqual([true, true, true, false]);
  });
});

describe('keysToInvalidate for sign-in events', () => {
  it('invalidates nothing: the sign-in dialog handles them, accounts-changed follows an add', () => {
    expect(keysToInvalidate({ type: 'sign-in', provider: 'gdrive', url: 'https://example.com' })).toEqual([]);
    expect(keysToInvalidate({ type: 'sign-in', provider: 'gdrive', url: null })).toEqual([]);
  });
});
