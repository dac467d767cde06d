import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap } from '../../../lib/api/api-error';
import { api } from '../../../lib/api/client';
import type { components } from '../../../lib/api/schema';

export type CreateFieldInput = components['schemas']['CreateFieldDefinitionRequest'];

/**
 * The workspace's deal fields, cached as the API answers (`{ data }`) under the key the deal
 * drawer and the board read them from, so that a field defined here shows there at once.
 */
const dealFieldsKey = ['custom-fields', 'deal'] as const;

export function useDealFieldDefinitions() {
  const query = useQuery({
    queryKey: dealFieldsKey,
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/custom-fields', { params: { query: { entity: 'deal' } }, signal })),
    select: (list) => list.data,
    staleTime: 5 * 60_000,
  });
  return { ...query, definitions: query.data ?? [] };
}

export function useCreateDealField() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: Omit<CreateFieldInput, 'entity'>) => unwrap(await api.POST('/api/v1/custom-fields', { body: { ...input, entity: 'deal' } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: dealFieldsKey }),
  });
}

export function useDeleteDealField(pipelineId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => unwrap(await api.DELETE('/api/v1/custom-fields/{id}', { params: { path: { id } } })),
    // A deleted field also leaves every stage's required fields.
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: dealFieldsKey }),
        queryClient.invalidateQueries({ queryKey: ['pipeline', pipelineId] }),
        queryClient.invalidateQueries({ queryKey: ['board', pipelineId] }),
      ]),
  });
}
