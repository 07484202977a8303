import { useEffect, useState } from 'react';

/** `value`, once it has stayed the same for `delayMs` (an empty string passes at once: clearing is instant). */
export function useDebouncedValue(value: string, delayMs: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    if (value === settled) return;
    const timer = setTimeout(() => setSettled(value), value === '' ? 0 : delayMs);
    return () => clearTimeout(timer);
  }, [value, settled, delayMs]);
  return value === '' ? '' : settled;
}
