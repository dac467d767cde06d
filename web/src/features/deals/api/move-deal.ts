import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { toast } from '../../../components/toast';
import { isApiError } from '../../../lib/api/api-error';
import { api, ifMatch } from '../../../lib/api/client';
import { unwrap } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import type { Board, Deal } from '../../../lib/api/types';
import type { Translate } from '../../../lib/i18n/use-i18n';
import { acceptServerDeal, type DealLocation, findDeal, moveDeal, placeDeal } from '../utils/board-reducer';
import { dropNeighbours } from '../utils/drop-neighbours';
import type { BoardQueryKey } from './board';
import { dealQueryKey, historyQueryKey } from './deals';

interface MoveVariables {
  dealId: string;
  stageId: string;
  before_id: string | null;
  after_id: string | null;
  /** Where the card was before the optimistic move, to put it back if the server refuses. */
  original: DealLocation;
}

/** The message for a refused move; every path says that the card went back. */
export function moveErrorMessage(error: unknown, title: string, t: Translate): string {
  if (isApiError(error)) {
    if (error.isStale) return t('board.move.stale', { title });
    if (error.status === 409) return t('board.move.closed', { title });
    if (error.status === 404) return t('board.move.notFound', { title });
  }
  return t('board.move.failed', { title, reason: describeError(error, t) });
}

/**
 * Moving a card: the board changes at once (synchronously, so the drop never flickers), the move
 * is sent with the version the board read, and a refusal (412 stale, 409 closed, anything else)
 * puts the card back where it was and says why. Moves run one at a time (a shared mutation
 * scope), each reading the card's version when it is sent, so quick successive drags of one card
 * carry the version the previous move returned.
 */
export function useMoveDeal(key: BoardQueryKey, t: Translate) {
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
      queryClient.setQueryData<Board>(key, (board) => (board ? placeDeal(board, original.deal, original.index) : board));
      toast.error(moveErrorMessage(error, original.deal.title, t));
      // Show the server's truth: the newer version of the card, or its removal.
      void queryClient.invalidateQueries({ queryKey: ['board', key[1]] });
      void queryClient.invalidateQueries({ queryKey: dealQueryKey(variables.dealId) });
    },
    onSettled: () => {
      // Once the last queued move is done, reconcile counts and totals with the server.
      if (queryClient.isMutating({ mutationKey: ['move-deal'] }) === 1) {
        void queryClient.invalidateQueries({ queryKey: ['board', key[1]] });
      }
    },
  });

  const { mutate } = mutation;
  const move = useCallback(
    /**
     * @param seenColumnIds the target column's cards as the user saw them while dragging (the
     *   board holds still during a drag); the cached board's otherwise
     */
    (dealId: string, toStageId: string, toIndex: number, seenColumnIds?: readonly string[]) => {
      const board = queryClient.getQueryData<Board>(key);
      const original = board && findDeal(board, dealId);
      const target = board?.columns.find((column) => column.stage.id === toStageId);
      if (!board || !original || !target) return;
      const neighbours = dropNeighbours(seenColumnIds ?? target.deals.map((deal) => deal.id), dealId, toIndex);
      // Stop a refetch in flight from overwriting the optimistic board with the old one.
      void queryClient.cancelQueries({ queryKey: key });
      queryClient.setQueryData<Board>(key, moveDeal(board, { dealId, toStageId, toIndex, now: new Date().toISOString() }));
      mutate({ dealId, stageId: toStageId, ...neighbours, original });
    },
    [queryClient, key, mutate],
  );

  return { move, isMoving: mutation.isPending };
}
