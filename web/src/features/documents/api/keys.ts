import type { QueryClient } from '@tanstack/react-query';

/** Rows per page of the documents screen. */
export const documentsPageSize = 25;
/** A deal's quotes or invoices, read at once for its drawer: more than a deal ever has. */
export const dealDocumentsLimit = 100;

/** `['invoices', …]`: every list of invoices (the screen's pages, a deal's). */
export const invoicesKey = ['invoices'] as const;

/**
 * The deal a document changed (an accepted quote may win it) and the boards it shows on: the
 * same keys the deals feature reads them under (`['deal', id]`, `['board', …]`).
 */
export function refreshDeal(queryClient: QueryClient, dealId: string) {
  void queryClient.invalidateQueries({ queryKey: ['deal', dealId] });
  void queryClient.invalidateQueries({ queryKey: ['board'] });
}
