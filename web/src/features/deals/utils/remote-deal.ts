import type { Board, Deal, EventType } from '../../../lib/api/types';
import type { BoardFilters } from '../api/board';
import { findDeal, placeDeal, removeDeal } from './board-reducer';
import { cardOf } from './card';

/** A deal changed elsewhere, as the event stream reports it: the event type and the deal now. */
export interface RemoteDealChange {
  type: Extract<EventType, `deal.${string}`>;
  deal: Deal;
}

/** Whether a deal belongs on a board with these filters, or null when only the server can tell (a search). */
export function matchesBoardFilters(deal: Deal, pipelineId: string, filters: BoardFilters): boolean | null {
  if (deal.pipeline_id !== pipelineId) return false;
  if (filters.status !== 'all' && filters.status !== deal.status) return false;
  if (filters.ownerId !== null && filters.ownerId !== deal.owner_id) return false;
  if (filters.tag !== '' && !deal.tags.some((tag) => tag.toLowerCase() === filters.tag.toLowerCase())) return false;
  return filters.q === '' ? true : null;
}

/**
 * Where `deal` goes in its column: before the first loaded card with a later position, or null
 * when it would come after every loaded card of a column that has more to load (it belongs to a
 * page not shown). Position keys are ASCII and sort byte-wise, as JavaScript compares strings.
 */
function indexInColumn(board: Board, deal: Deal): number | null {
  const column = board.columns.find((candidate) => candidate.stage.id === deal.stage_id);
  if (!column) return null;
  const others = column.deals.filter((candidate) => candidate.id !== deal.id);
  const index = others.findIndex((candidate) => candidate.position > deal.position);
  if (index >= 0) return index;
  return column.next_cursor ? null : others.length;
}

/**
 * Applies a change made elsewhere to a cached board: the card moves to its column and position,
 * appears, changes or leaves, with the columns' counts and totals in step. Returns the same board
 * when there is nothing to do (the card already shows that version: a user's own change echoing
 * back), and `'refetch'` when the change cannot be placed exactly from what the board holds (a
 * card on a page not loaded, a search only the server can match, a stage the board lacks).
 */
export function applyRemoteDeal(board: Board, pipelineId: string, filters: BoardFilters, change: RemoteDealChange): Board | 'refetch' {
  const { deal } = change;
  const location = findDeal(board, deal.id);
  if (location && location.deal.version >= deal.version) return board;
  if (change.type === 'deal.deleted') {
    if (location) return removeDeal(board, deal.id);
    // A deleted card not loaded may still have been counted in its column.
    return matchesBoardFilters(deal, pipelineId, filters) === false ? board : 'refetch';
  }
  const matches = matchesBoardFilters(deal, pipelineId, filters);
  if (matches === null) return 'refetch';
  if (!matches) return location ? removeDeal(board, deal.id) : board;
  // A card the board has not loaded: new (then it is placed), or from a page not loaded, or one
  // that starts matching the filters — only a refetch gets the counts right for the latter two.
  if (!location && change.type !== 'deal.created') return 'refetch';
  const index = indexInColumn(board, deal);
  if (index === null) return 'refetch';
  // The event's deal has no next activity: the card keeps the one it showed.
  return placeDeal(board, cardOf(deal, location?.deal), deal.stage_id, index);
}
