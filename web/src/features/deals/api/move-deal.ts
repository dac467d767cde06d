import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { toast } from '../../../components/toast';
import { unwrap } from '../../../lib/api/api-error';
import { api, ifMatch } from '../../../lib/api/client';
import type { Board, Card, Deal, Stage } from '../../../lib/api/types';
import type { Translate } from '../../../lib/i18n/use-i18n';
import { acceptServerDeal, type DealLocation, findDeal, moveDeal, placeDeal } from '../utils/board-reducer';
import { isBuiltInRequiredField, missingRequiredFields } from '../utils/deal-rules';
import { dropNeighbours } from '../utils/drop-neighbours';
import { moveRefusalMessage } from '../utils/move-refusal';
import type { BoardQueryKey } from './board';
import { dealQueryKey, fetchDeal, historyQueryKey } from './deals';
import { holdDealChanges, releaseDealChanges } from './remote-deals';

/** A move held back because the deal lacks fields the target stage requires. */
export interface MissingFieldsRequest {
  deal: Card | Deal;
  stage: Stage;
  /** By their stage names (`amount`, `contact_id`, a custom-field key…). */
  missing: string[];
  /** Sends the move once the deal has them (it is read again from the board). */
  resume: () => void;
}

interface MoveVariables {
  dealId: string;
  stageId: string;
  before_id: string | null;
  after_id: string | null;
  /** Where the card was before the optimistic move, to put it back if the server refuses. */
  original: DealLocation;
}

/**
 * Moving a card: the board changes at once (synchronously, so the drop never flickers), the move
 * is sent with the version the board read, and a refusal puts the card back where it was and
 * says why, by the problem's code (stale, closed, neighbours moved, another pipeline's stage, …). Moves run one at a time (a shared mutation
 * scope), each reading the card's version when it is sent, so quick successive drags of one card
 * carry the version the previous move returned.
 */
export function useMoveDeal(key: BoardQueryKey, t: Translate, onMissingFields?: (request: MissingFieldsRequest) => void) {
  const queryClient = useQueryClient();

  const mutation = useMutation({
    mutationKey: ['move-deal'],
    scope: { id: 'move-deal' },
    mutationFn: async (variables: MoveVariables): Promise<Deal> => {
      const board = queryClient.getQueryData<Board>(key);
      const version = (board && findDeal(board, variables.dealId)?.deal.version) ?? variables.original.deal.version;
      return unwrap(
        await api.POST('/api/v1/deals/{id}/move', {
          params: { path: { id: variables.dealId }, header: ifMatch(version) },
          body: { stage_id: variables.stageId, before_id: variables.before_id, after_id: variables.after_id },
        }),
      );
    },
    onSuccess: (deal) => {
      queryClient.setQueryData<Board>(key, (board) => (board ? acceptServerDeal(board, deal) : board));
      queryClient.setQueryData(dealQueryKey(deal.id), deal);
      void queryClient.invalidateQueries({ queryKey: historyQueryKey(deal.id) });
    },
    onError: (error, variables) => {
      const { original } = variables;
      queryClient.setQueryData<Board>(key, (board) => (board ? placeDeal(board, original.deal, original.stageId, original.index) : board));
      toast.error(moveRefusalMessage(error, original.deal.title, t));
      // Show the server's truth: the newer version of the card, or its removal.
      void queryClient.invalidateQueries({ queryKey: ['board', key[1]] });
      void queryClient.invalidateQueries({ queryKey: dealQueryKey(variables.dealId) });
    },
    onSettled: (_deal, _error, variables) => {
      releaseDealChanges(variables.dealId);
      // Once the last queued move is done, reconcile counts and totals with the server.
      if (queryClient.isMutating({ mutationKey: ['move-deal'] }) === 1) {
        void queryClient.invalidateQueries({ queryKey: ['board', key[1]] });
      }
    },
  });

  const { mutate } = mutation;
  const move: (dealId: string, toStageId: string, toIndex: number, seenColumnIds?: readonly string[], checkedDeal?: Deal) => void = useCallback(
    /**
     * @param seenColumnIds the target column's cards as the user saw them while dragging (the
     *   board holds still during a drag); the cached board's otherwise
     * @param checkedDeal the full deal, read for a stage that requires custom fields
     */
    (dealId: string, toStageId: string, toIndex: number, seenColumnIds?: readonly string[], checkedDeal?: Deal) => {
      const board = queryClient.getQueryData<Board>(key);
      const original = board && findDeal(board, dealId);
      const target = board?.columns.find((column) => column.stage.id === toStageId);
      if (!board || !original || !target) return;
      // Into a stage that requires what the deal lacks: ask for it first, and leave the card
      // where it was until then (the server would refuse the move anyway). A card holds no
      // custom fields: for a stage requiring some, the deal is read first (then the move goes on).
      const required = original.stageId === toStageId ? [] : (target.stage.required_fields ?? []);
      if (onMissingFields && required.length > 0 && !checkedDeal) {
        if (!required.every(isBuiltInRequiredField)) {
          void queryClient
            .fetchQuery({ queryKey: dealQueryKey(dealId), queryFn: () => fetchDeal(dealId), staleTime: 0 })
            .then((deal) => move(dealId, toStageId, toIndex, seenColumnIds, deal))
            .catch((error: unknown) => toast.error(moveRefusalMessage(error, original.deal.title, t)));
          return;
        }
      }
      const missing = required.length > 0 ? missingRequiredFields(checkedDeal ?? original.deal, required) : [];
      if (missing.length > 0 && onMissingFields) {
        const resume = () => move(dealId, toStageId, toIndex, seenColumnIds);
        onMissingFields({ deal: checkedDeal ?? original.deal, stage: target.stage, missing, resume });
        return;
      }
      const neighbours = dropNeighbours(seenColumnIds ?? target.deals.map((deal) => deal.id), dealId, toIndex);
      // Stop a refetch in flight from overwriting the optimistic board with the old one.
      void queryClient.cancelQueries({ queryKey: key });
      queryClient.setQueryData<Board>(key, moveDeal(board, { dealId, toStageId, toIndex, now: new Date().toISOString() }));
      holdDealChanges(dealId);
      mutate({ dealId, stageId: toStageId, ...neighbours, original });
    },
    [queryClient, key, mutate, onMissingFields],
  );

  return { move, isMoving: mutation.isPending };
}
