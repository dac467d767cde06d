import { format as formatGregorian } from 'date-fns';
import type { PaymentMethod, RecordPaymentInput } from '../../../lib/api/types';
import { isoOfDateText, parseDateText } from '../../../lib/format/calendar';
import { type IrrUnit, parseMoneyInput } from '../../../lib/format/money';

/** The payment form as typed: the amount in the display unit, the day on the workspace's calendar. */
export interface PaymentValues {
  amount: string;
  method: PaymentMethod;
  reference: string;
  paidOn: string;
}

export type PaymentFormError = 'amount' | 'date';

export type ParsedPayment = { ok: true; input: RecordPaymentInput } | { ok: false; errors: Partial<Record<'amount_minor' | 'paid_at', PaymentFormError>> };

/**
 * The request of a payment form, or what is wrong with it. The amount must be above zero (whether
 * it is more than is owed is the server's to say, next to the field). A payment made today is sent
 * without `paid_at`, which the server takes as now; another day is sent at its local noon, so that
 * no time zone moves it to the day before or after.
 */
export function parsePaymentForm(
  values: PaymentValues,
  { currency, irrUnit, today = new Date() }: { currency: string; irrUnit: IrrUnit; today?: Date },
): ParsedPayment {
  const errors: Partial<Record<'amount_minor' | 'paid_at', PaymentFormError>> = {};
  const amount = parseMoneyInput(values.amount, currency, irrUnit);
  if (amount === null || amount <= 0) errors.amount_minor = 'amount';
  let paidAt: string | null = null;
  if (values.paidOn.trim() !== '') {
    const day = parseDateText(values.paidOn);
    if (!day) errors.paid_at = 'date';
    else if (isoOfDateText(values.paidOn) !== formatGregorian(today, 'yyyy-MM-dd')) {
      paidAt = new Date(day.getFullYear(), day.getMonth(), day.getDate(), 12).toISOString();
    }
  }
  if (amount === null || amount <= 0 || errors.paid_at) return { ok: false, errors };
  return {
    ok: true,
    input: {
      amount_minor: amount,
      method: values.method,
      ...(values.reference.trim() ? { reference: values.reference.trim() } : {}),
      ...(paidAt ? { paid_at: paidAt } : {}),
    },
  };
}
