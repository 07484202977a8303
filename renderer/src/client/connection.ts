/** The state of the link between the UI and the engine, as both transports report it. */

export type ConnectionStatus =
  /** Not connected yet (connects on the first call or event subscription). */
  | 'idle'
  | 'connecting'
  | 'open'
  /** The link dropped or could not be made; calls fail as `transient` and a reconnect is pending. */
  | 'lost'
  /** Shut down on purpose (dispose); no reconnects. */
  | 'closed';

export interface ConnectionMonitor {
  getStatus(): ConnectionStatus;
  /** Calls `listener` on every status change; returns the unsubscribe function. */
  subscribe(listener: (status: ConnectionStatus) => void): () => void;
  /** Tries to connect now, skipping any backoff wait. */
  reconnect(): void;
}

/** A monitor for a link that cannot drop (Electron IPC). */
export const alwaysOpen: ConnectionMonitor = {
  getStatus: () => 'open',
  subscribe: () => () => undefined,
  reconnect: () => undefined,
};
