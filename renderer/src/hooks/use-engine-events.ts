import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { SkyfoldApi } from '../../../common/contract';
import { keysToInvalidate } from '../lib/query-keys';

/** Keeps the query cache in step with the engine: each event invalidates exactly the keys it touches. */
export function useEngineEvents(api: SkyfoldApi): void {
  const queryClient = useQueryClient();
  useEffect(
    () =>
      api.onEvent((event) => {
        for (const queryKey of keysToInvalidate(event)) void queryClient.invalidateQueries({ queryKey });
      }),
    [api, queryClient],
  );
}
