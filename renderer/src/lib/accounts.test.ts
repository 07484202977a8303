import { describe, expect, it } from 'vitest';
import type { AccountDto } from '../../../common/dto';
import {
  accountAfterRemoval,
  accountNeedingReconnect,
  accountSubtitle,
  isSignInProvider,
  quotaSummary,
  removalExplanation,
  syncSummary,
  withAccount,
  withoutAccount,
} from './accounts';

function account(id: string, extra: Partial<AccountDto> = {}): AccountDto {
  return {
    id,
    name: id,
    provider: 'local',
    location: `/home/${id}`,
    rootId: 'root',
    sync: { state: 'idle', itemCount: 0, lastSyncedAt: null },
    quota: null,
    health: 'ok',
    ...extra,
  };
}

describe('syncSummary', () => {
  it('describes each sync state', () => {
    expect(syncSummary({ state: 'idle', itemCount: 12_345, lastSyncedAt: 1 })).toBe(
      `${(12_345).toLocaleString()} items`,
    );
    expect(syncSummary({ state: 'idle', itemCount: 1, lastSyncedAt: null })).toBe('1 item');
    expect(syncSummary({ state: 'crawling', itemCount: 0, lastSyncedAt: null })).toBe('Indexing… 0 items');
    expect(syncSummary({ state: 'error', itemCount: 3, lastSyncedAt: null, message: 'EACCES' })).toBe(
      'Sync failed: EACCES',
    );
  });
});

describe('accountSubtitle', () => {
  it('shows a cloud account’s e-mail unless the name is the e-mail', () => {
    expect(accountSubtitle({ provider: 'gdrive', name: 'Work', location: 'me@example.com' })).toBe(
      'me@example.com',
    );
    expect(accountSubtitle({ provider: 'gdrive', name: 'Me@Example.com', location: 'me@example.com' })).toBe(
      null,
    );
    expect(accountSubtitle({ provider: 'gdrive', name: 'Work', location: '' })).toBe(null);
  });

  it('shows nothing when the name already contains the e-mail (the same person in two clouds)', () => {
    expect(
      accountSubtitle({ provider: 'dropbox', name: 'me@example.com (Dropbox)', location: 'me@example.com' }),
    ).toBe(null);
    expect(
      accountSubtitle({ provider: 'dropbox', name: 'you@example.com (Dropbox)', location: 'me@example.com' }),
    ).toBe('me@example.com');
    expect(
      accountSubtitle({ provider: 'gdrive', name: 'not-me@example.com', location: 'me@example.com' }),
    ).toBe('me@example.com');
  });

  it('shows nothing for local folders', () => {
    expect(accountSubtitle({ provider: 'local', name: 'Docs', location: '/home/me/Docs' })).toBe(null);
  });
});

describe('quotaSummary', () => {
  it('gives the percentage, text and label when both numbers are known', () => {
    expect(quotaSummary({ usedBytes: 1_200_000_000, totalBytes: 15_000_000_000 })).toEqual({
      percent: 8,
      text: '1.2 GB of 15 GB used',
      label: 'Storage: 1.2 GB of 15 GB used',
      level: 'ok',
    });
  });

  it('rounds to one decimal and clamps to 0..100', () => {
    expect(quotaSummary({ usedBytes: 1, totalBytes: 3 })?.percent).toBe(33.3);
    expect(quotaSummary({ usedBytes: 20, totalBytes: 10 })?.percent).toBe(100);
    expect(quotaSummary({ usedBytes: 0, totalBytes: 10 })?.percent).toBe(0);
  });

  it('warns from 90 % and when full', () => {
    expect(quotaSummary({ usedBytes: 89, totalBytes: 100 })?.level).toBe('ok');
    expect(quotaSummary({ usedBytes: 90, totalBytes: 100 })?.level).toBe('high');
    expect(quotaSummary({ usedBytes: 100, totalBytes: 100 })?.level).toBe('full');
  });

  it('shows only the use when the total is unknown or zero (no bar)', () => {
    expect(quotaSummary({ usedBytes: 5_000_000, totalBytes: null })).toEqual({
      percent: null,
      text: '5 MB used',
      label: 'Storage: 5 MB used',
      level: 'ok',
    });
    expect(quotaSummary({ usedBytes: 5_000_000, totalBytes: 0 })?.percent).toBe(null);
  });

  it('gives nothing when the use is unknown or invalid', () => {
    expect(quotaSummary(null)).toBe(null);
    expect(quotaSummary(undefined)).toBe(null);
    expect(quotaSummary({ usedBytes: null, totalBytes: 100 })).toBe(null);
    expect(quotaSummary({ usedBytes: -1, totalBytes: 100 })).toBe(null);
    expect(quotaSummary({ usedBytes: Number.NaN, totalBytes: 100 })).toBe(null);
  });
});

describe('accountNeedingReconnect', () => {
  const ok = account('a');
  const brokenB = account('b', { provider: 'gdrive', health: 'needs_reconnect' });
  const brokenC = account('c', { provider: 'gdrive', health: 'needs_reconnect' });

  it('prefers the selected account, else the first broken one', () => {
    expect(accountNeedingReconnect([ok, brokenB, brokenC], 'c')).toBe(brokenC);
    expect(accountNeedingReconnect([ok, brokenB, brokenC], 'a')).toBe(brokenB);
    expect(accountNeedingReconnect([ok, brokenB], null)).toBe(brokenB);
  });

  it('gives null when every account is fine', () => {
    expect(accountNeedingReconnect([ok], 'a')).toBe(null);
    expect(accountNeedingReconnect(undefined, 'a')).toBe(null);
  });
});

describe('accountAfterRemoval', () => {
  const list = [account('a'), account('b'), account('c')];
  it('picks the next account, else the previous, else none', () => {
    expect(accountAfterRemoval(list, 'a')?.id).toBe('b');
    expect(accountAfterRemoval(list, 'b')?.id).toBe('c');
    expect(accountAfterRemoval(list, 'c')?.id).toBe('b');
    expect(accountAfterRemoval([account('a')], 'a')).toBe(null);
    expect(accountAfterRemoval(list, 'zzz')?.id).toBe('a');
  });
});

describe('withAccount / withoutAccount', () => {
  it('appends a new account and replaces one with the same id', () => {
    const a = account('a');
    const b = account('b');
    expect(withAccount(undefined, a)).toEqual([a]);
    expect(withAccount([a], b)).toEqual([a, b]);
    const renamed = account('a', { name: 'Renamed' });
    expect(withAccount([a, b], renamed)).toEqual([renamed, b]);
  });

  it('drops an account', () => {
    expect(withoutAccount([account('a'), account('b')], 'a')?.map((x) => x.id)).toEqual(['b']);
    expect(withoutAccount(undefined, 'a')).toBe(undefined);
  });
});

describe('removalExplanation', () => {
  it('says files are not touched, and that clouds are signed out of', () => {
    const local = removalExplanation({ provider: 'local', name: 'Docs' });
    expect(local).toContain('not touched');
    expect(local).not.toContain('signs out');
    const cloud = removalExplanation({ provider: 'gdrive', name: 'Work' });
    expect(cloud).toContain('Google Drive are not touched');
    expect(cloud).toContain('signs out');
  });
});

describe('isSignInProvider', () => {
  it('is true for the clouds the UI can sign in to', () => {
    expect(isSignInProvider('gdrive')).toBe(true);
    expect(isSignInProvider('dropbox')).toBe(true);
    expect(isSignInProvider('onedrive')).toBe(true);
  });

  it('is false for local folders, which need no sign-in', () => {
    expect(isSignInProvider('local')).toBe(false);
  });
});
