import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { startCriticalRequests } from './app/prefetch';
import { createQueryClient } from './app/query-client';
import './app/styles.css';

const queryClient = createQueryClient();
startCriticalRequests(queryClient, window.location);

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App queryClient={queryClient} />
    </StrictMode>,
  );
}
