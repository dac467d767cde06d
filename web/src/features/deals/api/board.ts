import { keepPreviousData, type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api/client';
import { unwrap } from '../../../lib/api/api-error';
import type { operations } from '../../../lib/api/schema';
import type { Board } from '../../../lib/api/types';
import { dealStatuses } from '../../../lib/api/vocabularies';
import { appendColumnPage } from '../utils/board-reducer';

/** The board's status filter, as `GET /pipelines/{id}/board` takes it: a deal status, or all. */
export type StatusFilter = NonNullable<NonNullable<operations['board']['parameters']['query']>['status']>;

/** The filter's choices: each deal status the API has, then all of them. */
export const statusFilters = [...dealStatuses, 'all'] as const satisfies readonly StatusFilter[];

export interface BoardFilters {
  status: StatusFilter;
  ownerId: string | null;
  q: string;
  /** One whole tag, whatever its case; empty for any. */
  tag: string;
}

/** The board as it opens: open deals of anyone, no search, no tag. */
export const defaultBoardFilters: BoardFilters = { status: 'open', ownerId: null, q: '', tag: '' };

/** Whether the filters narrow the board beyond its default. */
export function isBoardFiltered(filters: BoardFilters): boolean {
  return filters.q !== '' || filters.ownerId !== null || filters.status !== 'open' || filters.tag !== '';
}

export const pageSize = 50;

export const boardQueryKey = (pipelineId: string, filters: BoardFilters) => ['board', pipelineId, filters] as const;
export type BoardQueryKey = ReturnType<typeof boardQueryKey>;

/**
 * How many cards per column to ask for: the first page, or on a refetch as many as the user has
 * already scrolled into view (the API allows up to 200), so a refresh does not collapse columns.
 */
function cardsPerColumn(queryClient: QueryClient, key: BoardQueryKey): number {
  const shown = queryClient.getQueryData<Board>(key)?.columns.reduce((most, column) => Math.max(most, column.deals.length), 0) ?? 0;
  return Math.min(200, Math.max(pageSize, Math.ceil(shown / pageSize) * pageSize));
}

async function fetchBoard(queryClient: QueryClient, key: BoardQueryKey, signal: AbortSignal): Promise<Board> {
  const [, pipelineId, filters] = key;
  return unwrap(
    await api.GET('/api/v1/pipelines/{id}/board', {
      params: {
        path: { id: pipelineId },
        query: {
          status: filters.status,
          limit: cardsPerColumn(queryClient, key),
          ...(filters.ownerId ? { owner_id: filters.ownerId } : {}),
          ...(filters.q ? { q: filters.q } : {}),
          ...(filters.tag ? { tag: filters.tag } : {}),
        },
      },
      signal,
    }),
  );
}

/** The board: every stage's column with its count, totals and first cards. */
export function useBoard(pipelineId: string, filters: BoardFilters) {
  const queryClient = useQueryClient();
  const key = boardQueryKey(pipelineId, filters);
  return useQuery({
    queryKey: key,
    queryFn: ({ signal }) => fetchBoard(queryClient, key, signal),
    // Changing a filter keeps the previous board on screen until the new one arrives.
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

/** The next page of one column (`GET /deals` with the column's cursor), appended to the cached board. */
export function useLoadMoreCards(key: BoardQueryKey, stageId: string) {
  const queryClient = useQueryClient();
  const filters = key[2];
  return useMutation({
    mutationFn: async (cursor: string) =>
      unwrap(
        await api.GET('/api/v1/deals', {
          params: {
            query: {
              stage_id: stageId,
              sort: 'position',
              cursor,
              limit: pageSize,
              ...(filters.status !== 'all' ? { status: filters.status } : {}),
              ...(filters.ownerId ? { owner_id: filters.ownerId } : {}),
              ...(filters.q ? { q: filters.q } : {}),
              ...(filters.tag ? { tag: filters.tag } : {}),
            },
          },
        }),
      ),
    onSuccess: (page) => {
      queryClient.setQueryData<Board>(key, (board) => (board ? appendColumnPage(board, stageId, page.data, page.next_cursor ?? null) : board));
    },
  });
}

/**
 * Starts loading a board before React renders (the app calls it at start-up for a board URL), so
 * the request overlaps with the app's own start instead of following it.
 */
export function prefetchBoard(queryClient: QueryClient, pipelineId: string, filters: BoardFilters): void {
  const key = boardQueryKey(pipelineId, filters);
  void queryClient.prefetchQuery({ queryKey: key, queryFn: ({ signal }) => fetchBoard(queryClient, key, signal), staleTime: 30_000 });
}
