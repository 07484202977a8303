import { useSyncExternalStore } from 'react';
import { clockNow, subscribeClock } from '../lib/clock';

/** The current time, refreshed every minute. */
export function useNow(): number {
  return useSyncExternalStore(subscribeClock, clockNow, clockNow);
}
