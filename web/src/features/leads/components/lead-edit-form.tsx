import { type FormEvent, useState } from 'react';
import { Button } from '../../../components/button';
import { FormAlert, TextAreaField, TextField } from '../../../components/field';
import { toast } from '../../../components/toast';
import { isApiError } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import type { Lead } from '../../../lib/api/types';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { localizedFieldErrors } from '../../../lib/api/field-errors';
import { useUpdateLead } from '../api/leads';
import { type LeadEditValues, leadChanges, leadEditValues, rebaseLeadEdit } from '../utils/lead-form';
import { fieldBinder } from './field-binding';
import { LeadFormFields, leadFormFieldNames } from './lead-form-fields';

const editedFields = [...leadFormFieldNames, 'campaign', 'medium', 'tags', 'notes'];

/**
 * The lead's fields as a form in the drawer. Only what the user changed is sent, with the version
 * read; the server's field errors show under the fields. When the lead changed meanwhile (a 412
 * reloads it), the fields the user has not touched take the newer values and the user saves again.
 */
export function LeadEditForm({ lead, i18n, onDone }: { lead: Lead; i18n: I18n; onDone: () => void }) {
  const { t } = i18n;
  const update = useUpdateLead();
  const separator = t('common.listSeparator');
  const [edit, setEdit] = useState(() => {
    const read = leadEditValues(lead, separator);
    return { read, values: read };
  });
  const [version, setVersion] = useState(lead.version);
  if (lead.version !== version) {
    setVersion(lead.version);
    setEdit(rebaseLeadEdit(edit, leadEditValues(lead, separator)));
  }
  const { values } = edit;
  const set = (patch: Partial<LeadEditValues>) => setEdit((current) => ({ ...current, values: { ...current.values, ...patch } }));
  const errors = localizedFieldErrors(update.error, t);
  const bind = fieldBinder(values, set, errors);
  const stale = isApiError(update.error) && update.error.isStale;
  const unmatched = update.error && !stale && !Object.keys(errors).some((field) => editedFields.includes(field));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const changes = leadChanges(edit.read, values);
    if (Object.keys(changes).length === 0) {
      onDone();
      return;
    }
    update.mutate(
      { lead, changes },
      {
        onSuccess: (saved) => {
          toast.success(t('leads.edit.saved', { name: saved.name }));
          onDone();
        },
      },
    );
  };

  return (
    <form className="form" onSubmit={submit} noValidate data-testid="lead-edit-form">
      {stale && <FormAlert>{t('leads.edit.stale')}</FormAlert>}
      {unmatched && <FormAlert>{describeError(update.error, t)}</FormAlert>}
      <LeadFormFields values={values} set={set} errors={errors} i18n={i18n} />
      <div className="form__row">
        <TextField label={t('leads.fields.campaign')} className="form__grow" {...bind('campaign', 'campaign')} />
        <TextField label={t('leads.fields.medium')} className="form__grow" {...bind('medium', 'medium')} />
      </div>
      <TextField label={t('leads.fields.tags')} hint={t('leads.edit.tagsHint')} {...bind('tags', 'tags')} />
      <TextAreaField
        label={t('leads.fields.notes')}
        name="notes"
        rows={4}
        dir="auto"
        value={values.notes}
        onChange={(event) => set({ notes: event.target.value })}
        error={errors.notes}
      />
      <div className="form__actions">
        <Button onClick={onDone}>{t('common.cancel')}</Button>
        <Button type="submit" variant="primary" busy={update.isPending}>
          {update.isPending ? t('common.saving') : t('leads.edit.save')}
        </Button>
      </div>
    </form>
  );
}
