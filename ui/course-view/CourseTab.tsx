import { lazy, Suspense } from 'react';
import { ViewErrorBoundary } from '../live/ErrorBoundary.tsx';

const CourseView = lazy(() => import('./CourseView.tsx').then((m) => ({ default: m.CourseView })));

/** The Course tab: its code (course database, engine figures) loads on first use, in its own chunk. */
export function CourseTab() {
  return (
    <ViewErrorBoundary what="The Course view">
      <Suspense fallback={<section className="panel"><p><span className="spinner" aria-hidden="true" /> Loading the Course view…</p></section>}>
        <CourseView />
      </Suspense>
    </ViewErrorBoundary>
  );
}
