import type { operations } from '../../../lib/api/schema';
import type { Lead, LeadSource, LeadStatus } from '../../../lib/api/types';
import { isLeadSource, isLeadStatus } from './lead-vocabulary';

/** The inbox's status filter: one status, the open ones (new and working), or every lead. */
export type LeadStatusFilter = 'open' | LeadStatus | 'all';

export interface LeadFilters {
  status: LeadStatusFilter;
  source: LeadSource | null;
  /** Name, email, company or phone digits. */
  q: string;
  tag: string;
  /** Whose leads: a member's id, or null for everyone's. */
  ownerId: string | null;
}

export const defaultLeadFilters: LeadFilters = { status: 'open', source: null, q: '', tag: '', ownerId: null };

export type LeadListQuery = NonNullable<operations['list_leads']['parameters']['query']>;

/**
 * The query parameters of the inbox's list request (also those of the CSV export), best score
 * first. `open` is the API's own filter (new or working leads, one keyset-paged list); `all`
 * sends no status.
 */
export function leadListQuery(filters: LeadFilters, page: { cursor?: string | null; limit?: number } = {}): LeadListQuery {
  const q = filters.q.trim();
  const tag = filters.tag.trim();
  return {
    sort: '-score',
    ...(filters.status !== 'all' ? { status: filters.status } : {}),
    ...(filters.source ? { source: filters.source } : {}),
    ...(q ? { q } : {}),
    ...(tag ? { tag } : {}),
    ...(filters.ownerId ? { owner_id: filters.ownerId } : {}),
    ...(page.limit ? { limit: page.limit } : {}),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  };
}

/** Whether any filter differs from the inbox's default view. */
export function isFiltered(filters: LeadFilters): boolean {
  return filters.status !== 'open' || filters.source !== null || filters.q.trim() !== '' || filters.tag.trim() !== '' || filters.ownerId !== null;
}

/**
 * The loaded pages as one list, in the API's order. A lead whose score changed between two
 * pages can come back on a later one; it is shown once, where it was first listed.
 */
export function inboxLeads(pages: { data: Lead[] }[]): Lead[] {
  const seen = new Set<string>();
  return pages.flatMap((page) =>
    page.data.filter((lead) => {
      if (seen.has(lead.id)) return false;
      seen.add(lead.id);
      return true;
    }),
  );
}

/**
 * The inbox's filters as a saved view holds them: the list's own query parameters (as
 * leadListQuery sends them, without sort and paging), so `open` is `status=open` and every
 * status is no status at all.
 */
export function leadViewFilters(filters: LeadFilters): Record<string, string> {
  const { sort: _sort, ...query } = leadListQuery(filters);
  return Object.fromEntries(Object.entries(query).map(([name, value]) => [name, String(value)]));
}

/**
 * The inbox's filters from a saved view's. A view without a status shows every lead; a filter
 * the inbox has no control for (a score range) is left out.
 */
export function leadFiltersFromView(filters: Record<string, unknown>): LeadFilters {
  const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
  const status = text(filters.status);
  const source = text(filters.source);
  return {
    status: status === 'open' || isLeadStatus(status) ? status : 'all',
    source: isLeadSource(source) ? source : null,
    q: text(filters.q),
    tag: text(filters.tag),
    ownerId: text(filters.owner_id) || null,
  };
}
