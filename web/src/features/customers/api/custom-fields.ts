import { useQuery } from '@tanstack/react-query';
import { unwrap } from '../../../lib/api/api-error';
import { api } from '../../../lib/api/client';
import type { CustomerEntity } from '../utils/list-filters';

/**
 * Shared with the customer page, which reads the same answer for its labels: both cache the API's
 * whole answer (`{ data }`) under this key and each selects what it needs from it.
 */
export const customFieldsQueryKey = (entity: CustomerEntity) => ['custom-fields', entity] as const;

/** The workspace's custom field definitions for contacts or organizations, for forms and the import. */
export function useCustomFields(entity: CustomerEntity) {
  const query = useQuery({
    queryKey: customFieldsQueryKey(entity),
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/custom-fields', { params: { query: { entity } }, signal })),
    select: (list) => list.data,
    staleTime: 5 * 60_000,
  });
  return { ...query, definitions: query.data ?? [] };
}
