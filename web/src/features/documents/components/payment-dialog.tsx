import { type FormEvent, useState } from 'react';
import { AmountField } from '../../../components/amount-field';
import { Button } from '../../../components/button';
import { DateField } from '../../../components/date-field';
import { Dialog } from '../../../components/dialog';
import { SelectField, TextField } from '../../../components/field';
import { toast } from '../../../components/toast';
import { localizedFieldErrors } from '../../../lib/api/field-errors';
import type { Invoice } from '../../../lib/api/types';
import { isOneOf, paymentMethods } from '../../../lib/api/vocabularies';
import { dateText } from '../../../lib/format/calendar';
import { useDateEntry } from '../../../lib/session/use-date-entry';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { useRecordPayment } from '../api/invoices';
import { parsePaymentForm, type PaymentValues } from '../utils/payment-form';
import { paymentMethodLabel } from '../utils/payment-method';
import { ActionFailure } from './document-parts';

/**
 * Records a payment: the amount in the display unit (as every amount is typed), the method, a
 * reference and the day. An amount above what is owed is refused by the server, next to the field.
 */
export function PaymentDialog({ invoice, i18n, onClose, onReload }: { invoice: Invoice; i18n: I18n; onClose: () => void; onReload: () => void }) {
  const { t } = i18n;
  const dates = useDateEntry();
  const record = useRecordPayment();
  const [values, setValues] = useState<PaymentValues>(() => ({ amount: '', method: 'bank_transfer', reference: '', paidOn: dateText(new Date(), dates) }));
  const [formErrors, setFormErrors] = useState<Record<string, string>>({});
  const serverErrors = localizedFieldErrors(record.error, t);
  const errors = { ...serverErrors, ...formErrors };
  const set = (patch: Partial<PaymentValues>) => setValues({ ...values, ...patch });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parsePaymentForm(values, { currency: invoice.currency, irrUnit: i18n.irrUnit });
    if (!parsed.ok) {
      setFormErrors({
        ...(parsed.errors.amount_minor ? { amount_minor: t('documents.payment.errors.amount') } : {}),
        ...(parsed.errors.paid_at ? { paid_at: t('documents.payment.errors.date') } : {}),
      });
      return;
    }
    setFormErrors({});
    record.mutate(
      { invoice, input: parsed.input },
      {
        onSuccess: ({ payment }) => {
          onClose();
          toast.success(t('documents.actions.done.pay', { amount: i18n.money(payment.amount_minor, invoice.currency) }));
        },
      },
    );
  };

  return (
    <Dialog title={t('documents.payment.title')} onClose={onClose}>
      <form className="form document-form" onSubmit={submit} noValidate data-testid="payment-form">
        <p data-testid="payment-owed">{t('documents.payment.owed', { amount: i18n.money(invoice.outstanding_minor, invoice.currency) })}</p>
        {Object.keys(serverErrors).length === 0 && <ActionFailure error={record.error} onReload={onReload} i18n={i18n} />}
        <AmountField
          label={t('documents.payment.amount', { unit: i18n.moneyUnit(invoice.currency) })}
          value={values.amount}
          onChange={(amount) => set({ amount })}
          error={errors.amount_minor}
          required
        />
        <SelectField
          label={t('documents.payment.method')}
          value={values.method}
          onChange={(event) => isOneOf(paymentMethods, event.target.value) && set({ method: event.target.value })}
          error={errors.method}
        >
          {paymentMethods.map((method) => (
            <option key={method} value={method}>
              {paymentMethodLabel(method, t)}
            </option>
          ))}
        </SelectField>
        <TextField
          label={t('documents.payment.reference')}
          hint={t('documents.payment.referenceHint')}
          dir="auto"
          value={values.reference}
          onChange={(event) => set({ reference: event.target.value })}
          error={errors.reference}
        />
        <DateField
          label={t('documents.payment.paidOn')}
          hint={t('documents.payment.paidOnHint')}
          value={values.paidOn}
          onChange={(paidOn) => set({ paidOn })}
          error={errors.paid_at}
        />
        <div className="form__actions">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" variant="primary" busy={record.isPending}>
            {t('documents.payment.submit')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
