import { describe, expect, it } from 'vitest';
import { makeLead } from '../../../testing/factories';
import { defaultLeadFilters, inboxLeads, isFiltered, leadFiltersFromView, leadListQuery, leadViewFilters } from './lead-inbox';

describe('the inbox filters as list requests', () => {
  it('asks for the open leads in one request, best score first', () => {
    expect(leadListQuery(defaultLeadFilters)).toEqual({ sort: '-score', status: 'open' });
    expect(leadListQuery({ ...defaultLeadFilters, status: 'qualified' })).toEqual({ sort: '-score', status: 'qualified' });
  });

  it('maps the filters to query parameters, leaving out what is unset', () => {
    expect(leadListQuery({ status: 'all', source: 'exhibition', q: '  pars ', tag: ' vip ', ownerId: 'u1' }, { cursor: 'c1', limit: 50 })).toEqual({
      sort: '-score',
      source: 'exhibition',
      q: 'pars',
      tag: 'vip',
      owner_id: 'u1',
      cursor: 'c1',
      limit: 50,
    });
    expect(leadListQuery(defaultLeadFilters, { cursor: null, limit: 50 })).toEqual({ sort: '-score', status: 'open', limit: 50 });
  });

  it('tells the default view from a filtered one', () => {
    expect(isFiltered(defaultLeadFilters)).toBe(false);
    expect(isFiltered({ ...defaultLeadFilters, q: '  ' })).toBe(false);
    expect(isFiltered({ ...defaultLeadFilters, status: 'all' })).toBe(true);
    expect(isFiltered({ ...defaultLeadFilters, tag: 'vip' })).toBe(true);
    expect(isFiltered({ ...defaultLeadFilters, ownerId: 'u1' })).toBe(true);
  });
});

describe('the loaded pages', () => {
  const lead = (id: string, score: number) => makeLead({ id, score });
  const ids = (leads: { id: string }[]) => leads.map((item) => item.id);

  it('are listed in the order the API sent them', () => {
    expect(ids(inboxLeads([{ data: [lead('c', 90), lead('a', 40)] }, { data: [lead('b', 10)] }]))).toEqual(['c', 'a', 'b']);
    expect(inboxLeads([])).toEqual([]);
  });

  it('show a lead once when a rescore brought it back on a later page', () => {
    expect(ids(inboxLeads([{ data: [lead('a', 50), lead('b', 40)] }, { data: [lead('a', 20), lead('c', 10)] }]))).toEqual(['a', 'b', 'c']);
  });
});

describe('the inbox filters as a saved view', () => {
  it('saves the list request’s own parameters, without sort or paging', () => {
    expect(leadViewFilters(defaultLeadFilters)).toEqual({ status: 'open' });
    expect(leadViewFilters({ status: 'all', source: 'website', q: ' pars ', tag: 'vip', ownerId: 'u1' })).toEqual({
      source: 'website',
      q: 'pars',
      tag: 'vip',
      owner_id: 'u1',
    });
  });

  it('reads them back, a view without a status showing every lead', () => {
    for (const filters of [
      defaultLeadFilters,
      { status: 'all', source: 'website', q: 'pars', tag: 'vip', ownerId: 'u1' } as const,
      { ...defaultLeadFilters, status: 'working' } as const,
    ]) {
      expect(leadFiltersFromView(leadViewFilters(filters))).toEqual(filters);
    }
  });

  it('leaves out what the inbox cannot show, and values it does not know', () => {
    expect(leadFiltersFromView({ status: 'bogus', source: 'nowhere', owner_id: 'u1', score_min: '40', tag: 7 })).toEqual({
      status: 'all',
      source: null,
      q: '',
      tag: '',
      ownerId: 'u1',
    });
  });
});
