import { type QueryClient, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap } from '../../../lib/api/api-error';
import { api, ifMatch } from '../../../lib/api/client';
import type { CreateInvoiceInput, Invoice, InvoiceStatus, RecordPaymentInput } from '../../../lib/api/types';
import { dealDocumentsLimit, documentsPageSize, invoicesKey } from './keys';

export { invoicesKey };
export const invoiceKey = (id: string) => ['invoice', id] as const;

/** Invoices, newest first, a page at a time; `status` narrows them. */
export function useInvoices(status: InvoiceStatus | null) {
  return useInfiniteQuery({
    queryKey: [...invoicesKey, 'list', status ?? 'all'],
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET('/api/v1/invoices', {
          params: { query: { limit: documentsPageSize, ...(status ? { status } : {}), ...(pageParam ? { cursor: pageParam } : {}) } },
          signal,
        }),
      ),
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
}

/** A deal's invoices, newest first. */
export function useDealInvoices(dealId: string) {
  return useQuery({
    queryKey: [...invoicesKey, 'deal', dealId],
    queryFn: async ({ signal }) =>
      unwrap(await api.GET('/api/v1/invoices', { params: { query: { deal_id: dealId, limit: dealDocumentsLimit } }, signal })).data,
  });
}

/** One invoice with its payments. */
export function useInvoice(id: string) {
  return useQuery({
    queryKey: invoiceKey(id),
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/invoices/{id}', { params: { path: { id } }, signal })),
  });
}

function settle(queryClient: QueryClient, invoice: Invoice) {
  queryClient.setQueryData(invoiceKey(invoice.id), invoice);
  void queryClient.invalidateQueries({ queryKey: invoicesKey });
}

/** Makes a draft invoice of the deal's lines as they now are. */
export function useCreateInvoice(dealId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: CreateInvoiceInput) => unwrap(await api.POST('/api/v1/deals/{id}/invoices', { params: { path: { id: dealId } }, body: input })),
    onSuccess: (invoice) => settle(queryClient, invoice),
  });
}

/** Issues a draft: its number, today's date, its due date (`null`: the workspace's terms). */
export function useIssueInvoice() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ invoice, dueOn }: { invoice: Invoice; dueOn: string | null }) =>
      unwrap(
        await api.POST('/api/v1/invoices/{id}/issue', {
          params: { path: { id: invoice.id }, header: ifMatch(invoice.version) },
          body: dueOn ? { due_on: dueOn } : {},
        }),
      ),
    onSuccess: (invoice) => settle(queryClient, invoice),
  });
}

/** Records a payment; the server refuses one above what is still owed (`exceeds_outstanding`). */
export function useRecordPayment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ invoice, input }: { invoice: Invoice; input: RecordPaymentInput }) =>
      unwrap(await api.POST('/api/v1/invoices/{id}/payments', { params: { path: { id: invoice.id } }, body: input })),
    onSuccess: ({ invoice }) => settle(queryClient, invoice),
  });
}

/** Voids an issued invoice without payments; it keeps its number. */
export function useVoidInvoice() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (invoice: Invoice) =>
      unwrap(await api.POST('/api/v1/invoices/{id}/void', { params: { path: { id: invoice.id }, header: ifMatch(invoice.version) } })),
    onSuccess: (invoice) => settle(queryClient, invoice),
  });
}

/** Deletes a draft invoice. */
export function useDeleteInvoice() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (invoice: Invoice) => {
      await unwrap(await api.DELETE('/api/v1/invoices/{id}', { params: { path: { id: invoice.id }, header: ifMatch(invoice.version) } }));
      return invoice;
    },
    onSuccess: (invoice) => {
      queryClient.removeQueries({ queryKey: invoiceKey(invoice.id) });
      void queryClient.invalidateQueries({ queryKey: invoicesKey });
    },
  });
}
