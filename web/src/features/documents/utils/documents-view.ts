import type { InvoiceStatus, QuoteStatus } from '../../../lib/api/types';
import { invoiceStatuses, isOneOf, quoteStatuses } from '../../../lib/api/vocabularies';

export const documentTabs = ['quotes', 'invoices'] as const;
export type DocumentTab = (typeof documentTabs)[number];

/** What the documents screen shows, from its URL (`?tab=invoices&status=paid`): quotes of every status by default. */
export interface DocumentsView {
  tab: DocumentTab;
  quoteStatus: QuoteStatus | null;
  invoiceStatus: InvoiceStatus | null;
}

export function documentsViewOf(params: URLSearchParams): DocumentsView {
  const tab = params.get('tab');
  const status = params.get('status');
  const shown: DocumentTab = isOneOf(documentTabs, tab) ? tab : 'quotes';
  return {
    tab: shown,
    quoteStatus: shown === 'quotes' && isOneOf(quoteStatuses, status) ? status : null,
    invoiceStatus: shown === 'invoices' && isOneOf(invoiceStatuses, status) ? status : null,
  };
}

/** The URL's parameters for a view; a status belongs to its tab, so changing tabs drops it. */
export function documentsParams(tab: DocumentTab, status: string | null): URLSearchParams {
  const params = new URLSearchParams();
  if (tab !== 'quotes') params.set('tab', tab);
  if (status) params.set('status', status);
  return params;
}
