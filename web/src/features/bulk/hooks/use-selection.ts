import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import { emptySelection, selectionReducer } from '../utils/selection';

export interface Selection {
  /** The selected ids, in the order they were picked. */
  selectedIds: string[];
  isSelected: (id: string) => boolean;
  /** Select or unselect a row; with `range` (shift held) every row from the last one toggled. */
  toggle: (id: string, range?: boolean) => void;
  /** Select every visible row, or unselect them all when they already are. */
  toggleAll: () => void;
  clear: () => void;
  /** Replace the selection (e.g. with the rows a bulk action could not change). */
  set: (ids: readonly string[]) => void;
  allSelected: boolean;
  someSelected: boolean;
}

/**
 * The selection of a list showing `ids` (in their visible order). Rows that leave the list (a
 * filter changed, a row was deleted) leave the selection. The callbacks keep their identity, so
 * memoized rows do not re-render for them.
 */
export function useSelection(ids: readonly string[]): Selection {
  const [state, dispatch] = useReducer(selectionReducer, emptySelection);
  const visible = useRef(ids);
  visible.current = ids;
  const key = ids.join(',');
  useEffect(() => dispatch({ type: 'retain', ids: visible.current }), [key]);

  const toggle = useCallback((id: string, range = false) => dispatch(range ? { type: 'range', id, ids: visible.current } : { type: 'toggle', id }), []);
  const toggleAll = useCallback(() => dispatch({ type: 'toggleAll', ids: visible.current }), []);
  const clear = useCallback(() => dispatch({ type: 'clear' }), []);
  const set = useCallback((next: readonly string[]) => dispatch({ type: 'set', ids: next }), []);

  return useMemo(() => {
    const chosen = new Set(state.selected);
    return {
      selectedIds: [...state.selected],
      isSelected: (id: string) => chosen.has(id),
      toggle,
      toggleAll,
      clear,
      set,
      // The visible ids are compared by their contents (`key`), not by the array's identity.
      allSelected: visible.current.length > 0 && visible.current.every((id) => chosen.has(id)),
      someSelected: chosen.size > 0,
    };
  }, [state.selected, key, toggle, toggleAll, clear, set]);
}
