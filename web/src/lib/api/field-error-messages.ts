import { en } from '../../locales/en';
import { fa } from '../../locales/fa';
import { translate } from '../i18n/translate';
import type { Translate, TranslationKey } from '../i18n/use-i18n';
import type { Locale } from '../i18n/locale-store';
import type { FieldError } from './types';
import { fieldCodes, isOneOf } from './vocabularies';

/**
 * Fields whose problem is clearer said about the field than about the code: the message for any
 * generic code (`invalid`, `length`, `type`) on these field names.
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

/** The codes that say little about what is wrong, so a field's own message says it better. */
const genericCodes = new Set<string>(['invalid', 'length', 'type', 'range']);

/**
 * The message under a field for one of the API's field errors, in the user's language: chosen by
 * the field and its `code` (every code the server sends has one in both languages), since the
 * server's own `message` is English. A code this build does not know yet gets the generic
 * message: never the server's English under a Persian field.
 */
export function fieldErrorMessage(fieldError: Pick<FieldError, 'field' | 'code'>, t: Translate): string {
  const code: string = fieldError.code;
  const byField = genericCodes.has(code) ? fieldMessages[fieldError.field] : undefined;
  if (byField) return t(byField);
  return t(isOneOf(fieldCodes, code) ? `errors.fieldCodes.${code}` : 'errors.fieldCodes.invalid');
}

const translators: Record<Locale, Translate> = {
  en: (key, params) => translate(en, 'en', key, params),
  fa: (key, params) => translate(fa, 'fa', key, params),
};

/**
 * What a settings screen shows under a field: the server's own words in English (they explain
 * the refusal exactly: the address a webhook may not call, a rule's path), and in any other
 * language the localized message of the field error's code.
 */
export function fieldErrorText(fieldError: Pick<FieldError, 'field' | 'code' | 'message'>, locale: Locale): string {
  return locale === 'en' ? fieldError.message : fieldErrorMessage(fieldError, translators[locale]);
}
