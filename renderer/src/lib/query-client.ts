/** The query cache's policy (pure configuration). */
import { QueryClient } from '@tanstack/react-query';
import { retryableCodes, SkyfoldError } from '../../../common/errors';

/** Retry passing faults (a dropped link, rate limits) a few times; never not_found or invalid_argument. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof SkyfoldError) return retryableCodes.has(error.code) && failureCount < 3;
  return failureCount < 1;
}

export function retryDelay(failureCount: number, error: unknown): number {
  if (error instanceof SkyfoldError && error.retryAfterMs !== undefined)
    return Math.min(error.retryAfterMs, 30_000);
  return Math.min(500 * 2 ** failureCount, 8_000);
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // The engine pushes an event whenever data changes, so cached data stays fresh until then.
        staleTime: Infinity,
        refetchOnWindowFocus: false,
        // The engine is local (IPC or loopback): being offline never stops it answering.
        networkMode: 'always',
        retry: shouldRetry,
        retryDelay,
      },
      mutations: { networkMode: 'always', retry: false },
    },
  });
}
