import { customImportFields, type ImportField } from '../../../lib/csv-import/column-mapping';

/** The columns a lead import reads, as the API names them. */
export const leadImportColumns = ['name', 'email', 'phone', 'company', 'job_title', 'source', 'campaign', 'medium', 'tags', 'notes'] as const;

export type LeadImportColumn = (typeof leadImportColumns)[number];

/** Every field a column may map to: the lead's own, then the workspace's lead custom fields (`cf.<key>`). */
export function leadImportFields(definitions: readonly { key: string; label: string }[]): ImportField[] {
  return [...leadImportColumns.map((value): ImportField => ({ value, builtIn: true })), ...customImportFields(definitions)];
}
