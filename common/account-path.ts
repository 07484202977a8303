/**
 * The `ACCOUNT:PATH` syntax used by the CLI (like rclone's `remote:path`): the account's name or id,
 * a colon, then a `/`-separated path inside it. `ACCOUNT:` and `ACCOUNT` both mean the root.
 */
export interface AccountPath {
  account: string;
  path: string;
}

/** Parses `ACCOUNT:PATH`. Throws Error when the account part is empty. */
export function parseAccountPath(text: string): AccountPath {
  const colon = text.indexOf(':');
  const account = colon === -1 ? text : text.slice(0, colon);
  const path = colon === -1 ? '' : text.slice(colon + 1);
  if (account.length === 0) throw new Error(`"${text}" does not name an account (expected ACCOUNT:PATH)`);
  return { account, path: path.startsWith('/') ? path : `/${path}` };
}

export function formatAccountPath({ account, path }: AccountPath): string {
  return `${account}:${path.startsWith('/') ? path : `/${path}`}`;
}
