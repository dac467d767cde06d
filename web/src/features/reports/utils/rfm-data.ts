import type { components } from '../../../lib/api/schema';
import { paths } from '../../../lib/paths';

export type RfmReport = components['schemas']['RfmResponse'];
export type RfmCustomer = components['schemas']['RfmCustomer'];
export type RfmSegment = RfmCustomer['segment'];
export type RfmSource = 'paid_invoices' | 'won_deals';

export const rfmSources: readonly RfmSource[] = ['paid_invoices', 'won_deals'];

/** The segments from the best customers to the ones gone, the order the card lists them in. */
export const rfmSegments: readonly RfmSegment[] = ['champions', 'loyal', 'new', 'needs_attention', 'at_risk', 'lost'];

/** Every segment once, in order, with its count; a segment the API left out counts zero. */
export function segmentCounts(report: RfmReport): { segment: RfmSegment; customers: number }[] {
  return rfmSegments.map((segment) => ({ segment, customers: report.segments.find((row) => row.segment === segment)?.customers ?? 0 }));
}

/** The customer's page: the organization, else the contact; null when the API names neither. */
export function customerPath(customer: Pick<RfmCustomer, 'organization_id' | 'contact_id'>): string | null {
  if (customer.organization_id) return paths.organization(customer.organization_id);
  if (customer.contact_id) return paths.contact(customer.contact_id);
  return null;
}
