import { type FormEvent, useState } from 'react';
import { Button } from '../../../components/button';
import { CustomFieldInputs } from '../../../components/custom-field-inputs';
import { FormAlert, SelectField, TextAreaField, TextField } from '../../../components/field';
import { Skeleton } from '../../../components/states';
import { toast } from '../../../components/toast';
import { isApiError } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import type { FieldDefinition, Lead } from '../../../lib/api/types';
import { customFieldsInput, customFieldValues } from '../../../lib/custom-fields/custom-field-values';
import { useDateEntry } from '../../../lib/session/use-date-entry';
import { useCustomFields } from '../../../lib/custom-fields/use-custom-fields';
import { useMembers } from '../../../lib/members/use-members';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { localizedFieldErrors } from '../../../lib/api/field-errors';
import { useUpdateLead } from '../api/leads';
import { type LeadEditValues, leadChanges, leadEditValues, rebaseLeadEdit } from '../utils/lead-form';
import { fieldBinder } from './field-binding';
import { LeadFormFields, leadFormFieldNames } from './lead-form-fields';

const editedFields = [...leadFormFieldNames, 'campaign', 'medium', 'tags', 'notes', 'owner_id'];

/** The lead's fields as a form in the drawer, once the workspace's lead custom fields are known. */
export function LeadEditForm({ lead, i18n, onDone }: { lead: Lead; i18n: I18n; onDone: () => void }) {
  const fields = useCustomFields('lead');
  if (fields.isPending) return <Skeleton className="skeleton--block" />;
  return <LeadEditFields lead={lead} definitions={fields.definitions} i18n={i18n} onDone={onDone} />;
}

/**
 * Only what the user changed is sent, with the version read; the server's field errors show
 * under the fields. When the lead changed meanwhile (a 412 reloads it), the fields the user has
 * not touched take the newer values and the user saves again.
 */
function LeadEditFields({ lead, definitions, i18n, onDone }: { lead: Lead; definitions: FieldDefinition[]; i18n: I18n; onDone: () => void }) {
  const { t } = i18n;
  const dates = useDateEntry();
  const update = useUpdateLead();
  const { members } = useMembers();
  const separator = t('common.listSeparator');
  const valuesOf = (current: Lead) => leadEditValues(current, separator, customFieldValues(definitions, current.custom_fields, dates));
  const [edit, setEdit] = useState(() => {
    const read = valuesOf(lead);
    return { read, values: read };
  });
  const [formErrors, setFormErrors] = useState<Record<string, string>>({});
  const [version, setVersion] = useState(lead.version);
  if (lead.version !== version) {
    setVersion(lead.version);
    setEdit(rebaseLeadEdit(edit, valuesOf(lead)));
  }
  const { values } = edit;
  const set = (patch: Partial<LeadEditValues>) => setEdit((current) => ({ ...current, values: { ...current.values, ...patch } }));
  const errors = { ...localizedFieldErrors(update.error, t), ...formErrors };
  const bind = fieldBinder(values, set, errors);
  const stale = isApiError(update.error) && update.error.isStale;
  const unmatched = update.error && !stale && !Object.keys(errors).some((field) => editedFields.includes(field) || field.startsWith('custom_fields.'));
  // An owner who left the workspace stays choosable, so that saving other fields keeps them.
  const owners = members.filter((member) => member.active || member.id === values.ownerId);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const custom = customFieldsInput(definitions, values.custom, edit.read.custom);
    if (!custom.ok) {
      setFormErrors(Object.fromEntries(Object.entries(custom.errors).map(([field, error]) => [field, t(`leads.edit.${error}`)])));
      return;
    }
    setFormErrors({});
    const changes = { ...leadChanges(edit.read, values), ...(Object.keys(custom.value).length > 0 ? { custom_fields: custom.value } : {}) };
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
      <SelectField
        label={t('leads.fields.owner')}
        name="owner"
        value={values.ownerId}
        onChange={(event) => set({ ownerId: event.target.value })}
        error={errors.owner_id}
      >
        <option value="">{t('leads.drawer.noOwner')}</option>
        {owners.map((member) => (
          <option key={member.id} value={member.id}>
            {member.name}
          </option>
        ))}
      </SelectField>
      <TextField label={t('leads.fields.tags')} hint={t('leads.edit.tagsHint')} {...bind('tags', 'tags')} />
      <CustomFieldInputs
        definitions={definitions}
        values={values.custom}
        onChange={(key, value) => set({ custom: { ...values.custom, [key]: value } })}
        errors={errors}
        legend={t('leads.edit.customFields')}
        i18n={i18n}
      />
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
