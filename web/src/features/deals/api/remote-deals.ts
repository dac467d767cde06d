import type { QueryClient } from '@tanstack/react-query';
import type { Board, Deal } from '../../../lib/api/types';
import { markRemoteChange } from '../hooks/use-remote-changes';
import { findDeal } from '../utils/board-reducer';
import { applyRemoteDeal, type RemoteDealChange } from '../utils/remote-deal';
import type { BoardFilters } from './board';
import { dealQueryKey, historyQueryKey } from './deals';

export type { RemoteDealChange } from '../utils/remote-deal';

interface QueuedChange {
  queryClient: QueryClient;
  change: RemoteDealChange;
  byMe: boolean;
}

/**
 * Remote changes wait while a card is being dragged (the user's hand must not be disturbed), and
 * those of a card whose move is being sent wait until the server has answered: the move carries
 * the version the user dragged, so a card someone else changed meanwhile is refused (412) and
 * rolled back with the conflict message instead of silently overwriting their change.
 */
let dragging = false;
const held = new Map<string, number>();
let queue: QueuedChange[] = [];

/** The board calls this when a drag starts. */
export function holdRemoteChanges(): void {
  dragging = true;
}

/** The board calls this when a drag ends (after starting the move, if any): waiting changes apply. */
export function releaseRemoteChanges(): void {
  dragging = false;
  flush();
}

/** Keeps the changes of `dealId` waiting while its move is sent. */
export function holdDealChanges(dealId: string): void {
  held.set(dealId, (held.get(dealId) ?? 0) + 1);
}

/** The move of `dealId` is answered: its waiting changes apply (those older than the answer are dropped by version). */
export function releaseDealChanges(dealId: string): void {
  const count = (held.get(dealId) ?? 1) - 1;
  if (count > 0) held.set(dealId, count);
  else held.delete(dealId);
  flush();
}

/**
 * Whether a cached board (or deal) may be patched in place: it is on screen and not already marked
 * for a refetch. Writing into an invalidated board would clear the mark (a stage deleted meanwhile
 * would never show); one not on screen is simply marked, and reloads when next opened.
 */
function isPatchable(queryClient: QueryClient, key: readonly unknown[]): boolean {
  const query = queryClient.getQueryCache().find({ queryKey: key, exact: true });
  return Boolean(query && query.getObserversCount() > 0 && !query.state.isInvalidated);
}

function flush() {
  const waiting = queue;
  queue = [];
  for (const item of waiting) applyRemoteDealChange(item.queryClient, item.change, item.byMe);
}

/**
 * Applies a deal change from the event stream to every cached board (exactly where possible,
 * otherwise by refetching that board) and to the deal's own cache. `byMe` says the change is the
 * user's own (echoing back from the stream): it updates the caches but neither highlights the card
 * nor tells the drawer someone else changed it.
 */
export function applyRemoteDealChange(queryClient: QueryClient, change: RemoteDealChange, byMe: boolean): void {
  const { deal } = change;
  if (dragging || held.has(deal.id)) {
    queue.push({ queryClient, change, byMe });
    return;
  }
  let changed = false;
  const cached = queryClient.getQueryData<Deal>(dealQueryKey(deal.id));
  // A version the deal's own cache already holds is the user's own write (its answer came first).
  const known = cached !== undefined && cached.version >= deal.version;
  if (cached && change.type === 'deal.deleted') {
    // The deal carries its last version; an open drawer learns of the deletion by asking again.
    changed = true;
    void queryClient.invalidateQueries({ queryKey: dealQueryKey(deal.id), exact: true });
  } else if (cached && cached.version < deal.version) {
    changed = true;
    if (isPatchable(queryClient, dealQueryKey(deal.id))) queryClient.setQueryData(dealQueryKey(deal.id), deal);
    else void queryClient.invalidateQueries({ queryKey: dealQueryKey(deal.id), exact: true });
  }
  for (const [key, board] of queryClient.getQueriesData<Board>({ queryKey: ['board'] })) {
    if (!board) continue;
    const [, pipelineId, filters] = key as [string, string, BoardFilters];
    const next = applyRemoteDeal(board, pipelineId, filters, change);
    if (next === board) continue;
    if (next === 'refetch' || !isPatchable(queryClient, key)) {
      changed = true;
      void queryClient.invalidateQueries({ queryKey: key, exact: true });
    } else {
      changed = true;
      queryClient.setQueryData(key, next);
    }
  }
  if (!changed) return;
  void queryClient.invalidateQueries({ queryKey: historyQueryKey(deal.id) });
  // A customer's timeline and figures show their deals' moves, wins, losses and links.
  void queryClient.invalidateQueries({ queryKey: ['timeline'] });
  void queryClient.invalidateQueries({ queryKey: ['summary'] });
  // While the user's own writes are in flight, their echo may come before the answer: no mark then.
  if (!byMe && !known && queryClient.isMutating() === 0) markRemoteChange(deal.id, deal.version);
}

/**
 * An activity of `dealId` was added, changed, done or deleted (the event stream says so): every
 * cached board showing its card reads the cards' next activities again (the event does not say
 * which activity is next now). Boards without the card are left alone.
 */
export function refreshCardActivity(queryClient: QueryClient, dealId: string): void {
  for (const [key, board] of queryClient.getQueriesData<Board>({ queryKey: ['board'] })) {
    if (board && findDeal(board, dealId)) void queryClient.invalidateQueries({ queryKey: key, exact: true });
  }
}
