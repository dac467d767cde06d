import { useCallback, useMemo } from 'react';
import { defaultLeadFilters, type LeadFilters, type LeadStatusFilter } from '../utils/lead-inbox';
import { isLeadSource, isLeadStatus } from '../utils/lead-vocabulary';
import { useUrlParams } from '../../../lib/use-url-params';

function parseStatus(value: string | null): LeadStatusFilter {
  return value === 'all' || isLeadStatus(value) ? value : 'open';
}

/** Reads the inbox's filters from the URL (`?status=…&source=…&q=…&tag=…&owner=…`); defaults are left out of it. */
export function parseLeadFilters(params: URLSearchParams): LeadFilters {
  const source = params.get('source');
  return {
    status: parseStatus(params.get('status')),
    source: isLeadSource(source) ? source : null,
    q: params.get('q')?.trim() ?? '',
    tag: params.get('tag')?.trim() ?? '',
    ownerId: params.get('owner')?.trim() || null,
  };
}

/** Writes filters back into URL parameters, keeping any other parameter as it was. */
export function writeLeadFilters(params: URLSearchParams, filters: LeadFilters): URLSearchParams {
  const next = new URLSearchParams(params);
  const set = (name: string, value: string | null) => (value ? next.set(name, value) : next.delete(name));
  set('status', filters.status === defaultLeadFilters.status ? null : filters.status);
  set('source', filters.source);
  set('q', filters.q.trim() || null);
  set('tag', filters.tag.trim() || null);
  set('owner', filters.ownerId);
  return next;
}

/**
 * The inbox's filters live in the URL, like the board's: a filtered inbox can be bookmarked and
 * the back button restores it; typing in a text filter replaces the history entry.
 */
export function useLeadFilters() {
  const [params, setParams] = useUrlParams();
  const search = params.toString();
  // Stable identity while the values are equal: the filters are part of the inbox's query key.
  const filters = useMemo(() => parseLeadFilters(new URLSearchParams(search)), [search]);
  const setFilters = useCallback(
    (patch: Partial<LeadFilters>, options: { replace?: boolean } = {}) =>
      setParams((current) => writeLeadFilters(current, { ...parseLeadFilters(current), ...patch }), { replace: options.replace ?? false }),
    [setParams],
  );
  return { filters, setFilters, search };
}
