import type { Board, BoardColumn, Card, CurrencyTotal, Deal } from '../../../lib/api/types';
import { cardOf, cardWeightedAmount } from './card';

/**
 * Pure functions that change a cached board the way the server is expected to, so that a move
 * shows at once (optimistic update) and can be undone exactly. They never mutate their input and
 * keep the identity of every column and card they do not touch, so memoized columns and cards do
 * not re-render.
 */

export { weightedAmount } from './card';

/** Adds a card to (or takes it from) a column's totals, weighted by the card's own or the column's probability. */
function addToTotals(column: BoardColumn, card: Card, sign: 1 | -1): CurrencyTotal[] {
  const { totals } = column;
  const weighted = cardWeightedAmount(card, column.stage.probability);
  const index = totals.findIndex((total) => total.currency === card.currency);
  if (index < 0) {
    if (sign < 0) return totals;
    return [...totals, { currency: card.currency, amount_minor: card.amount_minor, weighted_amount_minor: weighted }];
  }
  const current = totals[index]!;
  const next: CurrencyTotal = {
    currency: current.currency,
    amount_minor: current.amount_minor + sign * card.amount_minor,
    weighted_amount_minor: current.weighted_amount_minor + sign * weighted,
  };
  if (next.amount_minor <= 0 && next.weighted_amount_minor <= 0) return totals.filter((_, i) => i !== index);
  return totals.map((total, i) => (i === index ? next : total));
}

function withoutDeal(column: BoardColumn, dealId: string): BoardColumn {
  const deal = column.deals.find((candidate) => candidate.id === dealId);
  if (!deal) return column;
  return {
    ...column,
    count: Math.max(0, column.count - 1),
    totals: addToTotals(column, deal, -1),
    deals: column.deals.filter((candidate) => candidate.id !== dealId),
  };
}

function withDeal(column: BoardColumn, card: Card, index: number): BoardColumn {
  const deals = column.deals.filter((candidate) => candidate.id !== card.id);
  const at = Math.max(0, Math.min(index, deals.length));
  deals.splice(at, 0, card);
  return { ...column, count: column.count + 1, totals: addToTotals(column, card, 1), deals };
}

export interface DealLocation {
  stageId: string;
  index: number;
  deal: Card;
}

/** Where a card is on the board, or null when it is not loaded. */
export function findDeal(board: Board, dealId: string): DealLocation | null {
  for (const column of board.columns) {
    const index = column.deals.findIndex((deal) => deal.id === dealId);
    if (index >= 0) return { stageId: column.stage.id, index, deal: column.deals[index]! };
  }
  return null;
}

/** Takes a card off the board (when it closes, is deleted or stops matching the filters). */
export function removeDeal(board: Board, dealId: string): Board {
  const location = findDeal(board, dealId);
  if (!location) return board;
  return {
    ...board,
    columns: board.columns.map((column) => (column.stage.id === location.stageId ? withoutDeal(column, dealId) : column)),
  };
}

/**
 * Puts `card` at `index` of the `stageId` column, wherever it was before (if anywhere), adjusting
 * both columns' counts and totals. The building block of moves, rollbacks and server echoes.
 */
export function placeDeal(board: Board, card: Card, stageId: string, index: number): Board {
  const location = findDeal(board, card.id);
  return {
    ...board,
    columns: board.columns.map((column) => {
      let next = column;
      if (location && column.stage.id === location.stageId) next = withoutDeal(next, card.id);
      if (column.stage.id === stageId) next = withDeal(next, card, index);
      return next;
    }),
  };
}

export interface MoveIntent {
  dealId: string;
  toStageId: string;
  /** The card's index in the target column once it has left its source column. */
  toIndex: number;
  /** RFC 3339 time of the move, for the card's "days in stage". */
  now: string;
}

/**
 * The optimistic move: the card leaves its column and enters the target at `toIndex`. A deal
 * that follows its stage's probability takes the target stage's (the column's totals weigh each
 * card by its own probability, else the column's).
 */
export function moveDeal(board: Board, intent: MoveIntent): Board {
  const location = findDeal(board, intent.dealId);
  const target = board.columns.find((column) => column.stage.id === intent.toStageId);
  if (!location || !target) return board;
  const changesStage = location.stageId !== intent.toStageId;
  const moved: Card = changesStage ? { ...location.deal, stage_entered_at: intent.now } : location.deal;
  return placeDeal(board, moved, intent.toStageId, intent.toIndex);
}

/**
 * Adopts the server's copy of a deal (new version, position, amount) as its card where the card
 * is now shown, keeping the column's totals and the card's next activity. Cards not on the board
 * are ignored.
 */
export function acceptServerDeal(board: Board, deal: Deal): Board {
  const location = findDeal(board, deal.id);
  if (!location) return board;
  const index = location.stageId === deal.stage_id ? location.index : Number.MAX_SAFE_INTEGER;
  return placeDeal(board, cardOf(deal, location.deal), deal.stage_id, index);
}

/** Appends a further page of a column's deals as cards (skipping any already shown) and its cursor. */
export function appendColumnPage(board: Board, stageId: string, deals: Deal[], nextCursor: string | null): Board {
  return {
    ...board,
    columns: board.columns.map((column) => {
      if (column.stage.id !== stageId) return column;
      const shown = new Set(column.deals.map((deal) => deal.id));
      const more = deals.filter((deal) => !shown.has(deal.id)).map((deal) => cardOf(deal));
      return { ...column, deals: [...column.deals, ...more], next_cursor: nextCursor };
    }),
  };
}
