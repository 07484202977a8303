/**
 * How search compares names: both the names and the typed terms are folded, then matched as plain
 * substrings of the folded text.
 *
 * Folding = Unicode NFKD (compatibility decomposition: `é` -> `e` + U+0301, `ﬁ` -> `fi`, full-width
 * `Ａ` -> `A`), then lower case, then every combining mark (`\p{M}`) removed. So `Résumé`, `RESUME`,
 * an NFD-encoded `Résumé` (as macOS writes names) and `résumé` all fold to `resume`. Not folded:
 * letters that are not base letter + mark (`ß`, `ø`, `æ`, `ł` stay as they are). Control characters
 * (U+0000-U+001F, U+007F) become spaces: the search index uses `\n` as its separator.
 */

const plainAscii = /^[\x20-\x7e]*$/;
const marks = /\p{M}+/gu;
// eslint-disable-next-line no-control-regex
const controls = /[\x00-\x1f\x7f]/g;

export function foldForSearch(text: string): string {
  if (plainAscii.test(text)) return text.toLowerCase();
  return text.normalize('NFKD').toLowerCase().replace(marks, '').replace(controls, ' ');
}
