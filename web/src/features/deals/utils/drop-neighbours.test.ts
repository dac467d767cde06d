import { describe, expect, it } from 'vitest';
import { dropNeighbours, isSameLocation } from './drop-neighbours';

describe('dropNeighbours', () => {
  const column = ['a', 'b', 'c'];

  it('drops into an empty column with no neighbours (the card goes last)', () => {
    expect(dropNeighbours([], 'x', 0)).toEqual({ before_id: null, after_id: null });
  });

  it('drops at the top of another column below nothing and above its first card', () => {
    expect(dropNeighbours(column, 'x', 0)).toEqual({ before_id: null, after_id: 'a' });
  });

  it('drops between two cards of another column', () => {
    expect(dropNeighbours(column, 'x', 1)).toEqual({ before_id: 'a', after_id: 'b' });
    expect(dropNeighbours(column, 'x', 2)).toEqual({ before_id: 'b', after_id: 'c' });
  });

  it('drops below the last loaded card with only before_id', () => {
    expect(dropNeighbours(column, 'x', 3)).toEqual({ before_id: 'c', after_id: null });
  });

  it('clamps an index past the end', () => {
    expect(dropNeighbours(column, 'x', 99)).toEqual({ before_id: 'c', after_id: null });
  });

  it('reorders within a column, ignoring the card being moved', () => {
    // a b c: move a to the end → b c a
    expect(dropNeighbours(column, 'a', 2)).toEqual({ before_id: 'c', after_id: null });
    // a b c: move c to the top → c a b
    expect(dropNeighbours(column, 'c', 0)).toEqual({ before_id: null, after_id: 'a' });
    // a b c: move a between b and c → b a c
    expect(dropNeighbours(column, 'a', 1)).toEqual({ before_id: 'b', after_id: 'c' });
    // a b c: move c between a and b → a c b
    expect(dropNeighbours(column, 'c', 1)).toEqual({ before_id: 'a', after_id: 'b' });
  });

  it('never names the moved card as its own neighbour', () => {
    for (let index = 0; index < 4; index++) {
      const { before_id, after_id } = dropNeighbours(column, 'b', index);
      expect(before_id).not.toBe('b');
      expect(after_id).not.toBe('b');
    }
  });
});

describe('isSameLocation', () => {
  it('is true for a drop outside any column or back on the same spot', () => {
    expect(isSameLocation({ stageId: 's', index: 1 }, null)).toBe(true);
    expect(isSameLocation({ stageId: 's', index: 1 }, { stageId: 's', index: 1 })).toBe(true);
  });

  it('is false for a new index or a new column', () => {
    expect(isSameLocation({ stageId: 's', index: 1 }, { stageId: 's', index: 0 })).toBe(false);
    expect(isSameLocation({ stageId: 's', index: 1 }, { stageId: 't', index: 1 })).toBe(false);
  });
});
