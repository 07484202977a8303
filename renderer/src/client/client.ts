/**
 * The one client object the UI uses: the contract API plus the link's status, over Electron IPC
 * (`window.skyfold`, exposed by the preload) when present, else over the web host's WebSocket.
 */
import type { SkyfoldApi } from '../../../common/contract';
import { createContractClient, type ContractTransport } from '../../../common/rpc';
import { alwaysOpen, type ConnectionMonitor } from './connection';
import { createWebSocketTransport, rpcUrl, type WebSocketFactory } from './websocket-transport';

export interface SkyfoldClient {
  api: SkyfoldApi;
  connection: ConnectionMonitor;
  transport: 'ipc' | 'websocket';
}

/** Whether `value` looks like the preload's transport (`{call, onEvent}`). */
export function isContractTransport(value: unknown): value is ContractTransport {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<ContractTransport>;
  return typeof candidate.call === 'function' && typeof candidate.onEvent === 'function';
}

export interface ClientEnvironment {
  skyfold?: unknown;
  location: { protocol: string; host: string };
  WebSocket?: unknown;
}

export function createSkyfoldClient(environment: ClientEnvironment): SkyfoldClient {
  if (isContractTransport(environment.skyfold)) {
    return { api: createContractClient(environment.skyfold), connection: alwaysOpen, transport: 'ipc' };
  }
  const transport = createWebSocketTransport({
    url: rpcUrl(environment.location),
    WebSocket: environment.WebSocket as WebSocketFactory | undefined,
  });
  return { api: createContractClient(transport), connection: transport, transport: 'websocket' };
}
