import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError, readProblem } from '../../../lib/api/api-error';
import { authFetch } from '../../../lib/api/client';
import type { components, paths } from '../../../lib/api/schema';
import type { CustomerEntity } from '../utils/list-filters';

export type ImportReport = components['schemas']['ImportReport'];

/** Whether the API offers an import for each kind of record (the generated schema says; see the test beside it). */
type HasPath<P extends string> = P extends keyof paths ? true : false;
export const importAvailable: { contact: HasPath<'/api/v1/contacts/import'>; organization: HasPath<'/api/v1/organizations/import'> } = {
  contact: true,
  organization: true,
};

const importPaths: Record<CustomerEntity, string> = {
  contact: '/api/v1/contacts/import',
  organization: '/api/v1/organizations/import',
};

/**
 * Uploads a CSV file as it is (`text/csv`) with the column mapping, and answers the server's
 * row-by-row report. Sent through the same authenticated fetch as every call, not the typed
 * client, so that one wizard serves every kind of record the API imports.
 */
export async function importCustomers(entity: CustomerEntity, file: Blob, mapping: string): Promise<ImportReport> {
  const url = new URL(importPaths[entity], window.location.origin);
  url.searchParams.set('mapping', mapping);
  const response = await authFetch(new Request(url, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: file }));
  if (!response.ok) throw new ApiError(response.status, await readProblem(response));
  return (await response.json()) as ImportReport;
}

export function useImportCustomers(entity: CustomerEntity) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, mapping }: { file: Blob; mapping: string }) => importCustomers(entity, file, mapping),
    onSuccess: () => {
      // A contact import can create organizations (its `organization` column) as well.
      void queryClient.invalidateQueries({ queryKey: ['organizations'] });
      return queryClient.invalidateQueries({ queryKey: entity === 'contact' ? ['contacts'] : ['organizations'] });
    },
  });
}
