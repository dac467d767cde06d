import { type FormEvent, useState } from 'react';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { FormAlert } from '../../../components/field';
import { toast } from '../../../components/toast';
import { describeError } from '../../../lib/api/describe-error';
import type { Lead } from '../../../lib/api/types';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { localizedFieldErrors } from '../../../lib/api/field-errors';
import { useCreateLead } from '../api/leads';
import { emptyNewLead, newLeadInput, type NewLeadValues } from '../utils/lead-form';
import { LeadFormFields, leadFormFieldNames } from './lead-form-fields';

/** Adds a lead by hand; the server scores it at once and its field errors show under the fields. */
export function CreateLeadDialog({ i18n, onClose, onCreated }: { i18n: I18n; onClose: () => void; onCreated: (lead: Lead) => void }) {
  const { t } = i18n;
  const create = useCreateLead();
  const [values, setValues] = useState<NewLeadValues>(emptyNewLead);
  const errors = localizedFieldErrors(create.error, t);
  const set = (patch: Partial<NewLeadValues>) => setValues({ ...values, ...patch });
  const unmatched = create.error && !Object.keys(errors).some((field) => leadFormFieldNames.includes(field));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(newLeadInput(values), {
      onSuccess: (lead) => {
        toast.success(t('leads.create.created', { name: lead.name }));
        onCreated(lead);
      },
    });
  };

  return (
    <Dialog title={t('leads.create.title')} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate data-testid="create-lead-form">
        {unmatched && <FormAlert>{describeError(create.error, t)}</FormAlert>}
        <LeadFormFields values={values} set={set} errors={errors} i18n={i18n} />
        <div className="form__actions">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" variant="primary" busy={create.isPending}>
            {create.isPending ? t('leads.create.submitting') : t('leads.create.submit')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
