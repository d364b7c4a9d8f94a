// `useStaged`: reveal the parts of a heavy view one per task after it mounts, so no single main-thread task draws them all.
import { useEffect, useState } from 'react';

/**
 * How many of `parts` parts to draw: all of them at once when `enabled` is false; otherwise none on the
 * first render, then one more in each following task (a `setTimeout` after each commit), so that mounting
 * a long course (the calendar of 10,000 sessions, three score charts, the personal band) is several short
 * main-thread tasks instead of one long one (issue 11: no task over 200 ms). Staging starts the first
 * time `enabled` is true and happens once: after it, every render draws every part.
 */
export function useStaged(parts: number, enabled: boolean): number {
  const [shown, setShown] = useState(0);
  const all = !enabled || shown >= parts;
  useEffect(() => {
    if (all) return;
    const next = shown + 1;
    const id = setTimeout(() => setShown(next), 0);
    return () => clearTimeout(id);
  }, [all, shown]);
  return all ? parts : shown;
}
