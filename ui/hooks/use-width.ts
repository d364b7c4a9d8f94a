// `useWidth`: an element's width kept current with a ResizeObserver (every chart sizes itself with it).
import { useLayoutEffect, useState, type RefObject } from 'react';

/** Width of an element in px, kept up to date with a ResizeObserver (charts size themselves with it). */
export function useWidth(ref: RefObject<HTMLElement | null>): number {
  const [w, setW] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setW(Math.floor(el.clientWidth));
    const ro = new ResizeObserver(() => setW(Math.floor(el.clientWidth)));
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return w;
}
