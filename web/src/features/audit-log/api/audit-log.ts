import { useInfiniteQuery } from '@tanstack/react-query';
import { unwrap } from '../../../lib/api/api-error';
import { api } from '../../../lib/api/client';
import type { components } from '../../../lib/api/schema';

export type AuditEntry = components['schemas']['AuditEntryResponse'];

/** What the log is narrowed to, as the API takes it; empty values are left out. */
export interface AuditFilter {
  actor_user_id?: string;
  entity_type?: string;
  entity_id?: string;
  since?: string;
  until?: string;
}

/** The audit log, newest first, a page at a time (admins). */
export function useAuditLog(filter: AuditFilter) {
  return useInfiniteQuery({
    queryKey: ['audit', filter],
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam, signal }) =>
      unwrap(await api.GET('/api/v1/audit', { params: { query: { ...filter, limit: 25, ...(pageParam ? { cursor: pageParam } : {}) } }, signal })),
    getNextPageParam: (page) => page.next_cursor ?? null,
  });
}
