import type { Translate } from '../i18n/use-i18n';
import { isApiError } from './api-error';
import { fieldErrorMessage } from './field-error-messages';

export { fieldErrorMessage };

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
