import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap } from '../../../lib/api/api-error';
import { api, ifMatch } from '../../../lib/api/client';
import type { Deal, LineItemInput, LineItems } from '../../../lib/api/types';
import { dealQueryKey } from './deals';

export const lineItemsQueryKey = (dealId: string) => ['deal', dealId, 'line-items'] as const;

export function useLineItems(dealId: string) {
  return useQuery({
    queryKey: lineItemsQueryKey(dealId),
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/deals/{id}/line-items', { params: { path: { id: dealId } }, signal })),
  });
}

/** The catalogue's active products, for the line picker (the first 200). */
export function useActiveProducts() {
  const query = useQuery({
    queryKey: ['products', 'active'],
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/products', { params: { query: { active: true, limit: 200 } }, signal })),
    select: (list) => list.data,
  });
  return { ...query, products: query.data ?? [] };
}

/** Replaces the deal's lines at the version read; the deal (amount, version) and its board follow. */
export function useSaveLineItems(dealId: string, pipelineId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ version, items }: { version: number; items: LineItemInput[] }) =>
      unwrap(await api.PUT('/api/v1/deals/{id}/line-items', { params: { path: { id: dealId }, header: ifMatch(version) }, body: { items } })),
    onSuccess: (saved: LineItems) => {
      queryClient.setQueryData(lineItemsQueryKey(dealId), saved);
      // The deal's new version and amount at once: the stream's echo of this save then finds
      // them in the cache and is not taken for someone else's change.
      queryClient.setQueryData<Deal>(dealQueryKey(dealId), (deal) =>
        deal && deal.version < saved.version ? { ...deal, version: saved.version, amount_minor: saved.amount_minor } : deal,
      );
      void queryClient.invalidateQueries({ queryKey: dealQueryKey(dealId), exact: true });
      void queryClient.invalidateQueries({ queryKey: ['board', pipelineId] });
    },
  });
}
