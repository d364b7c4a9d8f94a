// `CourseTab`: lazy-loads `CourseView` in its own chunk inside `LazyView` (error boundary, loading panel).
import { lazy } from 'react';
import { LazyView } from '../components/LazyView.tsx';

const CourseView = lazy(() => import('./CourseView.tsx').then((m) => ({ default: m.CourseView })));

/** The Course tab: its code (course database, engine figures) loads on first use, in its own chunk. */
export function CourseTab() {
  return (
    <LazyView
      name="Course view"
      recovery="Everything recorded is kept in this browser's course database. Reload the page to continue."
      loading="the Course view"
    >
      <CourseView />
    </LazyView>
  );
}
