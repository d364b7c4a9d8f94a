import { lazy, Suspense } from 'react';
import { ViewErrorBoundary } from './ErrorBoundary.tsx';

const LiveView = lazy(() => import('./LiveView.tsx').then((m) => ({ default: m.LiveView })));

/** The Live mode tab: its code (engine, course database, planner) loads on first use, in its own chunk. */
export function LiveTab() {
  return (
    <ViewErrorBoundary what="Live mode">
      <Suspense fallback={<section className="panel"><p><span className="spinner" aria-hidden="true" /> Loading Live mode…</p></section>}>
        <LiveView />
      </Suspense>
    </ViewErrorBoundary>
  );
}
