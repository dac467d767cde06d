import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { afterEach, describe, expect, it } from 'vitest';
import type { Board } from '../../../lib/api/types';
import { makeBoard, makeDeal, makeStage } from '../../../testing/factories';
import { boardQueryKey, defaultBoardFilters } from './board';
import { dealQueryKey } from './deals';
import { applyRemoteDealChange, holdDealChanges, holdRemoteChanges, refreshCardActivity, releaseDealChanges, releaseRemoteChanges } from './remote-deals';

const lead = makeStage({ id: 'lead' });
const proposal = makeStage({ id: 'proposal' });
const key = boardQueryKey('pipeline-1', defaultBoardFilters);

function setUp() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  const a = makeDeal({ id: 'a', position: 'a1', version: 2 });
  queryClient.setQueryData<Board>(
    key,
    makeBoard([
      { stage: lead, deals: [a] },
      { stage: proposal, deals: [] },
    ]),
  );
  // The board is on screen: an observer, whose fetch never runs (fresh data).
  const observer = new QueryObserver(queryClient, { queryKey: key, queryFn: () => new Promise<Board>(() => undefined), staleTime: Infinity });
  const unsubscribe = observer.subscribe(() => undefined);
  const moved = { ...a, stage_id: 'proposal', version: 3 };
  const board = () => queryClient.getQueryData<Board>(key)!.columns.map((column) => column.deals.map((deal) => deal.id));
  return { queryClient, moved, board, unsubscribe };
}

afterEach(() => releaseRemoteChanges());

describe('applyRemoteDealChange', () => {
  it('patches the board on screen', () => {
    const { queryClient, moved, board, unsubscribe } = setUp();
    applyRemoteDealChange(queryClient, { type: 'deal.stage_changed', deal: moved }, false);
    expect(board()).toEqual([[], ['a']]);
    unsubscribe();
  });

  it('holds changes during a drag and applies them on the drop', () => {
    const { queryClient, moved, board, unsubscribe } = setUp();
    holdRemoteChanges();
    applyRemoteDealChange(queryClient, { type: 'deal.stage_changed', deal: moved }, false);
    expect(board()).toEqual([['a'], []]);
    releaseRemoteChanges();
    expect(board()).toEqual([[], ['a']]);
    unsubscribe();
  });

  it('holds the changes of a card whose move is in flight until it is answered', () => {
    const { queryClient, moved, board, unsubscribe } = setUp();
    holdDealChanges('a');
    applyRemoteDealChange(queryClient, { type: 'deal.stage_changed', deal: moved }, false);
    expect(board()).toEqual([['a'], []]);
    releaseDealChanges('a');
    expect(board()).toEqual([[], ['a']]);
    unsubscribe();
  });

  it('marks a board not on screen, or already marked, for a refetch instead of patching it', () => {
    const { queryClient, moved, board, unsubscribe } = setUp();
    unsubscribe();
    applyRemoteDealChange(queryClient, { type: 'deal.stage_changed', deal: moved }, false);
    expect(board()).toEqual([['a'], []]);
    expect(queryClient.getQueryState(key)?.isInvalidated).toBe(true);
  });

  it('updates the open deal only with a newer version', () => {
    const { queryClient, moved, unsubscribe } = setUp();
    const observer = new QueryObserver(queryClient, { queryKey: dealQueryKey('a'), queryFn: () => new Promise(() => undefined), staleTime: Infinity });
    const stop = observer.subscribe(() => undefined);
    queryClient.setQueryData(dealQueryKey('a'), { ...moved, version: 5, title: 'Newer' });
    applyRemoteDealChange(queryClient, { type: 'deal.stage_changed', deal: moved }, false);
    expect(queryClient.getQueryData<{ title: string }>(dealQueryKey('a'))?.title).toBe('Newer');
    applyRemoteDealChange(queryClient, { type: 'deal.updated', deal: { ...moved, version: 6, title: 'Newest' } }, false);
    expect(queryClient.getQueryData<{ title: string }>(dealQueryKey('a'))?.title).toBe('Newest');
    stop();
    unsubscribe();
  });
});

describe('refreshCardActivity', () => {
  it('marks for a refetch the boards that show the deal, and only those', () => {
    const { queryClient, unsubscribe } = setUp();
    const other = boardQueryKey('pipeline-2', defaultBoardFilters);
    queryClient.setQueryData<Board>(other, makeBoard([{ stage: makeStage(), deals: [makeDeal({ id: 'z' })] }]));
    const invalidated = (queryKey: readonly unknown[]) => queryClient.getQueryCache().find({ queryKey, exact: true })!.state.isInvalidated;
    refreshCardActivity(queryClient, 'a');
    expect([invalidated(key), invalidated(other)]).toEqual([true, false]);
    unsubscribe();
  });
});
