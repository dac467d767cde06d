import { Button } from '../../../components/button';
import { DateField } from '../../../components/date-field';
import { Dialog } from '../../../components/dialog';
import { FormAlert, SelectField, TextField } from '../../../components/field';
import { Skeleton } from '../../../components/states';
import { describeError } from '../../../lib/api/describe-error';
import { type I18n, useI18n } from '../../../lib/i18n/use-i18n';
import { useCustomFields } from '../../../lib/custom-fields/use-custom-fields';
import { useCreateOrganization, useUpdateOrganization } from '../api/organizations';
import { useDateEntry } from '../../../lib/session/use-date-entry';
import { type FieldDefinition, type Organization, organizationFormValues, organizationInput } from '../utils/customer-form';
import { organizationDateKinds } from '../utils/important-dates';
import { CustomFieldInputs } from '../../../components/custom-field-inputs';
import { ImportantDatesFields } from './important-dates-fields';
import { OwnerOptions } from './pickers';
import { useRecordEdit } from './use-record-edit';

const shownFields = ['name', 'domain', 'industry', 'phone', 'address', 'city', 'country', 'tags', 'owner_id', 'founded_on'];

export interface OrganizationFormProps {
  /** The organization to edit; a new organization without it. */
  organization?: Organization;
  onCancel: () => void;
  onSaved: (organization: Organization) => void;
}

/**
 * Every field of an organization: owner, tags, founding date (Jalali in Persian), anniversaries
 * and labelled dates, and the workspace's custom fields; an edit sends only what changed, with
 * the version read (see ContactForm).
 */
export function OrganizationForm(props: OrganizationFormProps) {
  const i18n = useI18n();
  const { definitions, isPending } = useCustomFields('organization');
  if (isPending) return <Skeleton className="skeleton--block" />;
  return <OrganizationFormFields {...props} definitions={definitions} i18n={i18n} />;
}

function OrganizationFormFields({
  organization,
  onCancel,
  onSaved,
  definitions,
  i18n,
}: OrganizationFormProps & { definitions: FieldDefinition[]; i18n: I18n }) {
  const { t } = i18n;
  const dates = useDateEntry();
  const context = { definitions, dates, separator: t('common.listSeparator') };
  const create = useCreateOrganization();
  const update = useUpdateOrganization();
  const mutation = organization ? update : create;
  const { values, set, bind, errors, stale, unmatched, submit } = useRecordEdit({
    record: organization,
    valuesOf: (record) => organizationFormValues(record, context),
    parse: (read, typed) => organizationInput(read, typed, context),
    save: (changes) => (organization ? update.mutate({ organization, changes }, { onSuccess: onSaved }) : create.mutate(changes, { onSuccess: onSaved })),
    onUnchanged: onCancel,
    error: mutation.error,
    shownFields,
    i18n,
  });

  return (
    <form className="form customers-form" onSubmit={submit} noValidate data-testid="organization-form">
      {stale && <FormAlert>{t('customers.form.stale')}</FormAlert>}
      {unmatched && <FormAlert>{describeError(mutation.error, t)}</FormAlert>}
      <div className="customers-form__grid">
        <TextField label={t('customers.fields.name')} required dir="auto" autoFocus {...bind('name', 'name')} />
        <TextField label={t('customers.fields.industry')} dir="auto" {...bind('industry', 'industry')} />
        <TextField label={t('customers.fields.domain')} dir="ltr" {...bind('domain', 'domain')} />
        <TextField label={t('customers.fields.phone')} type="tel" dir="ltr" {...bind('phone', 'phone')} />
        <SelectField label={t('customers.fields.owner')} {...bind('ownerId', 'owner_id')}>
          <OwnerOptions first={<option value="">{organization ? t('customers.form.noOwner') : t('customers.form.ownerMe')}</option>} />
        </SelectField>
        <DateField label={t('customers.fields.foundedOn')} {...bind('foundedOn', 'founded_on')} onChange={(foundedOn) => set({ foundedOn })} />
        <TextField label={t('customers.fields.address')} dir="auto" className="customers-form__wide" {...bind('address', 'address')} />
        <TextField label={t('customers.fields.city')} dir="auto" {...bind('city', 'city')} />
        <TextField label={t('customers.fields.country')} hint={t('customers.form.countryHint')} dir="ltr" maxLength={2} {...bind('country', 'country')} />
        <TextField
          label={t('customers.fields.tags')}
          hint={t('customers.form.tagsHint')}
          dir="auto"
          className="customers-form__wide"
          {...bind('tags', 'tags')}
        />
      </div>
      <ImportantDatesFields rows={values.dates} kinds={organizationDateKinds} onChange={(dates) => set({ dates })} errors={errors} i18n={i18n} />
      <CustomFieldInputs
        definitions={definitions}
        values={values.custom}
        onChange={(key, value) => set({ custom: { ...values.custom, [key]: value } })}
        errors={errors}
        legend={t('customers.form.customFields')}
        i18n={i18n}
      />
      <div className="form__actions">
        <Button onClick={onCancel}>{t('common.cancel')}</Button>
        <Button type="submit" variant="primary" busy={mutation.isPending}>
          {mutation.isPending ? t('common.saving') : organization ? t('customers.form.save') : t('customers.organizations.create')}
        </Button>
      </div>
    </form>
  );
}

export interface OrganizationFormDialogProps {
  organization?: Organization;
  onClose: () => void;
  onSaved: (organization: Organization) => void;
}

/** OrganizationForm in a dialog: "New organization", or "Edit <name>". */
export function OrganizationFormDialog({ organization, onClose, onSaved }: OrganizationFormDialogProps) {
  const { t } = useI18n();
  return (
    <Dialog
      title={organization ? t('customers.form.editTitle', { name: organization.name }) : t('customers.organizations.add')}
      onClose={onClose}
      className="customers-dialog"
    >
      <OrganizationForm organization={organization} onCancel={onClose} onSaved={onSaved} />
    </Dialog>
  );
}
