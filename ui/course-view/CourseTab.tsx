// `CourseTab`: lazy-loads `CourseView` in its own chunk inside an `ErrorBoundary`.
import { lazy, Suspense } from 'react';
import { ErrorBoundary } from '../components/ErrorBoundary.tsx';

const CourseView = lazy(() => import('./CourseView.tsx').then((m) => ({ default: m.CourseView })));

/** The Course tab: its code (course database, engine figures) loads on first use, in its own chunk. */
export function CourseTab() {
  return (
    <ErrorBoundary
      name="Course view"
      recovery="Everything recorded is kept in this browser's course database. Reload the page to continue."
    >
      <Suspense
        fallback={
          <section className="panel">
            <p>
              <span className="spinner" aria-hidden="true" /> Loading the Course view…
            </p>
          </section>
        }
      >
        <CourseView />
      </Suspense>
    </ErrorBoundary>
  );
}
