import { type FormEvent, useState } from 'react';
import { Button } from '../../../components/button';
import { DateField } from '../../../components/date-field';
import { Dialog } from '../../../components/dialog';
import { localizedFieldErrors } from '../../../lib/api/field-errors';
import type { Invoice } from '../../../lib/api/types';
import { isoOfDateText } from '../../../lib/format/calendar';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { useIssueInvoice } from '../api/invoices';
import { ActionFailure } from './document-parts';

/** Issues a draft invoice with its due date (empty: the workspace's payment term). */
export function IssueInvoiceDialog({
  invoice,
  dueDays,
  i18n,
  onClose,
  onIssued,
  onReload,
}: {
  invoice: Invoice;
  dueDays: number | undefined;
  i18n: I18n;
  onClose: () => void;
  onIssued: (invoice: Invoice) => void;
  onReload: () => void;
}) {
  const { t } = i18n;
  const issue = useIssueInvoice();
  const [dueOn, setDueOn] = useState('');
  const [dateError, setDateError] = useState<string | undefined>();
  const errors = localizedFieldErrors(issue.error, t);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const iso = dueOn.trim() ? isoOfDateText(dueOn) : null;
    if (dueOn.trim() && !iso) {
      setDateError(t('documents.revise.invalidDate'));
      return;
    }
    setDateError(undefined);
    issue.mutate({ invoice, dueOn: iso }, { onSuccess: onIssued });
  };

  return (
    <Dialog title={t('documents.issue.title')} onClose={onClose}>
      <form className="form document-form" onSubmit={submit} noValidate data-testid="issue-invoice-form">
        <p className="muted">{t('documents.issue.intro')}</p>
        {Object.keys(errors).length === 0 && <ActionFailure error={issue.error} onReload={onReload} i18n={i18n} />}
        <DateField
          label={t('documents.issue.dueOn')}
          hint={dueDays ? t('documents.issue.dueOnHint', { days: i18n.number(dueDays) }) : undefined}
          value={dueOn}
          onChange={setDueOn}
          error={dateError ?? errors.due_on}
        />
        <div className="form__actions">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" variant="primary" busy={issue.isPending}>
            {t('documents.issue.submit')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
