import { describe, expect, it } from 'vitest';
import type { Quote } from '../../../lib/api/types';
import { invoiceActions, quoteActions, replacementOf } from './document-actions';

describe('quoteActions', () => {
  it('sends a draft, answers a sent quote, and revises any open, rejected or expired one', () => {
    expect(quoteActions({ status: 'draft' }, false)).toEqual(['send', 'revise']);
    expect(quoteActions({ status: 'sent' }, false)).toEqual(['accept', 'reject', 'revise']);
    expect(quoteActions({ status: 'rejected' }, false)).toEqual(['revise']);
    expect(quoteActions({ status: 'expired' }, false)).toEqual(['revise']);
  });

  it('invoices an accepted quote once, and leaves a superseded one alone', () => {
    expect(quoteActions({ status: 'accepted' }, false)).toEqual(['invoice']);
    expect(quoteActions({ status: 'accepted' }, true)).toEqual([]);
    expect(quoteActions({ status: 'superseded' }, false)).toEqual([]);
  });
});

describe('invoiceActions', () => {
  it('issues or deletes a draft', () => {
    expect(invoiceActions({ status: 'draft', paid_minor: 0 })).toEqual(['issue', 'delete']);
  });

  it('takes payments while something is owed, and voids only an unpaid invoice', () => {
    expect(invoiceActions({ status: 'issued', paid_minor: 0 })).toEqual(['pay', 'void']);
    expect(invoiceActions({ status: 'partially_paid', paid_minor: 10 })).toEqual(['pay']);
    expect(invoiceActions({ status: 'paid', paid_minor: 100 })).toEqual([]);
    expect(invoiceActions({ status: 'void', paid_minor: 0 })).toEqual([]);
  });
});

describe('replacementOf', () => {
  it('finds the revision that names the quote', () => {
    const quotes = [{ id: 'q2', revision_of: 'q1' }, { id: 'q1' }] as Quote[];
    expect(replacementOf({ id: 'q1' }, quotes)?.id).toBe('q2');
    expect(replacementOf({ id: 'q2' }, quotes)).toBeUndefined();
  });
});
