/**
 * Arrow-key movement on the board, as pure functions over its shape. The board is a grid whose
 * columns are the stages, in document order (first stage first), and whose rows are each
 * column's items: the column's "add a deal" button (row 0), then its cards.
 */

export interface GridPosition {
  column: number;
  row: number;
}

/** The key of the "add a deal" button of a stage, among the cards' keys (the deals' ids). */
export const addButtonKey = (stageId: string) => `add:${stageId}`;

/** The grid's item keys, column by column. */
export function navigationGrid(columns: readonly { stage: { id: string }; deals: readonly { id: string }[] }[]): string[][] {
  return columns.map((column) => [addButtonKey(column.stage.id), ...column.deals.map((deal) => deal.id)]);
}

/**
 * The one item of the board that Tab reaches (roving tabindex): the last one focused while it is
 * still on the board, or else the first card of the first column (its add button when it has none).
 */
export function tabbableKey(grid: readonly (readonly string[])[], active: string | null): string | null {
  if (active !== null && grid.some((keys) => keys.includes(active))) return active;
  const first = grid[0];
  return first ? (first[1] ?? first[0] ?? null) : null;
}

/**
 * Where a key press goes from `at`, or null when the key does not move (an edge, another key).
 * Left and right follow the reading direction: in right-to-left, right goes to the previous stage.
 * A move to another column keeps the row where it can (the last item of a shorter column).
 * Home and End go to the first and last stage.
 */
export function nextPosition(sizes: readonly number[], at: GridPosition, key: string, rtl: boolean): GridPosition | null {
  const lastColumn = sizes.length - 1;
  const inColumn = (column: number): GridPosition => ({ column, row: Math.max(0, Math.min(at.row, (sizes[column] ?? 1) - 1)) });
  const forward = rtl ? 'ArrowLeft' : 'ArrowRight';
  const backward = rtl ? 'ArrowRight' : 'ArrowLeft';
  let next: GridPosition;
  switch (key) {
    case 'ArrowUp':
      next = { column: at.column, row: Math.max(0, at.row - 1) };
      break;
    case 'ArrowDown':
      next = { column: at.column, row: Math.min((sizes[at.column] ?? 1) - 1, at.row + 1) };
      break;
    case forward:
      next = inColumn(Math.min(lastColumn, at.column + 1));
      break;
    case backward:
      next = inColumn(Math.max(0, at.column - 1));
      break;
    case 'Home':
      next = inColumn(0);
      break;
    case 'End':
      next = inColumn(lastColumn);
      break;
    default:
      return null;
  }
  return next.column === at.column && next.row === at.row ? null : next;
}
