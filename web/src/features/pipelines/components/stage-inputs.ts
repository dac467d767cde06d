import { toLatinDigits } from '../../../lib/format/digits';

/** A whole number typed in either digit set, or null when the field is empty or not a number. */
export function parseWholeNumber(text: string): number | null {
  const normalized = toLatinDigits(text.trim());
  return /^\d+$/.test(normalized) ? Number(normalized) : null;
}
