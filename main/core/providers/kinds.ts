/**
 * What index-only code must know of a provider kind without connecting to it (offline). Each fact
 * agrees with the connected provider's `features`: the conformance suite checks it.
 */

/** Kinds whose names are case-insensitive (`features.caseInsensitive`): `A.txt` and `a.txt` are one item. */
export const caseInsensitiveKinds: ReadonlySet<string> = new Set(['dropbox', 'onedrive']);

/**
 * `features.maxPathLength` of each cloud kind that has a path limit (OneDrive: 400); cloud kinds not
 * named here have none. Local accounts are not covered: their limit depends on the folder and the
 * operating system (`localMaxPathLength`), known once the folder is opened.
 */
export const cloudMaxPathLength: ReadonlyMap<string, number> = new Map([['onedrive', 400]]);

/** Kinds whose `removePermanently` exists (`features.permanentDelete`); the others only trash. */
export const permanentDeleteKinds: ReadonlySet<string> = new Set(['gdrive', 'local']);
