import { describe, expect, it } from 'vitest';
import { customerListQuery, defaultCustomerFilters, isFiltered, parseCustomerFilters, writeCustomerFilters } from './list-filters';

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
});
