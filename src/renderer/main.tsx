import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { portholeApi } from './api/porthole-api';
import { App } from './app';

const root = document.getElementById('root');
if (!root) throw new Error('The page has no #root element.');
createRoot(root).render(
  <StrictMode>
    <App api={portholeApi()} />
  </StrictMode>,
);
