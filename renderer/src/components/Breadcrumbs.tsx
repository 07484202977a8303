/**
 * The breadcrumb trail: a button per crumb (a drop target where the crumb is one folder), each
 * followed by a chevron that opens a menu of the folders inside that crumb, the one on the path
 * marked. A long trail folds its middle into "…", itself a menu of the crumbs folded away.
 * Menus follow the WAI-ARIA menu button pattern: arrows, Home/End, Enter, type-ahead; Escape closes
 * and gives focus back to the button; a click outside closes.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useDropTarget } from '../hooks/use-drop-target';
import {
  collapseCrumbs,
  initialMenuIndex,
  menuKeyCommand,
  type CrumbChild,
  type CrumbModel,
} from '../lib/crumbs';
import { displayName } from '../lib/format';
import type { PaneLocation } from '../lib/pane-location';
import { extendTypeAhead, findTypedRow, type TypeAhead } from '../lib/type-ahead';
import { ChevronIcon } from './Icons';
import { useTransferUi } from './TransferUi';
import './navigation.css';

export type { CrumbModel } from '../lib/crumbs';

export function Breadcrumbs({
  crumbs,
  onNavigate,
}: {
  crumbs: readonly CrumbModel[];
  onNavigate: (location: PaneLocation) => void;
}) {
  return (
    <nav aria-label="Breadcrumb" className="crumb-trail" data-testid="breadcrumbs">
      <ol>
        {collapseCrumbs(crumbs).map((slot, index) => {
          if (slot.kind === 'crumb') {
            return (
              <li key={index}>
                <CrumbButton crumb={slot.crumb} onNavigate={onNavigate} />
                <FoldersMenu crumb={slot.crumb} onNavigate={onNavigate} />
              </li>
            );
          }
          const last = slot.hidden[slot.hidden.length - 1]!;
          return (
            <li key={index}>
              <MenuButton
                className="crumb-overflow"
                label={`${slot.hidden.length} more folders of the path`}
                content="…"
                load={() =>
                  Promise.resolve(
                    slot.hidden.map((crumb) => ({
                      label: crumb.label,
                      location: crumb.location,
                      onPath: false,
                    })),
                  )
                }
                onNavigate={onNavigate}
              />
              <FoldersMenu crumb={last} onNavigate={onNavigate} />
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

/** One crumb: opens its place, and takes drops into its folder. */
function CrumbButton({
  crumb,
  onNavigate,
}: {
  crumb: CrumbModel;
  onNavigate: (location: PaneLocation) => void;
}) {
  const transferUi = useTransferUi();
  const drop = useDropTarget(crumb.dropTarget, transferUi.mac, transferUi.drop);
  return (
    <button
      type="button"
      className={drop.active ? 'crumb-button drop-target' : 'crumb-button'}
      aria-current={crumb.current ? 'page' : undefined}
      data-drop-target={drop.active || undefined}
      onClick={() => onNavigate(crumb.location)}
      {...drop.props}
    >
      {displayName(crumb.label)}
    </button>
  );
}

/** The chevron after a crumb: a menu of the folders inside it. */
function FoldersMenu({
  crumb,
  onNavigate,
}: {
  crumb: CrumbModel;
  onNavigate: (location: PaneLocation) => void;
}) {
  return (
    <MenuButton
      className="crumb-chevron"
      label={`Folders in ${displayName(crumb.label)}`}
      content={<ChevronIcon />}
      load={crumb.children}
      onNavigate={onNavigate}
    />
  );
}

/** What an open menu shows: its entries once loaded, or why there are none. */
type MenuState =
  { status: 'loading' } | { status: 'loaded'; entries: CrumbChild[] } | { status: 'error'; message: string };

/**
 * A button that opens a menu of places, listed by `load` on each opening. The entry on the path is
 * marked (aria-current) and has focus first; an empty or failed listing shows one disabled entry.
 */
function MenuButton({
  className,
  label,
  content,
  load,
  onNavigate,
}: {
  className: string;
  /** The button's accessible name, also the menu's. */
  label: string;
  content: ReactNode;
  load: () => Promise<CrumbChild[]>;
  onNavigate: (location: PaneLocation) => void;
}) {
  const menuId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLUListElement>(null);
  const entries = useRef<Array<HTMLLIElement | null>>([]);
  const typeAhead = useRef<TypeAhead | null>(null);
  /** Bumped on each opening and closing: a listing that arrives late is dropped. */
  const generation = useRef(0);
  const [open, setOpen] = useState<{ top: number; left: number; fromEnd: boolean } | null>(null);
  const [state, setState] = useState<MenuState>({ status: 'loading' });
  const [focused, setFocused] = useState(-1);

  const close = (refocus: boolean) => {
    generation.current++;
    setOpen(null);
    setFocused(-1);
    if (refocus) button.current?.focus();
  };

  const show = (fromEnd: boolean) => {
    const rect = button.current!.getBoundingClientRect();
    const current = ++generation.current;
    setOpen({
      top: rect.bottom + 4,
      left: Math.max(8, Math.min(rect.left, window.innerWidth - 288)),
      fromEnd,
    });
    setState({ status: 'loading' });
    setFocused(-1);
    load().then(
      (loaded) => {
        if (generation.current !== current) return;
        setState({ status: 'loaded', entries: loaded });
        setFocused(loaded.length === 0 ? 0 : initialMenuIndex(loaded, fromEnd));
      },
      (error: unknown) => {
        if (generation.current !== current) return;
        setState({ status: 'error', message: error instanceof Error ? error.message : String(error) });
        setFocused(0);
      },
    );
  };

  // Focus follows the focused entry (the menu is open and its entries rendered).
  useEffect(() => {
    if (open && focused >= 0) entries.current[focused]?.focus();
  }, [open, focused, state]);

  // A click anywhere else closes the menu (focus stays where the click put it).
  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node;
      if (menu.current?.contains(target) || button.current?.contains(target)) return;
      close(false);
    };
    document.addEventListener('pointerdown', onPointerDown, true);
    return () => document.removeEventListener('pointerdown', onPointerDown, true);
  });

  const places = state.status === 'loaded' ? state.entries : [];
  const note =
    state.status === 'loading'
      ? 'Loading…'
      : state.status === 'error'
        ? `Could not list folders: ${state.message}`
        : places.length === 0
          ? 'No folders inside'
          : null;

  const onButtonKeyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    show(event.key === 'ArrowUp');
  };

  const onMenuKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    if (event.key === 'Tab') {
      close(true); // Tab then moves on from the button
      return;
    }
    const count = note === null ? places.length : 1;
    const command = menuKeyCommand(count, focused, event.key);
    if (command) {
      event.preventDefault();
      if (command.type === 'close') close(true);
      else if (command.type === 'focus') setFocused(command.index);
      else if (note === null) {
        close(true);
        onNavigate(places[command.index]!.location);
      }
      return;
    }
    if (note === null && event.key.length === 1 && !event.altKey && !event.ctrlKey && !event.metaKey) {
      typeAhead.current = extendTypeAhead(typeAhead.current, event.key, event.timeStamp);
      const index = findTypedRow(
        places.map((place) => place.label),
        typeAhead.current.text,
        focused,
      );
      if (index !== -1) {
        event.preventDefault();
        setFocused(index);
      }
    }
  };

  return (
    <>
      <button
        ref={button}
        type="button"
        className={className}
        aria-label={label}
        title={label}
        aria-haspopup="menu"
        aria-expanded={open !== null}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? close(false) : show(false))}
        onKeyDown={onButtonKeyDown}
      >
        {content}
      </button>
      {open ? (
        <ul
          ref={menu}
          id={menuId}
          role="menu"
          aria-label={label}
          aria-busy={state.status === 'loading' || undefined}
          className="crumb-menu"
          style={{ top: open.top, left: open.left, maxHeight: `calc(100vh - ${open.top + 8}px)` }}
          onKeyDown={onMenuKeyDown}
        >
          {note !== null ? (
            <li
              ref={(element) => {
                entries.current[0] = element;
              }}
              role="menuitem"
              aria-disabled="true"
              tabIndex={-1}
              className="crumb-menu-item crumb-menu-note"
            >
              {note}
            </li>
          ) : (
            places.map((place, index) => (
              <li
                key={index}
                ref={(element) => {
                  entries.current[index] = element;
                }}
                role="menuitem"
                tabIndex={-1}
                className="crumb-menu-item"
                aria-current={place.onPath ? 'true' : undefined}
                onClick={() => {
                  close(true);
                  onNavigate(place.location);
                }}
                onMouseEnter={() => setFocused(index)}
              >
                <span className="crumb-menu-check" aria-hidden="true">
                  {place.onPath ? '✓' : ''}
                </span>
                {displayName(place.label)}
              </li>
            ))
          )}
        </ul>
      ) : null}
    </>
  );
}
