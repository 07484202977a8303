import { useEffect } from 'react';
import { isFindShortcut, typedSearchCharacter } from '../lib/search';

/**
 * Ctrl+F / Cmd+F focuses the search box (`onFind`); a printable character typed in a list (a grid)
 * starts or extends a search (`onType`). Keys pressed in a modal dialog stay the dialog's.
 */
export function useSearchShortcuts(onFind: () => void, onType: (character: string) => void): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented) return;
      const target = event.target instanceof Element ? event.target : null;
      if (target?.closest('[role="dialog"], [role="alertdialog"]')) return;
      if (isFindShortcut(event)) {
        event.preventDefault();
        onFind();
        return;
      }
      const character = target?.closest('[role="grid"]') ? typedSearchCharacter(event) : null;
      if (character === null) return;
      event.preventDefault();
      onType(character);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [onFind, onType]);
}
