/**
 * The file actions, as data (pure): one list drives the toolbar, the context menu and the keyboard
 * shortcuts, so that the three can never disagree. Each action says when it applies (`enabled`), where
 * it shows, and its shortcuts; the explorer pane supplies what each one does.
 */

export type ActionId =
  | 'open'
  | 'preview'
  | 'properties'
  | 'newFolder'
  | 'upload'
  | 'rename'
  | 'trash'
  | 'undo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'copyToOtherPane'
  | 'moveToOtherPane'
  | 'download'
  | 'openContainingFolder'
  | 'copyPath'
  | 'refresh'
  | 'selectAll'
  | 'invertSelection'
  | 'back'
  | 'forward'
  | 'goUp'
  | 'toggleView'
  | 'toggleSplit';

/** A key with modifiers. `mod` is Ctrl, or Cmd on macOS. */
export interface Shortcut {
  key: string;
  mod?: boolean;
  shift?: boolean;
  alt?: boolean;
}

/** What the actions' availability depends on, as the pane sees it now. */
export interface ActionContext {
  /** The pane shows rows that actions apply to (a folder or the merged view; not home or settings). */
  listing: boolean;
  /** The pane is one account's folder (new items can go there; the merged view has no single place). */
  inAccountFolder: boolean;
  selectedCount: number;
  /** Selected rows that are folders / files (of the selected rows that are loaded). */
  selectedFolders: number;
  selectedFiles: number;
  /** One selected row stands for several accounts' folders (merged view). */
  selectionSpansAccounts: boolean;
  clipboardFull: boolean;
  splitView: boolean;
  /** The other pane is one account's folder (a target for copy/move to it). */
  otherPaneIsFolder: boolean;
  canGoBack: boolean;
  canGoForward: boolean;
  canGoUp: boolean;
  /** There is a trash to undo. */
  canUndo: boolean;
  /** The search is showing its results in this pane (paths and folders are the results'). */
  searching: boolean;
  /**
   * Files can be downloaded through the browser (the web host). The desktop app drags files out to
   * a folder instead; it has no download route yet.
   */
  browserDownloads: boolean;
}

export type ActionPlace = 'toolbar' | 'item-menu' | 'background-menu';

export interface ActionDef {
  id: ActionId;
  label: string;
  /** The first one is shown in menus and tooltips. */
  shortcuts: readonly Shortcut[];
  places: readonly ActionPlace[];
  /** Menu section (a separator goes between sections). */
  section: number;
  enabled: (context: ActionContext) => boolean;
}

const one = (context: ActionContext) => context.selectedCount === 1;
const some = (context: ActionContext) => context.listing && context.selectedCount > 0;
const mod = (key: string, extra: Omit<Shortcut, 'key' | 'mod'> = {}): Shortcut => ({
  key,
  mod: true,
  ...extra,
});

export const actions: readonly ActionDef[] = [
  {
    id: 'open',
    label: 'Open',
    shortcuts: [{ key: 'Enter' }],
    places: ['item-menu'],
    section: 0,
    enabled: one,
  },
  {
    id: 'preview',
    label: 'Quick preview',
    shortcuts: [{ key: ' ' }],
    places: ['item-menu'],
    section: 0,
    enabled: (context) => one(context) && context.selectedFiles === 1,
  },
  {
    id: 'properties',
    label: 'Properties',
    shortcuts: [{ key: 'Enter', alt: true }],
    places: ['item-menu'],
    section: 0,
    enabled: (context) => one(context) && !context.selectionSpansAccounts,
  },
  {
    id: 'openContainingFolder',
    label: 'Open containing folder',
    shortcuts: [mod('Enter', { shift: true })],
    places: ['item-menu'],
    section: 0,
    enabled: (context) => one(context) && !context.selectionSpansAccounts && !context.inAccountFolder,
  },
  {
    id: 'newFolder',
    label: 'New folder',
    shortcuts: [mod('N', { shift: true })],
    places: ['toolbar', 'background-menu'],
    section: 1,
    enabled: (context) => context.inAccountFolder && !context.searching,
  },
  {
    id: 'upload',
    label: 'Upload files',
    shortcuts: [mod('U')],
    places: ['toolbar', 'background-menu'],
    section: 1,
    enabled: (context) => context.inAccountFolder && !context.searching,
  },
  {
    id: 'download',
    label: 'Download',
    shortcuts: [mod('D', { shift: true })],
    places: ['toolbar', 'item-menu'],
    section: 1,
    enabled: (context) => context.browserDownloads && some(context) && context.selectedFolders === 0,
  },
  {
    id: 'cut',
    label: 'Cut',
    shortcuts: [mod('X')],
    places: ['item-menu'],
    section: 2,
    enabled: some,
  },
  { id: 'copy', label: 'Copy', shortcuts: [mod('C')], places: ['item-menu'], section: 2, enabled: some },
  {
    id: 'paste',
    label: 'Paste',
    shortcuts: [mod('V')],
    places: ['toolbar', 'item-menu', 'background-menu'],
    section: 2,
    enabled: (context) => context.clipboardFull && context.inAccountFolder && !context.searching,
  },
  {
    id: 'copyToOtherPane',
    label: 'Copy to other pane',
    shortcuts: [{ key: 'F5' }],
    places: ['item-menu'],
    section: 2,
    enabled: (context) => some(context) && context.splitView && context.otherPaneIsFolder,
  },
  {
    id: 'moveToOtherPane',
    label: 'Move to other pane',
    shortcuts: [{ key: 'F6' }],
    places: ['item-menu'],
    section: 2,
    enabled: (context) => some(context) && context.splitView && context.otherPaneIsFolder,
  },
  {
    id: 'copyPath',
    label: 'Copy path',
    shortcuts: [mod('C', { shift: true })],
    places: ['item-menu'],
    section: 2,
    enabled: (context) => one(context) && !context.selectionSpansAccounts,
  },
  {
    id: 'rename',
    label: 'Rename',
    shortcuts: [{ key: 'F2' }],
    places: ['toolbar', 'item-menu'],
    section: 3,
    enabled: (context) => one(context) && !context.selectionSpansAccounts,
  },
  {
    id: 'trash',
    label: 'Move to trash',
    shortcuts: [{ key: 'Delete' }, { key: 'Backspace', mod: true }],
    places: ['toolbar', 'item-menu'],
    section: 3,
    enabled: some,
  },
  {
    id: 'undo',
    label: 'Undo move to trash',
    shortcuts: [mod('Z')],
    places: ['background-menu'],
    section: 3,
    enabled: (context) => context.canUndo,
  },
  {
    id: 'selectAll',
    label: 'Select all',
    shortcuts: [mod('A')],
    places: ['background-menu'],
    section: 4,
    enabled: (context) => context.listing,
  },
  {
    id: 'invertSelection',
    label: 'Invert selection',
    shortcuts: [mod('I', { shift: true })],
    places: ['background-menu'],
    section: 4,
    enabled: (context) => context.listing,
  },
  {
    id: 'refresh',
    label: 'Refresh',
    shortcuts: [mod('R')],
    places: ['toolbar', 'background-menu'],
    section: 5,
    enabled: (context) => context.listing,
  },
  {
    id: 'back',
    label: 'Back',
    shortcuts: [{ key: 'ArrowLeft', alt: true }, mod('[')],
    places: [],
    section: 6,
    enabled: (context) => context.canGoBack,
  },
  {
    id: 'forward',
    label: 'Forward',
    shortcuts: [{ key: 'ArrowRight', alt: true }, mod(']')],
    places: [],
    section: 6,
    enabled: (context) => context.canGoForward,
  },
  {
    id: 'goUp',
    label: 'Up to the parent folder',
    shortcuts: [{ key: 'ArrowUp', alt: true }, { key: 'Backspace' }],
    places: [],
    section: 6,
    enabled: (context) => context.canGoUp && !context.searching,
  },
  {
    id: 'toggleView',
    label: 'Switch list / grid view',
    shortcuts: [mod('G', { shift: true })],
    places: ['background-menu'],
    section: 7,
    enabled: (context) => context.listing,
  },
  {
    id: 'toggleSplit',
    label: 'Split view',
    shortcuts: [{ key: 'F3' }],
    places: ['background-menu'],
    section: 7,
    enabled: () => true,
  },
];

export function actionById(id: ActionId): ActionDef {
  return actions.find((action) => action.id === id)!;
}

/** What a key event carries that shortcuts look at. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** Whether `event` is `shortcut` (letters compared case-insensitively; `mod` = Cmd on macOS, else Ctrl). */
export function matchesShortcut(event: KeyPress, shortcut: Shortcut, mac: boolean): boolean {
  const key = event.key.length === 1 ? event.key.toUpperCase() : event.key;
  const wanted = shortcut.key.length === 1 ? shortcut.key.toUpperCase() : shortcut.key;
  if (key !== wanted) return false;
  const modPressed = mac ? event.metaKey : event.ctrlKey;
  const otherPressed = mac ? event.ctrlKey : event.metaKey;
  return (
    modPressed === !!shortcut.mod &&
    !otherPressed &&
    event.shiftKey === !!shortcut.shift &&
    event.altKey === !!shortcut.alt
  );
}

/** The action a key press triggers, or null (also when the action does not apply now). */
export function actionForKey(event: KeyPress, context: ActionContext, mac: boolean): ActionDef | null {
  for (const action of actions) {
    if (action.shortcuts.some((shortcut) => matchesShortcut(event, shortcut, mac)))
      return action.enabled(context) ? action : null;
  }
  return null;
}

/** A shortcut as menus show it: "Ctrl+Shift+N", "⌘⇧N" on macOS, "F2", "Space". */
export function shortcutLabel(shortcut: Shortcut, mac: boolean): string {
  const names: Record<string, string> = {
    ' ': 'Space',
    ArrowLeft: mac ? '←' : 'Left',
    ArrowRight: mac ? '→' : 'Right',
    ArrowUp: mac ? '↑' : 'Up',
    Backspace: mac ? '⌫' : 'Backspace',
    Delete: mac ? '⌦' : 'Delete',
    Enter: mac ? '↩' : 'Enter',
  };
  const key = names[shortcut.key] ?? shortcut.key.toUpperCase();
  if (mac) return `${shortcut.alt ? '⌥' : ''}${shortcut.shift ? '⇧' : ''}${shortcut.mod ? '⌘' : ''}${key}`;
  return [shortcut.mod ? 'Ctrl' : '', shortcut.alt ? 'Alt' : '', shortcut.shift ? 'Shift' : '', key]
    .filter((part) => part !== '')
    .join('+');
}

/** The actions for a place, in order, grouped into sections. */
export function actionsFor(place: ActionPlace): ActionDef[][] {
  const sections = new Map<number, ActionDef[]>();
  for (const action of actions.filter((candidate) => candidate.places.includes(place))) {
    let list = sections.get(action.section);
    if (!list) sections.set(action.section, (list = []));
    list.push(action);
  }
  return [...sections.keys()].sort((a, b) => a - b).map((section) => sections.get(section)!);
}
