import { describe, expect, it } from 'vitest';
import { isEditableTarget, isGoUpKey, listKeyAction, nextFocusIndex } from './keyboard';

const key = (
  k: string,
  extra: Partial<{ altKey: boolean; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean }> = {},
) => ({
  key: k,
  ...extra,
});

describe('listKeyAction', () => {
  it('moves the focus down and up, stopping at the ends', () => {
    expect(listKeyAction(key('ArrowDown'), 3, 10, 5)).toEqual({ type: 'focus', index: 4 });
    expect(listKeyAction(key('ArrowDown'), 9, 10, 5)).toEqual({ type: 'focus', index: 9 });
    expect(listKeyAction(key('ArrowUp'), 3, 10, 5)).toEqual({ type: 'focus', index: 2 });
    expect(listKeyAction(key('ArrowUp'), 0, 10, 5)).toEqual({ type: 'focus', index: 0 });
  });
  it('starts at the first row when nothing is focused', () => {
    expect(listKeyAction(key('ArrowDown'), null, 10, 5)).toEqual({ type: 'focus', index: 0 });
    expect(listKeyAction(key('ArrowUp'), null, 10, 5)).toEqual({ type: 'focus', index: 0 });
  });
  it('jumps with Home, End, PageDown and PageUp', () => {
    expect(listKeyAction(key('Home'), 50, 100_000, 20)).toEqual({ type: 'focus', index: 0 });
    expect(listKeyAction(key('End'), 50, 100_000, 20)).toEqual({ type: 'focus', index: 99_999 });
    expect(listKeyAction(key('PageDown'), 50, 100_000, 20)).toEqual({ type: 'focus', index: 69 });
    expect(listKeyAction(key('PageUp'), 50, 100_000, 20)).toEqual({ type: 'focus', index: 31 });
    expect(listKeyAction(key('PageUp'), 5, 100_000, 20)).toEqual({ type: 'focus', index: 0 });
    expect(listKeyAction(key('PageDown'), 99_990, 100_000, 20)).toEqual({ type: 'focus', index: 99_999 });
  });
  it('opens the focused row with Enter', () => {
    expect(listKeyAction(key('Enter'), 2, 10, 5)).toEqual({ type: 'open' });
    expect(listKeyAction(key('Enter'), null, 10, 5)).toEqual({ type: 'none' });
  });
  it('goes up with Backspace and Alt+ArrowUp, even in an empty folder', () => {
    expect(listKeyAction(key('Backspace'), 2, 10, 5)).toEqual({ type: 'up' });
    expect(listKeyAction(key('ArrowUp', { altKey: true }), 2, 0, 5)).toEqual({ type: 'up' });
  });
  it('ignores other keys, modified arrows and empty lists', () => {
    expect(listKeyAction(key('a'), 2, 10, 5)).toEqual({ type: 'none' });
    expect(listKeyAction(key('ArrowDown', { ctrlKey: true }), 2, 10, 5)).toEqual({ type: 'none' });
    expect(listKeyAction(key('ArrowDown'), null, 0, 5)).toEqual({ type: 'none' });
  });
});

describe('isGoUpKey', () => {
  it('accepts plain Backspace, Alt+ArrowUp and Cmd+ArrowUp only', () => {
    expect(isGoUpKey(key('Backspace'))).toBe(true);
    expect(isGoUpKey(key('ArrowUp', { altKey: true }))).toBe(true);
    expect(isGoUpKey(key('ArrowUp', { metaKey: true }))).toBe(true);
    expect(isGoUpKey(key('ArrowUp'))).toBe(false);
    expect(isGoUpKey(key('Backspace', { ctrlKey: true }))).toBe(false);
    expect(isGoUpKey(key('Backspace', { shiftKey: true }))).toBe(false);
    expect(isGoUpKey(key('ArrowUp', { altKey: true, shiftKey: true }))).toBe(false);
  });
});

describe('isEditableTarget', () => {
  it('spots text fields and editable content', () => {
    expect(isEditableTarget({ tagName: 'INPUT' })).toBe(true);
    expect(isEditableTarget({ tagName: 'textarea' })).toBe(true);
    expect(isEditableTarget({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    expect(isEditableTarget({ tagName: 'DIV', isContentEditable: false })).toBe(false);
    expect(isEditableTarget({ tagName: 'BUTTON' })).toBe(false);
    expect(isEditableTarget(null)).toBe(false);
  });
});

describe('nextFocusIndex', () => {
  it('wraps Tab and Shift+Tab at the ends and lets the browser move in between', () => {
    expect(nextFocusIndex(2, 3, false)).toBe(0);
    expect(nextFocusIndex(-1, 3, false)).toBe(0);
    expect(nextFocusIndex(0, 3, false)).toBe(null);
    expect(nextFocusIndex(0, 3, true)).toBe(2);
    expect(nextFocusIndex(-1, 3, true)).toBe(2);
    expect(nextFocusIndex(1, 3, true)).toBe(null);
    expect(nextFocusIndex(-1, 0, false)).toBe(null);
  });
});
