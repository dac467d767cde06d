import { localizedFieldErrors } from '../../../lib/api/field-errors';
import type { I18n } from '../../../lib/i18n/use-i18n';
import type { FormError } from '../utils/customer-form';

/**
 * One map of messages by field name: what the browser found wrong (translated), else what the
 * server said about the last attempt (a missing required field in the user's language).
 */
export function formErrors(local: Record<string, FormError>, serverError: unknown, i18n: I18n): Record<string, string> {
  const { t } = i18n;
  const server = localizedFieldErrors(serverError, t);
  const translated = Object.fromEntries(Object.entries(local).map(([field, code]) => [field, t(`customers.form.errors.${code}`)]));
  return Object.keys(translated).length > 0 ? translated : server;
}
