import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { isApiError, unwrap } from '../../../lib/api/api-error';
import { api, ifMatch } from '../../../lib/api/client';
import type { Contact, CreateContactInput, UpdateContactInput } from '../utils/customer-form';
import { saveFile } from '../../../lib/save-file';

export const contactsPageSize = 50;

/**
 * The list's query as the API takes it, without paging: `q`, `organization_id`, `owner_id`,
 * `city`, `country`, `tag`, `age_min`, `age_max`, `sort` and `cf.<key>` (see customerListQuery).
 */
export type ContactListParams = Record<string, string | number>;

/** Every contact list, a page at a time (`InfiniteData` of ContactList), keyed by its query. */
export const contactsQueryKey = (params: ContactListParams) => ['contacts', params] as const;
export const contactQueryKey = (id: string) => ['contact', id] as const;

// `cf.<key>` filters are not in the generated parameter list (their names are open-ended).
type ListQuery = { limit?: number; cursor?: string };

/** Contacts matching `params`, newest first unless sorted otherwise; "load more" follows `next_cursor`. */
export function useContacts(params: ContactListParams, { enabled = true } = {}) {
  const query = useInfiniteQuery({
    queryKey: contactsQueryKey(params),
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam, signal }) => {
      // A `limit` in the params (a picker's longer page) is part of the key; the list's default otherwise.
      const listQuery: ListQuery = { limit: contactsPageSize, ...params, ...(pageParam ? { cursor: pageParam } : {}) };
      return unwrap(await api.GET('/api/v1/contacts', { params: { query: listQuery }, signal }));
    },
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    // Changing a filter keeps the previous list on screen until the new one arrives.
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    enabled,
  });
  const contacts = useMemo(() => query.data?.pages.flatMap((page) => page.data) ?? [], [query.data]);
  return { ...query, contacts };
}

export function useContact(id: string) {
  return useQuery({
    queryKey: contactQueryKey(id),
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/contacts/{id}', { params: { path: { id } }, signal })),
  });
}

/** After any change: the contact's cached copy is the server's, and every contact list is refetched. */
function useSyncContact() {
  const queryClient = useQueryClient();
  return (contact: Contact) => {
    queryClient.setQueryData(contactQueryKey(contact.id), contact);
    // An organization's people count changes with its contacts.
    void queryClient.invalidateQueries({ queryKey: ['organizations'] });
    if (contact.organization_id) void queryClient.invalidateQueries({ queryKey: ['organization', contact.organization_id] });
    return queryClient.invalidateQueries({ queryKey: ['contacts'] });
  };
}

export function useCreateContact() {
  const sync = useSyncContact();
  return useMutation({
    mutationFn: async (input: CreateContactInput) => unwrap(await api.POST('/api/v1/contacts', { body: input })),
    onSuccess: sync,
  });
}

/**
 * Saves an edit (only what changed), sending the version the form read; a refusal because the
 * contact changed meanwhile refetches it, so that the form can show the newer version.
 */
export function useUpdateContact() {
  const queryClient = useQueryClient();
  const sync = useSyncContact();
  return useMutation({
    mutationFn: async ({ contact, changes }: { contact: Contact; changes: UpdateContactInput }) =>
      unwrap(await api.PATCH('/api/v1/contacts/{id}', { params: { path: { id: contact.id }, header: ifMatch(contact.version) }, body: changes })),
    onSuccess: sync,
    onError: (error, { contact }) => {
      if (isApiError(error) && error.isStale) void queryClient.invalidateQueries({ queryKey: contactQueryKey(contact.id), exact: true });
    },
  });
}

/** Deletes a contact, sending the version read. */
export function useDeleteContact() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (contact: Contact) => {
      unwrap(await api.DELETE('/api/v1/contacts/{id}', { params: { path: { id: contact.id }, header: ifMatch(contact.version) } }));
    },
    onSuccess: (_, contact) => {
      queryClient.removeQueries({ queryKey: contactQueryKey(contact.id) });
      void queryClient.invalidateQueries({ queryKey: ['organizations'] });
      // Its organization's people count goes down.
      if (contact.organization_id) void queryClient.invalidateQueries({ queryKey: ['organization', contact.organization_id] });
      return queryClient.invalidateQueries({ queryKey: ['contacts'] });
    },
    // Refused because it changed meanwhile: read it again, so that a second try sends the newer version.
    onError: (error, contact) => {
      if (isApiError(error) && error.isStale) void queryClient.invalidateQueries({ queryKey: contactQueryKey(contact.id), exact: true });
    },
  });
}

/**
 * Downloads the contacts the list's filters select as CSV. It needs the access token, so it is
 * fetched like any call and handed to the browser as a file, kept as bytes so the byte-order
 * mark the API starts it with (for spreadsheet programs) stays in it.
 */
export function useExportContacts() {
  return useMutation({
    mutationFn: async (params: ContactListParams) => {
      const file = unwrap(await api.GET('/api/v1/contacts/export', { params: { query: params as ListQuery }, parseAs: 'blob' }));
      saveFile(file, 'contacts.csv');
    },
  });
}
