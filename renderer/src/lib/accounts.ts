/** Account display helpers (pure). */
export { providerLabels } from '../../../common/dto';
import {
  cloudProviderKinds,
  providerLabels,
  type AccountDto,
  type CloudProviderKind,
  type ProviderKind,
  type SyncState,
} from '../../../common/dto';
import {
  formatCount,
  formatFullDate,
  formatRelativeTime,
  formatSize,
  type DateFormatOptions,
} from './format';

/**
 * A one-line account status, the same in the sidebar and the status bar: `Indexing… 12,345 items`,
 * `Up to date · 2 min ago`, `Offline · showing the index from 3 h ago`, `Sync failed: <why>`.
 */
export function syncSummary(sync: SyncState, time: DateFormatOptions): string {
  switch (sync.state) {
    case 'crawling':
      return `Indexing… ${formatCount(sync.itemCount, 'item')}`;
    case 'idle':
      return sync.lastSyncedAt === null
        ? 'Up to date'
        : `Up to date · ${formatRelativeTime(sync.lastSyncedAt, time)}`;
    case 'offline':
      if (sync.lastSyncedAt !== null) {
        return `Offline · showing the index from ${lowerDayWord(formatRelativeTime(sync.lastSyncedAt, time))}`;
      }
      return sync.itemCount === 0 ? 'Offline · nothing indexed yet' : 'Offline · showing the last index';
    case 'error':
      return `Sync failed: ${sync.message}`;
  }
}

/** `Yesterday, 09:30` inside a sentence. */
function lowerDayWord(text: string): string {
  return text.replace(/^(Today|Yesterday)\b/, (word) => word.toLowerCase());
}

/**
 * The status's tooltip, with what the line leaves out: `12,345 items in the index · Last synced
 * <full date>`, and why an account is offline.
 */
export function syncDetails(sync: SyncState, locale?: string, timeZone?: string): string {
  const parts = [`${formatCount(sync.itemCount, 'item')} in the index`];
  if (sync.lastSyncedAt !== null)
    parts.push(`Last synced ${formatFullDate(sync.lastSyncedAt, locale, timeZone)}`);
  if (sync.state === 'offline' && sync.message !== '') parts.push(sync.message);
  return parts.join(' · ');
}

/**
 * For each offline account, what a search hit from it should tell: its results come from the index
 * (of when), which may be out of date. Accounts that are not offline are left out.
 */
export function offlineNotes(
  accounts: readonly AccountDto[] | undefined,
  time: DateFormatOptions,
): ReadonlyMap<string, string> {
  const notes = new Map<string, string>();
  for (const account of accounts ?? []) {
    if (account.sync.state !== 'offline') continue;
    const when =
      account.sync.lastSyncedAt === null
        ? ''
        : ` from ${lowerDayWord(formatRelativeTime(account.sync.lastSyncedAt, time))}`;
    notes.set(
      account.id,
      `${account.name} is offline: this result comes from its index${when} and may be out of date.`,
    );
  }
  return notes;
}

export function isCloud(provider: ProviderKind): boolean {
  return provider !== 'local';
}

/** Whether Skyfold can (re)connect this provider by signing in from the UI. */
export function isSignInProvider(provider: ProviderKind): provider is CloudProviderKind {
  return (cloudProviderKinds as readonly ProviderKind[]).includes(provider);
}

/**
 * The line under a cloud account's name: its e-mail, unless the name already starts with it
 * (`me@example.com`, `me@example.com (Dropbox)`). Null for local folders.
 */
export function accountSubtitle(account: Pick<AccountDto, 'provider' | 'name' | 'location'>): string | null {
  if (!isCloud(account.provider)) return null;
  const location = account.location.trim();
  const name = account.name.trim().toLowerCase();
  const email = location.toLowerCase();
  if (location === '' || name === email || name.startsWith(`${email} (`)) return null;
  return location;
}

export interface QuotaSummary {
  /** 0..100, for the bar; null when the total is unknown (unlimited plans). */
  percent: number | null;
  /** `"1.2 GB of 15 GB used"` or `"1.2 GB used"`. */
  text: string;
  /** For the meter's accessible name: `"Storage: 1.2 GB of 15 GB used"`. */
  label: string;
  /** `high` from 90 %, `full` from 100 %: the bar turns to a warning colour. */
  level: 'ok' | 'high' | 'full';
}

/** What the sidebar shows of an account's storage use, or null when nothing is known. */
export function quotaSummary(quota: AccountDto['quota'] | undefined): QuotaSummary | null {
  if (!quota) return null;
  const used = validBytes(quota.usedBytes);
  const total = validBytes(quota.totalBytes);
  if (used === null) return null;
  if (total === null || total === 0) {
    const text = `${formatSize(used)} used`;
    return { percent: null, text, label: `Storage: ${text}`, level: 'ok' };
  }
  const percent = Math.min(100, Math.max(0, (used / total) * 100));
  const text = `${formatSize(used)} of ${formatSize(total)} used`;
  return {
    percent: Math.round(percent * 10) / 10,
    text,
    label: `Storage: ${text}`,
    level: percent >= 100 ? 'full' : percent >= 90 ? 'high' : 'ok',
  };
}

function validBytes(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}

/**
 * The account the reconnect banner is about: the selected one when it needs reconnecting, else the
 * first other account that does (so a broken account is never silently paused), else null.
 */
export function accountNeedingReconnect(
  accounts: readonly AccountDto[] | undefined,
  selectedId: string | null,
): AccountDto | null {
  if (!accounts) return null;
  const selected = accounts.find((account) => account.id === selectedId);
  if (selected?.health === 'needs_reconnect') return selected;
  return accounts.find((account) => account.health === 'needs_reconnect') ?? null;
}

/** The account to select after `removedId` goes: the next one in the list, else the previous, else null. */
export function accountAfterRemoval(accounts: readonly AccountDto[], removedId: string): AccountDto | null {
  const index = accounts.findIndex((account) => account.id === removedId);
  if (index === -1) return accounts[0] ?? null;
  return accounts[index + 1] ?? accounts[index - 1] ?? null;
}

/** The list with `account` added at the end, or put in place of the one with its id. */
export function withAccount(accounts: readonly AccountDto[] | undefined, account: AccountDto): AccountDto[] {
  if (!accounts) return [account];
  const index = accounts.findIndex((candidate) => candidate.id === account.id);
  if (index === -1) return [...accounts, account];
  return accounts.map((candidate, at) => (at === index ? account : candidate));
}

/** The list without the account `removedId`. */
export function withoutAccount(
  accounts: readonly AccountDto[] | undefined,
  removedId: string,
): AccountDto[] | undefined {
  return accounts?.filter((account) => account.id !== removedId);
}

/** What the remove confirmation says will (and will not) happen. */
export function removalExplanation(account: Pick<AccountDto, 'provider' | 'name'>): string {
  const files = isCloud(account.provider)
    ? `Your files in ${providerLabels[account.provider]} are not touched.`
    : 'The folder and its files on this computer are not touched.';
  const signOut = isCloud(account.provider)
    ? ' Skyfold signs out of this account and forgets its sign-in.'
    : '';
  return `Skyfold forgets ${account.name} and its index. ${files}${signOut}`;
}
