import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api/client';
import { unwrap } from '../../../lib/api/api-error';

export const searchQueryKey = (query: string) => ['search', query] as const;

/** The hits for `query` (already debounced and trimmed); nothing is asked for a null query. */
export function useSearch(query: string | null) {
  return useQuery({
    queryKey: searchQueryKey(query ?? ''),
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/search', { params: { query: { q: query ?? '' } }, signal })),
    enabled: query !== null,
    // While the next query's hits load, the previous ones stay in the popup.
    placeholderData: keepPreviousData,
    staleTime: 15_000,
  });
}
