// `ValidateTab`: lazy-loads `ValidateView` in its own chunk inside an `ErrorBoundary`.
import { lazy, Suspense } from 'react';
import { ErrorBoundary } from '../components/ErrorBoundary.tsx';

const ValidateView = lazy(() => import('./ValidateView.tsx').then((m) => ({ default: m.ValidateView })));

/** The Validate tab: its code (view, charts, worker client) loads on first use, in its own chunk. */
export function ValidateTab() {
  return (
    <ErrorBoundary name="Validate view" recovery="Nothing is stored by this view. Choose the dataset file again to continue.">
      <Suspense
        fallback={
          <section className="panel">
            <p>
              <span className="spinner" aria-hidden="true" /> Loading the Validate view…
            </p>
          </section>
        }
      >
        <ValidateView />
      </Suspense>
    </ErrorBoundary>
  );
}
