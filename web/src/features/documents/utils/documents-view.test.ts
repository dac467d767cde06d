import { describe, expect, it } from 'vitest';
import { documentsParams, documentsViewOf } from './documents-view';

describe('documentsViewOf', () => {
  it('shows quotes of every status by default', () => {
    expect(documentsViewOf(new URLSearchParams())).toEqual({ tab: 'quotes', quoteStatus: null, invoiceStatus: null });
  });

  it('takes a status only of the tab shown', () => {
    expect(documentsViewOf(new URLSearchParams('tab=invoices&status=paid'))).toEqual({ tab: 'invoices', quoteStatus: null, invoiceStatus: 'paid' });
    expect(documentsViewOf(new URLSearchParams('status=paid'))).toEqual({ tab: 'quotes', quoteStatus: null, invoiceStatus: null });
    expect(documentsViewOf(new URLSearchParams('tab=nope&status=sent'))).toEqual({ tab: 'quotes', quoteStatus: 'sent', invoiceStatus: null });
  });
});

describe('documentsParams', () => {
  it('writes only what is not the default', () => {
    expect(documentsParams('quotes', null).toString()).toBe('');
    expect(documentsParams('invoices', 'issued').toString()).toBe('tab=invoices&status=issued');
  });
});
