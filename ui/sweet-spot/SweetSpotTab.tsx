// `SweetSpotTab`: lazy-loads the sweet-spot view in its own chunk inside an `ErrorBoundary`.
import { lazy, Suspense } from 'react';
import { ErrorBoundary } from '../components/ErrorBoundary.tsx';

const SweetSpotView = lazy(() => import('./SweetSpotView.tsx').then((m) => ({ default: m.SweetSpotView })));

/** The sweet-spot tab: its code loads on first use, in its own chunk. */
export function SweetSpotTab() {
  return (
    <ErrorBoundary name="Sweet spot" recovery="The plan being edited is kept. Reload the page to try again.">
      <Suspense
        fallback={
          <section className="panel">
            <p>
              <span className="spinner" aria-hidden="true" /> Loading the sweet-spot view…
            </p>
          </section>
        }
      >
        <SweetSpotView />
      </Suspense>
    </ErrorBoundary>
  );
}
