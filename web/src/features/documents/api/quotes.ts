import { type QueryClient, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap } from '../../../lib/api/api-error';
import { api, ifMatch } from '../../../lib/api/client';
import type { CreateInvoiceInput, CreateQuoteInput, Quote, QuoteStatus, ReviseQuoteInput } from '../../../lib/api/types';
import { dealDocumentsLimit, documentsPageSize, invoicesKey, refreshDeal } from './keys';

/** `['quotes', …]`: every list of quotes (the screen's pages, a deal's); `['quote', id]`: one. */
export const quotesKey = ['quotes'] as const;
export const quoteKey = (id: string) => ['quote', id] as const;

/** Quotes, newest first, a page at a time; `status` narrows them. */
export function useQuotes(status: QuoteStatus | null) {
  return useInfiniteQuery({
    queryKey: [...quotesKey, 'list', status ?? 'all'],
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET('/api/v1/quotes', {
          params: { query: { limit: documentsPageSize, ...(status ? { status } : {}), ...(pageParam ? { cursor: pageParam } : {}) } },
          signal,
        }),
      ),
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
}

/** A deal's quotes, newest first (every revision). */
export function useDealQuotes(dealId: string) {
  return useQuery({
    queryKey: [...quotesKey, 'deal', dealId],
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/quotes', { params: { query: { deal_id: dealId, limit: dealDocumentsLimit } }, signal })).data,
  });
}

/** One quote; none is read for `null` (an invoice made without one). */
export function useQuote(id: string | null) {
  return useQuery({
    queryKey: quoteKey(id ?? ''),
    enabled: id !== null,
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/quotes/{id}', { params: { path: { id: id ?? '' } }, signal })),
  });
}

/** A quote the server answered: its own query takes it, every list is read again. */
function settle(queryClient: QueryClient, quote: Quote) {
  queryClient.setQueryData(quoteKey(quote.id), quote);
  void queryClient.invalidateQueries({ queryKey: quotesKey });
}

/** Makes a draft quote of the deal's lines as they now are. */
export function useCreateQuote(dealId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: CreateQuoteInput) => unwrap(await api.POST('/api/v1/deals/{id}/quotes', { params: { path: { id: dealId } }, body: input })),
    onSuccess: (quote) => settle(queryClient, quote),
  });
}

export type QuoteAnswer = 'send' | 'accept' | 'reject';

/**
 * Sends, accepts or rejects a quote at the version read. Accepting may win the deal (the
 * document settings' `accept_wins_deal`), so the deal and its board are read again too.
 */
export function useAnswerQuote() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ quote, action }: { quote: Quote; action: QuoteAnswer }) => {
      const params = { params: { path: { id: quote.id }, header: ifMatch(quote.version) } };
      if (action === 'send') return unwrap(await api.POST('/api/v1/quotes/{id}/send', params));
      if (action === 'accept') return unwrap(await api.POST('/api/v1/quotes/{id}/accept', params));
      return unwrap(await api.POST('/api/v1/quotes/{id}/reject', params));
    },
    onSuccess: (quote, { action }) => {
      settle(queryClient, quote);
      if (action === 'accept') refreshDeal(queryClient, quote.deal_id);
    },
  });
}

/** The next revision of a quote, of the deal's lines as they now are; the one it follows is superseded. */
export function useReviseQuote() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ quote, input }: { quote: Quote; input: ReviseQuoteInput }) =>
      unwrap(await api.POST('/api/v1/quotes/{id}/revise', { params: { path: { id: quote.id }, header: ifMatch(quote.version) }, body: input })),
    onSuccess: (revision, { quote }) => {
      settle(queryClient, revision);
      void queryClient.invalidateQueries({ queryKey: quoteKey(quote.id) });
    },
  });
}

/** A draft invoice of an accepted quote's lines and buyer. */
export function useInvoiceQuote() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ quote, input }: { quote: Quote; input?: CreateInvoiceInput }) =>
      unwrap(await api.POST('/api/v1/quotes/{id}/invoice', { params: { path: { id: quote.id } }, body: input ?? {} })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: invoicesKey });
    },
  });
}
