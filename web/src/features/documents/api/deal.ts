import { useQuery } from '@tanstack/react-query';
import { unwrap } from '../../../lib/api/api-error';
import { api } from '../../../lib/api/client';

/**
 * A deal's line items under the key the deal drawer reads and saves them with
 * (`['deal', id, 'line-items']`), so saving lines there enables "Make quote" here at once.
 */
export function useDealLines(dealId: string) {
  return useQuery({
    queryKey: ['deal', dealId, 'line-items'],
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/deals/{id}/line-items', { params: { path: { id: dealId } }, signal })),
  });
}

/** The deal a document belongs to (its title and board), under the deals feature's key. */
export function useDocumentDeal(dealId: string) {
  return useQuery({
    queryKey: ['deal', dealId],
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/deals/{id}', { params: { path: { id: dealId } }, signal })),
  });
}
