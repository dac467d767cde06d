import type { components } from '../../../lib/api/schema';
import { type DateEntry, isoDateText } from '../../../lib/format/calendar';
import { type CustomFieldValue, customFieldsInput, customFieldValues, parseDateField } from '../../../lib/custom-fields/custom-field-values';
import { type DateRowError, type DateRowValues, dateRowValues, importantDatesInput, sameDates } from './important-dates';

type Schemas = components['schemas'];
export type Contact = Schemas['ContactResponse'];
export type Organization = Schemas['OrganizationResponse'];
export type FieldDefinition = Schemas['FieldDefinitionResponse'];
export type CreateContactInput = Schemas['CreateContactRequest'];
export type UpdateContactInput = Schemas['UpdateContactRequest'];
export type CreateOrganizationInput = Schemas['CreateOrganizationRequest'];
export type UpdateOrganizationInput = Schemas['UpdateOrganizationRequest'];

// The custom fields' values are shared with the inbox's lead form; the customer forms' users import them from here.
export { type CustomFieldValue, customFieldsInput, customFieldValues, parseDateField };

export type FormError = DateRowError | 'invalidNumber' | 'invalidDate';

/** Tags as typed: separated by commas (Latin or Persian) or semicolons; blank ones dropped. */
export function parseTags(text: string): string[] {
  return text
    .split(/[,،;]/)
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
}

const orNull = (text: string) => text.trim() || null;

/** What the contact form holds. */
export interface ContactFormValues {
  name: string;
  email: string;
  phone: string;
  jobTitle: string;
  organizationId: string;
  address: string;
  city: string;
  country: string;
  /** Tags as typed, separated by commas. */
  tags: string;
  notes: string;
  ownerId: string;
  custom: Record<string, CustomFieldValue>;
  dates: DateRowValues[];
}

/** What the organization form holds. */
export interface OrganizationFormValues {
  name: string;
  domain: string;
  industry: string;
  phone: string;
  address: string;
  city: string;
  country: string;
  tags: string;
  ownerId: string;
  /** Typed on the workspace's calendar (see `DateEntry`). */
  foundedOn: string;
  custom: Record<string, CustomFieldValue>;
  dates: DateRowValues[];
}

interface FormContext {
  definitions: readonly FieldDefinition[];
  /** How dates are typed: on the workspace's calendar. */
  dates: DateEntry;
  /** The locale's list separator, to join tags. */
  separator: string;
}

export function contactFormValues(contact: Contact | null, context: FormContext, defaults: Partial<ContactFormValues> = {}): ContactFormValues {
  return {
    name: contact?.name ?? '',
    email: contact?.email ?? '',
    phone: contact?.phone ?? '',
    jobTitle: contact?.job_title ?? '',
    organizationId: contact?.organization_id ?? '',
    address: contact?.address ?? '',
    city: contact?.city ?? '',
    country: contact?.country ?? '',
    tags: (contact?.tags ?? []).join(context.separator),
    notes: contact?.notes ?? '',
    ownerId: contact?.owner_id ?? '',
    custom: customFieldValues(context.definitions, contact?.custom_fields ?? {}, context.dates),
    dates: (contact?.important_dates ?? []).map(dateRowValues),
    ...defaults,
  };
}

export function organizationFormValues(organization: Organization | null, context: FormContext): OrganizationFormValues {
  return {
    name: organization?.name ?? '',
    domain: organization?.domain ?? '',
    industry: organization?.industry ?? '',
    phone: organization?.phone ?? '',
    address: organization?.address ?? '',
    city: organization?.city ?? '',
    country: organization?.country ?? '',
    tags: (organization?.tags ?? []).join(context.separator),
    ownerId: organization?.owner_id ?? '',
    foundedOn: isoDateText(organization?.founded_on, context.dates),
    custom: customFieldValues(context.definitions, organization?.custom_fields ?? {}, context.dates),
    dates: (organization?.important_dates ?? []).map(dateRowValues),
  };
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: Record<string, FormError> };

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

/** The contact's text fields: the API's name and the form's. */
const contactTextFields = [
  ['email', 'email'],
  ['phone', 'phone'],
  ['job_title', 'jobTitle'],
  ['address', 'address'],
  ['city', 'city'],
  ['country', 'country'],
  ['notes', 'notes'],
  ['organization_id', 'organizationId'],
  ['owner_id', 'ownerId'],
] as const satisfies readonly (readonly [keyof UpdateContactInput & keyof CreateContactInput, keyof ContactFormValues])[];

const organizationTextFields = [
  ['domain', 'domain'],
  ['industry', 'industry'],
  ['phone', 'phone'],
  ['address', 'address'],
  ['city', 'city'],
  ['country', 'country'],
  ['owner_id', 'ownerId'],
] as const satisfies readonly (readonly [keyof UpdateOrganizationInput & keyof CreateOrganizationInput, keyof OrganizationFormValues])[];

function upper(field: string, value: string | null): string | null {
  return field === 'country' && value ? value.toUpperCase() : value;
}

/**
 * The request for the form: everything for a new record (`read` null), else only what changed
 * since `read` (a field someone else changed meanwhile stays as they set it). Dates and custom
 * values the browser can tell are malformed come back as errors keyed like the server's.
 */
function customerInput<V extends ContactFormValues | OrganizationFormValues>(
  fields: readonly (readonly [string, keyof V])[],
  read: V | null,
  values: V,
  context: FormContext,
): Parsed<Record<string, unknown>> {
  const body: Record<string, unknown> = {};
  const errors: Record<string, FormError> = {};
  if (!read || values.name.trim() !== read.name.trim()) body.name = values.name.trim();
  for (const [field, key] of fields) {
    const value = upper(field, orNull(values[key] as string));
    if (!read) {
      // The owner defaults to the caller on the server; other blanks are simply not sent.
      if (value !== null) body[field] = value;
    } else if (value !== upper(field, orNull(read[key] as string))) {
      body[field] = value;
    }
  }
  const tags = parseTags(values.tags);
  if (!read ? tags.length > 0 : !sameList(tags, parseTags(read.tags))) body.tags = tags;
  const custom = customFieldsInput(context.definitions, values.custom, read?.custom);
  if (custom.ok) {
    if (Object.keys(custom.value).length > 0) body.custom_fields = custom.value;
  } else {
    Object.assign(errors, custom.errors);
  }
  const dates = importantDatesInput(values.dates);
  if (dates.ok) {
    if (!read ? dates.value.length > 0 : !sameDates(values.dates, read.dates)) body.important_dates = dates.value;
  } else {
    Object.assign(errors, dates.errors);
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value: body };
}

export function contactInput(read: ContactFormValues | null, values: ContactFormValues, context: FormContext): Parsed<CreateContactInput & UpdateContactInput> {
  return customerInput(contactTextFields, read, values, context) as Parsed<CreateContactInput & UpdateContactInput>;
}

export function organizationInput(
  read: OrganizationFormValues | null,
  values: OrganizationFormValues,
  context: FormContext,
): Parsed<CreateOrganizationInput & UpdateOrganizationInput> {
  const parsed = customerInput(organizationTextFields, read, values, context);
  const foundedOn = parseDateField(values.foundedOn);
  if (foundedOn === undefined) return { ok: false, errors: { ...(parsed.ok ? {} : parsed.errors), founded_on: 'invalidDate' } };
  if (!parsed.ok) return parsed;
  if (!read ? foundedOn !== null : foundedOn !== parseDateField(read.foundedOn)) parsed.value.founded_on = foundedOn;
  return parsed as Parsed<CreateOrganizationInput & UpdateOrganizationInput>;
}

/**
 * The form once a newer version of the record arrives (a save was refused because someone else
 * changed it): fields the user has not touched take the new values, the user's edits stay, and
 * the new version is what later changes are measured from.
 */
export function rebaseEdit<V extends object>(edit: { read: V; values: V }, latest: V): { read: V; values: V } {
  const values = { ...latest };
  for (const key of Object.keys(latest) as (keyof V)[]) {
    if (JSON.stringify(edit.values[key]) !== JSON.stringify(edit.read[key])) values[key] = edit.values[key];
  }
  return { read: latest, values };
}
