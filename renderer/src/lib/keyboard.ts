/** Keyboard navigation in the file list (pure). */

export type ListKeyAction =
  { type: 'focus'; index: number } | { type: 'open' } | { type: 'up' } | { type: 'none' };

export interface KeyInfo {
  key: string;
  altKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  shiftKey?: boolean;
}

/**
 * What a key press in the list does. `focused` is the focused row (null when none), `total` the row
 * count, `pageRows` how many rows fit in the viewport (PageUp/PageDown step). In a grid of tiles
 * (`columns` > 1) Left/Right step one tile and Up/Down one line of tiles.
 */
export function listKeyAction(
  event: KeyInfo,
  focused: number | null,
  total: number,
  pageRows: number,
  columns = 1,
): ListKeyAction {
  if (isGoUpKey(event)) return { type: 'up' };
  if (event.altKey || event.ctrlKey || event.metaKey) return { type: 'none' };
  if (total <= 0) return { type: 'none' };
  const last = total - 1;
  const clamp = (index: number) => Math.max(0, Math.min(last, index));
  const step = Math.max(1, pageRows - 1) * Math.max(1, columns);
  const line = Math.max(1, columns);
  switch (event.key) {
    case 'ArrowDown':
      return { type: 'focus', index: focused === null ? 0 : clamp(focused + line) };
    case 'ArrowUp':
      return { type: 'focus', index: focused === null ? 0 : clamp(focused - line) };
    case 'ArrowRight':
      return line > 1
        ? { type: 'focus', index: focused === null ? 0 : clamp(focused + 1) }
        : { type: 'none' };
    case 'ArrowLeft':
      return line > 1
        ? { type: 'focus', index: focused === null ? 0 : clamp(focused - 1) }
        : { type: 'none' };
    case 'Home':
      return { type: 'focus', index: 0 };
    case 'End':
      return { type: 'focus', index: last };
    case 'PageDown':
      return { type: 'focus', index: clamp((focused ?? 0) + step) };
    case 'PageUp':
      return { type: 'focus', index: clamp((focused ?? 0) - step) };
    case 'Enter':
      return focused === null ? { type: 'none' } : { type: 'open' };
    default:
      return { type: 'none' };
  }
}

/** Backspace or Alt+ArrowUp (Cmd+ArrowUp on macOS) go to the parent folder. */
export function isGoUpKey(event: KeyInfo): boolean {
  if (event.key === 'Backspace') return !event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey;
  return event.key === 'ArrowUp' && !!(event.altKey || event.metaKey) && !event.ctrlKey && !event.shiftKey;
}

/** Whether a key event comes from somewhere that edits text (where Backspace must keep its meaning). */
export function isEditableTarget(target: { tagName?: string; isContentEditable?: boolean } | null): boolean {
  if (!target) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName?.toUpperCase();
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
}

/**
 * Tab in a modal dialog wraps around its `count` focusable elements: the index to focus instead of
 * the browser's choice, or null to let Tab move on its own. `current` is -1 when none of them has focus.
 */
export function nextFocusIndex(current: number, count: number, backwards: boolean): number | null {
  if (count <= 0) return null;
  if (backwards) return current <= 0 ? count - 1 : null;
  return current === -1 || current >= count - 1 ? 0 : null;
}
