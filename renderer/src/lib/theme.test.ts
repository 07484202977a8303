import { describe, expect, it } from 'vitest';
import { applyTheme, loadThemeChoice, parseThemeChoice, saveThemeChoice, themeStorageKey } from './theme';

/** A Storage stand-in over a Map; `broken` throws as a refused localStorage does. */
function memoryStorage(broken = false) {
  const values = new Map<string, string>();
  const check = () => {
    if (broken) throw new DOMException('denied', 'SecurityError');
  };
  return {
    values,
    getItem: (key: string) => (check(), values.get(key) ?? null),
    setItem: (key: string, value: string) => (check(), void values.set(key, value)),
    removeItem: (key: string) => (check(), void values.delete(key)),
  };
}

describe('theme choice', () => {
  it('reads the three choices and takes anything else for the system theme', () => {
    expect(parseThemeChoice('light')).toBe('light');
    expect(parseThemeChoice('dark')).toBe('dark');
    expect(parseThemeChoice('system')).toBe('system');
    for (const bad of [null, undefined, '', 'DARK', 'blue', 1]) expect(parseThemeChoice(bad)).toBe('system');
  });

  it('is saved under skyfold.theme; the system choice leaves nothing saved', () => {
    const storage = memoryStorage();
    expect(loadThemeChoice(storage)).toBe('system');
    saveThemeChoice('dark', storage);
    expect(storage.values.get(themeStorageKey)).toBe('dark');
    expect(loadThemeChoice(storage)).toBe('dark');
    saveThemeChoice('system', storage);
    expect(storage.values.has(themeStorageKey)).toBe(false);
    storage.values.set(themeStorageKey, 'sepia');
    expect(loadThemeChoice(storage)).toBe('system');
  });

  it('falls back to the system theme when storage refuses', () => {
    const storage = memoryStorage(true);
    expect(loadThemeChoice(storage)).toBe('system');
    expect(() => saveThemeChoice('light', storage)).not.toThrow();
  });

  it('sets data-theme for a choice and removes it for the system theme', () => {
    const attributes = new Map<string, string>();
    const root = {
      setAttribute: (name: string, value: string) => void attributes.set(name, value),
      removeAttribute: (name: string) => void attributes.delete(name),
    };
    applyTheme('dark', root);
    expect(attributes.get('data-theme')).toBe('dark');
    applyTheme('light', root);
    expect(attributes.get('data-theme')).toBe('light');
    applyTheme('system', root);
    expect(attributes.has('data-theme')).toBe(false);
  });
});
