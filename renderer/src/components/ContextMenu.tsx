/**
 * The context menu of a pane: the actions for a place (lib/actions.ts), in sections, each with its
 * shortcut; those that do not apply are shown disabled. WAI-ARIA menu: focus moves in, arrows move,
 * Home/End, Enter/Space runs, Escape or a click outside closes and gives focus back.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import {
  actionsFor,
  shortcutLabel,
  type ActionContext,
  type ActionId,
  type ActionPlace,
} from '../lib/actions';

export interface ContextMenuState {
  x: number;
  y: number;
  place: ActionPlace;
}

export function ContextMenu({
  menu,
  context,
  mac,
  onRun,
  onClose,
}: {
  menu: ContextMenuState;
  context: ActionContext;
  mac: boolean;
  onRun: (id: ActionId) => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const sections = actionsFor(menu.place);
  const entries = sections.flat();
  const [position, setPosition] = useState({ left: menu.x, top: menu.y });

  // Kept inside the window.
  useLayoutEffect(() => {
    const box = ref.current?.getBoundingClientRect();
    if (!box) return;
    setPosition({
      left: Math.max(4, Math.min(menu.x, window.innerWidth - box.width - 4)),
      top: Math.max(4, Math.min(menu.y, window.innerHeight - box.height - 4)),
    });
  }, [menu.x, menu.y]);

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    ref.current?.querySelector<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])')?.focus();
    const outside = (event: PointerEvent) => {
      if (!ref.current?.contains(event.target as Node)) onClose();
    };
    window.addEventListener('pointerdown', outside, true);
    window.addEventListener('blur', onClose);
    return () => {
      window.removeEventListener('pointerdown', outside, true);
      window.removeEventListener('blur', onClose);
      if (previous?.isConnected) previous.focus({ preventScroll: true });
    };
  }, [onClose]);

  const items = () => Array.from(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);
  const move = (step: number | 'first' | 'last') => {
    const list = items();
    const at = list.indexOf(document.activeElement as HTMLElement);
    const next =
      step === 'first' ? 0 : step === 'last' ? list.length - 1 : (at + step + list.length) % list.length;
    list[next]?.focus();
  };

  return (
    <div
      ref={ref}
      role="menu"
      aria-label="Actions"
      className="context-menu"
      data-testid="context-menu"
      style={position}
      onContextMenu={(event) => event.preventDefault()}
      onKeyDown={(event) => {
        event.stopPropagation();
        if (event.key === 'ArrowDown') move(1);
        else if (event.key === 'ArrowUp') move(-1);
        else if (event.key === 'Home') move('first');
        else if (event.key === 'End') move('last');
        else if (event.key === 'Escape' || event.key === 'Tab') onClose();
        else return;
        event.preventDefault();
      }}
    >
      {sections.map((section, index) => (
        <div key={index} role="group" className="context-menu-section">
          {section.map((action) => {
            const enabled = action.enabled(context);
            const shortcut = action.shortcuts[0];
            return (
              <div
                key={action.id}
                role="menuitem"
                tabIndex={-1}
                aria-disabled={!enabled || undefined}
                className="context-menu-item"
                data-action={action.id}
                onClick={() => {
                  if (!enabled) return;
                  onClose();
                  onRun(action.id);
                }}
                onKeyDown={(event) => {
                  if ((event.key === 'Enter' || event.key === ' ') && enabled) {
                    event.preventDefault();
                    event.stopPropagation();
                    onClose();
                    onRun(action.id);
                  }
                }}
              >
                <span>{action.label}</span>
                {shortcut ? (
                  <kbd className="context-menu-shortcut">{shortcutLabel(shortcut, mac)}</kbd>
                ) : null}
              </div>
            );
          })}
        </div>
      ))}
      {entries.length === 0 ? <div className="context-menu-empty">No actions here</div> : null}
    </div>
  );
}
