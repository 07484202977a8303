import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { ConnectionMonitor, ConnectionStatus } from '../client/connection';

export function useConnectionStatus(connection: ConnectionMonitor): ConnectionStatus {
  return useSyncExternalStore(connection.subscribe, connection.getStatus, connection.getStatus);
}

/** After a lost link comes back, refetch everything: events sent while it was down were missed. */
export function useResyncAfterReconnect(connection: ConnectionMonitor): void {
  const queryClient = useQueryClient();
  const wasLost = useRef(connection.getStatus() === 'lost');
  useEffect(
    () =>
      connection.subscribe((status) => {
        if (status === 'lost') wasLost.current = true;
        if (status === 'open' && wasLost.current) {
          wasLost.current = false;
          void queryClient.invalidateQueries();
        }
      }),
    [connection, queryClient],
  );
}
