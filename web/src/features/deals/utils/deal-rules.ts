import type { Deal, FieldDefinition } from '../../../lib/api/types';
import { isoDateToJalaliInput, jalaliInputToIsoDate } from '../../../lib/format/dates';
import { toLatinDigits } from '../../../lib/format/digits';

/** A deal's custom-field value as a form holds it: text as typed, or a checkbox's state. */
export type CustomValue = string | boolean;

/** The built-in fields a stage may require, by the names a stage lists them with. */
export const builtInRequiredFields = ['amount', 'expected_close_date', 'contact_id', 'organization_id'] as const;
export type BuiltInRequiredField = (typeof builtInRequiredFields)[number];

export function isBuiltInRequiredField(name: string): name is BuiltInRequiredField {
  return (builtInRequiredFields as readonly string[]).includes(name);
}

function hasValue(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'string') return value.trim() !== '';
  return true;
}

/** What the required-fields rule reads of a deal: a card holds all but the custom fields. */
type RequirementsOf = Pick<Deal, 'amount_minor' | 'expected_close_date' | 'contact_id' | 'organization_id'> & Partial<Pick<Deal, 'custom_fields'>>;

/**
 * The fields of `required` (a stage's `required_fields`) that `deal` lacks, in their order: the
 * server's rule (an amount above zero, a date, a contact, a company, a custom field that is not
 * blank), so that the board can ask for them before it sends a move the server would refuse.
 */
export function missingRequiredFields(deal: RequirementsOf, required: readonly string[]): string[] {
  return required.filter((name) => {
    switch (name) {
      case 'amount':
        return deal.amount_minor === 0;
      case 'expected_close_date':
        return !deal.expected_close_date;
      case 'contact_id':
        return !deal.contact_id;
      case 'organization_id':
        return !deal.organization_id;
      default:
        return !hasValue(deal.custom_fields?.[name]);
    }
  });
}

/**
 * The stage names of the fields a `required_fields_missing` problem lists by their request
 * names (`amount_minor`, `custom_fields.fleet_size`, …).
 */
export function requiredFieldNames(fields: readonly { field: string }[]): string[] {
  return fields.map(({ field }) => (field === 'amount_minor' ? 'amount' : field.startsWith('custom_fields.') ? field.slice('custom_fields.'.length) : field));
}

/** A stored custom-field value as the form shows it (a date in the reader's calendar). */
export function customValueText(definition: FieldDefinition, stored: unknown, locale: string): CustomValue {
  if (definition.kind === 'boolean') return stored === true;
  if (stored === null || stored === undefined) return '';
  if (definition.kind === 'date' && typeof stored === 'string') return locale === 'fa' ? isoDateToJalaliInput(stored) : stored;
  return String(stored);
}

/**
 * The form's custom-field values as the API takes them (`null` clears a field), or the keys the
 * browser can already tell are malformed, as `custom_fields.<key>` like the server names them.
 */
export function parseCustomValues(
  definitions: readonly FieldDefinition[],
  values: Record<string, CustomValue>,
  locale: string,
): { ok: true; value: Record<string, unknown> } | { ok: false; errors: Record<string, 'invalidNumber' | 'invalidDate'> } {
  const parsed: Record<string, unknown> = {};
  const errors: Record<string, 'invalidNumber' | 'invalidDate'> = {};
  for (const definition of definitions) {
    if (!(definition.key in values)) continue;
    const raw = values[definition.key] ?? '';
    if (typeof raw === 'boolean') {
      parsed[definition.key] = raw;
      continue;
    }
    const text = toLatinDigits(raw.trim());
    if (text === '') {
      parsed[definition.key] = null;
      continue;
    }
    switch (definition.kind) {
      case 'number': {
        const number = Number(text.replace(/[٫]/g, '.').replace(/[,،٬]/g, ''));
        if (Number.isFinite(number)) parsed[definition.key] = number;
        else errors[`custom_fields.${definition.key}`] = 'invalidNumber';
        break;
      }
      case 'date': {
        const iso = locale === 'fa' ? jalaliInputToIsoDate(text) : /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : null;
        if (iso) parsed[definition.key] = iso;
        else errors[`custom_fields.${definition.key}`] = 'invalidDate';
        break;
      }
      default:
        parsed[definition.key] = raw.trim();
    }
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value: parsed };
}
