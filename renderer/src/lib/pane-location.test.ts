import { describe, expect, it } from 'vitest';
import {
  canGoBack,
  canGoForward,
  currentLocation,
  forgetAccount,
  formatLocationHash,
  historyLimit,
  homeLocation,
  parseLocationHash,
  startHistory,
  step,
  visit,
  type PaneLocation,
} from './pane-location';

describe('pane locations', () => {
  const places: PaneLocation[] = [
    homeLocation,
    { view: 'settings' },
    { view: 'merged', path: '/' },
    { view: 'merged', path: '/Photos/2024 #1/100%' },
    { view: 'folder', accountId: 'acc/1', folderId: null },
    { view: 'folder', accountId: 'a', folderId: 'id/with?odd#chars' },
  ];

  it('round-trips every place through the URL hash', () => {
    for (const place of places) expect(parseLocationHash(formatLocationHash(place))).toEqual(place);
  });

  it('reads the hashes earlier versions wrote, and refuses anything else', () => {
    expect(parseLocationHash('#/acc')).toEqual({ view: 'folder', accountId: 'acc', folderId: null });
    expect(parseLocationHash('#/acc/')).toEqual({ view: 'folder', accountId: 'acc', folderId: null });
    for (const bad of ['', '#', '#/a/b/c', '#/%E0%A4%A', '#/merged/a/../b', '#/merged//x'])
      expect(parseLocationHash(bad), bad).toBeNull();
  });

  it('keeps back and forward like a browser, without repeating the same place', () => {
    let history = startHistory(homeLocation);
    history = visit(history, places[2]!);
    history = visit(history, places[2]!);
    history = visit(history, places[3]!);
    expect(history.entries).toHaveLength(3);
    history = step(history, -1);
    expect(currentLocation(history)).toEqual(places[2]);
    expect(canGoBack(history) && canGoForward(history)).toBe(true);
    history = visit(history, places[4]!);
    expect(canGoForward(history)).toBe(false);
    expect(history.entries).toEqual([homeLocation, places[2], places[4]]);
    expect(step(step(step(history, -1), -1), -1).index).toBe(0);
  });

  it('remembers at most historyLimit places', () => {
    let history = startHistory(homeLocation);
    for (let index = 0; index < historyLimit + 10; index++)
      history = visit(history, { view: 'merged', path: `/${index}` });
    expect(history.entries).toHaveLength(historyLimit);
    expect(currentLocation(history)).toEqual({ view: 'merged', path: `/${historyLimit + 9}` });
  });

  it('forgets a removed account, going home when the pane was in it', () => {
    const inA = { view: 'folder', accountId: 'a', folderId: null } as const;
    const inB = { view: 'folder', accountId: 'b', folderId: null } as const;
    let history = visit(visit(visit(startHistory(homeLocation), inA), inB), inA);
    history = step(history, -1);
    expect(forgetAccount(history, 'a')).toEqual({ entries: [homeLocation, inB], index: 1 });
    expect(forgetAccount(visit(history, inA), 'a')).toEqual({
      entries: [homeLocation, inB, homeLocation],
      index: 2,
    });
  });
});
