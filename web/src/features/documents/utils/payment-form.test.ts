import { describe, expect, it } from 'vitest';
import { parsePaymentForm } from './payment-form';

const today = new Date(2026, 11, 6, 9, 30);

describe('parsePaymentForm', () => {
  it('reads tomans in Persian digits as rials, and leaves out a payment made today', () => {
    const parsed = parsePaymentForm(
      { amount: '۱۲۰٬۰۰۰', method: 'bank_transfer', reference: ' 88123 ', paidOn: '۱۴۰۵/۰۹/۱۵' },
      { currency: 'IRR', irrUnit: 'toman', today },
    );
    expect(parsed).toEqual({ ok: true, input: { amount_minor: 1_200_000, method: 'bank_transfer', reference: '88123' } });
  });

  it('sends another day at its local noon', () => {
    const parsed = parsePaymentForm({ amount: '12.50', method: 'cash', reference: '', paidOn: '2026-12-01' }, { currency: 'USD', irrUnit: 'rial', today });
    expect(parsed).toEqual({ ok: true, input: { amount_minor: 1250, method: 'cash', paid_at: new Date(2026, 11, 1, 12).toISOString() } });
  });

  it('refuses a missing or zero amount and a day that is not one', () => {
    expect(parsePaymentForm({ amount: '0', method: 'cash', reference: '', paidOn: '2026-13-01' }, { currency: 'USD', irrUnit: 'rial', today })).toEqual({
      ok: false,
      errors: { amount_minor: 'amount', paid_at: 'date' },
    });
    expect(parsePaymentForm({ amount: '', method: 'cash', reference: '', paidOn: '' }, { currency: 'USD', irrUnit: 'rial', today })).toEqual({
      ok: false,
      errors: { amount_minor: 'amount' },
    });
  });
});
