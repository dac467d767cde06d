import type { Role } from '../../../lib/api/types';

/** Erasing a person's data is for admins only (the API answers 403 to anyone else). */
export function mayErasePersonalData(role: Role | undefined): boolean {
  return role === 'admin';
}

/** The file a lead's export is saved as: named by its id, so the name says nothing of the person. */
export function personalDataFileName(leadId: string): string {
  return `lead-${leadId}-personal-data.json`;
}

/**
 * Whether what the admin typed confirms erasing the lead: its name, ignoring surrounding spaces
 * and letter case (an erasure cannot be undone, so a click alone is not enough).
 */
export function erasureConfirmed(typed: string, name: string): boolean {
  const fold = (text: string) => text.trim().normalize('NFC').toLocaleLowerCase();
  return fold(typed) !== '' && fold(typed) === fold(name);
}
