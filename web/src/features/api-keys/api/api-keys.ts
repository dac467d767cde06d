import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap } from '../../../lib/api/api-error';
import { api } from '../../../lib/api/client';
import type { components } from '../../../lib/api/schema';

export type ApiKey = components['schemas']['ApiKeyResponse'];
export type ApiKeyScope = ApiKey['scopes'][number];
export type CreatedApiKey = components['schemas']['ApiKeyCreated'];
export type CreateApiKeyInput = components['schemas']['CreateApiKeyRequest'];

const apiKeysKey = ['api-keys'] as const;

/** Every key of the workspace, revoked and expired ones included, newest first (admins). */
export function useApiKeys() {
  return useQuery({
    queryKey: apiKeysKey,
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/api-keys', { signal })).data,
  });
}

/** Makes a key; the answer holds the key itself, which no later request can read. */
export function useCreateApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: CreateApiKeyInput) => unwrap(await api.POST('/api/v1/api-keys', { body: input })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiKeysKey }),
  });
}

export function useRevokeApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (key: ApiKey) => unwrap(await api.DELETE('/api/v1/api-keys/{id}', { params: { path: { id: key.id } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: apiKeysKey }),
  });
}
