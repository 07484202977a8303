import { useCallback, useEffect, useState } from 'react';
import { formatLocationHash, parseLocationHash, type ExplorerLocation } from '../lib/location';

/**
 * The explorer's place, kept in the URL hash: navigating pushes a history entry (Back/Forward work in
 * a browser, reloads keep the place); editing the hash by hand navigates too.
 */
export function useExplorerLocation(): [ExplorerLocation | null, (next: ExplorerLocation) => void] {
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

  const navigate = useCallback((next: ExplorerLocation) => {
    const hash = formatLocationHash(next);
    if (window.location.hash !== hash) window.history.pushState(null, '', hash);
    setLocation(next);
  }, []);

  return [location, navigate];
}
