/** What every pane's toolbar has: back, forward, up, the split toggle, the actions' buttons, and the history keys. */
import { useEffect } from 'react';
import { actionById, shortcutLabel, type ActionContext, type ActionId } from '../lib/actions';
import { canGoBack, canGoForward, step, type PaneHistory } from '../lib/pane-location';
import { ArrowIcon, RefreshIcon, SplitIcon, UpIcon } from './Icons';

/** Back, forward and up: the same three buttons on every pane. */
export function NavigationButtons({
  history,
  onHistoryChange,
  onUp,
}: {
  history: PaneHistory;
  onHistoryChange: (history: PaneHistory) => void;
  onUp: (() => void) | null;
}) {
  return (
    <>
      <button
        type="button"
        className="icon-button"
        aria-label="Back"
        title="Back (Alt+Left)"
        disabled={!canGoBack(history)}
        onClick={() => onHistoryChange(step(history, -1))}
      >
        <ArrowIcon direction="left" />
      </button>
      <button
        type="button"
        className="icon-button"
        aria-label="Forward"
        title="Forward (Alt+Right)"
        disabled={!canGoForward(history)}
        onClick={() => onHistoryChange(step(history, 1))}
      >
        <ArrowIcon direction="right" />
      </button>
      <button
        type="button"
        className="icon-button"
        aria-label="Go up"
        title="Go up (Backspace)"
        disabled={onUp === null}
        onClick={onUp ?? undefined}
      >
        <UpIcon />
      </button>
    </>
  );
}

export function SplitToggle({ split, onToggle }: { split: boolean; onToggle: () => void }) {
  return (
    <button
      type="button"
      className="icon-button"
      aria-label="Split view"
      aria-pressed={split}
      title="Split view (F3)"
      onClick={onToggle}
    >
      <SplitIcon />
    </button>
  );
}

/** Alt+Left / Alt+Right (and the mouse's back/forward buttons) walk the active pane's history. */
export function useHistoryKeys(
  active: boolean,
  history: PaneHistory,
  onHistoryChange: (history: PaneHistory) => void,
  onUp: (() => void) | null,
) {
  useEffect(() => {
    if (!active) return;
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      if (event.defaultPrevented) return;
      const target = event.target instanceof Element ? event.target : null;
      if (
        target?.closest('input, textarea, select, [contenteditable="true"], [role="dialog"], [role="menu"]')
      )
        return;
      const back = event.altKey && !event.ctrlKey && !event.metaKey && event.key === 'ArrowLeft';
      const forward = event.altKey && !event.ctrlKey && !event.metaKey && event.key === 'ArrowRight';
      const up =
        onUp !== null &&
        ((event.altKey && event.key === 'ArrowUp') ||
          (event.key === 'Backspace' &&
            !event.altKey &&
            !event.ctrlKey &&
            !event.metaKey &&
            !event.shiftKey));
      if (!back && !forward && !up) return;
      event.preventDefault();
      if (up) onUp();
      else onHistoryChange(step(history, back ? -1 : 1));
    };
    const onMouse = (event: MouseEvent) => {
      if (event.button !== 3 && event.button !== 4) return;
      event.preventDefault();
      onHistoryChange(step(history, event.button === 3 ? -1 : 1));
    };
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('mouseup', onMouse);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('mouseup', onMouse);
    };
  }, [active, history, onHistoryChange, onUp]);
}

/** The toolbar's share of the actions (lib/actions.ts, place `toolbar`). */
export function ActionButtons({
  context,
  onRun,
  mac,
  refreshing,
}: {
  context: ActionContext;
  onRun: (id: ActionId) => void;
  mac: boolean;
  refreshing: boolean;
}) {
  const ids: ActionId[] = ['newFolder', 'upload', 'download', 'rename', 'trash', 'paste', 'refresh'];
  return (
    <div className="toolbar-actions" role="group" aria-label="Actions">
      {ids.map((id) => {
        const action = actionById(id);
        const shortcut = action.shortcuts[0];
        const busy = id === 'refresh' && refreshing;
        return (
          <button
            key={id}
            type="button"
            className="toolbar-button"
            data-action={id}
            disabled={!action.enabled(context) || busy}
            title={shortcut ? `${action.label} (${shortcutLabel(shortcut, mac)})` : action.label}
            onClick={() => onRun(id)}
          >
            {id === 'refresh' ? <RefreshIcon spinning={busy} /> : null}
            {action.label}
          </button>
        );
      })}
    </div>
  );
}
