import { type FormEvent, useState } from 'react';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { FormAlert } from '../../../components/field';
import { toast } from '../../../components/toast';
import { describeError } from '../../../lib/api/describe-error';
import type { Duplicates, Lead } from '../../../lib/api/types';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { localizedFieldErrors } from '../../../lib/api/field-errors';
import { useCheckDuplicates, useCreateLead } from '../api/leads';
import { duplicateCheckInput, emptyNewLead, newLeadInput, type NewLeadValues } from '../utils/lead-form';
import { DuplicateWarning } from './duplicate-warning';
import { LeadFormFields, leadFormFieldNames } from './lead-form-fields';

/**
 * Adds a lead by hand; the server scores it at once and its field errors show under the fields.
 * Before saving, the leads and contacts that look like the same person are asked for: when there
 * are some, they are listed, to be opened instead, or the lead is saved anyway.
 */
export function CreateLeadDialog({ i18n, onClose, onCreated }: { i18n: I18n; onClose: () => void; onCreated: (lead: Lead) => void }) {
  const { t } = i18n;
  const create = useCreateLead();
  const check = useCheckDuplicates();
  const [values, setValues] = useState<NewLeadValues>(emptyNewLead);
  // The duplicates found, and for which values: a change of name, email, phone or company asks again.
  const [warning, setWarning] = useState<{ key: string; found: Duplicates } | null>(null);
  const errors = localizedFieldErrors(create.error, t);
  const set = (patch: Partial<NewLeadValues>) => setValues({ ...values, ...patch });
  const unmatched = create.error && !Object.keys(errors).some((field) => leadFormFieldNames.includes(field));
  const checkKey = JSON.stringify(duplicateCheckInput(values));
  const shownWarning = warning?.key === checkKey ? warning.found : null;

  const save = () =>
    create.mutate(newLeadInput(values), {
      onSuccess: (lead) => {
        toast.success(t('leads.create.created', { name: lead.name }));
        onCreated(lead);
      },
    });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // Warned already about these very values, or nothing to compare: save.
    if (shownWarning || values.name.trim() === '') {
      save();
      return;
    }
    const key = checkKey;
    check.mutate(duplicateCheckInput(values), {
      onSuccess: (found) => {
        if (found.leads.length + found.contacts.length === 0) save();
        else setWarning({ key, found });
      },
      // A check that fails does not stand in the way: the save says what is wrong with the fields.
      onError: save,
    });
  };

  return (
    <Dialog title={t('leads.create.title')} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate data-testid="create-lead-form">
        {unmatched && <FormAlert>{describeError(create.error, t)}</FormAlert>}
        <LeadFormFields values={values} set={set} errors={errors} i18n={i18n} />
        {shownWarning && <DuplicateWarning found={shownWarning} i18n={i18n} onOpen={onClose} />}
        <div className="form__actions">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" variant="primary" busy={create.isPending || check.isPending}>
            {create.isPending ? t('leads.create.submitting') : shownWarning ? t('leads.create.saveAnyway') : t('leads.create.submit')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
