import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createSkyfoldClient } from './client/client';
import { ClientProvider } from './client/context';
import { App } from './components/App';
import { createQueryClient } from './lib/query-client';
import './styles.css';

const client = createSkyfoldClient({
  skyfold: (window as { skyfold?: unknown }).skyfold,
  location: window.location,
  WebSocket: window.WebSocket,
});
const queryClient = createQueryClient();

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root');
createRoot(container).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <ClientProvider client={client}>
        <App />
      </ClientProvider>
    </QueryClientProvider>
  </StrictMode>,
);
