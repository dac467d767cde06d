import { useCallback, useMemo } from 'react';
import { isOneOf } from '../../../lib/api/vocabularies';
import { type BoardFilters, statusFilters } from '../api/board';
import { useUrlParams } from '../../../lib/use-url-params';

/** Reads the board's filters from the URL (`?q=…&owner=…&status=…&tag=…`); defaults are left out of it. */
export function parseBoardFilters(params: URLSearchParams): BoardFilters {
  const status = params.get('status');
  return {
    status: isOneOf(statusFilters, status) ? status : 'open',
    ownerId: params.get('owner') || null,
    q: params.get('q')?.trim() ?? '',
    tag: params.get('tag')?.trim() ?? '',
  };
}

/** Writes filters back into URL parameters, keeping any other parameter as it was. */
export function writeBoardFilters(params: URLSearchParams, filters: BoardFilters): URLSearchParams {
  const next = new URLSearchParams(params);
  const set = (name: string, value: string | null) => (value ? next.set(name, value) : next.delete(name));
  set('q', filters.q.trim() || null);
  set('owner', filters.ownerId);
  set('status', filters.status === 'open' ? null : filters.status);
  set('tag', filters.tag.trim() || null);
  return next;
}

/**
 * The filters live in the URL so that a filtered board can be bookmarked, shared and restored
 * with the back button; typing in the search box replaces the history entry instead of adding one.
 */
export function useBoardFilters() {
  const [params, setParams] = useUrlParams();
  const q = params.get('q');
  const owner = params.get('owner');
  const status = params.get('status');
  const tag = params.get('tag');
  // Stable identity while the values are equal: the filters are part of the board's query key.
  const filters = useMemo(
    () => parseBoardFilters(new URLSearchParams({ q: q ?? '', owner: owner ?? '', status: status ?? '', tag: tag ?? '' })),
    [q, owner, status, tag],
  );
  const setFilters = useCallback(
    (patch: Partial<BoardFilters>, options: { replace?: boolean } = {}) =>
      setParams((current) => writeBoardFilters(current, { ...parseBoardFilters(current), ...patch }), { replace: options.replace ?? false }),
    [setParams],
  );
  return { filters, setFilters, search: params.toString() };
}
