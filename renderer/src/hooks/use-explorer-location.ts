import { useCallback, useEffect, useState } from 'react';
import { formatLocationHash, parseLocationHash, type ExplorerLocation } from '../lib/location';

/**
 * The explorer's place, kept in the URL hash: navigating pushes a history entry (Back/Forward work in
 * a browser, reloads keep the place); editing the hash by hand navigates too.
 */
export function useExplorerLocation(): [ExplorerLocation | null, (next: ExplorerLocation | null) => void] {
  const [location, setLocation] = useState<ExplorerLocation | null>(() =>
    parseLocationHash(window.location.hash),
  );

  useEffect(() => {
    const sync = () => setLocation(parseLocationHash(window.location.hash));
    window.addEventListener('popstate', sync);
    window.addEventListener('hashchange', sync);
    return () => {
      window.removeEventListener('popstate', sync);
      window.removeEventListener('hashchange', sync);
    };
  }, []);

  /** `null`: no place (no accounts left); the hash is cleared. */
  const navigate = useCallback((next: ExplorerLocation | null) => {
    if (next === null) {
      if (window.location.hash !== '') {
        window.history.pushState(null, '', window.location.pathname + window.location.search);
      }
      setLocation(null);
      return;
    }
    const hash = formatLocationHash(next);
    if (window.location.hash !== hash) window.history.pushState(null, '', hash);
    setLocation(next);
  }, []);

  return [location, navigate];
}
