// `LiveTab`: lazy-loads `LiveView` in its own chunk inside `LazyView` (error boundary, loading panel).
import { lazy } from 'react';
import { LazyView } from '../components/LazyView.tsx';

const LiveView = lazy(() => import('./LiveView.tsx').then((m) => ({ default: m.LiveView })));

/** The Live mode tab: its code (engine, course database, planner) loads on first use, in its own chunk. */
export function LiveTab() {
  return (
    <LazyView
      name="Live mode"
      recovery="Everything recorded is kept in this browser's course database. Reload the page to continue."
      loading="Live mode"
    >
      <LiveView />
    </LazyView>
  );
}
