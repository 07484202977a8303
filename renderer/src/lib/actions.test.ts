import { describe, expect, it } from 'vitest';
import {
  actionById,
  actionForKey,
  actions,
  actionsFor,
  matchesShortcut,
  shortcutLabel,
  type ActionContext,
} from './actions';

const context: ActionContext = {
  listing: true,
  inAccountFolder: true,
  selectedCount: 1,
  selectedFolders: 0,
  selectedFiles: 1,
  selectionSpansAccounts: false,
  clipboardFull: false,
  splitView: false,
  otherPaneIsFolder: false,
  canGoBack: false,
  canGoForward: false,
  canGoUp: true,
  canUndo: false,
  searching: false,
  browserDownloads: true,
};
const press = (
  key: string,
  modifiers: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>> = {},
) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...modifiers,
});

describe('actions', () => {
  it('gives every action a unique id and shortcut', () => {
    expect(new Set(actions.map((action) => action.id)).size).toBe(actions.length);
    const shortcuts = actions.flatMap((action) =>
      action.shortcuts.map((shortcut) => shortcutLabel(shortcut, false)),
    );
    expect(new Set(shortcuts).size).toBe(shortcuts.length);
    // Every action can be reached from the keyboard.
    for (const action of actions) expect(action.shortcuts.length, action.id).toBeGreaterThan(0);
  });

  it('matches shortcuts with Ctrl off macOS and Cmd on macOS, letters in any case', () => {
    const newFolder = actionById('newFolder').shortcuts[0]!;
    expect(matchesShortcut(press('n', { ctrlKey: true, shiftKey: true }), newFolder, false)).toBe(true);
    expect(matchesShortcut(press('N', { metaKey: true, shiftKey: true }), newFolder, true)).toBe(true);
    expect(matchesShortcut(press('N', { ctrlKey: true, shiftKey: true }), newFolder, true)).toBe(false);
    expect(matchesShortcut(press('N', { ctrlKey: true }), newFolder, false)).toBe(false);
    expect(
      matchesShortcut(press('N', { ctrlKey: true, shiftKey: true, altKey: true }), newFolder, false),
    ).toBe(false);
  });

  it('finds the action of a key only when it applies', () => {
    expect(actionForKey(press('F2'), context, false)?.id).toBe('rename');
    expect(actionForKey(press('F2'), { ...context, selectedCount: 2 }, false)).toBeNull();
    expect(actionForKey(press('Delete'), context, false)?.id).toBe('trash');
    expect(actionForKey(press('Backspace', { metaKey: true }), context, true)?.id).toBe('trash');
    expect(actionForKey(press('Backspace'), context, false)?.id).toBe('goUp');
    expect(actionForKey(press('v', { ctrlKey: true }), context, false)).toBeNull();
    expect(actionForKey(press('v', { ctrlKey: true }), { ...context, clipboardFull: true }, false)?.id).toBe(
      'paste',
    );
    expect(
      actionForKey(press('F5'), { ...context, splitView: true, otherPaneIsFolder: true }, false)?.id,
    ).toBe('copyToOtherPane');
    expect(actionForKey(press('q'), context, false)).toBeNull();
  });

  it('keeps the merged view from places that need one account', () => {
    const merged = { ...context, inAccountFolder: false, selectionSpansAccounts: true };
    expect(actionById('newFolder').enabled(merged)).toBe(false);
    expect(actionById('rename').enabled(merged)).toBe(false);
    expect(actionById('trash').enabled(merged)).toBe(true);
    expect(actionById('download').enabled({ ...context, selectedFolders: 1 })).toBe(false);
    expect(actionById('download').enabled({ ...context, browserDownloads: false })).toBe(false);
  });

  it('labels shortcuts the way each platform writes them', () => {
    expect(shortcutLabel({ key: 'N', mod: true, shift: true }, false)).toBe('Ctrl+Shift+N');
    expect(shortcutLabel({ key: 'N', mod: true, shift: true }, true)).toBe('⇧⌘N');
    expect(shortcutLabel({ key: ' ' }, false)).toBe('Space');
    expect(shortcutLabel({ key: 'Enter', alt: true }, false)).toBe('Alt+Enter');
  });

  it('lays out places in sections, in list order', () => {
    const menu = actionsFor('item-menu');
    expect(menu[0]!.map((action) => action.id)).toEqual([
      'open',
      'preview',
      'properties',
      'openContainingFolder',
    ]);
    expect(menu.flat().every((action) => action.places.includes('item-menu'))).toBe(true);
  });
});
