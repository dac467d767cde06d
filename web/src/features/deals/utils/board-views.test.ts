import { describe, expect, it } from 'vitest';
import type { BoardFilters } from '../api/board';
import { boardFiltersFromView, boardViewFilters } from './board-views';

describe('the board filters as a saved view', () => {
  it('saves the deal list’s own parameters, with no status for all deals', () => {
    expect(boardViewFilters({ status: 'open', ownerId: null, q: '', tag: '' })).toEqual({ status: 'open' });
    expect(boardViewFilters({ status: 'all', ownerId: 'u1', q: ' erp ', tag: '' })).toEqual({ owner_id: 'u1', q: 'erp' });
  });

  it('saves the tag as the deal list’s `tag`, trimmed', () => {
    expect(boardViewFilters({ status: 'open', ownerId: null, q: '', tag: ' vip ' })).toEqual({ status: 'open', tag: 'vip' });
    expect(boardViewFilters({ status: 'all', ownerId: null, q: '', tag: '   ' })).toEqual({});
  });

  it('reads them back', () => {
    const cases: BoardFilters[] = [
      { status: 'open', ownerId: null, q: '', tag: '' },
      { status: 'won', ownerId: 'u1', q: 'erp', tag: 'vip' },
      { status: 'all', ownerId: null, q: 'سارا', tag: 'نمایشگاه' },
    ];
    for (const filters of cases) expect(boardFiltersFromView(boardViewFilters(filters))).toEqual(filters);
  });

  it('leaves out what the board cannot show, and values it does not know', () => {
    expect(boardFiltersFromView({ status: 'bogus', stage_id: 's1', owner_id: 3, tag: ['a'] })).toEqual({ status: 'all', ownerId: null, q: '', tag: '' });
  });
});
