/**
 * Where the explorer is, as a URL hash (`#/ACCOUNT_ID/FOLDER_ID`, each part URI-encoded; no folder =
 * the account's root), so reloads keep the place and the browser's Back/Forward walk the folders (pure).
 */

export interface ExplorerLocation {
  accountId: string;
  /** null = the account's root. */
  folderId: string | null;
}

export function formatLocationHash(location: ExplorerLocation): string {
  const account = `#/${encodeURIComponent(location.accountId)}`;
  return location.folderId === null ? account : `${account}/${encodeURIComponent(location.folderId)}`;
}

/** Parses a hash made by formatLocationHash; anything else gives null. */
export function parseLocationHash(hash: string): ExplorerLocation | null {
  const match = /^#\/([^/]+)(?:\/([^/]*))?$/.exec(hash);
  if (!match) return null;
  try {
    const accountId = decodeURIComponent(match[1]!);
    const folder = match[2];
    return { accountId, folderId: folder === undefined || folder === '' ? null : decodeURIComponent(folder) };
  } catch {
    return null; // malformed percent-encoding
  }
}
