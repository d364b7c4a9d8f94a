// `LiveTab`: lazy-loads `LiveView` in its own chunk inside an `ErrorBoundary`.
import { lazy, Suspense } from 'react';
import { ErrorBoundary } from '../components/ErrorBoundary.tsx';

const LiveView = lazy(() => import('./LiveView.tsx').then((m) => ({ default: m.LiveView })));

/** The Live mode tab: its code (engine, course database, planner) loads on first use, in its own chunk. */
export function LiveTab() {
  return (
    <ErrorBoundary
      name="Live mode"
      recovery="Everything recorded is kept in this browser's course database. Reload the page to continue."
    >
      <Suspense
        fallback={
          <section className="panel">
            <p>
              <span className="spinner" aria-hidden="true" /> Loading Live mode…
            </p>
          </section>
        }
      >
        <LiveView />
      </Suspense>
    </ErrorBoundary>
  );
}
