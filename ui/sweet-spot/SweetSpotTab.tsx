// `SweetSpotTab`: lazy-loads the sweet-spot view in its own chunk inside `LazyView` (error boundary, loading panel).
import { lazy } from 'react';
import { LazyView } from '../components/LazyView.tsx';

const SweetSpotView = lazy(() => import('./SweetSpotView.tsx').then((m) => ({ default: m.SweetSpotView })));

/** The sweet-spot tab: its code loads on first use, in its own chunk. */
export function SweetSpotTab() {
  return (
    <LazyView
      name="Sweet spot"
      recovery="The plan being edited is kept. Reload the page to try again."
      loading="the sweet-spot view"
    >
      <SweetSpotView />
    </LazyView>
  );
}
