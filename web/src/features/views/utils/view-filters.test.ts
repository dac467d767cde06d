import { describe, expect, it } from 'vitest';
import { normalizeFilters, sameFilters, viewFiltersFromParams, viewFiltersToParams } from './view-filters';

describe('a view’s filters and the URL', () => {
  it('reads every filter parameter of a URL, leaving out paging, sorting and empty values', () => {
    const params = new URLSearchParams('status=open&tag=vip&q=&cursor=abc&limit=50&sort=-score');
    expect(viewFiltersFromParams(params)).toEqual({ status: 'open', tag: 'vip' });
  });

  it('reads only the named parameters when the screen says which are its filters', () => {
    const params = new URLSearchParams('owner_id=u1&q=%20pars%20&tab=notes');
    expect(viewFiltersFromParams(params, ['owner_id', 'q'])).toEqual({ owner_id: 'u1', q: 'pars' });
  });

  it('writes a view’s filters over the screen’s own, keeping the other parameters', () => {
    const base = new URLSearchParams('tag=old&q=x&tab=notes');
    const next = viewFiltersToParams({ tag: 'vip', city: 'Tehran' }, base, ['tag', 'q', 'city']);
    expect(Object.fromEntries(next)).toEqual({ tab: 'notes', tag: 'vip', city: 'Tehran' });
  });

  it('without names, replaces every filter but keeps paging out of the view', () => {
    const next = viewFiltersToParams({ status: 'open', limit: 10 }, new URLSearchParams('q=x&sort=name'));
    expect(next.toString()).toBe('sort=name&status=open&limit=10');
  });

  it('turns numbers and booleans into their text and drops empty values', () => {
    expect(normalizeFilters({ score_min: 40, active: true, q: '  ', tag: null, city: undefined, name: ' Pars ' })).toEqual({
      score_min: '40',
      active: 'true',
      name: 'Pars',
    });
  });

  it('round-trips: the filters read back from the URL they were written to', () => {
    const filters = { owner_id: '6f1c', status: 'won', q: 'سارا' };
    expect(viewFiltersFromParams(viewFiltersToParams(filters))).toEqual(filters);
  });

  it('compares filters by their values, not by order or empty entries', () => {
    expect(sameFilters({ a: '1', b: '2' }, { b: '2', a: '1', c: '' })).toBe(true);
    expect(sameFilters({ a: '1' }, { a: '1', b: '2' })).toBe(false);
    expect(sameFilters({ a: '1' }, { a: '2' })).toBe(false);
    expect(sameFilters({}, {})).toBe(true);
  });
});
