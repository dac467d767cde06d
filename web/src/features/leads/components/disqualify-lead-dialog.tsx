import { type FormEvent, useState } from 'react';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { FormAlert, SelectField, TextField } from '../../../components/field';
import { describeError } from '../../../lib/api/describe-error';
import type { DisqualifyLeadInput, Lead } from '../../../lib/api/types';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { localizedFieldErrors } from '../../../lib/api/field-errors';
import { useChangeLeadStatus } from '../api/leads';
import { disqualifyReasons, isDisqualifyReason, reasonLabel } from '../utils/lead-vocabulary';

/**
 * Asks why a lead is dropped (reports group by it) and disqualifies it with the version it read.
 * The reason is required by the API, which says so when it is missing; the message shows under it.
 */
export function DisqualifyLeadDialog({ lead, i18n, onClose, onDone }: { lead: Lead; i18n: I18n; onClose: () => void; onDone: (lead: Lead) => void }) {
  const { t } = i18n;
  const change = useChangeLeadStatus();
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const errors = localizedFieldErrors(change.error, t);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // Without a chosen reason the request goes without one, and the API's 422 names the field.
    const input = { ...(isDisqualifyReason(reason) ? { reason } : {}), note: note.trim() || null } as DisqualifyLeadInput;
    change.mutate({ lead, action: { kind: 'disqualify', input } }, { onSuccess: onDone });
  };

  return (
    <Dialog title={t('leads.disqualify.title', { name: lead.name })} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate data-testid="disqualify-lead-form">
        {change.error && !errors.reason && !errors.note && <FormAlert>{describeError(change.error, t)}</FormAlert>}
        <SelectField
          label={t('leads.disqualify.reason')}
          name="reason"
          required
          autoFocus
          hint={t('leads.disqualify.hint')}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          error={errors.reason}
        >
          <option value="">{t('leads.disqualify.chooseReason')}</option>
          {disqualifyReasons.map((option) => (
            <option key={option} value={option}>
              {reasonLabel(option, t)}
            </option>
          ))}
        </SelectField>
        <TextField label={t('leads.disqualify.note')} name="note" value={note} onChange={(event) => setNote(event.target.value)} error={errors.note} />
        <div className="form__actions">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" variant="danger" busy={change.isPending}>
            {t('leads.disqualify.submit')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
