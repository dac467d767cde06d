import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { unwrap } from '../../../lib/api/api-error';
import { api } from '../../../lib/api/client';

/** The person (a contact) or the company (an organization) a deal is with. */
export type CustomerKind = 'contact' | 'organization';

export interface CustomerOption {
  id: string;
  name: string;
  /** What tells two of the same name apart: an email or phone, a website. */
  detail: string | null;
}

/** How many matches the picker offers. */
const optionLimit = 8;

/**
 * A linked contact's or organization's name. The keys are the customer page's (the whole record
 * under `['contact', id]` and `['organization', id]`), so that a name read once shows everywhere.
 */
export function useCustomerName(kind: CustomerKind, id: string | null) {
  return useQuery({
    queryKey: [kind, id ?? ''],
    queryFn: async ({ signal }) =>
      kind === 'contact'
        ? unwrap(await api.GET('/api/v1/contacts/{id}', { params: { path: { id: id ?? '' } }, signal }))
        : unwrap(await api.GET('/api/v1/organizations/{id}', { params: { path: { id: id ?? '' } }, signal })),
    enabled: id !== null,
    select: (record) => record.name,
    staleTime: 60_000,
  });
}

/** Contacts or organizations whose name (email, phone, website) contains the text typed. */
export function useCustomerSearch(kind: CustomerKind, q: string) {
  const text = q.trim();
  const params = { q: text, limit: optionLimit };
  return useQuery({
    // Under the lists' prefix, so their invalidations reach it, but never their key: a list's pages hold another shape.
    queryKey: [kind === 'contact' ? 'contacts' : 'organizations', 'options', params],
    queryFn: async ({ signal }) =>
      kind === 'contact'
        ? unwrap(await api.GET('/api/v1/contacts', { params: { query: params }, signal }))
        : unwrap(await api.GET('/api/v1/organizations', { params: { query: params }, signal })),
    enabled: text.length > 0,
    placeholderData: keepPreviousData,
    select: (list): CustomerOption[] =>
      list.data.map((record) => ({
        id: record.id,
        name: record.name,
        detail: 'email' in record ? (record.email ?? record.phone ?? null) : 'domain' in record ? (record.domain ?? null) : null,
      })),
  });
}
