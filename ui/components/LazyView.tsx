// `LazyView`: a tab's lazily loaded view inside an `ErrorBoundary`, with a "Loading …" panel until its chunk arrives.
import { Suspense, type ReactNode } from 'react';
import { ErrorBoundary } from './ErrorBoundary.tsx';

export interface LazyViewProps {
  /** The view's name in the error panel, e.g. "Course view". */
  readonly name: string;
  /** What the error panel tells the user is kept and how to go on. */
  readonly recovery: string;
  /** What is loading, e.g. "the Course view" (shown as "Loading the Course view…"). */
  readonly loading: string;
  /** The `lazy()` component, in its own chunk. */
  readonly children: ReactNode;
}

/** One tab's view: its code loads on first use; an error in it is caught and named, the rest of the app stays. */
export function LazyView({ name, recovery, loading, children }: LazyViewProps) {
  return (
    <ErrorBoundary name={name} recovery={recovery}>
      <Suspense
        fallback={
          <section className="panel">
            <p>
              <span className="spinner" aria-hidden="true" /> Loading {loading}…
            </p>
          </section>
        }
      >
        {children}
      </Suspense>
    </ErrorBoundary>
  );
}
