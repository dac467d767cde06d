import { describe, expect, it } from 'vitest';
import { newDealParams, paths } from './paths';

describe('paths', () => {
  it('opens a board with the new-deal form filled in with a contact, an organization or both', () => {
    expect(paths.newDeal('p1', { contactId: 'c1' })).toBe('/pipelines/p1?new_deal=1&contact=c1');
    expect(paths.newDeal('p1', { organizationId: 'o1' })).toBe('/pipelines/p1?new_deal=1&organization=o1');
    const both = new URL(paths.newDeal('p1', { contactId: 'c1', organizationId: 'o1' }), 'http://localhost');
    expect([both.searchParams.get(newDealParams.contact), both.searchParams.get(newDealParams.organization)]).toEqual(['c1', 'o1']);
  });

  it('has the customer screens', () => {
    expect(paths.contact('c1')).toBe('/contacts/c1');
    expect(paths.organization('o1')).toBe('/organizations/o1');
    expect(paths.upcomingDates).toBe('/contacts/upcoming-dates');
  });
});
