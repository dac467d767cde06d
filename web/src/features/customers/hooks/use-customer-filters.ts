import { useCallback, useMemo } from 'react';
import { type CustomerEntity, type CustomerFilters, customerListQuery, parseCustomerFilters, writeCustomerFilters } from '../utils/list-filters';
import { useUrlParams } from '../../../lib/use-url-params';

/**
 * A list's filters and sort live in the URL (the API's parameter names): a filtered list can be
 * bookmarked or saved as a view, and the back button restores it; typing replaces the entry.
 */
export function useCustomerFilters(entity: CustomerEntity) {
  const [params, setParams] = useUrlParams();
  const search = params.toString();
  // Stable identities while the values are equal: the query is part of the list's query key.
  const filters = useMemo(() => parseCustomerFilters(entity, new URLSearchParams(search)), [entity, search]);
  const query = useMemo(() => customerListQuery(entity, filters), [entity, filters]);
  const setFilters = useCallback(
    (patch: Partial<CustomerFilters>, options: { replace?: boolean } = {}) =>
      setParams((current) => writeCustomerFilters(entity, current, { ...parseCustomerFilters(entity, current), ...patch }), {
        replace: options.replace ?? false,
      }),
    [entity, setParams],
  );
  return { filters, query, setFilters };
}
