import type { BuyerInput, Party } from '../../../lib/api/types';

/** The buyer's details a document may name, in the order forms and documents show them. */
export const buyerFields = ['name', 'economic_code', 'national_id', 'registration_number', 'postal_code', 'address', 'phone', 'email'] as const;
export type BuyerField = (typeof buyerFields)[number];

/** What the buyer form holds: each detail as typed. */
export type BuyerValues = Record<BuyerField, string>;

export function buyerValuesOf(party: Party | null | undefined): BuyerValues {
  return Object.fromEntries(buyerFields.map((field) => [field, party?.[field] ?? ''])) as BuyerValues;
}

/** The request's buyer: each detail trimmed, an empty one as null (the deal's customer's then shows). */
export function buyerInputOf(values: BuyerValues): BuyerInput {
  return Object.fromEntries(buyerFields.map((field) => [field, values[field].trim() || null])) as BuyerInput;
}

/** Whether a party has any detail to show. */
export function hasDetails(party: Party | null | undefined): boolean {
  return party != null && Object.values(party).some((value) => typeof value === 'string' && value.trim() !== '');
}
