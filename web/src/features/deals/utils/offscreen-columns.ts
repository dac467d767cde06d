/** A box's extent along the inline axis, in viewport pixels (left to right whatever the direction). */
export interface Span {
  left: number;
  right: number;
}

/** How many columns lie, wholly or partly, outside the visible part of the board, on each side. */
export interface OffscreenColumns {
  /** Earlier stages (to the left in English, to the right in Persian). */
  before: number;
  /** Later stages. */
  after: number;
}

/**
 * Counts the columns (in stage order) not wholly inside `view`, before the first and after the
 * last one that is. When none is wholly visible (a column wider than the view), the one that
 * shows most counts as visible.
 */
export function offscreenColumns(view: Span, columns: readonly Span[]): OffscreenColumns {
  const slack = 1;
  const visible = columns.map((column) => column.left >= view.left - slack && column.right <= view.right + slack);
  let first = visible.indexOf(true);
  let last = visible.lastIndexOf(true);
  if (first === -1) {
    if (columns.length === 0) return { before: 0, after: 0 };
    const shown = columns.map((column) => Math.min(column.right, view.right) - Math.max(column.left, view.left));
    first = last = shown.indexOf(Math.max(...shown));
  }
  return { before: first, after: columns.length - 1 - last };
}
