import { describe, expect, it } from 'vitest';
import { emptySelection, selectionReducer, type SelectionAction, type SelectionState } from './selection';

const ids = ['a', 'b', 'c', 'd', 'e'];
const run = (actions: SelectionAction[], from: SelectionState = emptySelection) => actions.reduce(selectionReducer, from);

describe('the selection of a list', () => {
  it('toggles one row, which becomes the anchor', () => {
    expect(run([{ type: 'toggle', id: 'b' }])).toEqual({ selected: ['b'], anchor: 'b' });
    expect(
      run([
        { type: 'toggle', id: 'b' },
        { type: 'toggle', id: 'b' },
      ]),
    ).toEqual({ selected: [], anchor: 'b' });
  });

  it('extends a shift-click range from the anchor, either way', () => {
    expect(
      run([
        { type: 'toggle', id: 'b' },
        { type: 'range', id: 'd', ids },
      ]).selected,
    ).toEqual(['b', 'c', 'd']);
    expect(
      run([
        { type: 'toggle', id: 'd' },
        { type: 'range', id: 'b', ids },
      ]).selected,
    ).toEqual(['d', 'b', 'c']);
  });

  it('unselects a range when the clicked row was selected', () => {
    const state = run([
      { type: 'toggleAll', ids },
      { type: 'toggle', id: 'a' },
      { type: 'toggle', id: 'a' },
      { type: 'range', id: 'c', ids },
    ]);
    expect(state.selected).toEqual(['d', 'e']);
  });

  it('treats a range without an anchor (or with one no longer shown) as a toggle', () => {
    expect(run([{ type: 'range', id: 'c', ids }])).toEqual({ selected: ['c'], anchor: 'c' });
    expect(
      run([
        { type: 'toggle', id: 'x' },
        { type: 'range', id: 'c', ids },
      ]).selected,
    ).toEqual(['x', 'c']);
  });

  it('selects every visible row, or unselects them when all are', () => {
    const all = run([
      { type: 'toggle', id: 'z' },
      { type: 'toggleAll', ids },
    ]);
    expect(all.selected).toEqual(['z', ...ids]);
    expect(selectionReducer(all, { type: 'toggleAll', ids }).selected).toEqual(['z']);
  });

  it('clears, and sets the rows to keep (without repeats)', () => {
    expect(run([{ type: 'toggleAll', ids }, { type: 'clear' }])).toEqual(emptySelection);
    expect(run([{ type: 'set', ids: ['c', 'a', 'c'] }])).toEqual({ selected: ['c', 'a'], anchor: null });
  });

  it('forgets rows that left the list, and keeps the same state when none did', () => {
    const state = run([
      { type: 'toggle', id: 'a' },
      { type: 'toggle', id: 'c' },
    ]);
    expect(selectionReducer(state, { type: 'retain', ids: ['a', 'b'] })).toEqual({ selected: ['a'], anchor: null });
    expect(selectionReducer(state, { type: 'retain', ids })).toBe(state);
  });
});
