// `renderApp`: mounts the React dashboard into the page (loaded by ui/main.tsx in parallel with the worker's first prediction).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import type { AppContextValue } from './context.ts';

/** Mount the dashboard (React, every view of the Plan tab) into `rootEl`. */
export function renderApp(rootEl: HTMLElement, ctx: AppContextValue): void {
  createRoot(rootEl).render(
    <StrictMode>
      <App ctx={ctx} />
    </StrictMode>,
  );
}
