import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { unwrap } from '../../../lib/api/api-error';
import { api } from '../../../lib/api/client';
import type { components } from '../../../lib/api/schema';

export type ExchangeRate = components['schemas']['ExchangeRateResponse'];
export type SetRateInput = components['schemas']['PutExchangeRateRequest'];

const ratesKey = ['exchange-rates'] as const;

/** The workspace's rates, latest day first, 50 at a time. */
export function useExchangeRates() {
  return useInfiniteQuery({
    queryKey: ratesKey,
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam, signal }) =>
      unwrap(await api.GET('/api/v1/exchange-rates', { params: { query: { limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } }, signal })),
    getNextPageParam: (page) => page.next_cursor ?? null,
  });
}

/** Sets a currency's rate for a day (admins): a new one, or in place of that day's. */
export function useSetExchangeRate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: SetRateInput) => unwrap(await api.POST('/api/v1/exchange-rates', { body: input })),
    // Reports convert with these rates.
    onSuccess: () => queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] === ratesKey[0] || query.queryKey[0] === 'reports' }),
  });
}

export function useDeleteExchangeRate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (rate: ExchangeRate) => unwrap(await api.DELETE('/api/v1/exchange-rates/{id}', { params: { path: { id: rate.id } } })),
    onSettled: () => queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] === ratesKey[0] || query.queryKey[0] === 'reports' }),
  });
}
