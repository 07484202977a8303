/** The colour theme choice (lib/theme.ts): saved, and applied to the document while it changes. */
import { useCallback, useLayoutEffect, useState } from 'react';
import { applyTheme, loadThemeChoice, saveThemeChoice, type ThemeChoice } from '../lib/theme';

export function useTheme(): [ThemeChoice, (choice: ThemeChoice) => void] {
  const [choice, setChoice] = useState(loadThemeChoice);
  useLayoutEffect(() => applyTheme(choice), [choice]);
  const choose = useCallback((next: ThemeChoice) => {
    saveThemeChoice(next);
    setChoice(next);
  }, []);
  return [choice, choose];
}
