import type { Translate, TranslationKey } from '../i18n/use-i18n';
import { isApiError } from './api-error';
import type { FieldError } from './types';

/** The field-error codes the API sends (`errors[].code`) that have a message of their own. */
const codeMessages: Record<string, TranslationKey> = {
  required: 'errors.fieldCodes.required',
  length: 'errors.fieldCodes.length',
  too_long: 'errors.fieldCodes.length',
  range: 'errors.fieldCodes.range',
  invalid: 'errors.fieldCodes.invalid',
  unique: 'errors.fieldCodes.unique',
  unknown: 'errors.fieldCodes.unknown',
  type: 'errors.fieldCodes.type',
  email: 'errors.fields.email',
};

/**
 * Fields whose problem is clearer said about the field than about the code: the message for any
 * code but `required` (which needs no explanation) on these field names.
 */
const fieldMessages: Record<string, TranslationKey> = {
  email: 'errors.fields.email',
  phone: 'errors.fields.phone',
  owner_id: 'errors.fields.owner',
  currency: 'errors.fields.currency',
  expected_close_date: 'errors.fields.date',
  due_at: 'errors.fields.date',
  founded_on: 'errors.fields.date',
  name: 'errors.fields.name',
  title: 'errors.fields.title',
  subject: 'errors.fields.subject',
  amount_minor: 'errors.fields.amount',
  probability: 'errors.fields.probability',
};

/**
 * The message under a field for one of the API's field errors, in the user's language: chosen
 * by the field and its `code`, since the server's own `message` is English. A code this build
 * does not know keeps the server's message, which is better than none.
 */
export function fieldErrorMessage(fieldError: Pick<FieldError, 'field' | 'code' | 'message'>, t: Translate): string {
  const byField = fieldError.code === 'required' ? undefined : fieldMessages[fieldError.field];
  const key = byField ?? codeMessages[fieldError.code];
  return key ? t(key) : fieldError.message;
}

/**
 * The messages of a failed call's field errors by field name (the API's names, dotted for nested
 * ones: `custom_fields.industry`), the first for each field, for a form to show under its fields
 * (FieldFrame wires them with aria-describedby and aria-invalid). Empty for any other failure.
 * The main record forms use it; `fieldErrorMap` keeps the server's own words for settings
 * screens whose refusals explain themselves (an address a webhook may not call, a rule's path).
 */
export function localizedFieldErrors(error: unknown, t: Translate): Record<string, string> {
  if (!isApiError(error)) return {};
  const map: Record<string, string> = {};
  for (const fieldError of error.fieldErrors) map[fieldError.field] ??= fieldErrorMessage(fieldError, t);
  return map;
}
