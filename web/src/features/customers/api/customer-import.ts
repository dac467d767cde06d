import { useQueryClient } from '@tanstack/react-query';
import type { ImportPath } from '../../../lib/csv-import/import-csv';
import type { paths } from '../../../lib/api/schema';
import type { CustomerEntity } from '../utils/list-filters';

/** Whether the API offers an import for each kind of record (the generated schema says; see the test beside it). */
type HasPath<P extends string> = P extends keyof paths ? true : false;
export const importAvailable: { contact: HasPath<'/api/v1/contacts/import'>; organization: HasPath<'/api/v1/organizations/import'> } = {
  contact: true,
  organization: true,
};

export const importPaths: Record<CustomerEntity, ImportPath> = {
  contact: '/api/v1/contacts/import',
  organization: '/api/v1/organizations/import',
};

/** What an import changed: the lists are read again (a contact import can create organizations as well, by its `organization` column). */
export function useRefreshAfterImport(entity: CustomerEntity) {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: ['organizations'] });
    if (entity === 'contact') void queryClient.invalidateQueries({ queryKey: ['contacts'] });
  };
}
