/**
 * Which rows of a list are selected, in the order they were picked, and the anchor a shift-click
 * extends a range from (the last row toggled).
 */
export interface SelectionState {
  selected: readonly string[];
  anchor: string | null;
}

export type SelectionAction =
  /** Select or unselect one row; it becomes the anchor. */
  | { type: 'toggle'; id: string }
  /** Shift-click: every row from the anchor to this one (in `ids`, the visible order) takes this row's new state. */
  | { type: 'range'; id: string; ids: readonly string[] }
  /** Select every visible row, or unselect them all when they already are. */
  | { type: 'toggleAll'; ids: readonly string[] }
  | { type: 'clear' }
  /** Keep only these (what failed, to try again). */
  | { type: 'set'; ids: readonly string[] }
  /** The list changed: forget rows no longer in it. */
  | { type: 'retain'; ids: readonly string[] };

export const emptySelection: SelectionState = { selected: [], anchor: null };

function union(selected: readonly string[], added: readonly string[]): string[] {
  const seen = new Set(selected);
  const result = [...selected];
  for (const id of added) {
    if (seen.has(id)) continue;
    seen.add(id);
    result.push(id);
  }
  return result;
}

export function selectionReducer(state: SelectionState, action: SelectionAction): SelectionState {
  switch (action.type) {
    case 'toggle': {
      const selected = state.selected.includes(action.id) ? state.selected.filter((id) => id !== action.id) : [...state.selected, action.id];
      return { selected, anchor: action.id };
    }
    case 'range': {
      const from = state.anchor === null ? -1 : action.ids.indexOf(state.anchor);
      const to = action.ids.indexOf(action.id);
      if (from === -1 || to === -1) return selectionReducer(state, { type: 'toggle', id: action.id });
      const range = action.ids.slice(Math.min(from, to), Math.max(from, to) + 1);
      const select = !state.selected.includes(action.id);
      const inRange = new Set(range);
      const selected = select ? union(state.selected, range) : state.selected.filter((id) => !inRange.has(id));
      return { selected, anchor: action.id };
    }
    case 'toggleAll': {
      const all = action.ids.length > 0 && action.ids.every((id) => state.selected.includes(id));
      if (all) {
        const visible = new Set(action.ids);
        return { selected: state.selected.filter((id) => !visible.has(id)), anchor: null };
      }
      return { selected: union(state.selected, action.ids), anchor: state.anchor };
    }
    case 'clear':
      return emptySelection;
    case 'set':
      return { selected: union([], action.ids), anchor: null };
    case 'retain': {
      const present = new Set(action.ids);
      const selected = state.selected.filter((id) => present.has(id));
      if (selected.length === state.selected.length) return state;
      return { selected, anchor: state.anchor !== null && present.has(state.anchor) ? state.anchor : null };
    }
  }
}
