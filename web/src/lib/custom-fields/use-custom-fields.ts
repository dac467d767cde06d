import { useQuery } from '@tanstack/react-query';
import { unwrap } from '../api/api-error';
import { api } from '../api/client';
import type { FieldDefinition } from '../api/types';

/** The records custom fields are defined for: leads, contacts, organizations or deals. */
export type CustomFieldEntity = FieldDefinition['entity'];

/**
 * Shared with the customer page, which reads the same answer for its labels: both cache the API's
 * whole answer (`{ data }`) under this key and each selects what it needs from it.
 */
export const customFieldsQueryKey = (entity: CustomFieldEntity) => ['custom-fields', entity] as const;

/** The workspace's custom field definitions for one kind of record, for its forms and its import. */
export function useCustomFields(entity: CustomFieldEntity) {
  const query = useQuery({
    queryKey: customFieldsQueryKey(entity),
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/custom-fields', { params: { query: { entity } }, signal })),
    select: (list) => list.data,
    staleTime: 5 * 60_000,
  });
  return { ...query, definitions: query.data ?? [] };
}
