/**
 * Which names Dropbox refuses (pure). Sources: Dropbox Help "Naming Dropbox files and folders"
 * (`/` and `\` are always disallowed), "Ignored files" (the desktop app's system files, which the
 * API answers with `disallowed_name`), the 255-character component limit, and rclone's Dropbox
 * encoder, whose tests found that names ending in a space and the DEL character do not work either.
 * Everything else, emoji, leading dots and spaces and control characters included, is stored exactly.
 */

/** Longest name Dropbox accepts, in characters (code points). */
export const maxNameLength = 255;

/** Names the Dropbox apps treat as system files; the API refuses them (compared case-insensitively). */
const ignoredNames = new Set([
  'desktop.ini',
  'thumbs.db',
  '.ds_store',
  'icon\r',
  '.dropbox',
  '.dropbox.attr',
]);

/** A UTF-16 surrogate without its other half: not valid Unicode, so not sendable as UTF-8. */
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why Dropbox cannot store `name`, in words for the user, or null when it can. */
export function dropboxNameProblem(name: string): string | null {
  if (name.length === 0) return 'the name is empty';
  if (name === '.' || name === '..') return `"${name}" is not a name`;
  if (name.includes('/')) return 'names cannot contain "/"';
  if (name.includes('\\')) return 'Dropbox names cannot contain "\\"';
  if (name.includes('\0')) return 'the name contains a NUL character';
  if (name.includes('\u007f')) return 'Dropbox names cannot contain the DEL character';
  if (loneSurrogate.test(name)) return 'the name is not valid Unicode';
  if (name.endsWith(' ')) return 'Dropbox names cannot end with a space';
  if ([...name].length > maxNameLength) return `Dropbox names are at most ${maxNameLength} characters long`;
  if (ignoredNames.has(name.toLowerCase())) return `Dropbox does not store "${name}" (a system file)`;
  return null;
}
