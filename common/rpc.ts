/**
 * The wire format shared by both transports (Electron IPC and the web host's WebSocket), and the one
 * client object the renderer uses over either of them.
 */
import { SkyfoldError, type ErrorDto } from './errors';
import type { EngineEvent, SkyfoldApi } from './contract';
import { methodNames, type MethodName } from './methods';

export interface CallMessage {
  kind: 'call';
  id: number;
  method: string;
  args: unknown;
}

export type ResultMessage =
  | { kind: 'result'; id: number; ok: true; value: unknown }
  | { kind: 'result'; id: number; ok: false; error: ErrorDto };

export interface EventMessage {
  kind: 'event';
  event: EngineEvent;
}

export type ServerMessage = ResultMessage | EventMessage;

/**
 * What a transport must provide: send one call and settle with its outcome, and deliver events.
 * `call` resolves with `{ok, value | error}` rather than throwing, so errors keep their shared code.
 */
export interface ContractTransport {
  call(
    method: MethodName,
    args: unknown,
  ): Promise<{ ok: true; value: unknown } | { ok: false; error: ErrorDto }>;
  onEvent(listener: (event: EngineEvent) => void): () => void;
}

/** Builds the SkyfoldApi over a transport. Failed calls reject with a SkyfoldError carrying the shared code. */
export function createContractClient(transport: ContractTransport): SkyfoldApi {
  const api: Record<string, unknown> = {
    onEvent: (listener: (event: EngineEvent) => void) => transport.onEvent(listener),
  };
  for (const method of methodNames) {
    api[method] = async (args: unknown) => {
      const outcome = await transport.call(method, args);
      if (!outcome.ok) throw SkyfoldError.fromDto(outcome.error);
      return outcome.value;
    };
  }
  return api as SkyfoldApi;
}
