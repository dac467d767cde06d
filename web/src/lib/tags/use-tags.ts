import { useQuery } from '@tanstack/react-query';
import { unwrap } from '../api/api-error';
import { api } from '../api/client';
import type { components } from '../api/schema';

export type TaggedEntity = 'deal' | 'lead' | 'contact' | 'organization';
export type TagCount = components['schemas']['TagCountResponse'];

/**
 * The tags in use on one kind of record that the user sees, the most used first, for the tag
 * filters' suggestions. A tag just added elsewhere shows within a minute or on the next visit.
 */
export function useTagsInUse(entity: TaggedEntity) {
  return useQuery({
    queryKey: ['tags', entity] as const,
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/tags', { params: { query: { entity } }, signal })).data,
    staleTime: 60_000,
  });
}
