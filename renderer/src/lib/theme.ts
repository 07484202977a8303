/**
 * The colour theme: the system's (light or dark as the OS says), or the user's choice. The choice is
 * kept in localStorage (per profile, read before the first paint) and shown as `data-theme` on the
 * root element, which styles.css reads; without it the system's colours apply.
 */

export const themeChoices = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof themeChoices)[number];

export const themeStorageKey = 'skyfold.theme';

/** A stored value as a choice: anything unknown (absent, edited by hand) is 'system'. */
export function parseThemeChoice(value: unknown): ThemeChoice {
  return themeChoices.find((choice) => choice === value) ?? 'system';
}

/** The saved choice; 'system' when none is saved or storage cannot be read. */
export function loadThemeChoice(storage: Pick<Storage, 'getItem'> = localStorage): ThemeChoice {
  try {
    return parseThemeChoice(storage.getItem(themeStorageKey));
  } catch {
    return 'system';
  }
}

/** Saves the choice ('system' removes it). Storage that refuses (private mode, full) is ignored. */
export function saveThemeChoice(
  choice: ThemeChoice,
  storage: Pick<Storage, 'setItem' | 'removeItem'> = localStorage,
): void {
  try {
    if (choice === 'system') storage.removeItem(themeStorageKey);
    else storage.setItem(themeStorageKey, choice);
  } catch {
    return;
  }
}

/** Shows the choice on `root`: `data-theme="light" | "dark"`, or no attribute for the system's. */
export function applyTheme(
  choice: ThemeChoice,
  root: Pick<HTMLElement, 'setAttribute' | 'removeAttribute'> = document.documentElement,
): void {
  if (choice === 'system') root.removeAttribute('data-theme');
  else root.setAttribute('data-theme', choice);
}
