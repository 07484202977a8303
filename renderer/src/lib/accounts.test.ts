import { describe, expect, it } from 'vitest';
import type { AccountDto } from '../../../common/dto';
import {
  accountAfterRemoval,
  accountNeedingReconnect,
  accountSubtitle,
  isSignInProvider,
  offlineNotes,
  quotaSummary,
  removalExplanation,
  syncDetails,
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
  const now = Date.UTC(2025, 5, 15, 12, 0);
  const time = { now, locale: 'en-US', timeZone: 'UTC' };

  it('counts the items written so far while indexing', () => {
    expect(syncSummary({ state: 'crawling', itemCount: 0, lastSyncedAt: null }, time)).toBe(
      'Indexing… 0 items',
    );
    expect(syncSummary({ state: 'crawling', itemCount: 12_345, lastSyncedAt: now }, time)).toBe(
      'Indexing… 12,345 items',
    );
  });
  it('says how long ago an idle account was synced', () => {
    expect(syncSummary({ state: 'idle', itemCount: 5, lastSyncedAt: now - 2 * 60_000 }, time)).toBe(
      'Up to date · 2 min ago',
    );
    expect(syncSummary({ state: 'idle', itemCount: 5, lastSyncedAt: now - 10_000 }, time)).toBe(
      'Up to date · just now',
    );
    expect(syncSummary({ state: 'idle', itemCount: 1, lastSyncedAt: null }, time)).toBe('Up to date');
  });
  it('says an offline account shows its index, and from when', () => {
    const offline = { state: 'offline', itemCount: 7, message: 'ECONNREFUSED' } as const;
    expect(syncSummary({ ...offline, lastSyncedAt: now - 3 * 3_600_000 }, time)).toBe(
      'Offline · showing the index from 3 h ago',
    );
    expect(syncSummary({ ...offline, lastSyncedAt: Date.UTC(2025, 5, 14, 9, 30) }, time)).toBe(
      'Offline · showing the index from yesterday, 9:30 AM',
    );
    expect(syncSummary({ ...offline, lastSyncedAt: null }, time)).toBe('Offline · showing the last index');
    expect(syncSummary({ ...offline, itemCount: 0, lastSyncedAt: null }, time)).toBe(
      'Offline · nothing indexed yet',
    );
  });
  it('gives the reason a sync failed', () => {
    expect(syncSummary({ state: 'error', itemCount: 3, lastSyncedAt: null, message: 'EACCES' }, time)).toBe(
      'Sync failed: EACCES',
    );
  });
});

describe('syncDetails', () => {
  it('gives the item count, the full time of the last sync and why an account is offline', () => {
    const at = Date.UTC(2025, 5, 15, 9, 5, 30);
    expect(syncDetails({ state: 'idle', itemCount: 12_345, lastSyncedAt: null }, 'en-US', 'UTC')).toBe(
      '12,345 items in the index',
    );
    expect(syncDetails({ state: 'idle', itemCount: 1, lastSyncedAt: at }, 'en-US', 'UTC')).toBe(
      '1 item in the index · Last synced Sunday, June 15, 2025 at 9:05:30 AM',
    );
    expect(
      syncDetails(
        { state: 'offline', itemCount: 2, lastSyncedAt: null, message: 'Cannot reach Dropbox' },
        'en-US',
        'UTC',
      ),
    ).toBe('2 items in the index · Cannot reach Dropbox');
  });
});

describe('offlineNotes', () => {
  const now = Date.UTC(2025, 5, 15, 12, 0);
  const time = { now, locale: 'en-US', timeZone: 'UTC' };

  it('has a note for each offline account only', () => {
    const notes = offlineNotes(
      [
        account('a', { name: 'Work', sync: { state: 'idle', itemCount: 1, lastSyncedAt: now } }),
        account('b', {
          name: 'Home',
          sync: { state: 'offline', itemCount: 1, lastSyncedAt: now - 5 * 60_000, message: 'down' },
        }),
        account('c', {
          name: 'Old',
          sync: { state: 'offline', itemCount: 1, lastSyncedAt: null, message: 'down' },
        }),
        account('d', { sync: { state: 'error', itemCount: 1, lastSyncedAt: null, message: 'no' } }),
      ],
      time,
    );
    expect([...notes.keys()]).toEqual(['b', 'c']);
    expect(notes.get('b')).toBe(
      'Home is offline: this result comes from its index from 5 min ago and may be out of date.',
    );
    expect(notes.get('c')).toBe('Old is offline: this result comes from its index and may be out of date.');
  });
  it('is empty without accounts', () => {
    expect(offlineNotes(undefined, time).size).toBe(0);
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
