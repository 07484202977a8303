/**
 * Where a pane of the explorer is (pure): the "All clouds" home, one account's folder, the merged view
 * of a path over every account, or the settings page. The first pane's place is kept in the URL hash
 * so that a reload keeps it; each pane keeps its own back/forward history (`PaneHistory`).
 */

export type PaneLocation =
  | { view: 'home' }
  /** `folderId` null = the account's root. */
  | { view: 'folder'; accountId: string; folderId: string | null }
  /** `path` is "/" or "/Photos/2024" (names as the user sees them). */
  | { view: 'merged'; path: string }
  | { view: 'settings' };

export const homeLocation: PaneLocation = { view: 'home' };

/** Whether two locations are the same place. */
export function sameLocation(a: PaneLocation, b: PaneLocation): boolean {
  return formatLocationHash(a) === formatLocationHash(b);
}

/**
 * `#/home`, `#/settings`, `#/merged/<path segments, each URI-encoded>`, `#/<account id>/<folder id>`
 * (each URI-encoded; no folder = the root: the form earlier versions wrote, so old links still work).
 */
export function formatLocationHash(location: PaneLocation): string {
  switch (location.view) {
    case 'home':
      return '#/home';
    case 'settings':
      return '#/settings';
    case 'merged':
      return `#/merged${mergedSegments(location.path)
        .map((segment) => `/${encodeURIComponent(segment)}`)
        .join('')}`;
    case 'folder': {
      const account = `#/${encodeURIComponent(location.accountId)}`;
      return location.folderId === null ? account : `${account}/${encodeURIComponent(location.folderId)}`;
    }
  }
}

/** Parses a hash made by formatLocationHash; anything else gives null. */
export function parseLocationHash(hash: string): PaneLocation | null {
  if (hash === '#/home') return homeLocation;
  if (hash === '#/settings') return { view: 'settings' };
  try {
    if (hash === '#/merged' || hash.startsWith('#/merged/')) {
      const segments = hash.slice('#/merged'.length).split('/').slice(1).map(decodeURIComponent);
      if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) return null;
      return { view: 'merged', path: mergedPath(segments) };
    }
    const match = /^#\/([^/]+)(?:\/([^/]*))?$/.exec(hash);
    if (!match) return null;
    const accountId = decodeURIComponent(match[1]!);
    const folder = match[2];
    return {
      view: 'folder',
      accountId,
      folderId: folder === undefined || folder === '' ? null : decodeURIComponent(folder),
    };
  } catch {
    return null; // malformed percent-encoding
  }
}

/** The names of a merged path ("/" -> [], "/Photos/2024" -> ["Photos", "2024"]). */
export function mergedSegments(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

/** The merged path of names (the inverse of mergedSegments). */
export function mergedPath(segments: readonly string[]): string {
  return `/${segments.join('/')}`;
}

/** A pane's back/forward history: `entries[index]` is where it is. */
export interface PaneHistory {
  entries: readonly PaneLocation[];
  index: number;
}

/** How many places back a pane remembers. */
export const historyLimit = 100;

export function startHistory(location: PaneLocation): PaneHistory {
  return { entries: [location], index: 0 };
}

export function currentLocation(history: PaneHistory): PaneLocation {
  return history.entries[history.index]!;
}

/** Going somewhere new drops the forward entries; going to where the pane is changes nothing. */
export function visit(history: PaneHistory, location: PaneLocation): PaneHistory {
  if (sameLocation(currentLocation(history), location)) return history;
  const entries = [...history.entries.slice(0, history.index + 1), location].slice(-historyLimit);
  return { entries, index: entries.length - 1 };
}

/** Replaces where the pane is without a new entry (a folder that turned out to be gone). */
export function replaceCurrent(history: PaneHistory, location: PaneLocation): PaneHistory {
  const entries = [...history.entries];
  entries[history.index] = location;
  return { entries, index: history.index };
}

export const canGoBack = (history: PaneHistory) => history.index > 0;
export const canGoForward = (history: PaneHistory) => history.index < history.entries.length - 1;

/** One step back (`-1`) or forward (`1`); at either end nothing changes. */
export function step(history: PaneHistory, direction: -1 | 1): PaneHistory {
  const index = history.index + direction;
  return index < 0 || index >= history.entries.length ? history : { ...history, index };
}

/**
 * Entries that named something now gone (a removed account) are dropped, keeping the pane where it
 * is when it can; with nothing left the pane goes home.
 */
export function forgetAccount(history: PaneHistory, accountId: string): PaneHistory {
  const gone = (location: PaneLocation) => location.view === 'folder' && location.accountId === accountId;
  const current = currentLocation(history);
  const before = history.entries.slice(0, history.index).filter((location) => !gone(location));
  const after = history.entries.slice(history.index + 1).filter((location) => !gone(location));
  if (!gone(current)) return { entries: [...before, current, ...after], index: before.length };
  const entries = [...before, homeLocation];
  return { entries, index: entries.length - 1 };
}
