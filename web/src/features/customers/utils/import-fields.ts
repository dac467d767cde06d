import { customImportFields, type ImportField } from '../../../lib/csv-import/column-mapping';
import type { CustomerEntity } from './list-filters';

/** The built-in fields each import accepts, as the API names them. */
export const builtInImportFields: Record<CustomerEntity, readonly string[]> = {
  contact: ['name', 'email', 'phone', 'job_title', 'organization', 'address', 'city', 'country', 'tags', 'notes', 'birthday'],
  organization: ['name', 'domain', 'industry', 'phone', 'address', 'city', 'country', 'tags', 'founded_on'],
};

/** Every field a column may map to: the built-in ones, then the workspace's custom fields (`cf.<key>`). */
export function importFields(entity: CustomerEntity, definitions: readonly { key: string; label: string }[]): ImportField[] {
  return [...builtInImportFields[entity].map((value): ImportField => ({ value, builtIn: true })), ...customImportFields(definitions)];
}
