import { type QueryKey, useMutation, useQueryClient } from '@tanstack/react-query';
import { unwrap } from '../../../lib/api/api-error';
import { api } from '../../../lib/api/client';
import type { BulkItemResult, ContactBulkAction, DealBulkAction, LeadBulkAction } from '../../../lib/api/types';

export type BulkEntity = 'deals' | 'leads' | 'contacts';

/** An action of any list: each entity's bulk route takes its own subset (only deals move, only leads are disqualified). */
export type BulkAction = DealBulkAction | LeadBulkAction | ContactBulkAction;

export type BulkActionType = BulkAction['type'];

/** What happened to one record: each is changed (or refused) on its own. */
export type BulkResult = BulkItemResult;

/** The most records one request may name; a larger selection goes in several requests. */
export const bulkLimit = 500;

/** The cached lists and records a bulk change of each kind makes stale (each feature's query keys). */
const staleKeys: Record<BulkEntity, QueryKey[]> = {
  deals: [['board'], ['deal'], ['deals']],
  leads: [['leads'], ['lead']],
  // An organization's people count follows its contacts (a delete, for one).
  contacts: [['contacts'], ['contact'], ['organizations'], ['organization']],
};

/**
 * One request. The action is the caller's choice from the actions the screen offers for its
 * entity, so it is one that entity's route takes. `versions` are those the screen showed: a
 * record changed since is a `conflict` and stays as it is.
 */
async function postBulk(entity: BulkEntity, ids: string[], action: BulkAction, versions: Record<string, number> | undefined): Promise<BulkResult[]> {
  const request = { ids, ...(versions ? { versions } : {}) };
  switch (entity) {
    case 'deals':
      return unwrap(await api.POST('/api/v1/deals/bulk', { body: { ...request, action: action as DealBulkAction } })).results;
    case 'leads':
      return unwrap(await api.POST('/api/v1/leads/bulk', { body: { ...request, action: action as LeadBulkAction } })).results;
    case 'contacts':
      return unwrap(await api.POST('/api/v1/contacts/bulk', { body: { ...request, action: action as ContactBulkAction } })).results;
  }
}

/** The versions of the given ids that the screen knows, or none at all. */
export function knownVersions(ids: readonly string[], versionOf: ((id: string) => number | undefined) | undefined): Record<string, number> | undefined {
  if (!versionOf) return undefined;
  const versions: Record<string, number> = {};
  for (const id of ids) {
    const version = versionOf(id);
    if (version !== undefined) versions[id] = version;
  }
  return Object.keys(versions).length > 0 ? versions : undefined;
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
    mutationFn: async ({ ids, action, versionOf }: { ids: string[]; action: BulkAction; versionOf?: (id: string) => number | undefined }) => {
      const results: BulkResult[] = [];
      for (const part of chunks(ids, bulkLimit)) results.push(...(await postBulk(entity, part, action, knownVersions(part, versionOf))));
      return results;
    },
    onSettled: () => Promise.all(staleKeys[entity].map((queryKey) => queryClient.invalidateQueries({ queryKey }))),
  });
}
