import type { Deal } from '../../../lib/api/types';

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
