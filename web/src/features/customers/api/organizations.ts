import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { isApiError, unwrap } from '../../../lib/api/api-error';
import { api, ifMatch } from '../../../lib/api/client';
import type { CreateOrganizationInput, Organization, UpdateOrganizationInput } from '../utils/customer-form';
import { saveFile } from '../../../lib/save-file';

export const organizationsPageSize = 50;

/**
 * The list's query as the API takes it, without paging: `q`, `industry`, `owner_id`, `city`,
 * `country`, `tag`, `sort` and `cf.<key>` (see customerListQuery).
 */
export type OrganizationListParams = Record<string, string | number>;

/** Every organization list, a page at a time (`InfiniteData` of OrganizationList), keyed by its query. */
export const organizationsQueryKey = (params: OrganizationListParams) => ['organizations', params] as const;
export const organizationQueryKey = (id: string) => ['organization', id] as const;

type ListQuery = { limit?: number; cursor?: string };

export function useOrganizations(params: OrganizationListParams, { enabled = true } = {}) {
  const query = useInfiniteQuery({
    queryKey: organizationsQueryKey(params),
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam, signal }) => {
      // A `limit` in the params (a picker's longer page) is part of the key; the list's default otherwise.
      const listQuery: ListQuery = { limit: organizationsPageSize, ...params, ...(pageParam ? { cursor: pageParam } : {}) };
      return unwrap(await api.GET('/api/v1/organizations', { params: { query: listQuery }, signal }));
    },
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    enabled,
  });
  const organizations = useMemo(() => query.data?.pages.flatMap((page) => page.data) ?? [], [query.data]);
  return { ...query, organizations };
}

export function useOrganization(id: string, { enabled = true } = {}) {
  return useQuery({
    queryKey: organizationQueryKey(id),
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/organizations/{id}', { params: { path: { id } }, signal })),
    enabled: enabled && id !== '',
  });
}

function useSyncOrganization() {
  const queryClient = useQueryClient();
  return (organization: Organization) => {
    queryClient.setQueryData(organizationQueryKey(organization.id), organization);
    return queryClient.invalidateQueries({ queryKey: ['organizations'] });
  };
}

export function useCreateOrganization() {
  const sync = useSyncOrganization();
  return useMutation({
    mutationFn: async (input: CreateOrganizationInput) => unwrap(await api.POST('/api/v1/organizations', { body: input })),
    onSuccess: sync,
  });
}

/** Saves an edit (only what changed), sending the version read; a stale refusal refetches the organization. */
export function useUpdateOrganization() {
  const queryClient = useQueryClient();
  const sync = useSyncOrganization();
  return useMutation({
    mutationFn: async ({ organization, changes }: { organization: Organization; changes: UpdateOrganizationInput }) =>
      unwrap(
        await api.PATCH('/api/v1/organizations/{id}', {
          params: { path: { id: organization.id }, header: ifMatch(organization.version) },
          body: changes,
        }),
      ),
    onSuccess: sync,
    onError: (error, { organization }) => {
      if (isApiError(error) && error.isStale) void queryClient.invalidateQueries({ queryKey: organizationQueryKey(organization.id), exact: true });
    },
  });
}

/** Deletes an organization, sending the version read; a stale refusal refetches it. */
export function useDeleteOrganization() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (organization: Organization) => {
      unwrap(await api.DELETE('/api/v1/organizations/{id}', { params: { path: { id: organization.id }, header: ifMatch(organization.version) } }));
    },
    onSuccess: (_, organization) => {
      queryClient.removeQueries({ queryKey: organizationQueryKey(organization.id) });
      void queryClient.invalidateQueries({ queryKey: ['contacts'] });
      // Its people stay, without an organization.
      void queryClient.invalidateQueries({ queryKey: ['contact'] });
      return queryClient.invalidateQueries({ queryKey: ['organizations'] });
    },
    onError: (error, organization) => {
      if (isApiError(error) && error.isStale) void queryClient.invalidateQueries({ queryKey: organizationQueryKey(organization.id), exact: true });
    },
  });
}

/** Downloads the organizations the list's filters select as CSV (see useExportContacts). */
export function useExportOrganizations() {
  return useMutation({
    mutationFn: async (params: OrganizationListParams) => {
      const file = unwrap(await api.GET('/api/v1/organizations/export', { params: { query: params as ListQuery }, parseAs: 'blob' }));
      saveFile(file, 'organizations.csv');
    },
  });
}
