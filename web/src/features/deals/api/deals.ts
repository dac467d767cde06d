import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ifMatch } from '../../../lib/api/client';
import { unwrap } from '../../../lib/api/api-error';
import type { Board, CreateDealInput, Deal, LoseDealInput, UpdateDealInput } from '../../../lib/api/types';
import { acceptServerDeal, removeDeal } from '../utils/board-reducer';
import type { BoardFilters } from './board';

export const dealQueryKey = (id: string) => ['deal', id] as const;
export const historyQueryKey = (id: string) => ['deal', id, 'history'] as const;

/** The full deal (`GET /deals/{id}`): what a card does not hold. */
export async function fetchDeal(id: string, signal?: AbortSignal): Promise<Deal> {
  return unwrap(await api.GET('/api/v1/deals/{id}', { params: { path: { id } }, ...(signal ? { signal } : {}) }));
}

export function useDeal(id: string) {
  return useQuery({ queryKey: dealQueryKey(id), queryFn: ({ signal }) => fetchDeal(id, signal) });
}

/** What a write to a deal needs of it: a card or the full deal. */
export type DealRef = Pick<Deal, 'id' | 'version' | 'title'>;

export function useDealHistory(id: string) {
  return useQuery({
    queryKey: historyQueryKey(id),
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/deals/{id}/history', { params: { path: { id } }, signal })).data,
  });
}

function matchesStatus(deal: Deal, filters: BoardFilters): boolean {
  return filters.status === 'all' || filters.status === deal.status;
}

/**
 * Writes a changed deal into every cached board of its pipeline (in place, or out of a board
 * whose status filter it no longer matches), then refetches those boards in the background.
 */
function useSyncDeal() {
  const queryClient = useQueryClient();
  return (deal: Deal) => {
    queryClient.setQueryData(dealQueryKey(deal.id), deal);
    for (const [key, board] of queryClient.getQueriesData<Board>({ queryKey: ['board', deal.pipeline_id] })) {
      if (!board) continue;
      const filters = key[2] as BoardFilters | undefined;
      const next = filters && !matchesStatus(deal, filters) ? removeDeal(board, deal.id) : acceptServerDeal(board, deal);
      queryClient.setQueryData(key, next);
    }
    void queryClient.invalidateQueries({ queryKey: ['board', deal.pipeline_id] });
    void queryClient.invalidateQueries({ queryKey: historyQueryKey(deal.id) });
    // A customer's timeline and figures show their deals' moves, wins, losses and links.
    void queryClient.invalidateQueries({ queryKey: ['timeline'] });
    void queryClient.invalidateQueries({ queryKey: ['summary'] });
  };
}

export function useCreateDeal() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: CreateDealInput) => unwrap(await api.POST('/api/v1/deals', { body: input })),
    onSuccess: (deal) => {
      queryClient.setQueryData(dealQueryKey(deal.id), deal);
      return queryClient.invalidateQueries({ queryKey: ['board', deal.pipeline_id] });
    },
  });
}

export function useUpdateDeal() {
  const sync = useSyncDeal();
  return useMutation({
    mutationFn: async ({ deal, changes }: { deal: DealRef; changes: UpdateDealInput }) =>
      unwrap(await api.PATCH('/api/v1/deals/{id}', { params: { path: { id: deal.id }, header: ifMatch(deal.version) }, body: changes })),
    onSuccess: sync,
  });
}

export type StatusAction = { kind: 'win' } | { kind: 'lose'; reason: string; reasonId?: string | null } | { kind: 'reopen' };

/** A lose request: the managed reason when one is picked, the note when one is written. */
export function loseBody(note: string, reasonId?: string | null): LoseDealInput {
  const body: LoseDealInput = {};
  if (reasonId) body.reason_id = reasonId;
  if (note.trim() !== '') body.reason = note.trim();
  return body;
}

/** Win, lose (with a reason) or reopen a deal, sending the version the caller read. */
export function useChangeDealStatus() {
  const sync = useSyncDeal();
  return useMutation({
    mutationFn: async ({ deal, action }: { deal: DealRef; action: StatusAction }) => {
      const params = { path: { id: deal.id }, header: ifMatch(deal.version) };
      switch (action.kind) {
        case 'win':
          return unwrap(await api.POST('/api/v1/deals/{id}/win', { params }));
        case 'lose':
          return unwrap(await api.POST('/api/v1/deals/{id}/lose', { params, body: loseBody(action.reason, action.reasonId) }));
        case 'reopen':
          return unwrap(await api.POST('/api/v1/deals/{id}/reopen', { params }));
      }
    },
    onSuccess: sync,
  });
}

export function useDeleteDeal() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (deal: Deal) => {
      await unwrap(await api.DELETE('/api/v1/deals/{id}', { params: { path: { id: deal.id }, header: ifMatch(deal.version) } }));
      return deal;
    },
    onSuccess: (deal) => {
      for (const [key, board] of queryClient.getQueriesData<Board>({ queryKey: ['board', deal.pipeline_id] })) {
        if (board) queryClient.setQueryData(key, removeDeal(board, deal.id));
      }
      queryClient.removeQueries({ queryKey: dealQueryKey(deal.id) });
      return queryClient.invalidateQueries({ queryKey: ['board', deal.pipeline_id] });
    },
  });
}

/** Moves a deal to the end of another stage's column, from the drawer's stage picker. */
export function useMoveDealToStage() {
  const sync = useSyncDeal();
  return useMutation({
    mutationFn: async ({ deal, stageId }: { deal: Deal; stageId: string }) =>
      unwrap(
        await api.POST('/api/v1/deals/{id}/move', {
          params: { path: { id: deal.id }, header: ifMatch(deal.version) },
          body: { stage_id: stageId },
        }),
      ),
    onSuccess: sync,
  });
}
