import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { SkyfoldApi } from '../../../common/contract';
import { keysToInvalidate, queryKeys } from '../lib/query-keys';

/**
 * Searches and the merged view are refreshed at most this often: during a crawl index-changed comes
 * every 250 ms, and both read every account, so each event re-running them would keep the engine busy
 * for nothing.
 */
const searchRefreshMs = 1000;

/** Keeps the query cache in step with the engine: each event invalidates exactly the keys it touches. */
export function useEngineEvents(api: SkyfoldApi): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    // The first event of a burst schedules one search refresh; the ones after it within the interval join it.
    let searchTimer: ReturnType<typeof setTimeout> | null = null;
    const throttled = new Set<unknown>([queryKeys.searches()[0], queryKeys.merged()[0]]);
    const pending = new Map<unknown, readonly unknown[]>();
    const unsubscribe = api.onEvent((event) => {
      for (const queryKey of keysToInvalidate(event)) {
        if (!throttled.has(queryKey[0])) {
          void queryClient.invalidateQueries({ queryKey });
          continue;
        }
        pending.set(queryKey[0], queryKey);
        searchTimer ??= setTimeout(() => {
          searchTimer = null;
          for (const key of pending.values()) void queryClient.invalidateQueries({ queryKey: key });
          pending.clear();
        }, searchRefreshMs);
      }
    });
    return () => {
      unsubscribe();
      if (searchTimer !== null) clearTimeout(searchTimer);
    };
  }, [api, queryClient]);
}
