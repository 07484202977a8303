/** Display formatting for sizes, dates and names (pure). */

const sizeUnits = ['KB', 'MB', 'GB', 'TB', 'PB', 'EB'] as const;

/**
 * A byte count the way file managers show it, in decimal (SI) units like macOS and GNOME:
 * `0 bytes`, `1 byte`, `999 bytes`, `1.5 KB`, `15.2 MB`, `1 GB`. One decimal, a trailing `.0` dropped.
 * `null` (folders, unknown) gives an empty string.
 */
export function formatSize(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1000) return `${Math.round(bytes)} ${bytes === 1 ? 'byte' : 'bytes'}`;
  let value = bytes / 1000;
  let unit = 0;
  // Round first, then step up when rounding reached the next unit (999,960 bytes is "1 MB", not "1000 KB").
  while (unit < sizeUnits.length - 1 && Math.round(value * 10) / 10 >= 1000) {
    value /= 1000;
    unit++;
  }
  const rounded = (Math.round(value * 10) / 10).toFixed(1).replace(/\.0$/, '');
  return `${rounded} ${sizeUnits[unit]}`;
}

export interface DateFormatOptions {
  /** The current time, epoch ms (to tell "today" and "this year"). */
  now: number;
  locale?: string | undefined;
  timeZone?: string | undefined;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(
  locale: string | undefined,
  timeZone: string | undefined,
  options: Intl.DateTimeFormatOptions,
) {
  const key = `${locale ?? ''}|${timeZone ?? ''}|${JSON.stringify(options)}`;
  let cached = formatters.get(key);
  if (!cached) {
    cached = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    formatters.set(key, cached);
  }
  return cached;
}

function dayKey(ms: number, locale: string | undefined, timeZone: string | undefined): string {
  return formatter(locale, timeZone, { year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}

function yearOf(ms: number, locale: string | undefined, timeZone: string | undefined): string {
  return formatter(locale, timeZone, { year: 'numeric' }).format(ms);
}

/**
 * A modification time, short and scannable: `Today, 14:05`, `Yesterday, 09:30`, `Mar 4, 14:05` this year,
 * `Mar 4, 2023` in other years. `null` (unknown) gives an empty string.
 */
export function formatModified(ms: number | null | undefined, options: DateFormatOptions): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '';
  const { now, locale, timeZone } = options;
  const time = formatter(locale, timeZone, { hour: 'numeric', minute: '2-digit' }).format(ms);
  const day = dayKey(ms, locale, timeZone);
  if (day === dayKey(now, locale, timeZone)) return `Today, ${time}`;
  if (day === dayKey(now - 86_400_000, locale, timeZone)) return `Yesterday, ${time}`;
  if (yearOf(ms, locale, timeZone) === yearOf(now, locale, timeZone)) {
    return `${formatter(locale, timeZone, { month: 'short', day: 'numeric' }).format(ms)}, ${time}`;
  }
  return formatter(locale, timeZone, { year: 'numeric', month: 'short', day: 'numeric' }).format(ms);
}

/**
 * How long ago something happened, for status lines: `just now` under a minute (or slightly in the
 * future, a clock skew), `5 min ago`, `3 h ago` within a day, then `formatModified`'s date
 * (`Yesterday, 09:30`, `Mar 4, 14:05`). `null` (never) gives an empty string.
 */
export function formatRelativeTime(ms: number | null | undefined, options: DateFormatOptions): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '';
  const elapsed = options.now - ms;
  if (elapsed < 60_000) return 'just now';
  if (elapsed < 3_600_000) return `${Math.floor(elapsed / 60_000)} min ago`;
  if (elapsed < 86_400_000) return `${Math.floor(elapsed / 3_600_000)} h ago`;
  return formatModified(ms, options);
}

/** The full date and time, for tooltips. */
export function formatFullDate(ms: number | null | undefined, locale?: string, timeZone?: string): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '';
  return formatter(locale, timeZone, { dateStyle: 'full', timeStyle: 'medium' }).format(ms);
}

/** `12,345 items` / `1 item`. */
export function formatCount(count: number, noun: string, locale?: string): string {
  return `${count.toLocaleString(locale)} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * Control characters and bidirectional overrides replaced by U+FFFD, so a name from a cloud cannot
 * hide text or reverse how its extension reads (`"\u202Etxt.exe"` showing as `exe.txt`).
 */
export function displayName(name: string): string {
  // eslint-disable-next-line no-control-regex
  return name.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '\uFFFD');
}
