import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { SkyfoldApi } from '../../../common/contract';
import { keysToInvalidate, queryKeys } from '../lib/query-keys';

/**
 * Searches are refreshed at most this often: during a crawl index-changed comes every 250 ms, and a
 * search scans every account, so each event re-running it would keep the engine busy for nothing.
 */
const searchRefreshMs = 1000;

/** Keeps the query cache in step with the engine: each event invalidates exactly the keys it touches. */
export function useEngineEvents(api: SkyfoldApi): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    // The first event of a burst schedules one search refresh; the ones after it within the interval join it.
    let searchTimer: ReturnType<typeof setTimeout> | null = null;
    const searchPrefix = queryKeys.searches()[0];
    const unsubscribe = api.onEvent((event) => {
      for (const queryKey of keysToInvalidate(event)) {
        if (queryKey[0] !== searchPrefix) {
          void queryClient.invalidateQueries({ queryKey });
        } else if (searchTimer === null) {
          searchTimer = setTimeout(() => {
            searchTimer = null;
            void queryClient.invalidateQueries({ queryKey });
          }, searchRefreshMs);
        }
      }
    });
    return () => {
      unsubscribe();
      if (searchTimer !== null) clearTimeout(searchTimer);
    };
  }, [api, queryClient]);
}
