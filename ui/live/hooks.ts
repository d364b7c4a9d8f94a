import { useEffect, useState } from 'react';

/**
 * The wall clock, re-read once a second (setInterval only triggers the re-render: the value is always
 * Date.now(), so a throttled background tab or a sleeping laptop shows the right time on its next
 * tick), and at once when the tab becomes visible again.
 */
export function useWallClock(periodMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const tick = () => setNow(Date.now());
    const id = setInterval(tick, periodMs);
    const onVisible = () => {
      if (document.visibilityState === 'visible') tick();
    };
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('focus', tick);
    return () => {
      clearInterval(id);
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('focus', tick);
    };
  }, [periodMs]);
  return now;
}

/** True once `busy` has lasted longer than `afterMs` (progress feedback only for slow work). */
export function useSlow(busy: boolean, afterMs = 500): boolean {
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    setSlow(false);
    if (!busy) return;
    const id = setTimeout(() => setSlow(true), afterMs);
    return () => clearTimeout(id);
  }, [busy, afterMs]);
  return slow && busy;
}
