import type { Invoice, Quote } from '../../../lib/api/types';

export type QuoteAction = 'send' | 'accept' | 'reject' | 'revise' | 'invoice';
export type InvoiceAction = 'issue' | 'pay' | 'void' | 'delete';

/**
 * What may be done to a quote in its status, as the server decides it: a draft is sent; a sent
 * quote is answered (accepted or rejected); an open, rejected or expired quote is revised; an
 * accepted one becomes an invoice unless one already bills it. A superseded revision is done with.
 */
export function quoteActions(quote: Pick<Quote, 'status'>, billed: boolean): QuoteAction[] {
  switch (quote.status) {
    case 'draft':
      return ['send', 'revise'];
    case 'sent':
      return ['accept', 'reject', 'revise'];
    case 'accepted':
      return billed ? [] : ['invoice'];
    case 'rejected':
    case 'expired':
      return ['revise'];
    case 'superseded':
      return [];
  }
}

/**
 * What may be done to an invoice: a draft is issued or deleted; an issued one takes payments and,
 * while none is recorded, may be voided; a partly paid one takes the rest. Paid and void are final.
 */
export function invoiceActions(invoice: Pick<Invoice, 'status' | 'paid_minor'>): InvoiceAction[] {
  switch (invoice.status) {
    case 'draft':
      return ['issue', 'delete'];
    case 'issued':
      return invoice.paid_minor > 0 ? ['pay'] : ['pay', 'void'];
    case 'partially_paid':
      return ['pay'];
    case 'paid':
    case 'void':
      return [];
  }
}

/** The revision that replaced a quote, among its deal's quotes (the newest that names it). */
export function replacementOf(quote: Pick<Quote, 'id'>, dealQuotes: readonly Quote[]): Quote | undefined {
  return dealQuotes.find((candidate) => candidate.revision_of === quote.id);
}
