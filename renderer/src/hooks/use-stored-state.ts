import { useCallback, useState } from 'react';

/**
 * State kept in localStorage under `key` (UI preferences: view mode, column widths): read once with
 * `parse` (which turns anything missing or malformed into a default), written on every change.
 * Storage failures (private mode, quota) keep the value for this session only.
 */
export function useStoredState<T>(
  key: string,
  parse: (stored: string | null) => T,
  serialize: (value: T) => string = JSON.stringify,
): [T, (next: T) => void] {
  const [value, setValue] = useState<T>(() => {
    try {
      return parse(window.localStorage.getItem(key));
    } catch {
      return parse(null);
    }
  });
  const update = useCallback(
    (next: T) => {
      setValue(next);
      try {
        window.localStorage.setItem(key, serialize(next));
      } catch {
        // kept in memory only
      }
    },
    [key, serialize],
  );
  return [value, update];
}
