// `ValidateTab`: lazy-loads `ValidateView` in its own chunk inside `LazyView` (error boundary, loading panel).
import { lazy } from 'react';
import { LazyView } from '../components/LazyView.tsx';

const ValidateView = lazy(() => import('./ValidateView.tsx').then((m) => ({ default: m.ValidateView })));

/** The Validate tab: its code (view, charts, worker client) loads on first use, in its own chunk. */
export function ValidateTab() {
  return (
    <LazyView
      name="Validate view"
      recovery="Nothing is stored by this view. Choose the dataset file again to continue."
      loading="the Validate view"
    >
      <ValidateView />
    </LazyView>
  );
}
