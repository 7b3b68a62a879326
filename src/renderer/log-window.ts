/** Where the log viewer's scroller is: its scroll offset and the height it shows, in pixels. */
export interface Viewport {
  scrollTop: number;
  height: number;
}

/** The rows to put in the DOM: `first` up to (not including) `last`, placed `top` pixels down a list `height` tall. */
export interface RowWindow {
  first: number;
  last: number;
  top: number;
  height: number;
}

/**
 * The rows in view plus `overscan` on each side, for `count` rows of
 * `rowHeight` pixels: a list of 50,000 lines keeps a few dozen in the DOM.
 * A scroll offset past the end (the list just shrank) shows the last rows.
 */
export function rowWindow(viewport: Viewport, count: number, rowHeight: number, overscan: number): RowWindow {
  const height = count * rowHeight;
  const visibleRows = Math.ceil(Math.max(0, viewport.height) / rowHeight);
  const top = Math.min(Math.max(0, viewport.scrollTop), Math.max(0, height - viewport.height));
  const firstVisible = Math.floor(top / rowHeight);
  const first = Math.max(0, firstVisible - overscan);
  const last = Math.min(count, firstVisible + visibleRows + 1 + overscan);
  return { first, last: Math.max(first, last), top: first * rowHeight, height };
}

/** Whether the scroller shows the end of the list, give or take `slack` pixels: following the tail stays on while it does. */
export function atEnd(viewport: Viewport, scrollHeight: number, slack: number): boolean {
  return scrollHeight - (viewport.scrollTop + viewport.height) <= slack;
}

/** The scroll offset that shows row `index` in the middle of the viewport (as near as the list's ends allow). */
export function scrollTopFor(index: number, count: number, rowHeight: number, viewportHeight: number): number {
  const wanted = index * rowHeight - (viewportHeight - rowHeight) / 2;
  return Math.round(Math.min(Math.max(0, wanted), Math.max(0, count * rowHeight - viewportHeight)));
}
