/** Text output helpers for the CLI. JSON output is never escaped; human output always is. */

/**
 * Makes a name safe to print on a terminal: control characters (newline, ESC, DEL...) become visible
 * escapes, so a hostile file name cannot move the cursor or fake other lines.
 */
export function printableName(name: string): string {
  // eslint-disable-next-line no-control-regex
  return name.replace(/[\u0000-\u001f\u007f-\u009f]/g, (char) => {
    const code = char.charCodeAt(0);
    if (char === '\n') return '\\n';
    if (char === '\t') return '\\t';
    return `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

/** 1536 -> "1.5 KB" (decimal units, like Finder and the providers' web UIs). */
export function humanSize(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** Epoch ms -> "2024-05-01 13:45" in local time; "" when unknown. */
export function shortDate(epochMs: number | null): string {
  if (epochMs === null) return '';
  const date = new Date(epochMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Left-aligned columns separated by two spaces; the last column is not padded. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '))
    .join('\n');
}

const rateUnits: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/**
 * A bandwidth like rclone's `--bwlimit`: "512K", "1.5M", "2M/s", "100000" (bytes per second;
 * K/M/G are binary: 1K = 1024). Throws RangeError for anything else or less than 1K.
 */
export function parseRate(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?(?:\/s)?\s*$/i.exec(text);
  if (!match) throw new RangeError(`"${text}" is not a rate (examples: 512K, 1.5M, 2M/s)`);
  const bytes = Math.round(Number(match[1]) * rateUnits[match[2]!.toLowerCase()]!);
  if (bytes < 1024) throw new RangeError(`"${text}" is below the smallest limit, 1K per second`);
  return bytes;
}
