import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap } from '../../../lib/api/api-error';
import { api } from '../../../lib/api/client';
import type { CreateDealInput } from '../../../lib/api/types';

export const opportunitiesPageSize = 50;
/** `['opportunities']`: the list's pages; `['opportunity', id]`: one with its deals (shared with the lead drawer). */
export const opportunitiesQueryKey = ['opportunities'] as const;
export const opportunityQueryKey = (id: string) => ['opportunity', id] as const;

/** Opportunities, newest first, a page at a time. */
export function useOpportunities() {
  return useInfiniteQuery({
    queryKey: opportunitiesQueryKey,
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET('/api/v1/opportunities', {
          params: { query: { limit: opportunitiesPageSize, ...(pageParam ? { cursor: pageParam } : {}) } },
          signal,
        }),
      ),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    staleTime: 30_000,
  });
}

export function useOpportunity(id: string) {
  return useQuery({
    queryKey: opportunityQueryKey(id),
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/opportunities/{id}', { params: { path: { id } }, signal })),
  });
}

/** Another deal on the opportunity: its status, the list and the deal's board change with it. */
export function useAddOpportunityDeal(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: CreateDealInput) => unwrap(await api.POST('/api/v1/opportunities/{id}/deals', { params: { path: { id } }, body: input })),
    onSuccess: (deal) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: opportunityQueryKey(id) }),
        queryClient.invalidateQueries({ queryKey: opportunitiesQueryKey }),
        queryClient.invalidateQueries({ queryKey: ['board', deal.pipeline_id] }),
      ]),
  });
}
