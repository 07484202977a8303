/** Name helpers shared by every layer (pure). */

/**
 * The n-th conflict-free variant of a name, the way Dropbox and most file managers do it:
 * `report.pdf` -> `report (2).pdf`, `README` -> `README (2)`, `.bashrc` -> `.bashrc (2)`.
 * n = 1 returns the name itself.
 */
export function numberedName(name: string, n: number): string {
  if (n <= 1) return name;
  const dot = name.lastIndexOf('.');
  const hasExtension = dot > 0 && dot < name.length - 1;
  return hasExtension ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
}

/**
 * A key that sorts names the way people expect: case-insensitively, accents after their base
 * letter, and digit runs by numeric value (`file2` before `file10`). Keys compare with plain binary
 * order, so SQLite can index them without a custom collation.
 */
export function nameSortKey(name: string): string {
  const folded = name.normalize('NFKD').toLowerCase();
  // Each digit run becomes (length, digits) with leading zeros dropped, so shorter numbers sort first.
  return folded.replace(/\d+/g, (digits) => {
    const trimmed = digits.replace(/^0+(?=\d)/, '');
    return String.fromCharCode(0x30 + Math.min(trimmed.length, 0xffff - 0x30)) + trimmed;
  });
}

/** Splits `a/b/c`, `/a/b/`, `` into segments, refusing `.` and `..` (paths are never resolved lexically). */
export function splitPath(path: string): string[] {
  const segments = path.split('/').filter((segment) => segment.length > 0);
  for (const segment of segments) {
    if (segment === '.' || segment === '..') throw new Error(`path segment "${segment}" is not allowed`);
  }
  return segments;
}
