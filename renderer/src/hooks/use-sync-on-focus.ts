import { useEffect } from 'react';
import type { SkyfoldApi } from '../../../common/contract';
import { createThrottle } from '../lib/throttle';

/** Coming back to the window asks for changes at most this often. */
export const syncOnFocusIntervalMs = 30_000;

/**
 * When the window gets focus or becomes visible again, asks every account for its changes
 * (`syncAll`), at most once per `intervalMs`. Mounting does not sync (the engine syncs on start).
 * A failed request (the link is down) does not use up the interval: the next focus tries again.
 */
export function useSyncOnFocus(api: SkyfoldApi, intervalMs = syncOnFocusIntervalMs): void {
  useEffect(() => {
    const throttle = createThrottle(intervalMs);
    let active = true;
    const sync = () => {
      if (!throttle.tryRun()) return;
      api.syncAll({}).catch(() => {
        // How each account's sync went is reported in its sync state; here only the request failed.
        if (active) throttle.reset();
      });
    };
    const onVisibilityChange = () => {
      if (document.visibilityState === 'visible') sync();
    };
    window.addEventListener('focus', sync);
    document.addEventListener('visibilitychange', onVisibilityChange);
    return () => {
      active = false;
      window.removeEventListener('focus', sync);
      document.removeEventListener('visibilitychange', onVisibilityChange);
    };
  }, [api, intervalMs]);
}
