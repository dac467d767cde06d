import type { components } from '../../../lib/api/schema';
import { isoDateToJalaliInput, jalaliInputToIsoDate } from '../../../lib/format/dates';
import { toLatinDigits } from '../../../lib/format/digits';
import { type DateRowError, type DateRowValues, dateRowValues, importantDatesInput, sameDates } from './important-dates';

type Schemas = components['schemas'];
export type Contact = Schemas['ContactResponse'];
export type Organization = Schemas['OrganizationResponse'];
export type FieldDefinition = Schemas['FieldDefinitionResponse'];
export type CreateContactInput = Schemas['CreateContactRequest'];
export type UpdateContactInput = Schemas['UpdateContactRequest'];
export type CreateOrganizationInput = Schemas['CreateOrganizationRequest'];
export type UpdateOrganizationInput = Schemas['UpdateOrganizationRequest'];
type CustomValues = Record<string, unknown>;

/** A custom field's value as its control holds it: text for most kinds, a flag for `boolean`. */
export type CustomFieldValue = string | boolean;

export type FormError = DateRowError | 'invalidNumber' | 'invalidDate';

/**
 * Dates are typed in the calendar shown: a native date input (YYYY-MM-DD) in English, Jalali
 * text (`۱۴۰۵/۰۱/۱۵`) in Persian.
 */
export function dateFieldText(isoDate: string | null | undefined, locale: string): string {
  if (!isoDate) return '';
  return locale === 'fa' ? isoDateToJalaliInput(isoDate) : isoDate;
}

/** The YYYY-MM-DD of a typed date, null when blank, or `undefined` when it is not a date. */
export function parseDateField(text: string, locale: string): string | null | undefined {
  if (!text.trim()) return null;
  const iso = locale === 'fa' ? jalaliInputToIsoDate(text) : /^\d{4}-\d{2}-\d{2}$/.test(text.trim()) ? text.trim() : null;
  return iso ?? undefined;
}

/** The controls' values for stored custom fields. */
export function customFieldValues(definitions: readonly FieldDefinition[], stored: CustomValues, locale: string): Record<string, CustomFieldValue> {
  const values: Record<string, CustomFieldValue> = {};
  for (const definition of definitions) {
    const value = stored[definition.key];
    if (definition.kind === 'boolean') values[definition.key] = value === true;
    else if (definition.kind === 'date') values[definition.key] = typeof value === 'string' ? dateFieldText(value, locale) : '';
    else values[definition.key] = value == null ? '' : String(value);
  }
  return values;
}

/** The JSON value of one custom field's control: null when blank, or an error for what cannot be one. */
function customValue(definition: FieldDefinition, value: CustomFieldValue | undefined, locale: string): { value: unknown } | { error: FormError } {
  if (definition.kind === 'boolean') return { value: value === true };
  const text = typeof value === 'string' ? value.trim() : '';
  if (!text) return { value: null };
  if (definition.kind === 'number') {
    const latin = toLatinDigits(text).replace(/[,٬]/g, '').replace('٫', '.');
    return /^-?\d+(\.\d+)?$/.test(latin) ? { value: Number(latin) } : { error: 'invalidNumber' };
  }
  if (definition.kind === 'date') {
    const iso = parseDateField(text, locale);
    return iso ? { value: iso } : { error: 'invalidDate' };
  }
  return { value: text };
}

/**
 * The custom fields to send: every value set, by key (`changedFrom` given: only those that
 * changed since, a cleared one as null, which the API removes). An unchecked flag that was never
 * set is not sent, so that an untouched form does not write `false` everywhere.
 */
export function customFieldsInput(
  definitions: readonly FieldDefinition[],
  values: Record<string, CustomFieldValue>,
  locale: string,
  changedFrom?: Record<string, CustomFieldValue>,
): { ok: true; value: CustomValues } | { ok: false; errors: Record<string, FormError> } {
  const value: CustomValues = {};
  const errors: Record<string, FormError> = {};
  for (const definition of definitions) {
    const current = values[definition.key];
    if (changedFrom && current === changedFrom[definition.key]) continue;
    if (definition.kind === 'boolean' && current !== true && !changedFrom) continue;
    const parsed = customValue(definition, current, locale);
    if ('error' in parsed) errors[`custom_fields.${definition.key}`] = parsed.error;
    else if (parsed.value !== null || changedFrom) value[definition.key] = parsed.value;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value };
}

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
  /** Typed in the calendar shown (see dateFieldText). */
  foundedOn: string;
  custom: Record<string, CustomFieldValue>;
  dates: DateRowValues[];
}

interface FormContext {
  definitions: readonly FieldDefinition[];
  locale: string;
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
    custom: customFieldValues(context.definitions, contact?.custom_fields ?? {}, context.locale),
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
    foundedOn: dateFieldText(organization?.founded_on, context.locale),
    custom: customFieldValues(context.definitions, organization?.custom_fields ?? {}, context.locale),
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
  const custom = customFieldsInput(context.definitions, values.custom, context.locale, read?.custom);
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
  const foundedOn = parseDateField(values.foundedOn, context.locale);
  if (foundedOn === undefined) return { ok: false, errors: { ...(parsed.ok ? {} : parsed.errors), founded_on: 'invalidDate' } };
  if (!parsed.ok) return parsed;
  if (!read ? foundedOn !== null : foundedOn !== parseDateField(read.foundedOn, context.locale)) parsed.value.founded_on = foundedOn;
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
