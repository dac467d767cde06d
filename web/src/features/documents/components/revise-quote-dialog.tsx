import { type FormEvent, useState } from 'react';
import { Button } from '../../../components/button';
import { DateField } from '../../../components/date-field';
import { TextAreaField } from '../../../components/field';
import { Dialog } from '../../../components/dialog';
import { localizedFieldErrors } from '../../../lib/api/field-errors';
import type { Quote } from '../../../lib/api/types';
import { isoOfDateText } from '../../../lib/format/calendar';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { useReviseQuote } from '../api/quotes';
import { buyerInputOf, buyerValuesOf } from '../utils/buyer-form';
import { BuyerFields } from './buyer-fields';
import { ActionFailure } from './document-parts';

/** The next revision of a quote: its last valid day, notes and buyer's details, then the deal's lines as they are now. */
export function ReviseQuoteDialog({
  quote,
  validityDays,
  i18n,
  onClose,
  onRevised,
  onReload,
}: {
  quote: Quote;
  validityDays: number | undefined;
  i18n: I18n;
  onClose: () => void;
  onRevised: (revision: Quote) => void;
  onReload: () => void;
}) {
  const { t } = i18n;
  const revise = useReviseQuote();
  const [validUntil, setValidUntil] = useState('');
  const [notes, setNotes] = useState(quote.notes ?? '');
  const [buyer, setBuyer] = useState(() => buyerValuesOf(quote.buyer));
  const [dateError, setDateError] = useState<string | undefined>();
  const errors = localizedFieldErrors(revise.error, t);
  const hasFieldErrors = Object.keys(errors).length > 0;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const iso = validUntil.trim() ? isoOfDateText(validUntil) : null;
    if (validUntil.trim() && !iso) {
      setDateError(t('documents.revise.invalidDate'));
      return;
    }
    setDateError(undefined);
    revise.mutate(
      { quote, input: { ...(iso ? { valid_until: iso } : {}), notes: notes.trim() || null, buyer: buyerInputOf(buyer) } },
      { onSuccess: onRevised },
    );
  };

  return (
    <Dialog title={t('documents.revise.title', { number: quote.number })} onClose={onClose}>
      <form className="form document-form" onSubmit={submit} noValidate data-testid="revise-quote-form">
        <p className="muted">{t('documents.revise.intro')}</p>
        {!hasFieldErrors && <ActionFailure error={revise.error} onReload={onReload} i18n={i18n} />}
        <DateField
          label={t('documents.revise.validUntil')}
          hint={validityDays ? t('documents.revise.validUntilHint', { days: i18n.number(validityDays) }) : undefined}
          value={validUntil}
          onChange={setValidUntil}
          error={dateError ?? errors.valid_until}
        />
        <TextAreaField label={t('documents.revise.notes')} value={notes} onChange={(event) => setNotes(event.target.value)} error={errors.notes} rows={2} />
        <BuyerFields values={buyer} onChange={setBuyer} errors={errors} i18n={i18n} />
        <div className="form__actions">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" variant="primary" busy={revise.isPending}>
            {t('documents.revise.submit')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
