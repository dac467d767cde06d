import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { FormAlert, SelectField, TextAreaField, TextField } from '../../../components/field';
import { Skeleton } from '../../../components/states';
import { describeError } from '../../../lib/api/describe-error';
import { type I18n, useI18n } from '../../../lib/i18n/use-i18n';
import { useCreateContact, useUpdateContact } from '../api/contacts';
import { useCustomFields } from '../../../lib/custom-fields/use-custom-fields';
import { useDateEntry } from '../../../lib/session/use-date-entry';
import { type Contact, contactFormValues, contactInput, type FieldDefinition } from '../utils/customer-form';
import { contactDateKinds } from '../utils/important-dates';
import { CustomFieldInputs } from '../../../components/custom-field-inputs';
import { ImportantDatesFields } from './important-dates-fields';
import { OrganizationOptions, OwnerOptions } from './pickers';
import { useRecordEdit } from './use-record-edit';

/** Fields of the form by the API's names, to tell a message for a field shown from one for none. */
const shownFields = ['name', 'email', 'phone', 'job_title', 'organization_id', 'address', 'city', 'country', 'tags', 'notes', 'owner_id'];

export interface ContactFormProps {
  /** The contact to edit; a new contact without it. */
  contact?: Contact;
  /** A new contact's organization (e.g. "add person" on an organization). */
  organizationId?: string;
  onCancel: () => void;
  onSaved: (contact: Contact) => void;
}

/**
 * Every field of a contact: owner, organization, tags, the workspace's custom fields and the
 * important dates (Gregorian or Jalali). A new contact is created; an edit sends only what
 * changed with the version read, and when someone else saved meanwhile (a stale refusal) it says
 * so, keeps the user's edits and takes the newer values elsewhere. The server's field errors
 * show under their fields.
 */
export function ContactForm(props: ContactFormProps) {
  const i18n = useI18n();
  const { definitions, isPending } = useCustomFields('contact');
  if (isPending) return <Skeleton className="skeleton--block" />;
  return <ContactFormFields {...props} definitions={definitions} i18n={i18n} />;
}

function ContactFormFields({
  contact,
  organizationId,
  onCancel,
  onSaved,
  definitions,
  i18n,
}: ContactFormProps & { definitions: FieldDefinition[]; i18n: I18n }) {
  const { t } = i18n;
  const dates = useDateEntry();
  const context = { definitions, dates, separator: t('common.listSeparator') };
  const create = useCreateContact();
  const update = useUpdateContact();
  const mutation = contact ? update : create;
  const { values, set, bind, errors, stale, unmatched, submit } = useRecordEdit({
    record: contact,
    valuesOf: (record) => contactFormValues(record, context, !record && organizationId ? { organizationId } : {}),
    parse: (read, typed) => contactInput(read, typed, context),
    save: (changes) => (contact ? update.mutate({ contact, changes }, { onSuccess: onSaved }) : create.mutate(changes, { onSuccess: onSaved })),
    onUnchanged: onCancel,
    error: mutation.error,
    shownFields,
    i18n,
  });

  return (
    <form className="form customers-form" onSubmit={submit} noValidate data-testid="contact-form">
      {stale && <FormAlert>{t('customers.form.stale')}</FormAlert>}
      {unmatched && <FormAlert>{describeError(mutation.error, t)}</FormAlert>}
      <div className="customers-form__grid">
        <TextField label={t('customers.fields.name')} required dir="auto" autoFocus {...bind('name', 'name')} />
        <TextField label={t('customers.fields.jobTitle')} dir="auto" {...bind('jobTitle', 'job_title')} />
        <TextField label={t('customers.fields.email')} type="email" dir="ltr" {...bind('email', 'email')} />
        <TextField label={t('customers.fields.phone')} type="tel" dir="ltr" {...bind('phone', 'phone')} />
        <SelectField label={t('customers.fields.organization')} {...bind('organizationId', 'organization_id')}>
          <OrganizationOptions selected={values.organizationId} first={<option value="">{t('customers.form.noOrganization')}</option>} />
        </SelectField>
        <SelectField label={t('customers.fields.owner')} {...bind('ownerId', 'owner_id')}>
          <OwnerOptions first={<option value="">{contact ? t('customers.form.noOwner') : t('customers.form.ownerMe')}</option>} />
        </SelectField>
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
      <ImportantDatesFields rows={values.dates} kinds={contactDateKinds} onChange={(dates) => set({ dates })} errors={errors} i18n={i18n} />
      <CustomFieldInputs
        definitions={definitions}
        values={values.custom}
        onChange={(key, value) => set({ custom: { ...values.custom, [key]: value } })}
        errors={errors}
        legend={t('customers.form.customFields')}
        i18n={i18n}
      />
      <TextAreaField label={t('customers.fields.notes')} rows={3} dir="auto" {...bind('notes', 'notes')} />
      <div className="form__actions">
        <Button onClick={onCancel}>{t('common.cancel')}</Button>
        <Button type="submit" variant="primary" busy={mutation.isPending}>
          {mutation.isPending ? t('common.saving') : contact ? t('customers.form.save') : t('customers.contacts.create')}
        </Button>
      </div>
    </form>
  );
}

export interface ContactFormDialogProps {
  contact?: Contact;
  organizationId?: string;
  onClose: () => void;
  onSaved: (contact: Contact) => void;
}

/** ContactForm in a dialog: "New contact", or "Edit <name>" for an existing one. */
export function ContactFormDialog({ contact, organizationId, onClose, onSaved }: ContactFormDialogProps) {
  const { t } = useI18n();
  return (
    <Dialog
      title={contact ? t('customers.form.editTitle', { name: contact.name }) : t('customers.contacts.add')}
      onClose={onClose}
      className="customers-dialog"
    >
      <ContactForm contact={contact} organizationId={organizationId} onCancel={onClose} onSaved={onSaved} />
    </Dialog>
  );
}
