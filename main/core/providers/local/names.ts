/**
 * Which names a local filesystem accepts. Names come from clouds and from people and are never
 * trusted as paths: a name is one path segment or it is refused.
 */

/** Names Skyfold keeps for itself inside a local account (never listed, never writable). */
export const trashDirName = '.skyfold-trash';
export const partFilePrefix = '.skyfold-part-';

export function isInternalName(name: string): boolean {
  return name === trashDirName || name.startsWith(partFilePrefix);
}

const windowsDeviceName = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
// eslint-disable-next-line no-control-regex
const windowsRefusedChar = /[<>:"/\\|?*\u0000-\u001f]/;
const maxNameBytes = 255;

/**
 * Why `name` cannot be a file name on `platform`, or null when it can.
 * Refused everywhere: empty, `.`, `..`, `/`, NUL, more than 255 UTF-8 bytes, Skyfold's own names.
 * Refused on Windows too: `<>:"\|?*`, control characters, device names (`CON`, `nul.txt`, `COM1`...),
 * a trailing dot or space.
 */
export function localNameProblem(name: string, platform: NodeJS.Platform = process.platform): string | null {
  if (name.length === 0) return 'the name is empty';
  if (name === '.' || name === '..') return `"${name}" is not a file name`;
  if (name.includes('/') || name.includes('\0')) return 'the name contains "/" or a NUL character';
  if (Buffer.byteLength(name, 'utf8') > maxNameBytes) return `the name is longer than ${maxNameBytes} bytes`;
  if (isInternalName(name)) return `"${name}" is reserved by Skyfold`;
  if (platform === 'win32') {
    if (windowsRefusedChar.test(name)) return 'the name contains a character Windows refuses';
    if (windowsDeviceName.test(name)) return `"${name}" is a Windows device name`;
    if (/[. ]$/.test(name)) return 'the name ends with a dot or a space';
  }
  return null;
}
