import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap } from '../../../lib/api/api-error';
import { api } from '../../../lib/api/client';
import type { components } from '../../../lib/api/schema';

export type FieldDefinition = components['schemas']['FieldDefinitionResponse'];
export type FieldEntity = FieldDefinition['entity'];
export type CreateFieldInput = components['schemas']['CreateFieldDefinitionRequest'];
export type UpdateFieldInput = components['schemas']['UpdateFieldDefinitionRequest'];

/**
 * The key the forms, drawers and customer pages read an entity's fields under, each caching the
 * API's whole answer (`{ data }`): a field made or deleted here shows there at once.
 */
const fieldsKey = (entity: FieldEntity) => ['custom-fields', entity] as const;

export function useFieldDefinitions(entity: FieldEntity) {
  return useQuery({
    queryKey: fieldsKey(entity),
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/custom-fields', { params: { query: { entity } }, signal })),
    select: (list) => list.data,
  });
}

export function useCreateField() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: CreateFieldInput) => unwrap(await api.POST('/api/v1/custom-fields', { body: input })),
    onSuccess: (field) => queryClient.invalidateQueries({ queryKey: fieldsKey(field.entity) }),
  });
}

/** Changes a field's label, choices or required flag (its key and kind stay). */
export function useUpdateField() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ field, input }: { field: FieldDefinition; input: UpdateFieldInput }) =>
      unwrap(await api.PATCH('/api/v1/custom-fields/{id}', { params: { path: { id: field.id } }, body: input })),
    onSuccess: (field) => queryClient.invalidateQueries({ queryKey: fieldsKey(field.entity) }),
  });
}

/** Deletes a field; a deal field also leaves every stage's required fields, so pipelines are read again. */
export function useDeleteField() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (field: FieldDefinition) => unwrap(await api.DELETE('/api/v1/custom-fields/{id}', { params: { path: { id: field.id } } })),
    onSettled: (_answer, _error, field) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: fieldsKey(field.entity) }),
        ...(field.entity === 'deal' ? [queryClient.invalidateQueries({ queryKey: ['pipeline'] }), queryClient.invalidateQueries({ queryKey: ['board'] })] : []),
      ]),
  });
}
