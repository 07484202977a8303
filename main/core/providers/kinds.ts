/**
 * What index-only code must know of a provider kind without connecting to it (offline). Each fact
 * agrees with the connected provider's `features`: the conformance suite checks it.
 */

/** Kinds whose names are case-insensitive (`features.caseInsensitive`): `A.txt` and `a.txt` are one item. */
export const caseInsensitiveKinds: ReadonlySet<string> = new Set(['dropbox', 'onedrive']);
