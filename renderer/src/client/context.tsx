import { createContext, useContext, type ReactNode } from 'react';
import type { SkyfoldClient } from './client';

const ClientContext = createContext<SkyfoldClient | null>(null);

export function ClientProvider({ client, children }: { client: SkyfoldClient; children: ReactNode }) {
  return <ClientContext value={client}>{children}</ClientContext>;
}

/** The client object (API + connection status) of the nearest ClientProvider. */
export function useClient(): SkyfoldClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient() outside <ClientProvider>');
  return client;
}
