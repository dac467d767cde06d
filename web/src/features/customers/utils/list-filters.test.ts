import { describe, expect, it } from 'vitest';
import {
  customerFiltersFromView,
  customerListQuery,
  customerViewState,
  defaultCustomerFilters,
  isFiltered,
  parseCustomerFilters,
  writeCustomerFilters,
} from './list-filters';

describe('customer list filters in the URL', () => {
  it('reads the API-named parameters a list offers, and nothing else', () => {
    const params = new URLSearchParams('q=sara&owner_id=u1&organization_id=o1&city=Tehran&age_min=۳۰&industry=x&sort=name&cf.fleet_size=80&page=2');
    const contact = parseCustomerFilters('contact', params);
    expect(contact).toMatchObject({ q: 'sara', owner_id: 'u1', organization_id: 'o1', city: 'Tehran', age_min: '۳۰', industry: '', sort: 'name' });
    expect(contact.custom).toEqual({ fleet_size: '80' });
    const organization = parseCustomerFilters('organization', params);
    expect(organization).toMatchObject({ industry: 'x', organization_id: '', age_min: '' });
  });

  it('falls back to the default sort for an unknown one', () => {
    expect(parseCustomerFilters('contact', new URLSearchParams('sort=score')).sort).toBe('-created_at');
  });

  it('writes filters back, leaving defaults out and other parameters alone', () => {
    const written = writeCustomerFilters('contact', new URLSearchParams('view=v1&cf.old=1'), {
      ...defaultCustomerFilters,
      q: ' sara ',
      tag: 'vip',
      custom: { fleet_size: '80' },
    });
    expect(written.toString()).toBe('view=v1&q=sara&tag=vip&cf.fleet_size=80');
    expect(writeCustomerFilters('contact', written, { ...defaultCustomerFilters, sort: 'name' }).toString()).toBe('view=v1&sort=name');
  });

  it('round-trips through the URL', () => {
    const filters = { ...defaultCustomerFilters, q: 'پارس', country: 'ir', age_min: '20', age_max: '40', sort: 'created_at' as const, custom: { vip: 'true' } };
    expect(parseCustomerFilters('contact', writeCustomerFilters('contact', new URLSearchParams(), filters))).toEqual(filters);
  });

  it('turns filters into the API query: ages as numbers (Persian digits too), the country upper-case', () => {
    const filters = parseCustomerFilters('contact', new URLSearchParams('q=sara&country=ir&age_min=۳۰&age_max=abc&sort=name&cf.fleet_size=80'));
    expect(customerListQuery('contact', filters)).toEqual({ q: 'sara', country: 'IR', age_min: 30, sort: 'name', 'cf.fleet_size': '80' });
    expect(customerListQuery('organization', defaultCustomerFilters)).toEqual({});
  });

  it('knows when a list is filtered (the sort alone does not count)', () => {
    expect(isFiltered('contact', { ...defaultCustomerFilters, sort: 'name' })).toBe(false);
    expect(isFiltered('contact', { ...defaultCustomerFilters, age_max: '40' })).toBe(true);
    expect(isFiltered('organization', { ...defaultCustomerFilters, custom: { a: 'b' } })).toBe(true);
  });

  it('describes what a list shows as a view: its query as text, the sort apart (null for the default)', () => {
    const filters = parseCustomerFilters('contact', new URLSearchParams('tag=vip&country=ir&age_min=۳۰&sort=name&cf.fleet_size=80'));
    expect(customerViewState('contact', filters)).toEqual({ filters: { tag: 'vip', country: 'IR', age_min: '30', 'cf.fleet_size': '80' }, sort: 'name' });
    expect(customerViewState('organization', defaultCustomerFilters)).toEqual({ filters: {}, sort: null });
  });

  it('applies a view: its filters and sort replace the list’s, what the list does not offer is ignored', () => {
    const applied = customerFiltersFromView('organization', { filters: { industry: 'Food', age_min: 30, 'cf.size': 'big', tag: null }, sort: null });
    expect(applied).toEqual({ ...defaultCustomerFilters, industry: 'Food', custom: { size: 'big' } });
    expect(customerFiltersFromView('contact', { filters: { tag: 'vip' }, sort: 'name' })).toEqual({
      ...defaultCustomerFilters,
      tag: 'vip',
      sort: 'name',
      custom: {},
    });
  });

  it('round-trips a view: the list it applies to shows that same view', () => {
    const view = { filters: { q: 'pars', owner_id: 'u1', age_max: '40', 'cf.vip': 'true' }, sort: 'created_at' as const };
    expect(customerViewState('contact', customerFiltersFromView('contact', view))).toEqual(view);
  });
});
