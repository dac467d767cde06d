import { type QueryKey, useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError, readProblem } from '../../../lib/api/api-error';
import { authFetch } from '../../../lib/api/client';

export type BulkEntity = 'deals' | 'leads' | 'contacts';

export type BulkAction =
  | { type: 'assign'; owner_id: string }
  | { type: 'move'; stage_id: string }
  | { type: 'tag'; tag: string }
  | { type: 'untag'; tag: string }
  | { type: 'disqualify'; reason: string }
  | { type: 'delete' };

export type BulkActionType = BulkAction['type'];

export type BulkStatus = 'ok' | 'not_found' | 'conflict' | 'invalid' | 'forbidden';

/** What happened to one record: each is changed (or refused) on its own. */
export interface BulkResult {
  id: string;
  status: BulkStatus;
  code?: string | null;
  version?: number | null;
}

/** The most records one request may name; a larger selection goes in several requests. */
export const bulkLimit = 500;

/** The cached lists and records a bulk change of each kind makes stale (each feature's query keys). */
const staleKeys: Record<BulkEntity, QueryKey[]> = {
  deals: [['board'], ['deal'], ['deals']],
  leads: [['leads'], ['lead']],
  contacts: [['contacts'], ['contact']],
};

async function postBulk(entity: BulkEntity, ids: string[], action: BulkAction): Promise<BulkResult[]> {
  const request = new Request(new URL(`/api/v1/${entity}/bulk`, window.location.origin), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ids, action }),
  });
  const response = await authFetch(request);
  if (!response.ok) throw new ApiError(response.status, await readProblem(response));
  return ((await response.json()) as { results: BulkResult[] }).results;
}

/** Splits ids into requests of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

/**
 * Runs one action on many records, at most 500 a request, one request after the other, and
 * then refetches the lists the change touched (also after a failure: some may have changed).
 */
export function useBulkAction(entity: BulkEntity) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ ids, action }: { ids: string[]; action: BulkAction }) => {
      const results: BulkResult[] = [];
      for (const part of chunks(ids, bulkLimit)) results.push(...(await postBulk(entity, part, action)));
      return results;
    },
    onSettled: () => Promise.all(staleKeys[entity].map((queryKey) => queryClient.invalidateQueries({ queryKey }))),
  });
}
