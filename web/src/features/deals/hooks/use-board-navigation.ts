import { type FocusEvent, type KeyboardEvent, useCallback, useMemo, useState } from 'react';
import { nextPosition, tabbableKey } from '../utils/board-navigation';

/** Marks an element the arrow keys move between; its value is the item's key. */
export const navAttribute = 'data-board-nav';

/**
 * Arrow-key navigation between the board's columns and cards, with a roving tabindex: Tab reaches
 * the board once (the item last focused), the arrows move within it. `grid` holds the item keys
 * column by column; the DOM is read on each key press, so cards rendered later are included.
 * A key the drag library has taken (a lifted card moves with the arrows) is left alone.
 */
export function useBoardNavigation(grid: string[][]) {
  const [active, setActive] = useState<string | null>(null);
  const tabbable = useMemo(() => tabbableKey(grid, active), [grid, active]);

  const onFocus = useCallback((event: FocusEvent<HTMLElement>) => {
    const target = event.target as HTMLElement;
    // Focus on a card's menu button makes its card the one Tab returns to.
    const item = target.closest(`[${navAttribute}]`) ?? target.closest('[data-testid="deal-card"]')?.querySelector(`[${navAttribute}]`);
    const key = item?.getAttribute(navAttribute);
    if (key) setActive(key);
  }, []);

  const onKeyDown = useCallback((event: KeyboardEvent<HTMLElement>) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const target = event.target as HTMLElement;
    if (!target.hasAttribute(navAttribute)) return;
    const board = event.currentTarget;
    const columns = [...board.querySelectorAll('[data-testid="board-column"]')].map((column) => [...column.querySelectorAll<HTMLElement>(`[${navAttribute}]`)]);
    const column = columns.findIndex((items) => items.includes(target));
    if (column === -1) return;
    const rtl = getComputedStyle(board).direction === 'rtl';
    const next = nextPosition(
      columns.map((items) => items.length),
      { column, row: columns[column]!.indexOf(target) },
      event.key,
      rtl,
    );
    if (!next && !event.key.startsWith('Arrow')) return;
    // An arrow at an edge does nothing rather than scroll the board.
    event.preventDefault();
    columns[next?.column ?? -1]?.[next?.row ?? -1]?.focus();
  }, []);

  return { tabbable, onFocus, onKeyDown };
}
