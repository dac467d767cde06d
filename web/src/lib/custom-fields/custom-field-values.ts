import { type DateEntry, isoDateText, isoOfDateText } from '../format/calendar';
import { toLatinDigits } from '../format/digits';
import type { FieldDefinition } from '../api/types';

type CustomValues = Record<string, unknown>;

/** A custom field's value as its control holds it: text for most kinds, a flag for `boolean`. */
export type CustomFieldValue = string | boolean;

/** Why a custom field's text cannot be sent. */
export type CustomFieldError = 'invalidNumber' | 'invalidDate';

/** The YYYY-MM-DD of a typed date, null when blank, or `undefined` when it is not a date. */
export function parseDateField(text: string): string | null | undefined {
  if (!text.trim()) return null;
  return isoOfDateText(text) ?? undefined;
}

/** The controls' values for stored custom fields. */
export function customFieldValues(definitions: readonly FieldDefinition[], stored: CustomValues, dates: DateEntry): Record<string, CustomFieldValue> {
  const values: Record<string, CustomFieldValue> = {};
  for (const definition of definitions) {
    const value = stored[definition.key];
    if (definition.kind === 'boolean') values[definition.key] = value === true;
    else if (definition.kind === 'date') values[definition.key] = typeof value === 'string' ? isoDateText(value, dates) : '';
    else values[definition.key] = value == null ? '' : String(value);
  }
  return values;
}

/** The JSON value of one custom field's control: null when blank, or an error for what cannot be one. */
function customValue(definition: FieldDefinition, value: CustomFieldValue | undefined): { value: unknown } | { error: CustomFieldError } {
  if (definition.kind === 'boolean') return { value: value === true };
  const text = typeof value === 'string' ? value.trim() : '';
  if (!text) return { value: null };
  if (definition.kind === 'number') {
    const latin = toLatinDigits(text).replace(/[,٬]/g, '').replace('٫', '.');
    return /^-?\d+(\.\d+)?$/.test(latin) ? { value: Number(latin) } : { error: 'invalidNumber' };
  }
  if (definition.kind === 'date') {
    const iso = parseDateField(text);
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
  changedFrom?: Record<string, CustomFieldValue>,
): { ok: true; value: CustomValues } | { ok: false; errors: Record<string, CustomFieldError> } {
  const value: CustomValues = {};
  const errors: Record<string, CustomFieldError> = {};
  for (const definition of definitions) {
    const current = values[definition.key];
    if (changedFrom && current === changedFrom[definition.key]) continue;
    if (definition.kind === 'boolean' && current !== true && !changedFrom) continue;
    const parsed = customValue(definition, current);
    if ('error' in parsed) errors[`custom_fields.${definition.key}`] = parsed.error;
    else if (parsed.value !== null || changedFrom) value[definition.key] = parsed.value;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value };
}
