// `useWindowedRows` and `Spacer`: a small windowing helper for long tables (only the rows in view, plus a margin, are rendered).
import { useCallback, useState, type UIEvent } from 'react';

/** What a windowed table renders: rows [first, last) and the heights (px) of the spacers above and below them. */
export interface RowWindow {
  readonly first: number;
  readonly last: number;
  readonly before: number;
  readonly after: number;
  /** Put on the scrolling container. */
  readonly onScroll: (e: UIEvent<HTMLElement>) => void;
}

/** The rows of a fixed-row-height table in view of a container `viewRows` rows high (with `margin` rows either side). */
export function rowWindow(count: number, scrollTop: number, rowPx: number, viewRows: number, margin: number) {
  const top = Math.max(0, Math.floor(scrollTop / rowPx) - margin);
  const first = Math.min(top, Math.max(0, count - 1));
  const last = Math.min(count, first + viewRows + 2 * margin);
  return { first, last, before: first * rowPx, after: (count - last) * rowPx };
}

/** The window of a table of `count` rows of `rowPx` pixels in a container `viewRows` rows high. */
export function useWindowedRows(count: number, rowPx: number, viewRows: number, margin = 6): RowWindow {
  const [scrollTop, setScrollTop] = useState(0);
  const onScroll = useCallback((e: UIEvent<HTMLElement>) => setScrollTop(e.currentTarget.scrollTop), []);
  return { ...rowWindow(count, scrollTop, rowPx, viewRows, margin), onScroll };
}

/** A spacer row standing for the rows not rendered (empty; aria-rowindex on the real rows gives their place). */
export function Spacer({ px, cols }: { px: number; cols: number }) {
  if (px <= 0) return null;
  return (
    <tr className="window-spacer">
      <td colSpan={cols} style={{ height: px, padding: 0, border: 0 }} />
    </tr>
  );
}
