import { describe, expect, it } from 'vitest';
import { navigationGrid, nextPosition, tabbableKey } from './board-navigation';

describe('nextPosition', () => {
  // Three stages: two cards, none, three cards (row 0 is each column's add button).
  const sizes = [3, 1, 4];

  it('moves down and up within a column, stopping at its ends', () => {
    expect(nextPosition(sizes, { column: 0, row: 1 }, 'ArrowDown', false)).toEqual({ column: 0, row: 2 });
    expect(nextPosition(sizes, { column: 0, row: 2 }, 'ArrowDown', false)).toBeNull();
    expect(nextPosition(sizes, { column: 0, row: 1 }, 'ArrowUp', false)).toEqual({ column: 0, row: 0 });
    expect(nextPosition(sizes, { column: 0, row: 0 }, 'ArrowUp', false)).toBeNull();
  });

  it('goes to the next stage with the arrow of the reading direction', () => {
    expect(nextPosition(sizes, { column: 0, row: 1 }, 'ArrowRight', false)).toEqual({ column: 1, row: 0 });
    expect(nextPosition(sizes, { column: 0, row: 1 }, 'ArrowLeft', true)).toEqual({ column: 1, row: 0 });
    expect(nextPosition(sizes, { column: 1, row: 0 }, 'ArrowLeft', false)).toEqual({ column: 0, row: 0 });
    expect(nextPosition(sizes, { column: 1, row: 0 }, 'ArrowRight', true)).toEqual({ column: 0, row: 0 });
    expect(nextPosition(sizes, { column: 2, row: 1 }, 'ArrowRight', false)).toBeNull();
    expect(nextPosition(sizes, { column: 0, row: 1 }, 'ArrowRight', true)).toBeNull();
  });

  it('keeps the row where the other column is long enough', () => {
    expect(nextPosition(sizes, { column: 2, row: 3 }, 'Home', false)).toEqual({ column: 0, row: 2 });
    expect(nextPosition(sizes, { column: 0, row: 2 }, 'End', true)).toEqual({ column: 2, row: 2 });
  });

  it('ignores other keys', () => {
    expect(nextPosition(sizes, { column: 0, row: 1 }, 'Enter', false)).toBeNull();
  });
});

describe('tabbableKey', () => {
  const grid = navigationGrid([
    { stage: { id: 's1' }, deals: [] },
    { stage: { id: 's2' }, deals: [{ id: 'd1' }] },
  ]);

  it('is the item last focused while it is on the board', () => {
    expect(tabbableKey(grid, 'd1')).toBe('d1');
  });

  it('is the first column’s first card, or its add button when it has none', () => {
    expect(tabbableKey(grid, 'gone')).toBe('add:s1');
    expect(tabbableKey(navigationGrid([{ stage: { id: 's1' }, deals: [{ id: 'd2' }] }]), null)).toBe('d2');
    expect(tabbableKey([], null)).toBeNull();
  });
});
